import { DuckDBInstance, type DuckDBConnection } from '@duckdb/node-api';

/** A connection plus the few calls the pipeline needs; rows come back as plain JSON-safe objects. */
export interface Db {
  run(sql: string): Promise<void>;
  rows<T = Record<string, unknown>>(sql: string): Promise<T[]>;
  /** Column-major result: names, DuckDB type names and values (bigints stay bigints). */
  columns(sql: string): Promise<{ names: string[]; types: string[]; values: unknown[][] }>;
  close(): void;
}

export interface DbOptions {
  /** DuckDB's own memory cap (e.g. '1.5GB'); past it, it spills to tempDirectory instead of growing. */
  memoryLimit?: string;
  tempDirectory?: string;
}

export async function openDb(path = ':memory:', { memoryLimit, tempDirectory }: DbOptions = {}): Promise<Db> {
  const options: Record<string, string> = {
    // No network here or on users' CI: never try to fetch an extension.
    autoinstall_known_extensions: 'false',
    autoload_known_extensions: 'true',
  };
  if (memoryLimit) options.memory_limit = memoryLimit;
  if (tempDirectory) options.temp_directory = tempDirectory;
  const instance = await DuckDBInstance.create(path, options);
  const connection: DuckDBConnection = await instance.connect();
  // In memory, tables are compressed as on disk: a 10M-row build then spills far less past the memory cap.
  if (path === ':memory:') await connection.run(`attach ':memory:' as work (compress); use work`);
  return {
    async run(sql) {
      await connection.run(sql);
    },
    async rows<T>(sql: string) {
      const reader = await connection.runAndReadAll(sql);
      return reader.getRowObjectsJS().map(plainRow) as T[];
    },
    async columns(sql) {
      const reader = await connection.runAndReadAll(sql);
      return {
        names: reader.columnNames(),
        types: reader.columnTypes().map((t) => t.toString()),
        values: reader.getColumnsJS() as unknown[][],
      };
    },
    close() {
      connection.closeSync();
      instance.closeSync();
    },
  };
}

// Counts and sums come back as bigint; every figure the pipeline handles fits a double exactly.
const plainRow = (row: Record<string, unknown>) =>
  Object.fromEntries(Object.entries(row).map(([k, v]) => [k, typeof v === 'bigint' ? Number(v) : v]));

/** SQL string literal. */
export const lit = (value: string) => `'${value.replaceAll("'", "''")}'`;
/** SQL identifier. */
export const ident = (name: string) => `"${name.replaceAll('"', '""')}"`;
