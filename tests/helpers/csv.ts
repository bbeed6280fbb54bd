import { parse } from 'csv-parse/sync';
import { stringify } from 'csv-stringify/sync';
import { sampleText } from './pipeline.ts';

/** The sample as records (header first), for tests that write variants of it. */
export const sampleRecords = (): string[][] => parse(sampleText(), { relax_column_count: true }) as string[][];

/** Writes records back as CSV text, quoting only the cells that need it. */
export function toCsv(records: string[][], { delimiter = ',', newline = '\n', finalNewline = true } = {}): string {
  // Given a record delimiter, csv-stringify no longer quotes a lone \n or \r unless told to.
  return stringify(records, { delimiter, record_delimiter: newline, quote_record_delimiter: true, eof: finalNewline });
}

/** Rewrites one column of every data row. */
export function mapColumn(records: string[][], header: string, f: (value: string, row: number) => string): string[][] {
  const i = records[0]!.indexOf(header);
  return records.map((r, n) => (n === 0 ? r : r.map((c, k) => (k === i ? f(c, n) : c))));
}

/** "2/24/2003 0:00" → its parts. */
export function dateParts(value: string): { m: number; d: number; y: number } {
  const [m, d, y] = value.split(' ')[0]!.split('/').map(Number);
  return { m: m!, d: d!, y: y! };
}

export const pad2 = (n: number) => String(n).padStart(2, '0');
