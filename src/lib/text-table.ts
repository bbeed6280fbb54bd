/** A table as text, built by one pure function for the page at build time and for the browser (scripts/text-table.ts). */
export interface TextTable {
  head: string[];
  /** The first cell of each row heads it (a member, a month, a measure). */
  rows: string[][];
  /** Which columns hold numbers, set right-aligned (by default every one but the first). */
  numeric?: boolean[];
  /** Attributes per row, e.g. which method a row is of. */
  rowData?: Record<string, string>[];
}

/** Whether a column of the table holds numbers. */
export const isNumeric = (table: TextTable, column: number) => table.numeric?.[column] ?? column > 0;
