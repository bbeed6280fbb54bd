import { DuckDBEnumType, DuckDBInstance, DuckDBListType, JSDuckDBValueConverter, type DuckDBConnection, type DuckDBListVector } from '@duckdb/node-api';
import { readWholeNumbers, wholeNumberBytes } from './raw-numbers.ts';

/** A connection plus the few calls the pipeline needs; rows come back as plain JSON-safe objects. */
export interface Db {
  run(sql: string): Promise<void>;
  rows<T = Record<string, unknown>>(sql: string): Promise<T[]>;
  /** Column-major result: names, DuckDB type names and values (bigints stay bigints). */
  columns(sql: string): Promise<Columns>;
  /**
   * As columns(), with an ENUM's text (a dimension's, see file-tables.ts) as codes into its values and whole numbers
   * as one array of doubles (ColumnValues): no string, bigint or Date is made per row, which took most of the time
   * of reading a large result.
   */
  codedColumns(sql: string): Promise<{ names: string[]; types: string[]; values: ColumnValues[] }>;
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

/** A list of numbers per row, flat: row i holds values[offsets[i]] up to values[offsets[i + 1]]; a missing list none. */
export interface NumberLists {
  offsets: Int32Array;
  values: Float64Array;
}

/**
 * A column as codedColumns reads it: values; text codes; lists of numbers; or whole numbers (integers, dates as days
 * since 1970, decimals in units of their scale), NaN where missing (see raw-numbers.ts).
 */
export type ColumnValues = unknown[] | TextCodes | NumberLists | Float64Array;

export const isCodes = (values: ColumnValues): values is TextCodes => 'codes' in values;
export const isLists = (values: ColumnValues): values is NumberLists => 'offsets' in values;

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
      // Per column, its chunks' codes (text), list lengths and values (lists), or values (the rest).
      const codes = types.map(() => [] as Int32Array[]);
      const bytes = types.map(wholeNumberBytes);
      const lengths = types.map(() => [] as Int32Array[]);
      const values = types.map(() => [] as unknown[]);
      for (let chunk = await result.fetchChunk(); chunk && chunk.rowCount > 0; chunk = await result.fetchChunk()) {
        const rows = chunk.rowCount;
        types.forEach((type, i) => {
          const vector = chunk.getColumnVector(i);
          const validity = (vector as unknown as { validity: { itemValid(i: number): boolean } }).validity;
          if (type instanceof DuckDBEnumType) {
            const items = (vector as unknown as { items: ArrayLike<number> }).items;
            const part = new Int32Array(rows);
            for (let j = 0; j < rows; j++) part[j] = validity.itemValid(j) ? items[j]! : -1;
            codes[i]!.push(part);
          } else if (type instanceof DuckDBListType) {
            // Read from the flat child, not as a list value per row (most of the time of reading a detail's bins); a
            // child of doubles is copied as it is, other numbers converted one by one.
            const list = vector as DuckDBListVector;
            const child = list.childVector as unknown as { items?: unknown; getItem(k: number): unknown };
            const doubles = child.items instanceof Float64Array ? child.items : undefined;
            const part = new Int32Array(rows);
            for (let j = 0; j < rows; j++) if (validity.itemValid(j)) part[j] = list.getEntryLength(j);
            const flat = new Float64Array(part.reduce((n, l) => n + l, 0));
            for (let j = 0, at = 0; j < rows; at += part[j]!, j++) {
              const from = list.getEntryOffset(j);
              if (doubles) flat.set(doubles.subarray(from, from + part[j]!), at);
              else for (let k = 0; k < part[j]!; k++) flat[at + k] = Number(child.getItem(from + k));
            }
            values[i]!.push(flat);
            lengths[i]!.push(part);
          } else if (bytes[i]) values[i]!.push(readWholeNumbers(vector, rows, bytes[i]));
          else values[i]!.push(...chunk.convertColumnValues(i, JSDuckDBValueConverter));
        });
      }
      const joined = <T extends Int32Array | Float64Array>(parts: T[], Type: new (length: number) => T): T => {
        const all = new Type(parts.reduce((n, p) => n + p.length, 0));
        parts.reduce((at, p) => (all.set(p, at), at + p.length), 0);
        return all;
      };
      const lists = (counts: Int32Array, parts: Float64Array[]): NumberLists => {
        const offsets = new Int32Array(counts.length + 1);
        counts.forEach((n, j) => (offsets[j + 1] = offsets[j]! + n));
        return { offsets, values: joined(parts, Float64Array) };
      };
      return {
        names: result.columnNames(),
        types: types.map((t) => textType(t.toString())),
        values: types.map((type, i) =>
          type instanceof DuckDBEnumType
            ? { codes: joined(codes[i]!, Int32Array), values: type.values }
            : type instanceof DuckDBListType
              ? lists(joined(lengths[i]!, Int32Array), values[i] as Float64Array[])
              : bytes[i]
                ? joined(values[i] as Float64Array[], Float64Array)
                : values[i]!,
        ),
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

/** Rows `start` up to `end` of a column as codedColumns reads it, sharing its buffers. */
export function rowsOf(values: ColumnValues, start: number, end: number): ColumnValues {
  if (Array.isArray(values)) return values.slice(start, end);
  if (values instanceof Float64Array) return values.subarray(start, end);
  if (isCodes(values)) return { ...values, codes: values.codes.subarray(start, end) };
  return { ...values, offsets: values.offsets.subarray(start, end + 1) };
}
