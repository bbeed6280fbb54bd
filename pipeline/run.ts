import { existsSync, statSync } from 'node:fs';
import { copyFile, mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import type { Changes } from '../src/lib/contract/changes.ts';
import { modelsInOrder, type InputSpec } from '../src/lib/contract/declaration.ts';
import type { Kpis } from '../src/lib/contract/kpis.ts';
import type { Manifest } from '../src/lib/contract/manifest.ts';
import { apiFolder, apiPath, CHANGES_FILE, dataFolder, dataPath, KPIS_FILE, MANIFEST_FILE, QUALITY_FILE } from '../src/lib/contract/paths.ts';
import type { CheckResult, Quality } from '../src/lib/contract/quality.ts';
import { changed, compareBuilds, readPublished } from './changes.ts';
import { checkSources, removeUnused } from './checked-sources.ts';
import { firstChanged, hashFile, readState, STAGES, stageKeys, writeState, type Stage } from './cache.ts';
import type { DateOrder } from './clean/parse-sql.ts';
import { buildStaging } from './clean/staging.ts';
import { computeKpis } from './cube/kpis.ts';
import { buildSlices, sliceTables } from './cube/slices.ts';
import type { Dataset } from './datasets/index.ts';
import { compactTables, ident, lit, openDb, type Db } from './duckdb.ts';
import { UserError } from './errors.ts';
import { exportAll } from './export/export-all.ts';
import { fileTables, loadTables, reuseTables, saveEnumTypes } from './file-tables.ts';
import { createRawTables, dropRaw } from './ingest/read-raw.ts';
import { expandInputs, sourceName, type SourceFile } from './ingest/sources.ts';
import { modelChecks, runChecks, runModels } from './model/run-models.ts';
import { clearScratch, publish, recover, scratch } from './publish.ts';
import { buildQuality, summarize } from './quality.ts';

export interface StageTiming {
  stage: string;
  ms: number;
  /** Of which: named parts of the stage (export: `browser`, the files the site's pages fetch). */
  parts?: Record<string, number>;
}

/** Side effects a caller chooses: tests pass a silent log. */
export interface Effects {
  log(stage: string, ms: number, detail: string): void;
}

export interface PipelineOptions {
  dataset: Dataset;
  /** As declared (inputSpec) or given with --input: files, folders of batches, globs, URLs, queries. */
  inputs: InputSpec[];
  /** Site root the outputs go under: data/<dataset>/ and api/<dataset>/. */
  outDir: string;
  /** Scratch space and the DuckDB file of the build. */
  workDir: string;
  dateOrder?: DateOrder;
  /** Stop after cleaning (for `check`): nothing is written to outDir. */
  checkOnly?: boolean;
  /** Rebuild every stage even when its inputs, declaration and code are unchanged. */
  force?: boolean;
  effects: Effects;
}


export interface PipelineResult {
  quality: Quality;
  kpis?: Kpis;
  manifest?: Manifest;
  timings: StageTiming[];
  /** Stages not run because nothing they depend on changed since the last build. */
  skipped: Stage[];
  /** Hash of everything the outputs depend on (the export stage's key). */
  key?: string;
}

/**
 * raw files → raw table (+ parse rejects) → staging (+ rule rejects) → star schema → checks → KPIs and
 * slices → Parquet/CSV/Arrow/JSON. Outputs are written to a scratch folder and published only when every
 * stage and check passed; the DuckDB file holding every stage is swapped in the same way.
 */
export async function runPipeline(options: PipelineOptions): Promise<PipelineResult> {
  const { dataset, inputs, outDir, workDir, effects } = options;
  const { spec } = dataset;
  await mkdir(workDir, { recursive: true });
  const sources = await expandInputs(inputs, join(workDir, `${spec.name}.downloads`));

  // Which stages can be skipped: those whose inputs, declaration and code match the last successful build.
  const dataDir = join(outDir, dataFolder(spec.name));
  const apiDir = join(outDir, apiFolder(spec.name));
  const tablesDir = join(workDir, `${spec.name}.tables`);
  await recover([dataDir, apiDir, tablesDir]);
  // A killed build's scratch folder goes now: a build with nothing to do makes none, and would leave it.
  await clearScratch(workDir, spec.name);
  const statePath = join(workDir, `${spec.name}.state.json`);
  // Each input is hashed once: its hash keys the stages and goes into the manifest.
  const inputFiles = await Promise.all(sources.map(async (s) => ({ file: sourceName(s), sha256: s.sha256 ?? (await hashFile(s.path)), bytes: statSync(s.path).size })));
  // How a file is read is part of its identity: the same bytes read as other records are another input.
  const keys = stageKeys(spec, inputFiles.map((f, i) => JSON.stringify([f.sha256, sources[i]!.format, sources[i]!.records ?? null])), dataset.modelsDir, options.dateOrder);
  const previous = readState(statePath);
  // The build published before this one, which changes.json compares this one with.
  const published = readPublished(outDir, spec.name);
  const reusable = !options.force && previous?.outDir === resolve(outDir) && existsSync(tablesDir) && existsSync(join(dataDir, MANIFEST_FILE));
  // Cleaning starts from every source's checked rows, which the ingest stage finds (kept from the last build for the
  // sources that did not change): a clean stage that runs runs the ingest stage too. A check always runs both.
  const changed = reusable && !options.checkOnly ? firstChanged(keys, previous.keys) : 'ingest';
  const from = changed === 'clean' ? 'ingest' : changed;
  if (from === null) {
    effects.log('pipeline', 0, 'up to date: inputs, declaration and code unchanged, nothing to do');
    const read = async <T>(path: string) => JSON.parse(await readFile(join(outDir, path), 'utf8')) as T;
    return {
      quality: await read<Quality>(apiPath(spec.name, QUALITY_FILE)),
      kpis: await read<Kpis>(apiPath(spec.name, KPIS_FILE)),
      manifest: await read<Manifest>(dataPath(spec.name, MANIFEST_FILE)),
      timings: [],
      skipped: [...STAGES],
      key: keys.export,
    };
  }

  const scratchDir = await scratch(workDir, spec.name);
  // The build works in memory (writing tables into a database file costs more than the work itself at
  // scale); a fixed cap keeps large inputs within the memory budget: DuckDB spills to disk past it. The cap leaves
  // room for what DuckDB does not count: medians' values, the allocator's unreturned pages, Node itself.
  const memoryLimit = process.env.SALESCUBE_MEMORY_LIMIT ?? '1.2GB';
  const db = await openDb(':memory:', {
    memoryLimit,
    tempDirectory: join(scratchDir, 'spill'),
  });
  // Later stages start from the last build's tables: its Parquet exports and the few internal tables kept beside them.
  if (from !== 'ingest') {
    const written = fileTables(spec);
    await reuseTables(db, from === 'model' ? written.filter((t) => t.kind === 'staging') : written, dataDir, join(scratchDir, 'data'));
    await loadTables(db, [dataDir, tablesDir], written.map((t) => t.name));
  }
  const timings: StageTiming[] = [];
  const skipped: Stage[] = [];
  const rawDir = join(scratchDir, 'raw');
  // Each source's checked rows, kept between builds: only new or changed sources are read and checked again.
  const sourcesDir = join(workDir, `${spec.name}.sources`);
  const stage = async <T>(name: Stage, work: () => Promise<T>, reuse: () => Promise<T>, detail: (result: T) => string, parts?: (result: T) => Record<string, number>): Promise<T> => {
    if (STAGES.indexOf(name) < STAGES.indexOf(from)) {
      skipped.push(name);
      effects.log(name, 0, 'skipped: unchanged since the last build');
      return reuse();
    }
    const started = performance.now();
    const result = await work();
    const ms = performance.now() - started;
    timings.push({ stage: name, ms, parts: parts?.(result) });
    effects.log(name, ms, detail(result));
    return result;
  };

  try {
    let checked: Awaited<ReturnType<typeof checkSources>> | undefined;
    const files = await stage(
      'ingest',
      async () => {
        await createRawTables(db);
        const hashes = inputFiles.map((f) => f.sha256);
        const found = await checkSources(db, spec, sources, hashes, sourcesDir, rawDir, options.dateOrder).catch((error: unknown) =>
          Promise.reject(error instanceof UserError ? labelled(error, sources) : error),
        );
        checked = found;
        return found.checked.map((c) => c.read);
      },
      () => db.rows<{ file_id: number; file: string; read: number }>('select file_id, file, "read" from files order by file_id'),
      (reads) => `${reads.reduce((n, r) => n + r.read, 0)} rows from ${reads.length} source(s)`,
    );
    await stage(
      'clean',
      async () => {
        await buildStaging(db, spec, checked!.checked.map((c) => ({ fileId: c.fileId, path: c.path })), join(scratchDir, 'data'));
        await dropRaw(db, spec, rawDir);
        await compactTables(db, memoryLimit);
      },
      async () => {},
      () => `typed, validated, deduplicated (${files.length} source(s))`,
    );
    if (options.checkOnly) {
      const quality = await buildQuality(db, spec, []);
      assertUsable(quality);
      return { quality, timings, skipped };
    }
    const checks = await stage(
      'model',
      async () => {
        await runModels(db, spec, dataset.modelsDir, join(scratchDir, 'data'));
        await compactTables(db, memoryLimit);
        await storeChecks(db, await runChecks(db, await modelChecks(spec, dataset.modelsDir)));
        return storedChecks(db);
      },
      () => storedChecks(db),
      (results) => `${modelsInOrder(spec).length} models, ${results.filter((c) => c.passed).length}/${results.length} checks passed`,
    );
    const quality = await buildQuality(db, spec, checks);
    assertUsable(quality);
    const failed = checks.filter((c) => !c.passed);
    if (failed.length) {
      // The build works in memory: the failing models are written out so that they can be queried.
      const failedDir = join(workDir, `${spec.name}.failed`);
      await rm(failedDir, { recursive: true, force: true });
      await saveTables(db, [...new Set(failed.map((c) => c.model))], failedDir);
      throw new UserError(
        `model checks failed:\n${failed.map((c) => `  ${c.model}: ${c.name} (${c.failing} rows)`).join('\n')}`,
        {},
        `query the failing models, written to ${failedDir}/<model>.parquet, with DuckDB to see which rows break the check`,
      );
    }
    const slices = await stage('cube', () => buildSlices(db, spec), async () => sliceTables(spec), (slices) => `${slices.length} slices`);
    const kpis = await computeKpis(db, spec);
    const { manifest } = await stage(
      'export',
      () => exportAll(db, dataset, inputFiles, quality, kpis, slices, scratchDir),
      () => Promise.reject(new Error('export never follows a rebuilt stage without running')),
      ({ manifest: m, browserMs }) => `${m.tables.length} tables, ${m.api.length + 2} API files; browser files ${(browserMs / 1000).toFixed(2)} s`,
      ({ browserMs }) => ({ browser: browserMs }),
    );
    await writeChanges(join(scratchDir, 'api'), compareBuilds(spec.name, published, { inputs: inputFiles, files: quality.files, measures: kpis.measures }), join(apiDir, CHANGES_FILE));
    await saveTables(db, INTERNAL_TABLES, join(scratchDir, 'tables'));
    await saveEnumTypes(db, join(scratchDir, 'tables'));
    db.close();
    await publish([
      { from: join(scratchDir, 'data'), to: dataDir },
      { from: join(scratchDir, 'api'), to: apiDir },
      { from: join(scratchDir, 'tables'), to: tablesDir },
    ]);
    await writeState(statePath, { keys, outDir: resolve(outDir) });
    if (checked) await removeUnused(sourcesDir, checked.keys);
    return { quality, kpis, manifest, timings, skipped, key: keys.export };
  } catch (error) {
    throw resourceError(error, { memoryLimit, scratchDir, file: sources.map(sourceName).join(', ') }) ?? error;
  } finally {
    try {
      db.close();
    } catch {
      // already closed
    }
    await rm(scratchDir, { recursive: true, force: true });
  }
}

/** An error in reading a downloaded source, said of its URL or query rather than of the download. */
function labelled(error: UserError, sources: SourceFile[]): UserError {
  const source = sources.find((s) => s.label && s.path === error.where.file);
  return source ? error.at(source.label!) : error;
}

/** Running out of memory or disk is the input's size meeting the machine: said as such, with what to change. */
export function resourceError(error: unknown, at: { memoryLimit: string; scratchDir: string; file: string }): UserError | undefined {
  const message = String((error as Error)?.message ?? error);
  // Some aggregates (medians) hold every value of a group and cannot spill: past the cap the build stops.
  if (/Out of Memory Error/.test(message)) {
    return new UserError(
      `the build ran out of memory: DuckDB is capped at ${at.memoryLimit} and this input needs more (nothing was published)`,
      { file: at.file },
      'set SALESCUBE_MEMORY_LIMIT higher (e.g. SALESCUBE_MEMORY_LIMIT=4GB) on a machine with the memory to spare, or build from a smaller input',
    );
  }
  if (/No space left on device|ENOSPC/.test(message)) {
    return new UserError(
      `the build ran out of disk space: past its ${at.memoryLimit} memory cap DuckDB writes to the work folder (${at.scratchDir}), and the disk is full (nothing was published)`,
      { file: at.file },
      'free space on that disk (a large input needs a few times its own size), build with --work DIR on a disk with room, or raise SALESCUBE_MEMORY_LIMIT so that less is written',
    );
  }
  return undefined;
}

/**
 * changes.json: this build against the one before, or, when it changed neither a source nor a figure (a forced
 * rebuild, a change of code), the last one's as it was, so that the same data gives the same outputs and the file
 * says what the last change to the data was.
 */
async function writeChanges(dir: string, changes: Changes, last: string): Promise<void> {
  const path = join(dir, CHANGES_FILE);
  if (!changed(changes) && existsSync(last)) return copyFile(last, path);
  await writeFile(path, `${JSON.stringify(changes, null, 2)}\n`);
}

/** Tables a later build resumes from that are not among the exports: the quality report reads them. */
const INTERNAL_TABLES = ['files', 'duplicates', 'aliased', 'model_checks'];

async function saveTables(db: Db, tables: string[], dir: string): Promise<void> {
  await mkdir(dir, { recursive: true });
  for (const table of tables) await db.run(`copy ${ident(table)} to ${lit(join(dir, `${table}.parquet`))} (format parquet)`);
}

/**
 * The checks as stored, in one order whether they ran in this build or were kept from the last: a build that reuses the
 * models reports them as a clean build does.
 */
const storedChecks = (db: Db) => db.rows<CheckResult>('select * from model_checks order by model, name');

/** Check results are kept too, so a build that reuses the models still reports them. */
async function storeChecks(db: Db, results: CheckResult[]): Promise<void> {
  await db.run('create or replace table model_checks (model VARCHAR, name VARCHAR, type VARCHAR, failing BIGINT, passed BOOLEAN)');
  for (const r of results) {
    await db.run(`insert into model_checks values (${[r.model, r.name, r.type].map(lit).join(', ')}, ${r.failing}, ${r.passed})`);
  }
}

/** Nothing loaded, or more rejects than the dataset tolerates: stop with the reasons, publish nothing. */
function assertUsable(quality: Quality): void {
  if (quality.totals.loaded === 0) {
    throw new UserError(
      `no rows could be loaded (${quality.totals.read} read)\n${summarize(quality)}`,
      { file: quality.files.map((f) => f.file).join(', ') },
      quality.totals.read === 0 ? 'the file has a header but no data rows: export it again with its rows' : 'fix the rejected rows listed above',
    );
  }
  if (quality.threshold.exceeded) {
    const limit = [quality.threshold.maxRejected !== undefined && `${quality.threshold.maxRejected} rows`, quality.threshold.maxRejectedPct !== undefined && `${quality.threshold.maxRejectedPct}%`]
      .filter(Boolean)
      .join(' or ');
    throw new UserError(
      `too many rejected rows: ${quality.totals.rejected} (${quality.totals.rejected_pct}%), over the limit of ${limit}\n${summarize(quality)}`,
      {},
      'fix the most common reasons above, or raise the threshold in the dataset declaration (or with --max-rejected-pct)',
    );
  }
}
