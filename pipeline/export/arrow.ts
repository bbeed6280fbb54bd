import { writeFile } from 'node:fs/promises';
import {
  List, Bool, Field, RecordBatch, Schema, Struct, DateDay, Dictionary, Float64, Int8, Int16, Int32, Table, Utf8, makeData, makeVector, tableToIPC, vectorFromArray, type Vector,
} from 'apache-arrow';
import { ident, isCodes, isLists, type ColumnValues, type Db, type TextCodes } from '../duckdb.ts';

const DAY_MS = 86_400_000;

/** The narrowest signed integer array that holds every value, or none past 32 bits. */
function integers(values: ArrayLike<number>): Int8Array | Int16Array | Int32Array | undefined {
  let min = 0;
  let max = 0;
  for (let i = 0; i < values.length; i++) {
    const v = values[i]!;
    if (v < min) min = v;
    if (v > max) max = v;
  }
  if (min >= -128 && max <= 127) return Int8Array.from(values);
  if (min >= -32768 && max <= 32767) return Int16Array.from(values);
  if (min >= -(2 ** 31) && max < 2 ** 31) return Int32Array.from(values);
  return undefined;
}

/** Strings, or codes into an ENUM's values, as keys into a dictionary of the values that occur, in order of first occurrence. */
function dictionaryKeys(values: unknown[] | TextCodes): { keys: Int32Array; dictionary: string[]; valid: boolean[] | undefined } {
  const dictionary: string[] = [];
  const length = isCodes(values) ? values.codes.length : values.length;
  const keys = new Int32Array(length);
  let nulls = 0;
  if (isCodes(values)) {
    const key = new Int32Array(values.values.length).fill(-1);
    for (let i = 0; i < length; i++) {
      const code = values.codes[i]!;
      if (code < 0) nulls++;
      else keys[i] = key[code]! >= 0 ? key[code]! : (key[code] = dictionary.push(values.values[code]!) - 1);
    }
  } else {
    const index = new Map<string, number>();
    for (let i = 0; i < length; i++) {
      const v = values[i];
      if (v == null) {
        nulls++;
        continue;
      }
      const s = String(v);
      let k = index.get(s);
      if (k === undefined) index.set(s, (k = dictionary.push(s) - 1));
      keys[i] = k;
    }
  }
  const missing = (i: number) => (isCodes(values) ? values.codes[i]! < 0 : values[i] == null);
  return { keys, dictionary, valid: nulls ? Array.from({ length }, (_, i) => !missing(i)) : undefined };
}

/**
 * Text as a dictionary (each distinct string stored once, rows hold narrow integer keys), numbers as
 * Float64 or the narrowest integer type, dates as days: a compact file the browser reads without parsing.
 * Missing values are marked in a validity bitmap. Dictionary ids are given (Arrow would otherwise number them
 * from a process-wide counter, and the same table would serialise differently in a second run).
 */
export function toVector(type: string, values: ColumnValues, dictionaryId: number): Vector {
  if (type === 'VARCHAR') {
    if (isLists(values) || values instanceof Float64Array) throw new Error('numbers for a VARCHAR column');
    const { keys, dictionary, valid } = dictionaryKeys(values);
    const keyArray = integers(keys)!;
    const keyType = keyArray instanceof Int8Array ? new Int8() : keyArray instanceof Int16Array ? new Int16() : new Int32();
    return makeVector(
      makeData({
        type: new Dictionary(new Utf8(), keyType, dictionaryId),
        length: keys.length,
        nullCount: valid ? valid.filter((ok) => !ok).length : 0,
        nullBitmap: valid ? bitmap(valid) : undefined,
        data: keyArray,
        dictionary: vectorFromArray(dictionary, new Utf8()),
      }),
    );
  }
  if (isCodes(values)) throw new Error(`text codes for a ${type} column`);
  // Whole numbers as read (raw-numbers.ts): a decimal already in units of its scale, a date in days.
  if (values instanceof Float64Array) return type === 'DATE' ? single(new DateDay(), Int32Array.from(values, (v) => v || 0), values) : integerVector(values);
  if (isLists(values)) {
    // A list per row (a cell's histogram): one narrow integer child with offsets. A slice of rows starts at its first.
    const start = values.offsets[0]!;
    const offsets = values.offsets.map((o) => o - start);
    const child = integerVector(values.values.subarray(start, values.offsets.at(-1)));
    return makeVector(makeData({ type: new List(new Field('item', child.type, true)), length: offsets.length - 1, nullCount: 0, valueOffsets: offsets, child: child.data[0]! }));
  }
  const whole = (v: unknown) => (v == null ? NaN : Number(v));
  if (type === 'DATE') return toVector(type, Float64Array.from(values, (v) => (v == null ? NaN : Math.round((v as Date).getTime() / DAY_MS))), dictionaryId);
  if (type === 'BOOLEAN') return vectorFromArray(values as (boolean | null)[], new Bool());
  // Sums of integers come as HUGEINT: whole numbers like the others.
  if (/^(TINYINT|SMALLINT|INTEGER|BIGINT|HUGEINT|UTINYINT|USMALLINT|UINTEGER|UBIGINT)$/.test(type)) return integerVector(Float64Array.from(values, whole));
  // Money and other decimals as whole units of their scale (cents): a quarter of a 64-bit float's bytes, and exact,
  // since the browser divides the integer by 10^scale, the double DuckDB's own DECIMAL → DOUBLE cast gives.
  const scale = decimalScale(type);
  if (scale !== undefined) return integerVector(Float64Array.from(values, (v) => Math.round(whole(v) * 10 ** scale)));
  return single(new Float64(), Float64Array.from(values, (v) => (v == null ? 0 : Number(v))), Float64Array.from(values, (v) => (v == null ? NaN : 0)));
}

