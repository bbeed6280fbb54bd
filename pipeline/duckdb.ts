import { DuckDBEnumType, DuckDBInstance, JSDuckDBValueConverter, type DuckDBConnection } from '@duckdb/node-api';

/** A connection plus the few calls the pipeline needs; rows come back as plain JSON-safe objects. */
export interface Db {
  run(sql: string): Promise<void>;
  rows<T = Record<string, unknown>>(sql: string): Promise<T[]>;
  /** Column-major result: names, DuckDB type names and values (bigints stay bigints). */
  columns(sql: string): Promise<Columns>;
  /**
   * As columns(), with an ENUM's text (a dimension's, see file-tables.ts) as codes into its values: no string is made
   * per row, which took most of the time of reading a large result.
   */
  codedColumns(sql: string): Promise<{ names: string[]; types: string[]; values: (unknown[] | TextCodes)[] }>;
  close(): void;
}

export interface Columns {
  names: string[];
  types: string[];
  values: unknown[][];
}

/** Text as codes into `values`; -1 for a missing value. */
export interface TextCodes {
  codes: Int32Array;
  values: readonly string[];
}

export interface DbOptions {
  /** DuckDB's own memory cap (e.g. '1.2GB'); past it, it spills to tempDirectory instead of growing. */
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
  // In memory, tables can be compressed as on disk (at a checkpoint, see compactTables): a large build then
  // spills far less past the memory cap.
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
        types: reader.columnTypes().map((t) => textType(t.toString())),
        values: reader.getColumnsJS() as unknown[][],
      };
    },
    async codedColumns(sql) {
      // Streamed, each chunk read and let go: a materialized result held every chunk besides the values read from it.
      const result = await connection.stream(sql);
      const types = result.columnTypes();
      const codes = types.map(() => [] as Int32Array[]);
      const values = types.map(() => [] as unknown[]);
      for (let chunk = await result.fetchChunk(); chunk && chunk.rowCount > 0; chunk = await result.fetchChunk()) {
        const rows = chunk.rowCount;
        types.forEach((type, i) => {
          if (!(type instanceof DuckDBEnumType)) {
            values[i]!.push(...chunk.convertColumnValues(i, JSDuckDBValueConverter));
            return;
          }
          const vector = chunk.getColumnVector(i) as unknown as { items: ArrayLike<number>; validity: { itemValid(i: number): boolean } };
          const part = new Int32Array(rows);
          for (let j = 0; j < rows; j++) part[j] = vector.validity.itemValid(j) ? vector.items[j]! : -1;
          codes[i]!.push(part);
        });
      }
      const joined = (parts: Int32Array[]) => {
        const all = new Int32Array(parts.reduce((n, p) => n + p.length, 0));
        parts.reduce((at, p) => (all.set(p, at), at + p.length), 0);
        return all;
      };
      return {
        names: result.columnNames(),
        types: types.map((t) => textType(t.toString())),
        values: types.map((type, i) => (type instanceof DuckDBEnumType ? { codes: joined(codes[i]!), values: type.values } : values[i]!)),
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

/** A type name as the outputs know it: an ENUM (a dimension's text, see file-tables.ts) is text like any other. */
export const textType = (type: string) => (type.startsWith('ENUM(') ? 'VARCHAR' : type);

/** SQL string literal. */
export const lit = (value: string) => `'${value.replaceAll("'", "''")}'`;
/** SQL identifier. */
export const ident = (name: string) => `"${name.replaceAll('"', '""')}"`;

/**
 * An in-memory database keeps its tables uncompressed until it checkpoints; a checkpoint compresses them, text
 * columns several times over. Past half the memory cap, the tables are compressed so
 * that the stages after fit in memory or spill far less to disk; below it, a checkpoint would only cost time.
 * Temporary tables are not compressed: only the `work` database is.
 */
export async function compactTables(db: Db, memoryLimit: string): Promise<void> {
  const [row] = await db.rows<{ bytes: number }>(
    `select sum(memory_usage_bytes + temporary_storage_bytes)::DOUBLE as bytes from duckdb_memory() where tag = 'IN_MEMORY_TABLE'`,
  );
  if ((row?.bytes ?? 0) > byteSize(memoryLimit) / 2) await db.run('checkpoint work');
}

/** A size as DuckDB's settings take it ('1.2GB', '800MiB', '500000'), in bytes. */
export function byteSize(size: string): number {
  const match = /^\s*(\d+(?:\.\d+)?)\s*(?:([KMGT])(i?)B?)?\s*$/i.exec(size);
  if (!match) throw new Error(`not a size: ${size}`);
  const power = match[2] ? 'KMGT'.indexOf(match[2].toUpperCase()) + 1 : 0;
  return Number(match[1]) * (match[3] ? 1024 : 1000) ** power;
}
