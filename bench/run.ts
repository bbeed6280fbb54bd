/**
 * Pipeline benchmark against the product budgets:
 *   npm run bench                          sales (sample, 1M, 10M) and cars (bundled 20k, 558,837 generated rows,
 *                                          one run) with the builds and the site benchmark, in < 20 min
 *   npm run bench -- --quick               sales sample and 1M, cars sample (< 2 min)
 *   npm run bench -- --dataset cars        cars only: sample and 558k
 *   npm run bench -- --dataset cars --full cars sample, 558k, 5M and 20M (one run each of the last two; ~1 h)
 *   npm run bench -- --dataset cars --sizes 558k,5M   the sample and only these sizes of the full plan
 *   npm run bench -- --sources [--sizes 1M]  sources and batches: appends at 1M and 10M, PostgreSQL, no-op rebuilds
 *                                          (bench/sources.ts, into bench/sources.md; ~10 min)
 * Options: --dataset sales|cars|all (default all), --seed S (default 1), --reps N (default 3), --time-limit SECONDS
 * (default 1140, quick 115, full 4500), --render (only rewrite bench/report.md from bench/report.json).
 *
 * For each size the input is generated once into bench/cache/ (reused while the dataset, rows, seed and
 * generator version match), with a UTF-8 copy for the floor when the dataset's files are in another encoding. The
 * pipeline runs as a child process (`node pipeline/cli.ts run`, CI=true: one JSON line with per-stage ms) in fresh
 * --out/--work folders, so no stage is skipped; the floor is DuckDB alone copying the UTF-8 file to Parquet
 * (bench/floor.ts). Wall time and peak memory of each process tree come from bench/measure.ts. When sales is
 * benchmarked, `npm run build -- --force` is timed end to end and followed by the site benchmark (bench/site.ts)
 * over what it built. Everything runs within the time limit: first one run of each measurement (the samples, the
 * builds and site, then the larger sizes from the smallest), then more runs, up to --reps (or the size's own
 * limit), while the longest run so far still fits; a run that would overrun the limit is stopped and reported as
 * such. Writes bench/report.json, keeping the results of datasets not run this time, and renders all of them
 * into bench/report.md.
 */
import { execFileSync } from 'node:child_process';
import { createReadStream, createWriteStream, existsSync, readFileSync, statSync } from 'node:fs';
import { mkdir, mkdtemp, rename, rm, writeFile } from 'node:fs/promises';
import { cpus, loadavg, tmpdir, totalmem } from 'node:os';
import { join, relative } from 'node:path';
import { pipeline } from 'node:stream/promises';
import { parseArgs } from 'node:util';
import iconv from 'iconv-lite';
import { cacheFile, generateFile, generatorFor, readSample } from './generators/index.ts';
import { hasGnuTime, measure, type Measured } from './measure.ts';
import type { Manifest } from '../src/lib/contract/manifest.ts';
import { BUDGETS, mergeResults, mergeSiteRuns, readResults, renderReport, type BenchResult, type BrowserData, type Run, type SiteResult, type Size } from './report.ts';

const { values } = parseArgs({
  options: {
    quick: { type: 'boolean', default: false },
    full: { type: 'boolean', default: false },
    dataset: { type: 'string', default: 'all' },
    seed: { type: 'string', default: '1' },
    reps: { type: 'string', default: '3' },
    'time-limit': { type: 'string' },
    // Only rewrite bench/report.md from bench/report.json (after a change to the report's layout).
    render: { type: 'boolean', default: false },
    // Only these generated sizes, from the full plan (e.g. --dataset cars --sizes 558k,5M); the sample always runs.
    sizes: { type: 'string' },
    // Only the budgets of sources and batches (bench/sources.ts): appends, PostgreSQL, no-op rebuilds.
    sources: { type: 'boolean', default: false },
  },
});
const REPORT_JSON = join(process.cwd(), 'bench', 'report.json');
const REPORT_MD = join(process.cwd(), 'bench', 'report.md');
if (values.sources) {
  const { benchSources, renderSources } = await import('./sources.ts');
  const result = await benchSources({ seed: Number(values.seed), sizes: values.sizes?.split(',').map((l) => l.trim()) });
  process.stdout.write(`\n${renderSources(result)}`);
  process.exit(0);
}
if (values.render) {
  await writeFile(REPORT_MD, renderReport(readResults(REPORT_JSON)));
  process.exit(0);
}

