/**
 * The shared fixtures of a test run, built once per test run and read by every test file that needs
 * them: the pipelines' outputs for the bundled samples and the fixture dataset (`outputs`), and the site over them
 * (`site`). Both are built with the real command line, as `npm run pipeline` and the site step of `npm run build`
 * do. A test that needs other data or another build makes its own.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { join } from 'node:path';

declare module 'vitest' {
  export interface ProvidedContext {
    /** The folder holding data/<dataset>/ and api/<dataset>/ for sales, cars and loans. */
    outputs: string;
    /** The built site over those outputs. */
    site: string;
  }
}

const LOANS = 'tests/fixtures/loans/dataset.ts';

function cli(...args: string[]): void {
  const r = spawnSync(join('node_modules', '.bin', 'node'), ['pipeline/cli.ts', ...args], { encoding: 'utf8', env: { ...process.env, CI: 'true' } });
  if (r.status !== 0) throw new Error(`node pipeline/cli.ts ${args.join(' ')} failed:\n${r.stdout}\n${r.stderr}`);
}

const temp = (prefix: string) => mkdtempSync(join(process.env.SALESCUBE_TEST_ROOT!, prefix));

/** The pipelines' outputs, run once per test run (both projects of a run share them). */
export function sharedOutputs(): string {
  if (!process.env.SALESCUBE_TEST_OUTPUTS) {
    const out = temp('outputs-');
    const work = temp('work-');
    for (const dataset of ['--dataset=sales', '--dataset=cars', `--declaration=${LOANS}`]) cli('run', dataset, '--out', out, '--work', work);
    process.env.SALESCUBE_TEST_OUTPUTS = out;
  }
  return process.env.SALESCUBE_TEST_OUTPUTS;
}

/** The site over the shared outputs, built once per test run. */
export function sharedSite(): string {
  if (!process.env.SALESCUBE_TEST_SITE) {
    const site = join(temp('site-'), 'dist');
    cli('site', '--from', sharedOutputs(), '--out', site, '--work', temp('site-work-'));
    process.env.SALESCUBE_TEST_SITE = site;
  }
  return process.env.SALESCUBE_TEST_SITE;
}
