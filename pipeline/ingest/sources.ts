/**
 * A dataset's inputs, as declared or given with --input, expanded into the files they name: a file, a folder of
 * batch files, a glob or an HTTP(S) URL, each read as CSV, Parquet or JSON by its extension or media type (or as
 * declared), or a PostgreSQL query, exported as CSV.
 */
import { createHash } from 'node:crypto';
import { existsSync, statSync } from 'node:fs';
import { glob, mkdir, readdir } from 'node:fs/promises';
import { basename, extname, join, resolve } from 'node:path';
import type { InputSpec } from '../../src/lib/contract/declaration.ts';
import { UserError } from '../errors.ts';
import { download, downloadOptions, isUrl } from './download.ts';
import { connectionUrl, exportQuery, queryName } from './postgres.ts';

export type SourceFormat = 'csv' | 'parquet' | 'json';

export interface SourceFile {
  /** Where it is read from: the file, or the download of an HTTP input or a query. */
  path: string;
  /** What reports and errors name a download by: its URL, or its connection (without password) and query. */
  label?: string;
  format: SourceFormat;
  /** JSON: the key of the top-level object that holds the records (`{"orders": [...]}`). */
  records?: string;
  /** Its bytes' sha256, when known without reading them again (a download or a query's export, hashed as it was written). */
  sha256?: string;
}

const FORMATS: Record<string, SourceFormat> = { '.parquet': 'parquet', '.json': 'json', '.ndjson': 'json', '.jsonl': 'json', '.csv': 'csv', '.tsv': 'csv', '.txt': 'csv' };
const GLOB = /[*?[\]{}]/;

/** A file's format from its extension: CSV unless it says otherwise (exports often end in .txt or nothing). */
export const formatOf = (path: string): SourceFormat => FORMATS[extname(path).toLowerCase()] ?? 'csv';

/** What reports call a source: its URL, or its file's name (not its path, so outputs do not depend on where it was). */
export const sourceName = (source: SourceFile) => source.label ?? basename(source.path);

/**
 * Every file the inputs name, in order: the inputs' order, and within a folder or glob their paths (batches named by
 * date or number come in the order they were written). A folder takes the files of the formats above, not its
 * subfolders. A file named twice is read once. An HTTP input or a query is downloaded whole into `downloads` first.
 */
export async function expandInputs(inputs: InputSpec[], downloads: string): Promise<SourceFile[]> {
  const out: SourceFile[] = [];
  const seen = new Set<string>();
  const downloadPath = async (key: string) => {
    await mkdir(downloads, { recursive: true });
    return join(downloads, `${out.length}-${createHash('sha256').update(key).digest('hex').slice(0, 12)}`);
  };
  for (const input of inputs) {
    if (typeof input !== 'string' && 'postgres' in input) {
      const url = connectionUrl(input.postgres);
      const dest = `${await downloadPath(url + input.query)}.csv`;
      const { sha256 } = await exportQuery(url, input.query, dest, input.changeColumn);
      out.push({ path: dest, label: queryName(url, input.query), format: 'csv', sha256 });
      continue;
    }
    const { path, format, records } = typeof input === 'string' ? { path: input, format: undefined, records: undefined } : input;
    if (isUrl(path)) {
      const got = await download(path, await downloadPath(path), downloadOptions());
      const typed = /json/.test(got.type) ? 'json' : /csv|text\/plain/.test(got.type) ? 'csv' : undefined;
      out.push({ path: got.path, label: path, format: format ?? typed ?? formatOf(new URL(path).pathname), sha256: got.sha256, ...(records !== undefined ? { records } : {}) });
      continue;
    }
    const paths = await filesOf(path);
    for (const file of paths) {
      const key = resolve(file);
      if (seen.has(key)) continue;
      seen.add(key);
      out.push({ path: file, format: format ?? formatOf(file), ...(records !== undefined ? { records } : {}) });
    }
  }
  return out;
}

async function filesOf(path: string): Promise<string[]> {
  if (GLOB.test(path) && !existsSync(path)) {
    const matched: string[] = [];
    for await (const file of glob(path)) if (statSync(file).isFile()) matched.push(file);
    if (!matched.length) throw new UserError('no file matches this pattern', { file: path }, 'check the pattern (quote it, so that the shell does not expand it) and that the batch files are there');
    return byName(matched);
  }
  if (!existsSync(path)) throw new UserError('no such file', { file: path }, 'check the path given to --input or in the declaration');
  if (!statSync(path).isDirectory()) return [path];
  // A link to a file counts as the file.
  const files = (await readdir(path)).map((name) => join(path, name)).filter((file) => FORMATS[extname(file).toLowerCase()] && statSync(file).isFile());
  if (!files.length) throw new UserError('the folder holds no CSV, Parquet or JSON file', { file: path }, `put the batch files in it (${Object.keys(FORMATS).join(', ')})`);
  return byName(files);
}

/** In order of their paths, compared as strings (not as the locale sorts them), so every machine takes the same order. */
const byName = (files: string[]) => files.sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
