/**
 * Columns as codes 0 … size − 1, whatever their type, so the engine's loops over rows read one typed array:
 * a filter looks a row's code up in a table of allowed codes, and a row's group is one number made from its
 * codes. No function call, array or string per row (until optimised, calls are slow, and the garbage of
 * arrays and strings set off collector pauses a viewer would see as a slow filter change).
 */
import type { FactTable } from './fact-table.ts';

export interface ColumnCodes {
  /** A row's member is codes[row] + shift, from 0 to size − 1. */
  codes: Int32Array;
  shift: number;
  size: number;
  /** The member a code stands for, as text (numbers as String() writes them). */
  label(code: number): string;
  /** The code of a member given as text (as in a URL or a chart's key); -1 when the column has no such member. */
  find(member: string): number;
}

export const codeOf = (column: ColumnCodes, row: number) => column.codes[row]! + column.shift;

/** Numeric columns get a code per distinct value, assigned once per table (in order of first appearance). */
const numberCodes = new WeakMap<Float64Array, { codes: Int32Array; values: number[] }>();
function codeNumbers(numbers: Float64Array): { codes: Int32Array; values: number[] } {
  let coded = numberCodes.get(numbers);
  if (!coded) {
    const ids = new Map<number, number>();
    const codes = new Int32Array(numbers.length);
    for (let row = 0; row < numbers.length; row++) {
      let id = ids.get(numbers[row]!);
      if (id === undefined) ids.set(numbers[row]!, (id = ids.size));
      codes[row] = id;
    }
    coded = { codes, values: [...ids.keys()] };
    numberCodes.set(numbers, coded);
  }
  return coded;
}

export function columnCodes(table: FactTable, column: string): ColumnCodes {
  const text = table.text[column];
  // Text keeps its dictionary codes, shifted by one so a missing value (-1) is code 0, labelled ''.
  if (text) {
    const find = (member: string) => {
      const index = text.values.indexOf(member);
      return index < 0 ? -1 : index + 1;
    };
    return { codes: text.codes, shift: 1, size: text.values.length + 1, label: (code) => text.values[code - 1] ?? '', find };
  }
  const numbers = table.numbers[column];
  if (!numbers) throw new Error(`no column ${column} in the fact table`);
  const { codes, values } = codeNumbers(numbers);
  // Numeric levels (e.g. year) hold numbers, while members arrive as text; '' and words are no number.
  const find = (member: string) => (member.trim() === '' || Number.isNaN(Number(member)) ? -1 : values.indexOf(Number(member)));
  return { codes, shift: 0, size: values.length, label: (code) => String(values[code]), find };
}

/**
 * Each row's key over the columns, written into `keys`: its codes as the digits of one number (a column weighs
 * the product of the sizes before it), added up a column at a time in plain loops; or, when the combinations
 * outnumber the integers a double holds exactly, the codes as text (then `keys` is left alone).
 */
export function groupKeys(columns: ColumnCodes[], rows: ArrayLike<number>, keys: Float64Array): ArrayLike<number | string> {
  let combinations = 1;
  for (const c of columns) combinations *= c.size;
  if (combinations > Number.MAX_SAFE_INTEGER) return Array.from(rows, (row) => columns.map((c) => codeOf(c, row)).join(','));
  keys.fill(0);
  let weight = 1;
  for (const { codes, shift, size } of columns) {
    for (let i = 0; i < rows.length; i++) keys[i] += (codes[rows[i]!]! + shift) * weight;
    weight *= size;
  }
  return keys;
}
