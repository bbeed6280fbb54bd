import { open } from 'node:fs/promises';
import { parse } from 'csv-parse/sync';
import type { ColumnSpec } from '../../src/lib/contract/declaration.ts';
import { UserError } from '../errors.ts';

export interface Layout {
  delimiter: string;
  /** Header cells as written in the file, in file order. */
  headers: string[];
  /** For each declared column, its position in the file (undefined when an optional column is absent). */
  positions: Map<string, number | undefined>;
  /** Headers the declaration does not know: read, reported, not loaded. */
  extra: string[];
  /** Optional declared columns the file lacks: loaded as missing values. */
  missingOptional: string[];
}

const DELIMITERS = [',', ';', '\t', '|'];
const HEAD_BYTES = 1 << 16;

/** Headers match when they agree ignoring case, spaces, dashes and underscores ("Order Number" = ORDERNUMBER). */
export const headerKey = (header: string) => header.toLowerCase().replace(/[\s_\-.]+/g, '');

/**
 * Reads the header line of a UTF-8 file, picks the delimiter that makes the declared columns appear and maps
 * each declared column to its position, so that reordered, renamed-in-case and extra columns all load.
 */
export async function readLayout(file: string, utf8Path: string, columns: ColumnSpec[]): Promise<Layout> {
  const headerLine = await firstLine(utf8Path);
  if (headerLine.trim() === '') {
    throw new UserError('the file is empty: no header line and no rows', { file, line: 1 }, `export the data again with a header row (${columns.map((c) => c.source).join(',')})`);
  }
  const wanted = new Set(columns.map((c) => headerKey(c.source)));
  const candidates = DELIMITERS.map((delimiter) => {
    const headers = parseHeader(headerLine, delimiter, file);
    return { delimiter, headers, known: headers.filter((h) => wanted.has(headerKey(h))).length };
  }).sort((a, b) => b.known - a.known || b.headers.length - a.headers.length);
  const { delimiter, headers, known } = candidates[0]!;
  if (known === 0) {
    throw new UserError(
      'the first line is not a header this dataset knows (none of its column names appear)',
      { file, line: 1 },
      `the file must start with a header row naming the columns, e.g. ${columns.slice(0, 4).map((c) => c.source).join(',')},…`,
    );
  }

  return { delimiter, ...layoutOf(headers, columns, file) };
}

/**
 * Each declared column's position among a file's column names (a CSV header, a Parquet or JSON file's columns),
 * matched as headerKey matches them; a required column missing or a name given twice is the user's to fix.
 */
export function layoutOf(headers: string[], columns: ColumnSpec[], file: string): Omit<Layout, 'delimiter'> {
  const byKey = new Map<string, number>();
  headers.forEach((h, i) => {
    const key = headerKey(h);
    if (byKey.has(key)) {
      throw new UserError(`the column "${h}" appears twice in the header`, { file, line: 1, column: h }, 'rename or remove one of the two columns');
    }
    byKey.set(key, i);
  });

  const positions = new Map<string, number | undefined>();
  const missingRequired: string[] = [];
  const missingOptional: string[] = [];
  for (const column of columns) {
    const position = byKey.get(headerKey(column.source));
    positions.set(column.name, position);
    if (position === undefined) (column.required ? missingRequired : missingOptional).push(column.source);
  }
  if (missingRequired.length) {
    throw new UserError(
      `required column${missingRequired.length > 1 ? 's' : ''} missing from the header: ${missingRequired.join(', ')}`,
      { file, line: 1, column: missingRequired[0] },
      `add ${missingRequired.length > 1 ? 'these columns' : 'this column'} to the file (columns found: ${headers.join(', ')})`,
    );
  }
  const declared = new Set(columns.map((c) => headerKey(c.source)));
  const extra = headers.filter((h) => !declared.has(headerKey(h)));
  return { headers, positions, extra, missingOptional };
}

function parseHeader(line: string, delimiter: string, file: string): string[] {
  try {
    const [record] = parse(line, { delimiter, bom: true, relax_column_count: true, relax_quotes: true }) as string[][];
    return (record ?? []).map((h) => h.trim());
  } catch (error) {
    throw new UserError(`the header line cannot be read: ${(error as Error).message}`, { file, line: 1 }, 'check the quoting of the header line');
  }
}

async function firstLine(path: string): Promise<string> {
  const handle = await open(path, 'r');
  try {
    const buf = Buffer.alloc(HEAD_BYTES);
    const { bytesRead } = await handle.read(buf, 0, HEAD_BYTES, 0);
    const text = buf.subarray(0, bytesRead).toString('utf8').replace(/^\uFEFF/, '');
    return text.split(/\r\n|\r|\n/, 1)[0] ?? '';
  } finally {
    await handle.close();
  }
}
