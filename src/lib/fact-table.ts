/**
 * A page's cells, column by column: text as dictionary codes, numbers as typed arrays, the time column as days
 * since 1970-01-01. Built from the page's Arrow files in the browser and at build time, so pages and the browser
 * compute from the same data with the same code.
 */
import type { Data, Table } from 'apache-arrow';
import { FIRST_PREFIX, HISTOGRAM_PREFIX, ROWS_COLUMN } from './contract/paths.ts';

export interface TextColumn {
  /** Index into `values` per row; -1 for a missing value. */
  codes: Int32Array;
  values: string[];
}

export interface FactTable {
  length: number;
  text: Record<string, TextColumn>;
  numbers: Record<string, Float64Array>;
  /** Days since the epoch, per row, of the dataset's time column. */
  days: Int32Array;
  /** How many mart rows each cell stands for; numbers are the cells' sums, the time column the start of their period. */
  weights: Float64Array;
  /** Per median column, each cell's counts of its values by bin: pairs (bin, count) from offsets[row] to offsets[row + 1]. */
  histograms: Record<string, Histograms>;
  /**
   * Per distinct-counted column the cells leave out (an order number), the columns whose values are the same on
   * every row of one of its values (an order's customer, status and month). Summing the cells' first-row counts
   * (numbers[firstColumn(column)]) counts its values exactly while every filter and breakdown is on those columns.
   */
  exactBy: Record<string, string[]>;
}

/** A median column's bins: values in units of `width` (its own precision: exact), or quantile bins between `edges`. */
export type Bins = { width: number } | { edges: number[] };

export interface Histograms {
  bins: Bins;
  offsets: Int32Array;
  pairs: Float64Array;
}

const DAY_MS = 86_400_000;

export function factTableFromArrow(table: Table, timeColumn: string): FactTable {
  const text: FactTable['text'] = {};
  const numbers: FactTable['numbers'] = {};
  const length = table.numRows;
  let days = new Int32Array(length);
  let weights = new Float64Array(length).fill(1);
  const histograms: Record<string, Histograms> = {};
  const exactBy: FactTable['exactBy'] = {};
  // The buffers are read directly (one record batch per file): Arrow's per-value accessors cost more than the rest
  // of a page's update (70 ms for a 41k-cell detail), the buffers a copy.
  for (const field of table.schema.fields) {
    const by = field.metadata.get('exact_by');
    if (field.name.startsWith(FIRST_PREFIX) && by) exactBy[field.name.slice(FIRST_PREFIX.length)] = JSON.parse(by) as string[];
    const data = table.getChild(field.name)!.data[0]!;
    if (field.name.startsWith(HISTOGRAM_PREFIX)) {
      const edges = field.metadata.get('edges');
      histograms[field.name.slice(HISTOGRAM_PREFIX.length)] = {
        bins: edges ? { edges: JSON.parse(edges) as number[] } : { width: Number(field.metadata.get('bin')) },
        offsets: new Int32Array(data.valueOffsets.subarray(0, length + 1)),
        pairs: toFloat64(data.children[0]!.values as Int32Array | BigInt64Array),
      };
    } else if (field.name === ROWS_COLUMN) {
      weights = new Float64Array((data.values as Int32Array).subarray(0, length));
    } else if (field.name === timeColumn) {
      // Date32: days since the epoch already.
      days = new Int32Array((data.values as Int32Array).subarray(0, length));
    } else if (data.dictionary) {
      const codes = new Int32Array((data.values as Int32Array).subarray(0, length));
      forMissing(data, (i) => (codes[i] = -1));
      text[field.name] = { codes, values: Array.from(data.dictionary.toArray() as string[]) };
    } else {
      // A decimal stored as whole units of its scale (cents): dividing gives the same double as DuckDB's cast.
      const divisor = 10 ** Number(field.metadata.get('scale') ?? 0);
      const column = toFloat64((data.values as Int32Array | BigInt64Array).subarray(0, length));
      if (divisor !== 1) for (let i = 0; i < length; i++) column[i]! /= divisor;
      forMissing(data, (i) => (column[i] = Number.NaN));
      numbers[field.name] = column;
    }
  }
  for (const [column, h] of Object.entries(histograms)) {
    const sums = numbers[column];
    if (sums) histograms[column] = withSingleRows(h, weights, sums);
  }
  return { length: table.numRows, text, numbers, days, weights, histograms, exactBy };
}

/** A copy as doubles: converted natively, save 64-bit integers (which typed arrays do not convert). */
const toFloat64 = (values: Int32Array | Float64Array | BigInt64Array) => (values instanceof BigInt64Array ? Float64Array.from(values, Number) : new Float64Array(values));

