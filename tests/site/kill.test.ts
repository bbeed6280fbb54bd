/**
 * Atomic publish: a build killed at any point, or failing, leaves the previous site byte-identical, and the
 * next build recovers and succeeds.
 */
import { spawn, spawnSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, expect, it } from 'vitest';
import { checksums, tempDir, tempFile } from '../helpers/pipeline.ts';

const node = join('node_modules', '.bin', 'node');
const out = join(tempDir(), 'dist');
const work = tempDir();
const build = (...args: string[]) => spawnSync(node, ['pipeline/cli.ts', 'build', '--out', out, '--work', work, ...args], { encoding: 'utf8', env: { ...process.env, CI: 'true' } });


let before: Record<string, string>;
beforeAll(() => {
  const first = build();
  expect(first.status, first.stderr).toBe(0);
  before = checksums(out);
});

/** Starts a full rebuild and kills it (SIGKILL, no chance to clean up) after `ms`. */
async function killedAfter(ms: number): Promise<void> {
  const child = spawn(node, ['pipeline/cli.ts', 'build', '--out', out, '--work', work, '--force'], { env: { ...process.env, CI: 'true' }, stdio: 'ignore', detached: true });
  await new Promise((r) => setTimeout(r, ms));
  // The whole process group, with any process the build starts.
  try {
    process.kill(-child.pid!, 'SIGKILL');
  } catch {
    // already finished
  }
  await new Promise((r) => child.once('exit', r));
}

it.each([250, 800, 1500, 2500, 3500])('a build killed after %i ms leaves the previous site byte-identical', async (ms) => {
  await killedAfter(ms);
  const now = checksums(out);
  // Killed after the new site was swapped in, the output is the new build: equal here, as the input did not change.
  expect(now).toEqual(before);
});

it('a failing build leaves the previous site, and the next build recovers', () => {
  const failed = build('--input', tempFile('empty.csv', ''), '--force');
  expect(failed.status).toBe(1);
  expect(checksums(out)).toEqual(before);
  // Recovering needs no rebuild: the next build finds the output current once the failed swap is undone.
  expect(build().status).toBe(0);
  expect(checksums(out)).toEqual(before);
  // Nothing of the killed builds is left behind.
  expect(readdirSync(work).filter((n) => /\.(tmp|old)-\d+$/.test(n))).toEqual([]);
});
