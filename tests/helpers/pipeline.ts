import { createHash } from 'node:crypto';
import { existsSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import iconv from 'iconv-lite';
import { expect, inject } from 'vitest';
import { loadDataset, type Dataset } from '../../pipeline/datasets/index.ts';
import { openDb, type Db } from '../../pipeline/duckdb.ts';
import { UserError } from '../../pipeline/errors.ts';
import { runPipeline, type PipelineOptions, type PipelineResult } from '../../pipeline/run.ts';
import { tableFromIPC } from 'apache-arrow';
import type { InputSpec } from '../../src/lib/contract/declaration.ts';
import type { Manifest } from '../../src/lib/contract/manifest.ts';
import { apiPath, dataPath, KPIS_FILE, MANIFEST_FILE, QUALITY_FILE } from '../../src/lib/contract/paths.ts';
import { concatFactTables, factTableFromArrow, type FactTable } from '../../src/lib/fact-table.ts';

export const SAMPLE = 'data/sales_data_sample.csv';

export const tempDir = (prefix = 'salescube-') => mkdtempSync(join(tmpdir(), prefix));

/** The bundled sample as text (it is cp850 on disk). */
export const sampleText = () => iconv.decode(readFileSync(SAMPLE), 'cp850');

/** Writes bytes or text (UTF-8) to a fresh temp file and returns its path. */
export function tempFile(name: string, content: string | Uint8Array): string {
  const path = join(tempDir(), name);
  writeFileSync(path, content);
  return path;
}

export interface Run extends PipelineResult {
  outDir: string;
  workDir: string;
}

/** Runs the real pipeline, silently, into temp folders. */
export async function run(inputs: InputSpec[], options: Partial<Omit<PipelineOptions, 'inputs'>> & { dataset?: Dataset } = {}): Promise<Run> {
  const outDir = options.outDir ?? tempDir('salescube-out-');
  const workDir = options.workDir ?? tempDir('salescube-work-');
  const result = await runPipeline({
    dataset: options.dataset ?? loadDataset('sales'),
    inputs,
    outDir,
    workDir,
    effects: { log() {} },
    ...options,
  });
  return { ...result, outDir, workDir };
}

/**
 * A dataset's run over its bundled input, from the test run's shared outputs (tests/setup/): its output folder
 * and, as the pipeline returned them, its quality report and KPIs.
 */
export function sharedRun(dataset: string): Pick<Run, 'outDir' | 'quality' | 'kpis'> {
  const outDir = inject('outputs');
  return { outDir, quality: readJson(join(outDir, apiPath(dataset, QUALITY_FILE))), kpis: readJson(join(outDir, apiPath(dataset, KPIS_FILE))) };
}

/** A sales run over `input` that must stop with a UserError and publish nothing: its error, to read its message, place and fix. */
export async function failedRun(input: InputSpec): Promise<UserError> {
  const outDir = tempDir('salescube-out-');
  const error = await run([input], { outDir }).then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(UserError);
  expect(existsSync(join(outDir, dataPath('sales', MANIFEST_FILE)))).toBe(false);
  expect(existsSync(join(outDir, apiPath('sales', KPIS_FILE)))).toBe(false);
  return error as UserError;
}

/** The pipeline up to cleaning, as `npm run check` runs it: the quality report of the inputs, nothing published. */
export const check = (inputs: InputSpec[], options: Partial<Omit<PipelineOptions, 'inputs'>> & { dataset?: Dataset } = {}): Promise<Run> => run(inputs, { ...options, checkOnly: true });

/** A fresh in-memory DuckDB for independent queries. */
export const independentDb = (): Promise<Db> => openDb();

export const readJson = <T = any>(path: string): T => JSON.parse(readFileSync(path, 'utf8')) as T;

/** sha256 of every file under a folder, by relative path: compares two outputs byte for byte. */
export function checksums(root: string): Record<string, string> {
  return Object.fromEntries(
    readdirSync(root, { recursive: true, withFileTypes: true })
      .filter((e) => e.isFile())
      .map((e) => [relative(root, join(e.parentPath, e.name)), createHash('sha256').update(readFileSync(join(e.parentPath, e.name))).digest('hex')]),
  );
}

/** A dataset's manifest in a run's outputs. */
export const manifestOf = (outDir: string, dataset: string): Manifest => readJson<Manifest>(join(outDir, dataPath(dataset, MANIFEST_FILE)));

/** A page's cells as the browser reads them (its files from the manifest, in one table): the explorer's by default. */
export function pageCells(outDir: string, dataset: string, page = 'explorer/'): FactTable {
  const manifest = manifestOf(outDir, dataset);
  const data = manifest.pages.find((p) => p.page === page);
  if (!data) throw new Error(`${dataset} has no cells for the page "${page}"`);
  const timeColumn = manifest.declaration.timeColumn;
  return concatFactTables(data.files.map((f) => factTableFromArrow(tableFromIPC(readFileSync(join(outDir, dataPath(dataset, f.path)))), timeColumn)));
}

/**
 * Pages share a file only when their cells are the same rows (as many, with the same bins and counts), perhaps
 * grouped by columns that name each other (a customer's city, its country): a page never reads another's cells by
 * another grouping.
 */
export function expectFilesSharedOnlyWhenSame(pages: Manifest['pages']): void {
  const kind = (p: Manifest['pages'][number]) => JSON.stringify([p.cells, p.medians, Object.keys(p.exactBy)]);
  for (const a of pages) {
    for (const b of pages.filter((p) => kind(p) !== kind(a))) {
      expect(a.files.filter((f) => b.files.some((g) => g.path === f.path)), `${a.page} and ${b.page}`).toEqual([]);
    }
  }
}