interface Plan {
  label: string;
  rows: number;
  /** Runs of this size at most (the largest ones run once), else --reps. */
  maxRuns?: number;
}
/** Generated sizes per dataset and mode; the bundled sample always runs first. */
const PLANS: Record<string, Record<'quick' | 'default' | 'full', Plan[]>> = {
  sales: {
    quick: [{ label: '1M', rows: 1e6 }],
    default: [{ label: '1M', rows: 1e6 }, { label: '10M', rows: 1e7 }],
    full: [{ label: '1M', rows: 1e6 }, { label: '10M', rows: 1e7 }],
  },
  cars: {
    quick: [],
    // The full public file's size; once, so that the default run stays within 20 min beside sales' 10M.
    default: [{ label: '558k', rows: 558_837, maxRuns: 1 }],
    // Past DuckDB's memory cap, 20M rows spill to the work folder (13 GB when looked at mid-run): check the free disk first.
    full: [{ label: '558k', rows: 558_837 }, { label: '5M', rows: 5e6, maxRuns: 1 }, { label: '20M', rows: 2e7, maxRuns: 1 }],
  },
};
const mode = values.quick ? 'quick' : values.full || values.sizes ? 'full' : 'default';
const chosenSizes = values.sizes?.split(',').map((label) => label.trim());
const datasets = values.dataset === 'all' ? Object.keys(PLANS) : [values.dataset];
for (const d of datasets) if (!PLANS[d]) throw new Error(`no benchmark plan for dataset "${d}" (have: ${Object.keys(PLANS).join(', ')}, all)`);
// The build and the site are the sales dashboards': measured whenever sales is.
const withSite = datasets.includes('sales');
const seed = Number(values.seed);
const reps = Number(values.reps);
const limitS = Number(values['time-limit'] ?? (mode === 'quick' ? 115 : mode === 'full' ? 75 * 60 : 19 * 60));
const flags = [values.dataset !== 'all' ? `--dataset ${values.dataset}` : '', chosenSizes ? `--sizes ${chosenSizes.join(',')}` : mode !== 'default' ? `--${mode}` : ''].filter(Boolean);
const command = flags.length ? `npm run bench -- ${flags.join(' ')}` : 'npm run bench';

const ROOT = process.cwd();
const CACHE = join(ROOT, 'bench', 'cache');
const BIN = join(ROOT, 'node_modules', '.bin');
const NODE = join(BIN, 'node');
// Node 24 from node_modules/.bin first, for the child processes and npm's scripts alike; CI=true for the pipeline's JSON line.
const env = { ...process.env, CI: 'true', PATH: `${BIN}:${process.env.PATH ?? ''}`, ASTRO_TELEMETRY_DISABLED: '1' };

const started = performance.now();
const deadline = started + limitS * 1000;
const remaining = () => deadline - performance.now();
const log = (text: string) => process.stdout.write(`[${((performance.now() - started) / 1000).toFixed(0).padStart(4)} s] ${text}\n`);

// ---------------------------------------------------------------------------------------------- inputs

async function toUtf8(from: string, encoding: string, to: string): Promise<Size['utf8Copy']> {
  if (/^utf-?8$/i.test(encoding)) return 'input';
  if (existsSync(to) && statSync(to).mtimeMs >= statSync(from).mtimeMs) return 'cached';
  const t = performance.now();
  await pipeline(createReadStream(from), iconv.decodeStream(encoding), createWriteStream(`${to}.partial`));
  await rename(`${to}.partial`, to);
  return { ms: performance.now() - t };
}

interface Sized extends Size {
  dataset: string;
  maxRuns?: number;
  /** Its site was built and measured (once, after its first pipeline run). */
  siteMeasured?: boolean;
}

