import { spawnSync } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, inject } from 'vitest';
import { launchChromium } from './browser.ts';
import { tempDir } from './pipeline.ts';
import { serve } from './server.ts';

/** Where the page tests write their screenshots, to be looked at. */
export const SHOTS = join('tests', '.output', 'screenshots');

/** Builds the site over pipeline outputs (the --out folder of `npm run pipeline`) with the real CLI; returns its path. */
export function siteOver(outputs: string): string {
  const out = join(tempDir('salescube-site-'), 'dist');
  const r = spawnSync(join('node_modules', '.bin', 'node'), ['pipeline/cli.ts', 'site', '--from', outputs, '--out', out, '--work', tempDir()], {
    encoding: 'utf8',
    env: { ...process.env, CI: 'true' },
  });
  if (r.status !== 0) throw new Error(`site build failed:\n${r.stdout}\n${r.stderr}`);
  return out;
}

export interface ServedSite {
  /** The built site's folder. */
  dir: string;
  url: string;
  browser: Browser;
}

/**
 * A site served on loopback and open to a Chromium, for the tests of one file: the run's shared site unless the
 * file built its own (`dir`); ready before they run (a beforeAll of the file, declared after this call, can use
 * it), closed after them.
 */
export function servedSite(dir?: () => string): ServedSite {
  const served = {} as ServedSite;
  let server: Awaited<ReturnType<typeof serve>> | undefined;
  beforeAll(async () => {
    served.dir = dir?.() ?? inject('site');
    server = await serve(served.dir);
    served.url = server.url;
    served.browser = await launchChromium();
    mkdirSync(SHOTS, { recursive: true });
  });
  afterAll(async () => {
    await served.browser?.close();
    await server?.close();
  });
  return served;
}
