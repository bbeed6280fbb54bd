/**
 * salescube command line:
 *   run    [--dataset sales] [--input INPUT ...] [--out DIR]    pipeline only: data/ and api/ under DIR (default dist)
 *   build  [--dataset X --input FILE ...] [--out DIR]          every dataset's pipeline + one site into DIR (default dist),
 *                                                              swapped in whole; --input replaces only dataset X's inputs
 *   --force: rebuild every stage even if nothing it depends on changed
 *   --declaration FILE: a dataset declared outside pipeline/datasets (run and check use it; build adds it)
 *   check  FILE ... [--dataset sales] [--max-rejected-pct N]  validate raw files, print the quality summary
 *   site   --from DIR [--out DIR]                              the site alone, over outputs `run` wrote to DIR
 */
import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import type { Changes } from '../src/lib/contract/changes.ts';
import { apiPath, CHANGES_FILE, dataFolder } from '../src/lib/contract/paths.ts';
import type { InputSpec } from '../src/lib/contract/declaration.ts';
import { hashFiles, readState, writeState } from './cache.ts';
import { changesMarkdown } from './changes.ts';
import { datasetNames, loadDataset, loadDeclaration, type Dataset } from './datasets/index.ts';
import { UserError } from './errors.ts';
import { isPostgresUrl } from './ingest/postgres.ts';
import { recover } from './publish.ts';
import { summarize } from './quality.ts';
import { runPipeline, type Effects, type PipelineResult } from './run.ts';
import { buildSite, datasetsIn } from './site.ts';

const USAGE = `usage:
  npm run pipeline -- [--dataset NAME] [--input INPUT ...] [--out DIR]
  npm run build -- [--dataset NAME] [--input INPUT ...] [--out DIR] [--force]
  npm run check -- FILE ... [--dataset NAME] [--max-rejected-pct N]
  node pipeline/cli.ts site --from DIR [--out DIR]   the site alone, over the outputs of npm run pipeline -- --out DIR
  node pipeline/cli.ts changes --from DIR           what each dataset's last build changed, as Markdown
  --input: a file (CSV, Parquet, JSON), a folder of batch files, a quoted glob ('data/sales/*.csv'), an http(s) URL,
           or postgresql://USER@HOST:PORT/DB with --query 'select … from …' (and --change-column COL: while the greatest
           COL and the row count stay the same, the query is not exported again); repeatable
  --declaration FILE: a dataset declared in FILE instead of --dataset (build: in addition to the others)
datasets: ${datasetNames.join(', ')}`;

const interactive = process.stdout.isTTY && !process.env.CI;

const effects: Effects = {
  log(stage, ms, detail) {
    if (interactive) process.stdout.write(`  ${stage.padEnd(8)} ${(ms / 1000).toFixed(2).padStart(6)} s  ${detail}\n`);
  },
};

async function options(args: string[]) {
  const { values, positionals } = parseArgs({
    args,
    allowPositionals: true,
    options: {
      dataset: { type: 'string' },
      declaration: { type: 'string', multiple: true },
      input: { type: 'string', multiple: true },
      query: { type: 'string' },
      'change-column': { type: 'string' },
      out: { type: 'string', default: 'dist' },
      work: { type: 'string', default: process.env.SALESCUBE_WORK ?? 'build' },
      'date-order': { type: 'string' },
      'max-rejected-pct': { type: 'string' },
      force: { type: 'boolean', default: false },
      from: { type: 'string', default: 'dist' },
      help: { type: 'boolean', short: 'h' },
    },
  });
  const declared: Dataset[] = [];
  for (const file of values.declaration ?? []) declared.push(await loadDeclaration(file));
  const name = values.dataset ?? declared[0]?.spec.name ?? 'sales';
  const dataset = declared.find((d) => d.spec.name === name) ?? loadDataset(name);
  const dateOrder = values['date-order'];
  if (dateOrder !== undefined && dateOrder !== 'MDY' && dateOrder !== 'DMY') throw new UserError(`--date-order must be MDY or DMY, not "${dateOrder}"`);
  const maxPct = values['max-rejected-pct'];
  if (maxPct !== undefined) {
    const pct = Number(maxPct);
    if (!Number.isFinite(pct) || pct < 0 || pct > 100) throw new UserError(`--max-rejected-pct must be a number from 0 to 100, not "${maxPct}"`);
    dataset.spec.thresholds = { ...dataset.spec.thresholds, maxRejectedPct: pct };
  }
  // A PostgreSQL URL reads the rows of --query.
  const inputs = [...(values.input ?? []), ...positionals].map((input): InputSpec => {
    if (!isPostgresUrl(input)) return input;
    if (!values.query) throw new UserError(`--input ${input.replace(/:[^:@/]*@/, '@')} needs --query`, {}, "add --query 'select … from …' naming the rows to read");
    const changeColumn = values['change-column'];
    return changeColumn ? { postgres: input, query: values.query, changeColumn } : { postgres: input, query: values.query };
  });
  return {
    help: values.help,
    force: values.force,
    dataset,
    declared,
    from: values.from,
    inputs: inputs.length ? inputs : dataset.spec.inputs,
    outDir: resolve(values.out),
    workDir: resolve(values.work),
    dateOrder: dateOrder as 'MDY' | 'DMY' | undefined,
  };
}