async function prepareSizes(dataset: string): Promise<Sized[]> {
  await mkdir(CACHE, { recursive: true });
  const generator = generatorFor(dataset);
  const utf8Of = (file: string) => (/^utf-?8$/i.test(generator.encoding) ? file : file.replace(/\.csv$/, '.utf8.csv'));
  const sizes: Sized[] = [];
  const sampleUtf8 = /^utf-?8$/i.test(generator.encoding) ? join(ROOT, generator.sample) : join(CACHE, `${dataset}-sample.utf8.csv`);
  sizes.push({
    dataset,
    label: 'sample',
    rows: readSample(generator).rows.length,
    input: join(ROOT, generator.sample),
    utf8: sampleUtf8,
    bytes: statSync(generator.sample).size,
    generation: 'bundled',
    utf8Copy: await toUtf8(generator.sample, generator.encoding, sampleUtf8),
  });
  for (const { label, rows, maxRuns } of PLANS[dataset]![mode].filter((p) => !chosenSizes || chosenSizes.includes(p.label))) {
    const file = cacheFile(dataset, rows, seed);
    let generation: Size['generation'] = 'cached';
    if (!existsSync(file)) {
      log(`generating ${dataset} ${label} rows → ${relative(ROOT, file)}`);
      const g = await generateFile({ dataset, rows, seed, out: file });
      generation = { ms: g.ms, rowsPerS: rows / (g.ms / 1000) };
      log(`  ${(g.bytes / 1e6).toFixed(0)} MB in ${(g.ms / 1000).toFixed(1)} s (${Math.round(generation.rowsPerS).toLocaleString('en-US')} rows/s)`);
    }
    const utf8 = utf8Of(file);
    const utf8Copy = await toUtf8(file, generator.encoding, utf8);
    sizes.push({ dataset, label, rows, input: file, utf8, bytes: statSync(file).size, generation, utf8Copy, maxRuns });
  }
  return sizes;
}

// ---------------------------------------------------------------------------------------------- runs

const lastJsonLine = (text: string) => {
  const line = text.split('\n').reverse().find((l) => l.trim().startsWith('{'));
  try {
    return line ? (JSON.parse(line) as Record<string, any>) : undefined;
  } catch {
    return undefined;
  }
};

/** The line of stderr that says what went wrong (a crash prints its reason first, then a native stack). */
function errorLine(stderr: string): string {
  const lines = stderr.split('\n').map((l) => l.trim()).filter(Boolean);
  return lines.find((l) => /^(error:|FATAL ERROR|\w*Error\b)/.test(l)) ?? lines.slice(-3).join(' | ');
}

function toRun(m: Measured, load: number, check?: (json: Record<string, any> | undefined) => string | undefined): Run {
  const json = lastJsonLine(m.stdout);
  let error: string | undefined;
  if (m.memoryGuard) error = `stopped after ${(m.wallMs / 1000).toFixed(0)} s: the machine had under 1 GiB of memory left (tree peak ${(m.peakKb / 2 ** 20).toFixed(1)} GiB)`;
  else if (m.timedOut) error = `stopped after ${(m.wallMs / 1000).toFixed(0)} s (time limit)`;
  else if (m.exitCode !== 0) error = `exit ${m.exitCode ?? m.signal} after ${(m.wallMs / 1000).toFixed(0)} s: ${errorLine(m.stderr)}`;
  else error = check?.(json);
  const { wallMs, peakKb, timeMaxRssKb, hwmSumKb, rssSumPeakKb, timedOut, memoryGuard, cpuS, otherCores } = m;
  return { ok: !error, timedOut, memoryGuard, wallMs, peakKb, timeMaxRssKb, hwmSumKb, rssSumPeakKb, cpuS, otherCores, load, json, error };
}

