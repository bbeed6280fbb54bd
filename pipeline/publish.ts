import { existsSync } from 'node:fs';
import { mkdir, rename, rm } from 'node:fs/promises';
import { dirname, join } from 'node:path';

/**
 * Moves finished folders into place: each target is replaced by one rename, so a reader (or a failed
 * build) sees either the previous version or the new one, never a mix.
 */
export async function publish(moves: { from: string; to: string }[]): Promise<void> {
  for (const { from, to } of moves) {
    await mkdir(dirname(to), { recursive: true });
    const old = `${to}.old-${process.pid}`;
    if (existsSync(to)) await rename(to, old);
    await rename(from, to);
    await rm(old, { recursive: true, force: true });
  }
}

/** A fresh, empty scratch folder under the work directory. */
export async function scratch(workDir: string, name: string): Promise<string> {
  const dir = join(workDir, `${name}.tmp-${process.pid}`);
  await rm(dir, { recursive: true, force: true });
  await mkdir(dir, { recursive: true });
  return dir;
}
