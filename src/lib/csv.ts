/** CSV for downloads made in the browser, safe to open in a spreadsheet. */
// The browser build: the package's default entry needs Node's streams. It runs in Node as well.
import { stringify, type Options } from 'csv-stringify/browser/esm/sync';

/**
 * A spreadsheet runs a cell starting with one of these as a formula: a leading apostrophe shows it as text.
 * The pipeline's CSV exports test the same pattern in SQL (its `source`, read by DuckDB's RE2).
 */
export const FORMULA_START = /^[=+\-@\t\r]/;

const neutralise = (text: string) => (FORMULA_START.test(text) ? `'${text}` : text);

// A fresh object per call: csv-stringify fills in the missing casts on the `cast` object it is given.
const options = (): Options => ({
  record_delimiter: '\r\n',
  // Given a record delimiter, csv-stringify no longer quotes a lone \n or \r unless told to.
  quote_record_delimiter: true,
  cast: { string: neutralise },
});

export function toCsv(header: string[], rows: (string | number | null)[][]): string {
  return stringify([header, ...rows], options());
}