async function pipelineRun(size: Sized, timeoutMs: number): Promise<Run> {
  const out = await mkdtemp(join(tmpdir(), 'salescube-bench-out-'));
  const work = await mkdtemp(join(tmpdir(), 'salescube-bench-work-'));
  // Generated sales rows are all valid; cars rows carry the source's quirks, so some are rejected by design.
  const quirks = generatorFor(size.dataset).quirkRows ?? false;
  try {
    const load = loadavg()[0]!;
    const m = await measure(NODE, ['pipeline/cli.ts', 'run', '--dataset', size.dataset, '--input', size.input, '--out', out, '--work', work], { env, timeoutMs });
    const manifest = join(out, 'data', size.dataset, 'manifest.json');
    const browser = existsSync(manifest) ? browserData(JSON.parse(readFileSync(manifest, 'utf8')) as Manifest) : undefined;
    const run = toRun(m, load, (json) => {
      if (!json) return 'no JSON line on stdout';
      if (json.read !== size.rows) return `read ${json.read} of ${size.rows} rows`;
      if (json.read !== json.loaded + json.rejected + json.duplicates) return `read ${json.read} ≠ loaded ${json.loaded} + rejected ${json.rejected} + duplicates ${json.duplicates}`;
      if (json.threshold_exceeded) return `${json.rejected} rejected, over the dataset's threshold`;
      if (!quirks && (json.loaded !== size.rows || json.rejected !== 0)) return `loaded ${json.loaded} of ${size.rows} rows, ${json.rejected} rejected`;
      if (Array.isArray(json.skipped) && json.skipped.length) return `stages skipped: ${json.skipped.join(', ')}`;
      return undefined;
    });
    const withBrowser = browser ? { ...run, browser } : run;
    // The first run of each size also builds the site over what it wrote and measures its pages (not timed with it).
    return run.ok && !size.siteMeasured ? { ...withBrowser, site: await siteAt(size, out, work) } : withBrowser;
  } finally {
    await rm(out, { recursive: true, force: true });
    await rm(work, { recursive: true, force: true });
  }
}

/**
 * The site over one size's pipeline outputs, measured by bench/site.ts in one visit per page: first load, filter
 * changes, fetches of cells and details, and the phone profile.
 */
async function siteAt(size: Sized, out: string, work: string): Promise<{ results?: SiteResult[]; error?: string }> {
  size.siteMeasured = true;
  const dist = join(out, 'site');
  const json = join(out, 'site.json');
  const build = await measure(NODE, ['pipeline/cli.ts', 'site', '--from', out, '--out', dist, '--work', work], { env, timeoutMs: 300_000 });
  if (build.exitCode !== 0) return { error: `site build: ${errorLine(build.stderr)}` };
  const bench = await measure(NODE, ['bench/site.ts', '--dataset', size.dataset, '--dist', dist, '--visits', '1', '--updates', '60', '--out', json], { env, timeoutMs: 600_000 });
  if (bench.exitCode !== 0 || !existsSync(json)) return { error: `site benchmark: ${errorLine(bench.stderr)}` };
  return { results: JSON.parse(readFileSync(json, 'utf8')) as SiteResult[] };
}

/** What a manifest says of the browser's data: each page's first fetch, each detail's largest member. */
function browserData(manifest: Manifest): BrowserData {
  const gzip = (files: { gzip: number }[]) => files.reduce((n, f) => n + f.gzip, 0);
  return {
    pages: Object.fromEntries(manifest.pages.map((p) => [p.page, { cells: p.cells, gzip: gzip(p.files) }])),
    details: Object.fromEntries(manifest.details.map((d) => [d.column, { members: Object.keys(d.members).length, gzip: Math.max(...Object.values(d.members).map((f) => f.gzip)) }])),
  };
}

