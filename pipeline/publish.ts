import { existsSync, readdirSync } from 'node:fs';
import { mkdir, rename, rm } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';

const alive = (pid: number) => {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
};

/** Leftovers named `<name>.<tag>-<pid>` next to `path`, of processes that are no longer running. */
function leftovers(path: string, tag: 'old' | 'tmp'): string[] {
  const dir = dirname(path);
  if (!existsSync(dir)) return [];
  const pattern = new RegExp(`^${basename(path).replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}\\.${tag}-(\\d+)$`);
  return readdirSync(dir)
    .map((name) => pattern.exec(name))
    .filter((m): m is RegExpExecArray => m !== null && !alive(Number(m[1])))
    .map((m) => join(dir, m[0]));
}

/**
 * Moves finished folders (or files) into place. Each target is swapped by two renames: the previous version
 * aside, the new one in. A build killed between the two leaves the previous version aside, and the next
 * build puts it back before anything else (recover), so readers only ever see a whole version.
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

/** Undoes what a killed build left half done: restores a target it had set aside, removes the rest. */
export async function recover(targets: string[]): Promise<void> {
  for (const target of targets) {
    for (const old of leftovers(target, 'old')) {
      if (!existsSync(target)) await rename(old, target);
      else await rm(old, { recursive: true, force: true });
    }
  }
}

/** Removes the scratch folders of `name` that killed builds left under the work directory. */
export async function clearScratch(workDir: string, name: string): Promise<void> {
  for (const stale of leftovers(join(workDir, name), 'tmp')) await rm(stale, { recursive: true, force: true });
}

/** A fresh, empty scratch folder under the work directory; those of killed builds are removed. */
export async function scratch(workDir: string, name: string): Promise<string> {
  await clearScratch(workDir, name);
  const dir = join(workDir, `${name}.tmp-${process.pid}`);
  await rm(dir, { recursive: true, force: true });
  await mkdir(dir, { recursive: true });
  return dir;
}
