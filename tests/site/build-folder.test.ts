/**
 * Site builds that run at once, with their output outside the repository (as the tests' and many users' are). Astro
 * would put every such build's server code in one shared folder, .astro/.prerender, and remove it when done: a build
 * removed it under another that was still rendering (ERR_MODULE_NOT_FOUND). Each build now has a folder of its own
 * (pipeline/site.ts), so a build leaves that shared folder as it found it.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect, inject, it } from 'vitest';
import { tempDir } from '../helpers/pipeline.ts';

it('a site build outside the repository leaves what another build keeps in .astro/.prerender', () => {
  const shared = join(process.cwd(), '.astro', '.prerender');
  const other = join(shared, `another-build-${process.pid}.mjs`);
  mkdirSync(shared, { recursive: true });
  writeFileSync(other, '');
  try {
    const out = join(tempDir(), 'site');
    const r = spawnSync(join('node_modules', '.bin', 'node'), ['pipeline/cli.ts', 'site', '--from', inject('outputs'), '--out', out, '--work', tempDir()], {
      encoding: 'utf8',
      env: { ...process.env, CI: 'true' },
    });
    expect(r.status, r.stderr).toBe(0);
    expect(existsSync(join(out, 'forecast', 'index.html'))).toBe(true);
    expect(existsSync(other)).toBe(true);
  } finally {
    rmSync(other, { force: true });
  }
}, 120_000);