async function floorRun(size: Sized, timeoutMs: number): Promise<Run> {
  const dir = await mkdtemp(join(tmpdir(), 'salescube-bench-floor-'));
  try {
    const load = loadavg()[0]!;
    const m = await measure(NODE, ['bench/floor.ts', '--input', size.utf8, '--out', join(dir, 'x.parquet')], { env, timeoutMs });
    return toRun(m, load, (json) => (json?.rows === size.rows ? undefined : `copied ${json?.rows} rows, expected ${size.rows}`));
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

async function buildRun(timeoutMs: number, force = true): Promise<Run> {
  const load = loadavg()[0]!;
  const m = await measure('npm', ['run', 'build', ...(force ? ['--', '--force'] : [])], { env, timeoutMs });
  return toRun(m, load, (json) => (json ? undefined : 'no JSON line on stdout'));
}

// ---------------------------------------------------------------------------------------------- schedule

interface Task {
  name: string;
  runs: Run[];
  /** A guess of one run's length before any run finished, used to keep time for the tasks after it. */
  priorMs: number;
  /** Runs at most (default --reps). */
  maxRuns?: number;
  run(timeoutMs: number): Promise<Run>;
}

const estimate = (task: Task) => (task.runs.length ? Math.max(...task.runs.map((r) => r.wallMs)) : task.priorMs);

async function runTask(task: Task, reserveMs: number): Promise<void> {
  const timeoutMs = Math.max(5_000, remaining() - reserveMs);
  log(`${task.name} (run ${task.runs.length + 1}, limit ${(timeoutMs / 1000).toFixed(0)} s)`);
  const run = await task.run(timeoutMs);
  task.runs.push(run);
  log(`  ${(run.wallMs / 1000).toFixed(2)} s, peak ${(run.peakKb / 1024).toFixed(0)} MB, others ${run.otherCores?.toFixed(2) ?? '?'} cores${run.json?.ms ? ` ${JSON.stringify(run.json.ms)}` : ''}${run.error ? `  ✗ ${run.error}` : ''}`);
}

// ---------------------------------------------------------------------------------------------- main

const sizes: Sized[] = [];
for (const d of datasets) sizes.push(...(await prepareSizes(d)));
const key = (size: Sized) => `${size.dataset} ${size.label}`;
const pipelineTasks = new Map<string, Task>();
const floorTasks = new Map<string, Task>();
for (const size of sizes) {
  const perRowMs = size.rows / 1e5; // priors: ~0.1 s per 10k rows for the floor, the budget (or ~10 µs a row) for the pipeline
  const budgetMs = size.dataset === 'sales' ? BUDGETS.pipelineMs[size.label] : undefined;
  pipelineTasks.set(key(size), { name: `pipeline ${key(size)}`, runs: [], priorMs: budgetMs ?? Math.max(5_000, size.rows / 100), maxRuns: size.maxRuns, run: (t) => pipelineRun(size, t) });
  floorTasks.set(key(size), { name: `floor ${key(size)}`, runs: [], priorMs: 2_000 + perRowMs * 20, maxRuns: size.maxRuns, run: (t) => floorRun(size, t) });
}
const build: Task = { name: 'npm run build -- --force', runs: [], priorMs: 15_000, run: (t) => buildRun(t) };
// The no-op build right after the forced one is for the record (the incremental build should skip everything).
const noopBuild: Task = { name: 'npm run build (nothing changed)', runs: [], priorMs: 5_000, run: (t) => buildRun(t, false) };
// The site benchmark reads the dist/ the forced build wrote; its own stdout is its table.
const siteJson = join(CACHE, 'site.json');
let siteTable = '';
let siteError: string | undefined;
const siteRuns: SiteResult[][] = [];
const siteBench: Task = {
  name: 'site benchmark (bench/site.ts)',
  runs: [],
  priorMs: 30_000,
  async run(timeoutMs) {
    await rm(siteJson, { force: true });
    const load = loadavg()[0]!;
    const m = await measure(NODE, ['bench/site.ts', '--out', siteJson], { env, timeoutMs });
    const run = toRun(m, load, () => (existsSync(siteJson) ? undefined : 'no results file'));
    siteTable ||= m.stdout.trim();
    siteError = run.error;
    if (run.ok) siteRuns.push(JSON.parse(readFileSync(siteJson, 'utf8')) as SiteResult[]);
    return run;
  },
};

// First pass: one run of everything, cheapest and most important first, keeping the later tasks' priors in
// reserve; the largest pipeline run comes last and gets whatever time is left.
const samples = sizes.filter((s) => s.label === 'sample');
const larger = sizes.filter((s) => s.label !== 'sample').sort((a, b) => a.rows - b.rows);
const firstPass: Task[] = samples.flatMap((s) => [floorTasks.get(key(s))!, pipelineTasks.get(key(s))!]);
if (withSite) firstPass.push(build, noopBuild, siteBench);
for (const size of larger) firstPass.push(floorTasks.get(key(size))!, pipelineTasks.get(key(size))!);
for (const [i, task] of firstPass.entries()) {
  await runTask(task, firstPass.slice(i + 1).reduce((n, t) => n + t.priorMs, 0));
}

// More runs, round-robin from the smallest size, while the longest run so far still fits in the time left.
const extra: Task[] = [];
for (const size of [...samples, ...larger]) extra.push(pipelineTasks.get(key(size))!, floorTasks.get(key(size))!);
if (withSite) extra.push(build, siteBench);
for (let round = 1; round < reps; round++) {
  for (const task of extra) {
    // A run that failed or was stopped is not repeated: it would fail again, or be stopped again.
    if (task.runs.length > round || task.runs.length >= (task.maxRuns ?? reps) || task.runs.some((r) => !r.ok)) continue;
    if (estimate(task) * 1.2 > remaining()) {
      log(`${task.name}: no time for run ${task.runs.length + 1} (needs ~${(estimate(task) / 1000).toFixed(0)} s, ${(remaining() / 1000).toFixed(0)} s left)`);
      continue;
    }
    await runTask(task, 0);
  }
}

const site = siteRuns.length ? mergeSiteRuns(siteRuns) : undefined;
const git = (...args: string[]) => {
  try {
    return execFileSync('git', args, { encoding: 'utf8' }).trim();
  } catch {
    return '';
  }
};
const duckdbVersion = (() => {
  try {
    return (JSON.parse(readFileSync(join(ROOT, 'node_modules/@duckdb/node-api/package.json'), 'utf8')) as { version: string }).version;
  } catch {
    return 'unknown';
  }
})();

const machine = {
  cpu: cpus()[0]?.model ?? 'unknown',
  cores: cpus().length,
  memoryGiB: Math.round(totalmem() / 2 ** 30),
  node: execFileSync(join(BIN, 'node'), ['--version'], { encoding: 'utf8' }).trim(),
  duckdb: duckdbVersion,
  gnuTime: hasGnuTime(),
};
const elapsedS = (performance.now() - started) / 1000;
const results: BenchResult[] = datasets.map((dataset, i) => ({
  mode: mode === 'default' ? 'full' : mode,
  date: new Date().toISOString(),
  commit: git('rev-parse', '--short', 'HEAD'),
  // The report's own files do not count: a run before this one in the same tree rewrote them.
  dirty: git('status', '--porcelain', '--untracked-files=no', '--', '.', ':!bench/report.md', ':!bench/report.json') !== '',
  machine,
  settings: { dataset, seed, reps, timeLimitS: limitS, generatorVersion: generatorFor(dataset).version, command },
  // The whole benchmark's time, given once (on the first dataset) when several ran together.
  elapsedS: i === 0 ? elapsedS : 0,
  budgets: BUDGETS,
  sizes: sizes
    .filter((s) => s.dataset === dataset)
    .map(({ dataset: _, maxRuns: __, ...s }) => ({
      ...s,
      input: relative(ROOT, s.input),
      utf8: relative(ROOT, s.utf8),
      pipeline: pipelineTasks.get(`${dataset} ${s.label}`)!.runs,
      floor: floorTasks.get(`${dataset} ${s.label}`)!.runs,
    })),
  ...(dataset === 'sales' && withSite
    ? {
        build: build.runs,
        noopBuild: noopBuild.runs[0]!,
        site: site
          ? { results: site, table: siteTable, wallMs: siteBench.runs[0]!.wallMs }
          : { results: [], table: '', wallMs: siteBench.runs[0]?.wallMs ?? 0, error: siteError },
      }
    : {}),
}));
// Results of the datasets not run this time stay as they were.
const merged = mergeResults(existsSync(REPORT_JSON) ? readResults(REPORT_JSON) : [], results);
await writeFile(REPORT_JSON, `${JSON.stringify({ results: merged }, null, 2)}\n`);
const markdown = renderReport(merged);
await writeFile(REPORT_MD, markdown);
process.stdout.write(`\n${markdown.split('\n## Method')[0]}\n`);
log(`done in ${(elapsedS / 60).toFixed(1)} min: bench/report.md, bench/report.json`);
