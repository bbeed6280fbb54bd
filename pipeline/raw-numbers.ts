/**
 * Whole numbers read from a DuckDB vector's own bytes: integers, dates as days since 1970, decimals as whole units of
 * their scale (cents). One double per row, NaN where missing; no value object, bigint or Date made per row, which
 * took most of the time of reading a large result of sums. Exact to 2^53, past which a value is read as the
 * converter reads it.
 */
import { DuckDBBigIntType, DuckDBDateType, DuckDBDecimalType, DuckDBHugeIntType, DuckDBIntegerType, DuckDBSmallIntType, DuckDBTinyIntType, type DuckDBType, type DuckDBVector } from '@duckdb/node-api';

const TWO_32 = 2 ** 32;

/** Bytes per value of the types read this way; none for the others. */
export function wholeNumberBytes(type: DuckDBType): number | undefined {
  if (type instanceof DuckDBTinyIntType) return 1;
  if (type instanceof DuckDBSmallIntType) return 2;
  if (type instanceof DuckDBIntegerType || type instanceof DuckDBDateType) return 4;
  if (type instanceof DuckDBBigIntType) return 8;
  if (type instanceof DuckDBHugeIntType) return 16;
  // A decimal is stored as the narrowest integer that holds its width.
  if (type instanceof DuckDBDecimalType) return type.width <= 4 ? 2 : type.width <= 9 ? 4 : type.width <= 18 ? 8 : 16;
  return undefined;
}

/** A value past 2^53 as a bigint: a decimal's in units of its scale. */
const wide = (vector: DuckDBVector, j: number) =>
  ('getScaledValue' in vector ? (vector as unknown as { getScaledValue(j: number): bigint }).getScaledValue(j) : vector.getItem(j)) as bigint;

/** A chunk's values of a column wholeNumberBytes gave `bytes` for. */
export function readWholeNumbers(vector: DuckDBVector, rows: number, bytes: number): Float64Array {
  const { items, dataView, validity } = vector as unknown as { items?: ArrayBufferView; dataView?: DataView; validity: { itemValid(i: number): boolean } };
  const raw = (items ?? dataView)!;
  const view = new DataView(raw.buffer, raw.byteOffset, rows * bytes);
  const out = new Float64Array(rows);
  for (let j = 0; j < rows; j++) {
    if (!validity.itemValid(j)) {
      out[j] = NaN;
      continue;
    }
    const at = j * bytes;
    if (bytes === 1) out[j] = view.getInt8(at);
    else if (bytes === 2) out[j] = view.getInt16(at, true);
    else if (bytes === 4) out[j] = view.getInt32(at, true);
    else {
      // The low 64 bits as a signed integer: the whole value when the high 64 bits, if any, only extend its sign.
      const low = view.getInt32(at + 4, true) * TWO_32 + view.getUint32(at, true);
      const extended = bytes === 8 || (view.getInt32(at + 12, true) === (low < 0 ? -1 : 0) && view.getUint32(at + 8, true) === (low < 0 ? 0xffffffff : 0));
      out[j] = extended && Math.abs(low) < 2 ** 53 ? low : Number(wide(vector, j));
    }
  }
  return out;
}
