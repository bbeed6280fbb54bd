/**
 * salescube command line:
 *   run    [--dataset sales] [--input FILE ...] [--out DIR]    pipeline only: data/ and api/ under DIR (default dist)
 *   build  [--dataset sales] [--input FILE ...] [--out DIR]    pipeline + site into DIR (default dist), swapped in whole
 *   check  FILE ... [--dataset sales] [--max-rejected-pct N]  validate raw files, print the quality summary
 */
import { cp, rm } from 'node:fs/promises';
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { datasetNames, loadDataset, type Dataset } from './datasets/index.ts';
import { UserError } from './errors.ts';
import { publish, scratch } from './publish.ts';
import { summarize } from './quality.ts';
import { runPipeline, type Effects, type PipelineResult } from './run.ts';

const USAGE = `usage:
  npm run pipeline -- [--dataset NAME] [--input FILE ...] [--out DIR]
  npm run build -- [--dataset NAME] [--input FILE ...] [--out DIR]
  npm run check -- FILE ... [--dataset NAME] [--max-rejected-pct N]
datasets: ${datasetNames.join(', ')}`;

const interactive = process.stdout.isTTY && !process.env.CI;

const effects: Effects = {
  log(stage, ms, detail) {
    if (interactive) process.stdout.write(`  ${stage.padEnd(8)} ${(ms / 1000).toFixed(2).padStart(6)} s  ${detail}\n`);
  },
};

function options(args: string[]) {
  const { values, positionals } = parseArgs({
    args,
    allowPositionals: true,
    options: {
      dataset: { type: 'string', default: 'sales' },
      input: { type: 'string', multiple: true },
      out: { type: 'string', default: 'dist' },
      work: { type: 'string', default: process.env.SALESCUBE_WORK ?? 'build' },
      'date-order': { type: 'string' },
      'max-rejected-pct': { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
  });
  const dataset = loadDataset(values.dataset);
  const dateOrder = values['date-order'];
  if (dateOrder !== undefined && dateOrder !== 'MDY' && dateOrder !== 'DMY') throw new UserError(`--date-order must be MDY or DMY, not "${dateOrder}"`);
  const maxPct = values['max-rejected-pct'];
  if (maxPct !== undefined) {
    const pct = Number(maxPct);
    if (!Number.isFinite(pct) || pct < 0 || pct > 100) throw new UserError(`--max-rejected-pct must be a number from 0 to 100, not "${maxPct}"`);
    dataset.spec.thresholds = { ...dataset.spec.thresholds, maxRejectedPct: pct };
  }
  const inputs = [...(values.input ?? []), ...positionals];
  return {
    help: values.help,
    dataset,
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
    process.stdout.write(`${JSON.stringify({ command, dataset: dataset.spec.name, ...totals, threshold_exceeded: threshold.exceeded, ms: timings })}\n`);
  }
}

async function main(argv: string[]): Promise<void> {
  const [command, ...rest] = argv;
  if (!command || !['run', 'build', 'check'].includes(command)) throw new UserError(`unknown command "${command ?? ''}"`, {}, USAGE);
  const o = options(rest);
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

  // build: pipeline and site go to scratch folders; the finished site replaces the output folder whole.
  const staged = await scratch(o.workDir, 'publish');
  const site = await scratch(o.workDir, 'site');
  try {
    const result = await runPipeline({ ...o, outDir: staged, effects });
    const started = performance.now();
    process.env.SALESCUBE_DATA = staged;
    process.env.ASTRO_TELEMETRY_DISABLED = '1';
    const { build } = await import('astro');
    await build({ root: process.cwd(), outDir: site, logLevel: interactive ? 'info' : 'warn' });
    await cp(staged, site, { recursive: true });
    result.timings.push({ stage: 'site', ms: performance.now() - started });
    effects.log('site', performance.now() - started, `astro build → ${o.outDir}`);
    await publish([{ from: site, to: o.outDir }]);
    report(command, o.dataset, result);
  } finally {
    await rm(staged, { recursive: true, force: true });
    await rm(site, { recursive: true, force: true });
  }
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
