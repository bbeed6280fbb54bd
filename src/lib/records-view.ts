/** How a record reads in each column of a records table. Shared by the page and the browser. */
import type { RecordColumn, RecordsTableDef } from './contract/site.ts';
import { formatCurrency, formatInteger } from './format.ts';
import { recordValue, type RecordRow, type SortKey } from './records.ts';

/** A records table as the page hands it to the browser: its declaration, and the member pages its keys link to. */
export interface RecordsTableSpec extends RecordsTableDef {
  /** Key → its member page, when the key column has member pages. */
  links?: Record<string, string>;
  /** ISO 4217 code of the currency columns. */
  currency: string;
}

export function cellText(record: RecordRow, column: RecordColumn, currency: string): string {
  const value = recordValue(record, column.value as SortKey);
  if (column.format === 'currency') return formatCurrency(value as number | null, true, currency);
  if (column.format === 'integer' && typeof value === 'number' && column.value !== 'key') return formatInteger(value);
  return String(value ?? '–');
}