/**
 * One chunk of a fixed-width type: the file's record batch takes each column as a single piece of data. A value
 * missing (NaN in `values`) is marked in the validity bitmap.
 */
function single(type: DateDay | Float64 | Int8 | Int16 | Int32, data: ArrayBufferView & ArrayLike<number>, values: Float64Array): Vector {
  let nullCount = 0;
  for (let i = 0; i < values.length; i++) if (Number.isNaN(values[i])) nullCount++;
  return makeVector(makeData({ type, length: data.length, nullCount, nullBitmap: nullCount ? bitmap(Array.from(values, (v) => !Number.isNaN(v))) : undefined, data } as never));
}

/**
 * Whole numbers (NaN where missing) as the narrowest integer vector; Float64 (exact to 2^53) for values past
 * 32 bits, which the browser reads as numbers either way.
 */
function integerVector(values: Float64Array): Vector {
  const filled = values.map((v) => v || 0);
  const array = integers(filled);
  if (!array) return single(new Float64(), filled, values);
  return single(array instanceof Int8Array ? new Int8() : array instanceof Int16Array ? new Int16() : new Int32(), array, values);
}

/** A column's scale in the file's schema metadata (`scale` → `2` for cents), read back by the browser's fact table. */
export function decimalScale(type: string): number | undefined {
  const decimal = /^DECIMAL\(\d+,(\d+)\)$/.exec(type);
  return decimal ? Number(decimal[1]) : undefined;
}

function bitmap(valid: boolean[]): Uint8Array {
  const bits = new Uint8Array(Math.ceil(valid.length / 8));
  valid.forEach((ok, i) => ok && (bits[i >> 3]! |= 1 << (i & 7)));
  return bits;
}

/** Writes the chosen columns of a table as an Arrow IPC stream. */
export async function writeArrow(db: Db, table: string, columns: string[] | '*', path: string): Promise<void> {
  const select = columns === '*' ? '*' : columns.map(ident).join(', ');
  const result = await db.codedColumns(`select ${select} from ${ident(table)}`);
  await writeFile(path, tableToIPC(arrowTable(result), 'stream'));
}

/**
 * Columns as an Arrow table; a decimal, stored as whole units of its scale (as integers, or as doubles past 32 bits:
 * a month's sales of a make at scale), carries its scale in the field's metadata.
 */
export function arrowTable(result: { names: string[]; types: string[]; values: ColumnValues[] }, metadata: Record<string, Record<string, string>> = {}): Table {
  const vectors = result.names.map((_, i) => toVector(result.types[i]!, result.values[i]!, i));
  const fields = result.names.map((name, i) => {
    const scale = decimalScale(result.types[i]!);
    const entries = Object.entries({ ...(scale !== undefined ? { scale: String(scale) } : {}), ...metadata[name] });
    return new Field(name, vectors[i]!.type, true, entries.length ? new Map(entries) : undefined);
  });
  const schema = new Schema(fields);
  const length = vectors[0]?.length ?? 0;
  const data = makeData({ type: new Struct(fields), length, children: vectors.map((v) => v.data[0]!) });
  return new Table(schema, [new RecordBatch(schema, data)]);
}
