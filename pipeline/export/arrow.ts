import { writeFile } from 'node:fs/promises';
import {
  Bool, DateDay, Dictionary, Float64, Int8, Int16, Int32, Table, Utf8, makeData, makeVector, tableToIPC, vectorFromArray, type Vector,
} from 'apache-arrow';
import { ident, type Db } from '../duckdb.ts';

const DAY_MS = 86_400_000;

/** The narrowest signed integer array that holds every value. */
function integers(values: number[]): Int8Array | Int16Array | Int32Array {
  let [min, max] = [0, 0];
  for (const v of values) [min, max] = [Math.min(min, v), Math.max(max, v)];
  if (min >= -128 && max <= 127) return Int8Array.from(values);
  if (min >= -32768 && max <= 32767) return Int16Array.from(values);
  return Int32Array.from(values);
}

/**
 * Text as a dictionary (each distinct string stored once, rows hold narrow integer keys), numbers as
 * Float64 or the narrowest integer type, dates as days: a compact file the browser reads without parsing.
 * Missing values are marked in a validity bitmap. Dictionary ids are given (Arrow would otherwise number them
 * from a process-wide counter, and the same table would serialise differently in a second run).
 */
export function toVector(type: string, values: unknown[], dictionaryId: number): Vector {
  if (type === 'VARCHAR') {
    const dictionary: string[] = [];
    const index = new Map<string, number>();
    const keys = values.map((v) => {
      if (v == null) return null;
      const s = String(v);
      let k = index.get(s);
      if (k === undefined) index.set(s, (k = dictionary.push(s) - 1));
      return k;
    });
    const keyArray = integers(keys.map((k) => k ?? 0));
    const keyType = keyArray instanceof Int8Array ? new Int8() : keyArray instanceof Int16Array ? new Int16() : new Int32();
    const nullCount = keys.filter((k) => k === null).length;
    const nullBitmap = nullCount ? bitmap(keys.map((k) => k !== null)) : undefined;
    return makeVector(
      makeData({ type: new Dictionary(new Utf8(), keyType, dictionaryId), length: keys.length, nullCount, nullBitmap, data: keyArray, dictionary: vectorFromArray(dictionary, new Utf8()) }),
    );
  }
  if (type === 'DATE') return vectorFromArray(values.map((v) => (v == null ? null : new Date(Math.round((v as Date).getTime() / DAY_MS) * DAY_MS))), new DateDay());
  if (type === 'BOOLEAN') return vectorFromArray(values as (boolean | null)[], new Bool());
  if (/^(TINYINT|SMALLINT|INTEGER|BIGINT|UTINYINT|USMALLINT|UINTEGER)$/.test(type) && values.every((v) => v != null)) {
    return makeVector(integers(values.map(Number)));
  }
  return vectorFromArray(values.map((v) => (v == null ? null : Number(v))), new Float64());
}

function bitmap(valid: boolean[]): Uint8Array {
  const bits = new Uint8Array(Math.ceil(valid.length / 8));
  valid.forEach((ok, i) => ok && (bits[i >> 3]! |= 1 << (i & 7)));
  return bits;
}

/** Writes the chosen columns of a table as an Arrow IPC stream. */
export async function writeArrow(db: Db, table: string, columns: string[] | '*', path: string): Promise<void> {
  const select = columns === '*' ? '*' : columns.map(ident).join(', ');
  const result = await db.columns(`select ${select} from ${ident(table)}`);
  const vectors = Object.fromEntries(result.names.map((name, i) => [name, toVector(result.types[i]!, result.values[i]!, i)]));
  await writeFile(path, tableToIPC(new Table(vectors), 'stream'));
}
