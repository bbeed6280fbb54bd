/**
 * The site over the pipelines' outputs: Astro builds it into a scratch folder, the datasets' downloads and API files
 * are copied beside it, and the folder replaces the output folder whole, so a failed build leaves the last site.
 */
import { existsSync, readdirSync } from 'node:fs';
import { cp, mkdir, mkdtemp, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { apiFolder, dataFolder, MANIFEST_FILE } from '../src/lib/contract/paths.ts';
import type { SiteInput } from '../src/lib/contract/site-input.ts';
import { publish, scratch } from './publish.ts';

/** Builds the site of `input` into `outDir`, with `workDir` for its scratch folder. */
export async function buildSite(input: SiteInput, outDir: string, workDir: string, logLevel: 'info' | 'warn'): Promise<void> {
  const site = await scratch(workDir, 'site');
  // Astro writes the pages' server code beside its output when that is under the working directory, and otherwise to
  // one shared folder there (.astro/.prerender) that it removes when done: two builds at once would remove each
  // other's. It builds into a folder of its own under the working directory, copied to the scratch folder after.
  await mkdir(join(process.cwd(), '.astro'), { recursive: true });
  const built = await mkdtemp(join(process.cwd(), '.astro', 'site-'));
  try {
    process.env.ASTRO_TELEMETRY_DISABLED = '1';
    const { build } = await import('astro');
    // The pages read where the outputs are and which datasets to show from import.meta.env (src/data/site-data.ts).
    await build({ root: process.cwd(), outDir: built, logLevel, vite: { define: { 'import.meta.env.SALESCUBE_SITE': JSON.stringify(JSON.stringify(input)) } } });
    await cp(built, site, { recursive: true });
    // Only the datasets shown: the outputs' folder may hold another dataset's from an older build.
    for (const dataset of input.datasets) {
      for (const folder of [dataFolder(dataset), apiFolder(dataset)]) await cp(join(input.data, folder), join(site, folder), { recursive: true });
    }
    await publish([{ from: site, to: outDir }]);
  } finally {
    await rm(site, { recursive: true, force: true });
    await rm(built, { recursive: true, force: true });
  }
}

/** The datasets whose outputs a folder holds, the registered ones first in their order, then the others by name. */
export function datasetsIn(data: string, registered: string[]): string[] {
  const folder = join(data, 'data');
  const present = existsSync(folder) ? readdirSync(folder).filter((name) => existsSync(join(folder, name, MANIFEST_FILE))) : [];
  return [...registered.filter((name) => present.includes(name)), ...present.filter((name) => !registered.includes(name)).sort()];
}
