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
}

const DAY_MS = 86_400_000;

export function factTableFromArrow(table: Table, timeColumn: string): FactTable {
  const text: FactTable['text'] = {};
  const numbers: FactTable['numbers'] = {};
  let days = new Int32Array(table.numRows);
  for (const field of table.schema.fields) {
    const vector = table.getChild(field.name)!;
    if (field.name === timeColumn) {
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
  return { length: table.numRows, text, numbers, days };
}

export const dayToIso = (day: number) => new Date(day * DAY_MS).toISOString().slice(0, 10);
export const isoToDay = (iso: string) => Math.round(Date.parse(`${iso}T00:00:00Z`) / DAY_MS);
