/** What a records table shows: the columns, and how a record reads in each. Shared by the page and the browser. */
import { formatCurrency, formatInteger } from './format.ts';
import type { RecordRow, RecordSpec, SortKey } from './records.ts';

export interface RecordColumn {
  key: SortKey;
  label: string;
  format: 'text' | 'integer' | 'currency';
  /** Value → page, for cells that link to a member's own page. */
  links?: Record<string, string>;
}

export interface RecordsTableSpec {
  records: RecordSpec;
  columns: RecordColumn[];
  sort: { by: SortKey; descending: boolean };
  pageSize: number;
  /** Name of the downloaded file, without extension. */
  download: string;
}

export function cellValue(record: RecordRow, key: SortKey): string | number {
  if (key === 'key' || key === 'date' || key === 'lines') return record[key];
  const [group, column] = key.split('.') as ['text' | 'sums', string];
  return group === 'text' ? record.text[column]! : record.sums[column]!;
}

export function cellText(record: RecordRow, column: RecordColumn): string {
  const value = cellValue(record, column.key);
  if (column.format === 'currency') return formatCurrency(value as number, true);
  if (column.format === 'integer' && typeof value === 'number' && column.key !== 'key') return formatInteger(value);
  return String(value);
}