/** One JSON line for machines (CI), or nothing more than the stage lines already printed for people. */
function report(command: string, dataset: Dataset, result: PipelineResult) {
  const total = result.timings.reduce((n, t) => n + t.ms, 0);
  if (interactive) {
    process.stdout.write(`${summarize(result.quality)}\n  total    ${(total / 1000).toFixed(2).padStart(6)} s\n`);
  } else {
    const { totals, threshold } = result.quality;
    const timings = Object.fromEntries(result.timings.map((t) => [t.stage, Math.round(t.ms)]));
    const parts = Object.fromEntries(result.timings.flatMap((t) => Object.entries(t.parts ?? {}).map(([part, ms]) => [`${t.stage}.${part}`, Math.round(ms)])));
    process.stdout.write(`${JSON.stringify({ command, dataset: dataset.spec.name, ...totals, threshold_exceeded: threshold.exceeded, ms: timings, parts, skipped: result.skipped })}\n`);
  }
}

async function main(argv: string[]): Promise<void> {
  const [command, ...rest] = argv;
  if (!command || !['run', 'build', 'check', 'site', 'changes'].includes(command)) throw new UserError(`unknown command "${command ?? ''}"`, {}, USAGE);
  const o = await options(rest);
  if (o.help) return void process.stdout.write(`${USAGE}\n`);

  if (command === 'check') {
    const result = await runPipeline({ ...o, checkOnly: true, effects });
    process.stdout.write(`${summarize(result.quality, 10)}\n`);
    return;
  }
  if (command === 'run') {
    report(command, o.dataset, await runPipeline({ ...o, effects }));
    return;
  }
  if (command === 'changes') {
    // What each dataset's last build changed, as Markdown (the CI job's summary).
    const data = resolve(o.from);
    for (const name of datasetsIn(data, datasetNames)) {
      const file = join(data, apiPath(name, CHANGES_FILE));
      if (existsSync(file)) process.stdout.write(`${changesMarkdown(JSON.parse(readFileSync(file, 'utf8')) as Changes, loadDataset(name).spec.title)}\n`);
    }
    return;
  }
  if (command === 'site') {
    // The site alone, over outputs `run` already wrote: every dataset whose manifest the folder holds.
    const data = resolve(o.from);
    const datasets = datasetsIn(data, datasetNames);
    if (!datasets.length) throw new UserError('no pipeline outputs found', { file: join(data, 'data') }, 'give --from the --out folder of `npm run pipeline`');
    await buildSite({ data, datasets }, o.outDir, o.workDir, interactive ? 'info' : 'warn');
    return;
  }

  // build: every registered dataset's pipeline (the one named by --dataset on the given inputs, the others on their
  // declared ones), then one site over all of them. The pipelines' outputs stay in the work folder between builds (so
  // unchanged stages are skipped); the site is built in a scratch folder and replaces the output folder whole.
  await recover([o.outDir]);
  const pipelineOut = join(o.workDir, 'out');
  const built: { dataset: Dataset; result: PipelineResult }[] = [];
  const datasets = [...datasetNames.map((name) => o.declared.find((d) => d.spec.name === name) ?? loadDataset(name)), ...o.declared.filter((d) => !datasetNames.includes(d.spec.name))];
  for (const listed of datasets) {
    const { name } = listed.spec;
    const chosen = name === o.dataset.spec.name;
    const dataset = chosen ? o.dataset : listed;
    if (interactive) process.stdout.write(`${name}\n`);
    const result = await runPipeline({ ...o, dataset, inputs: chosen ? o.inputs : dataset.spec.inputs, dateOrder: chosen ? o.dateOrder : undefined, outDir: pipelineOut, effects });
    report('build', dataset, result);
    built.push({ dataset, result });
  }
  const siteStatePath = join(o.workDir, 'site.state.json');
  const siteKey = createHash('sha256');
  for (const { result } of built) siteKey.update(result.key!);
  const key = siteKey.update(hashFiles(SITE_SOURCES)).digest('hex');
  const previous = readState<SiteState>(siteStatePath);
  if (!o.force && previous?.key === key && previous.outDir === o.outDir && existsSync(join(o.outDir, 'index.html'))) {
    effects.log('site', 0, `up to date: ${o.outDir} already holds this build`);
    reportBuild(built, 0);
    return;
  }
  const started = performance.now();
  await buildSite({ data: pipelineOut, datasets: built.map((b) => b.dataset.spec.name) }, o.outDir, o.workDir, interactive ? 'info' : 'warn');
  const ms = performance.now() - started;
  effects.log('site', ms, `astro build → ${o.outDir}`);
  await writeState<SiteState>(siteStatePath, { key, outDir: o.outDir });
  reportBuild(built, ms);
}

/** After the per-dataset lines: one line for the whole build, each dataset's pipeline time and the site's. */
function reportBuild(built: { dataset: Dataset; result: PipelineResult }[], siteMs: number): void {
  if (interactive) return;
  const ms = Object.fromEntries(built.map(({ dataset, result }) => [dataset.spec.name, Math.round(result.timings.reduce((n, t) => n + t.ms, 0))]));
  const skipped = Object.fromEntries(built.map(({ dataset, result }) => [dataset.spec.name, result.skipped]));
  process.stdout.write(`${JSON.stringify({ command: 'build', datasets: built.map((b) => b.dataset.spec.name), ms: { ...ms, site: Math.round(siteMs) }, skipped })}\n`);
}

/** What the site is built from besides the pipeline's outputs (whose keys cover the declarations). */
const SITE_SOURCES = ['src', 'public', 'astro.config.mjs', 'package-lock.json'];

/** What the last site build was made from, and where it went. */
interface SiteState {
  key: string;
  outDir: string;
}

main(process.argv.slice(2)).catch((error: unknown) => {
  if (error instanceof UserError) {
    process.stderr.write(`error: ${error.format()}\n`);
    process.exit(1);
  }
  if (String((error as { code?: unknown }).code).startsWith('ERR_PARSE_ARGS')) {
    process.stderr.write(`error: ${(error as Error).message}\n${USAGE}\n`);
    process.exit(2);
  }
  throw error;
});
