/**
 * Incremental builds by content: each stage's key is a hash of the previous stage's key, the part of the
 * declaration it reads, and the code (and SQL) it runs. A stage whose key matches the last successful
 * build is skipped; mtimes are never used (a CI checkout resets them).
 */
import { createHash } from 'node:crypto';
import { createReadStream, existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { DatasetSpec } from '../src/lib/contract/declaration.ts';

export const STAGES = ['ingest', 'clean', 'model', 'cube', 'export'] as const;
export type Stage = (typeof STAGES)[number];
export type StageKeys = Record<Stage, string>;

const root = join(dirname(fileURLToPath(import.meta.url)), '..');

/** Every file under the given paths (relative to the repository), sorted, for hashing. */
function filesUnder(paths: string[]): string[] {
  const out: string[] = [];
  const walk = (path: string) => {
    if (!existsSync(path)) return;
    if (statSync(path).isDirectory()) for (const name of readdirSync(path).sort()) walk(join(path, name));
    else out.push(path);
  };
  for (const p of paths) walk(join(root, p));
  return out;
}

export function hashFiles(paths: string[]): string {
  const hash = createHash('sha256');
  for (const file of filesUnder(paths)) hash.update(relative(root, file)).update('\0').update(readFileSync(file)).update('\0');
  return hash.digest('hex');
}

export async function hashFile(path: string): Promise<string> {
  const hash = createHash('sha256');
  // 1 MB reads: large inputs hash noticeably faster than in the default 64 KB.
  for await (const chunk of createReadStream(path, { highWaterMark: 1 << 20 })) hash.update(chunk as Buffer);
  return hash.digest('hex');
}

const sha = (...parts: string[]) => createHash('sha256').update(parts.join('\0')).digest('hex');

// What each stage runs besides the declaration. Shared code (the DuckDB wrapper, the lockfile that pins
// DuckDB's version) is part of the first stage, so a change to it rebuilds everything.
export const CODE: Record<Stage, string[]> = {
  ingest: ['pipeline/ingest', 'pipeline/checked-sources.ts', 'pipeline/duckdb.ts', 'pipeline/errors.ts', 'package-lock.json'],
  clean: ['pipeline/clean', 'pipeline/file-tables.ts'],
  model: ['pipeline/model'],
  cube: ['pipeline/cube', 'src/lib/measure-round.ts', 'src/lib/periods.ts'],
  // The browser's data is planned and the analyses computed with the site's own functions (page needs, the query
  // engine, forecasts): a change to any of them may change what this stage writes.
  export: ['pipeline/export', 'pipeline/analysis', 'src/lib', 'pipeline/quality.ts', 'pipeline/run.ts'],
};

// The parts of the declaration each stage reads (the export stage reads all of it).
const DECLARED: Record<Exclude<Stage, 'export'>, (keyof DatasetSpec)[]> = {
  ingest: ['columns', 'legacyEncodings'],
  clean: ['columns', 'key', 'rules', 'missing', 'aliases', 'dateOrder', 'dateHints', 'thresholds'],
  model: ['models'],
  cube: ['mart', 'timeColumn', 'dimensions', 'pairs', 'measures', 'defaultFilter', 'primaryMeasure', 'endpoints'],
};

/** The declaration's parts a stage reads, as text to hash. */
export const declaredFor = (spec: DatasetSpec, stage: keyof typeof DECLARED) => JSON.stringify(DECLARED[stage].map((k) => spec[k]));

/** Each stage's key, from the inputs' hashes (sha256 of their bytes), the declaration and the stages' code. */
export function stageKeys(spec: DatasetSpec, inputHashes: string[], modelsDir: string, dateOrder?: string): StageKeys {
  const ingest = sha(hashFiles(CODE.ingest), declaredFor(spec, 'ingest'), ...inputHashes);
  const clean = sha(ingest, hashFiles(CODE.clean), declaredFor(spec, 'clean'), dateOrder ?? '');
  const model = sha(clean, hashFiles(CODE.model), hashFiles([relative(root, modelsDir)]), declaredFor(spec, 'model'));
  const cube = sha(model, hashFiles(CODE.cube), declaredFor(spec, 'cube'));
  const exported = sha(cube, hashFiles(CODE.export), JSON.stringify(spec));
  return { ingest, clean, model, cube, export: exported };
}

/** The first stage whose key differs from the last build's, or null when everything is current. */
export function firstChanged(now: StageKeys, before: StageKeys | undefined): Stage | null {
  if (!before) return 'ingest';
  return STAGES.find((s) => now[s] !== before[s]) ?? null;
}

export interface BuildState {
  keys: StageKeys;
  /** Where the outputs were published, so a different --out is never mistaken for current. */
  outDir: string;
}

/** The record a previous build left (of the pipeline, or of the site), or undefined when there is none. */
export function readState<T = BuildState>(path: string): T | undefined {
  try {
    return JSON.parse(readFileSync(path, 'utf8')) as T;
  } catch {
    return undefined;
  }
}

export const writeState = <T = BuildState>(path: string, state: T) => writeFile(path, `${JSON.stringify(state, null, 2)}\n`);
