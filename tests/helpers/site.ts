import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { tempDir } from './pipeline.ts';

/** Builds the whole site (pipeline + Astro) into a temp folder with the real CLI; returns its path. */
export function buildSite(args: string[] = []): string {
  const out = join(tempDir('salescube-site-'), 'dist');
  const r = spawnSync(join('node_modules', '.bin', 'tsx'), ['pipeline/cli.ts', 'build', '--out', out, '--work', tempDir(), ...args], {
    encoding: 'utf8',
    env: { ...process.env, CI: 'true' },
  });
  if (r.status !== 0) throw new Error(`build failed:\n${r.stdout}\n${r.stderr}`);
  return out;
}
