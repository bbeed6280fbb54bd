/**
 * A page's cells, column by column: text as dictionary codes, numbers as typed arrays, the time column as days
 * since 1970-01-01. Built from the page's Arrow files in the browser and at build time, so pages and the browser
 * compute from the same data with the same code.
 */
import type { Table } from 'apache-arrow';
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
  let days = new Int32Array(table.numRows);
  let weights = new Float64Array(table.numRows).fill(1);
  const histograms: Record<string, Histograms> = {};
  const exactBy: FactTable['exactBy'] = {};
  for (const field of table.schema.fields) {
    const by = field.metadata.get('exact_by');
    if (field.name.startsWith(FIRST_PREFIX) && by) exactBy[field.name.slice(FIRST_PREFIX.length)] = JSON.parse(by) as string[];
    const vector = table.getChild(field.name)!;
    if (field.name.startsWith(HISTOGRAM_PREFIX)) {
      const data = vector.data[0]!;
      const edges = field.metadata.get('edges');
      histograms[field.name.slice(HISTOGRAM_PREFIX.length)] = {
        bins: edges ? { edges: JSON.parse(edges) as number[] } : { width: Number(field.metadata.get('bin')) },
        offsets: Int32Array.from(data.valueOffsets.subarray(0, table.numRows + 1)),
        pairs: Float64Array.from(data.children[0]!.values as ArrayLike<number | bigint>, Number),
      };
    } else if (field.name === ROWS_COLUMN) {
      weights = Float64Array.from(vector.toArray() as ArrayLike<number>, Number);
    } else if (field.name === timeColumn) {
      days = Int32Array.from(vector.toArray() as ArrayLike<number>, (ms) => Math.round(ms / DAY_MS));
    } else if (vector.data[0]?.dictionary) {
      const values = vector.data[0].dictionary.toArray() as string[];
      const keys = vector.data[0].values as ArrayLike<number>;
      const codes = new Int32Array(table.numRows);
      for (let i = 0; i < codes.length; i++) codes[i] = vector.isValid(i) ? keys[i]! : -1;
      text[field.name] = { codes, values: Array.from(values) };
    } else {
      // A decimal stored as whole units of its scale (cents): dividing gives the same double as DuckDB's cast.
      const divisor = 10 ** Number(field.metadata.get('scale') ?? 0);
      const values = vector.toArray() as ArrayLike<number>;
      const column = new Float64Array(table.numRows);
      for (let i = 0; i < column.length; i++) column[i] = vector.isValid(i) ? Number(values[i]) / divisor : Number.NaN;
      numbers[field.name] = column;
    }
  }
  for (const [column, h] of Object.entries(histograms)) {
    const sums = numbers[column];
    if (sums) histograms[column] = withSingleRows(h, weights, sums);
  }
  return { length: table.numRows, text, numbers, days, weights, histograms, exactBy };
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
