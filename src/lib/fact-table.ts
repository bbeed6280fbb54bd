/**
 * The browser's copy of a dataset's mart, column by column: text as dictionary codes, numbers as typed
 * arrays, the time column as days since 1970-01-01. Built from the Arrow file in the browser and at build
 * time, so pages and the browser compute from the same data with the same code.
 */
import type { Table } from 'apache-arrow';

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
  /**
   * Cube mode (a mart too large for rows): each row is a cell of `weights[row]` mart rows, numbers are the cell's
   * partial sums, and the time column holds the start of the cell's period.
   */
  weights?: Float64Array;
  /** Per median column, each cell's counts of the column rounded to `resolution`: pairs (bin, count) from offsets[row]. */
  histograms?: Record<string, Histograms>;
}

export interface Histograms {
  resolution: number;
  offsets: Int32Array;
  pairs: Int32Array;
}

const WEIGHT = '__rows';
const HISTOGRAM = '__hist_';

const DAY_MS = 86_400_000;

export function factTableFromArrow(table: Table, timeColumn: string): FactTable {
  const text: FactTable['text'] = {};
  const numbers: FactTable['numbers'] = {};
  let days = new Int32Array(table.numRows);
  let weights: Float64Array | undefined;
  const histograms: Record<string, Histograms> = {};
  for (const field of table.schema.fields) {
    const vector = table.getChild(field.name)!;
    if (field.name.startsWith(HISTOGRAM)) {
      const data = vector.data[0]!;
      histograms[field.name.slice(HISTOGRAM.length)] = {
        resolution: Number(field.metadata.get('resolution')),
        offsets: Int32Array.from(data.valueOffsets.subarray(0, table.numRows + 1)),
        pairs: Int32Array.from(data.children[0]!.values as ArrayLike<number>),
      };
    } else if (field.name === WEIGHT) {
      weights = Float64Array.from(vector.toArray() as ArrayLike<number>);
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
  return { length: table.numRows, text, numbers, days, ...(weights ? { weights, histograms } : {}) };
}

export const dayToIso = (day: number) => new Date(day * DAY_MS).toISOString().slice(0, 10);
export const isoToDay = (iso: string) => Math.round(Date.parse(`${iso}T00:00:00Z`) / DAY_MS);