/** Calls `missing` with the index of every null of a column's data, from its validity bitmap (none: no nulls). */
function forMissing(data: Data, missing: (i: number) => void): void {
  const { nullBitmap: bits, offset, length } = data;
  if (!bits?.length) return;
  for (let i = 0; i < length; i++) {
    const at = i + offset;
    // A byte of eight valid values is passed over whole.
    if (bits[at >> 3] === 0xff && (at & 7) === 0 && i + 8 <= length) i += 7;
    else if (!((bits[at >> 3]! >> (at & 7)) & 1)) missing(i);
  }
}

/** The bin of a value, as the pipeline bins it (pipeline/export/page-data.ts binSql). */
export function binOf(value: number, bins: Bins): number {
  if ('width' in bins) return Math.round(value / bins.width);
  // Bin i holds edges[i] <= v < edges[i + 1]; the last bin its upper edge too.
  let [lo, hi] = [0, bins.edges.length - 2];
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (value >= bins.edges[mid]!) lo = mid;
    else hi = mid - 1;
  }
  return lo;
}

/**
 * A cell of one row lists no bins when the file has the column's sum, which is then its value (a missing value has
 * neither): the pairs are put back from the sums.
 */
function withSingleRows(h: Histograms, weights: Float64Array, sums: Float64Array): Histograms {
  const { offsets, pairs, bins } = h;
  const single = (row: number) => offsets[row] === offsets[row + 1] && weights[row] === 1 && !Number.isNaN(sums[row]!);
  let added = 0;
  for (let row = 0; row < weights.length; row++) if (single(row)) added += 2;
  if (!added) return h;
  const out = { bins, offsets: new Int32Array(offsets.length), pairs: new Float64Array(pairs.length + added) };
  let at = 0;
  for (let row = 0; row < weights.length; row++) {
    if (single(row)) {
      out.pairs[at++] = binOf(sums[row]!, bins);
      out.pairs[at++] = 1;
    } else {
      out.pairs.set(pairs.subarray(offsets[row], offsets[row + 1]), at);
      at += offsets[row + 1]! - offsets[row]!;
    }
    out.offsets[row + 1] = at;
  }
  return out;
}

/** One table of the cells of several (a page's files): text columns share one dictionary, histograms one list. */
export function concatFactTables(tables: FactTable[]): FactTable {
  if (tables.length === 1) return tables[0]!;
  const [first] = tables as [FactTable];
  const length = tables.reduce((n, t) => n + t.length, 0);
  const concat = <T extends Float64Array | Int32Array>(make: (n: number) => T, part: (t: FactTable) => T): T => {
    const out = make(length);
    let at = 0;
    for (const t of tables) {
      out.set(part(t), at);
      at += t.length;
    }
    return out;
  };
  const text: FactTable['text'] = {};
  for (const column of Object.keys(first.text)) {
    const values: string[] = [];
    const index = new Map<string, number>();
    const codes = new Int32Array(length);
    let at = 0;
    for (const t of tables) {
      const own = t.text[column]!;
      const remap = own.values.map((v) => index.get(v) ?? (index.set(v, values.push(v) - 1), values.length - 1));
      for (let i = 0; i < t.length; i++) codes[at + i] = own.codes[i]! < 0 ? -1 : remap[own.codes[i]!]!;
      at += t.length;
    }
    text[column] = { codes, values };
  }
  const numbers = Object.fromEntries(Object.keys(first.numbers).map((c) => [c, concat((n) => new Float64Array(n), (t) => t.numbers[c]!)]));
  const histograms = Object.fromEntries(
    Object.entries(first.histograms).map(([column, h]) => {
      const offsets = new Int32Array(length + 1);
      const pairs = new Float64Array(tables.reduce((n, t) => n + t.histograms[column]!.pairs.length, 0));
      let [row, pair] = [0, 0];
      for (const t of tables) {
        const own = t.histograms[column]!;
        for (let i = 0; i < t.length; i++) offsets[row + i + 1] = pair + own.offsets[i + 1]!;
        pairs.set(own.pairs, pair);
        [row, pair] = [row + t.length, pair + own.pairs.length];
      }
      return [column, { bins: h.bins, offsets, pairs }];
    }),
  );
  return { length, text, numbers, days: concat((n) => new Int32Array(n), (t) => t.days), weights: concat((n) => new Float64Array(n), (t) => t.weights), histograms, exactBy: first.exactBy };
}

export const dayToIso = (day: number) => new Date(day * DAY_MS).toISOString().slice(0, 10);
export const isoToDay = (iso: string) => Math.round(Date.parse(`${iso}T00:00:00Z`) / DAY_MS);
