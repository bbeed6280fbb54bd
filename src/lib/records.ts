/**
 * Rows of the fact table rolled up to one record per key (e.g. one row per order), for tables people search,
 * sort, page through and download.
 */
import { dayToIso, type FactTable } from './fact-table.ts';

export interface RecordSpec {
  /** Column whose value identifies a record (e.g. order_number). */
  key: string;
  /** Text columns shown as they are on the record's first row. */
  text: string[];
  /** Numeric columns summed over the record's rows. */
  sums: string[];
}

export interface RecordRow {
  key: number | string;
  date: string;
  lines: number;
  text: Record<string, string>;
  /** Null when every row's value is missing, as SQL's sum() gives. */
  sums: Record<string, number | null>;
}

export function rollUp(table: FactTable, rows: ArrayLike<number>, spec: RecordSpec): RecordRow[] {
  const keyText = table.text[spec.key];
  const keyNumbers = table.numbers[spec.key];
  const records = new Map<number | string, RecordRow>();
  for (let i = 0; i < rows.length; i++) {
    const row = rows[i]!;
    const key = keyText ? keyText.values[keyText.codes[row]!]! : keyNumbers![row]!;
    let record = records.get(key);
    if (!record) {
      const text = Object.fromEntries(spec.text.map((c) => [c, table.text[c]!.values[table.text[c]!.codes[row]!] ?? '']));
      record = { key, date: dayToIso(table.days[row]!), lines: 0, text, sums: Object.fromEntries(spec.sums.map((c) => [c, null])) };
      records.set(key, record);
    }
    // A cell stands for its rows.
    record.lines += table.weights[row]!;
    // Missing values are left out of a sum, as in SQL.
    for (const c of spec.sums) {
      const value = table.numbers[c]![row]!;
      if (!Number.isNaN(value)) record.sums[c] = (record.sums[c] ?? 0) + value;
    }
  }
  // Sums of cents in floating point: round back to the cent.
  for (const record of records.values()) for (const c of spec.sums) if (record.sums[c] != null) record.sums[c] = Math.round(record.sums[c] * 100) / 100;
  return [...records.values()];
}

/** Records whose key or any text contains every word of the query (case- and accent-insensitive). */
export function search(records: RecordRow[], query: string): RecordRow[] {
  const fold = (s: string) => s.normalize('NFKD').replace(/[\u0300-\u036f]/g, '').toLowerCase();
  const words = fold(query).split(/\s+/).filter(Boolean);
  if (!words.length) return records;
  return records.filter((r) => {
    const haystack = fold([String(r.key), r.date, ...Object.values(r.text)].join(' '));
    return words.every((w) => haystack.includes(w));
  });
}

export type SortKey = 'key' | 'date' | 'lines' | `text.${string}` | `sums.${string}`;

/** A record's value in a column: its key, first date, row count, one of its texts or one of its sums. */
export function recordValue(record: RecordRow, key: SortKey): string | number | null {
  if (key === 'key' || key === 'date' || key === 'lines') return record[key];
  const [group, column] = key.split('.') as ['text' | 'sums', string];
  return group === 'text' ? record.text[column]! : record.sums[column]!;
}

/** Records by one column (a missing sum first when ascending), ties by key. */
export function sortRecords(records: RecordRow[], by: SortKey, descending: boolean): RecordRow[] {
  const sign = descending ? -1 : 1;
  return [...records].sort((a, b) => {
    const [x, y] = [recordValue(a, by) ?? -Infinity, recordValue(b, by) ?? -Infinity];
    const order = typeof x === 'number' && typeof y === 'number' ? x - y : String(x).localeCompare(String(y));
    return sign * order || String(a.key).localeCompare(String(b.key), undefined, { numeric: true });
  });
}
