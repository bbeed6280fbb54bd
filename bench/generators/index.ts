/**
 * Writes a synthetic file for a dataset: its generator resamples the bundled sample, and the rows are encoded
 * and written in chunks of about 4 MB, so a 10M-row file (~1.9 GB) never sits in memory.
 */
import { readFileSync } from 'node:fs';
import { open, rename, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { parse } from 'csv-parse/sync';
import iconv from 'iconv-lite';
import { cars } from './cars.ts';
import { sales } from './sales.ts';
import { mulberry32, type Generator, type Sample } from './types.ts';

export const generators: Record<string, Generator> = { sales, cars };

const CHUNK_CHARS = 4 << 20;

export function generatorFor(dataset: string): Generator {
  const generator = generators[dataset];
  if (!generator) throw new Error(`no generator for dataset "${dataset}" (have: ${Object.keys(generators).join(', ')})`);
  return generator;
}

/** Where the benchmarks keep a generated file of a dataset: one per size, seed and generator version. */
export const cacheFile = (dataset: string, rows: number, seed: number) => join(process.cwd(), 'bench', 'cache', `${dataset}-${rows}-s${seed}-v${generatorFor(dataset).version}.csv`);

export function readSample(generator: Generator): Sample {
  const text = iconv.decode(readFileSync(generator.sample), generator.encoding);
  const [header, ...rows] = parse(text, { bom: true }) as string[][];
  if (!header) throw new Error(`${generator.sample} is empty`);
  return { header, rows };
}

export interface Generated {
  file: string;
  rows: number;
  bytes: number;
  ms: number;
}

/**
 * `rows` data rows after the header, the generator's line endings (LF unless it says) and a final one, in the
 * sample's encoding. The file is written under a temporary name and renamed when complete, so an interrupted run
 * never leaves a partial file.
 */
export async function generateFile(options: { dataset: string; rows: number; seed: number; out: string }): Promise<Generated> {
  const { dataset, rows, seed, out } = options;
  if (!Number.isSafeInteger(rows) || rows < 0) throw new Error(`rows must be a whole number ≥ 0, not ${rows}`);
  if (!Number.isInteger(seed) || seed < 0 || seed > 0xffffffff) throw new Error(`seed must be a whole number from 0 to 4294967295, not ${seed}`);
  const started = performance.now();
  const generator = generatorFor(dataset);
  const sample = readSample(generator);
  const newline = generator.newline ?? '\n';
  const partial = `${out}.partial`;
  const handle = await open(partial, 'w');
  let bytes = 0;
  let pending: Promise<unknown> = Promise.resolve();
  // Encode the next chunk while the previous one is being written.
  const flush = async (text: string) => {
    const buffer = iconv.encode(text, generator.encoding);
    await pending;
    bytes += buffer.length;
    pending = handle.write(buffer);
  };
  try {
    let parts: string[] = [generator.header(sample).join(',')];
    let chars = 0;
    for (const line of generator.resample(sample, mulberry32(seed), rows)) {
      parts.push(line);
      chars += line.length + newline.length;
      if (chars >= CHUNK_CHARS) {
        await flush(parts.join(newline) + newline);
        parts = [];
        chars = 0;
      }
    }
    if (parts.length) await flush(parts.join(newline) + newline);
    await pending;
    await handle.close();
    await rename(partial, out);
  } catch (error) {
    await handle.close().catch(() => {});
    await rm(partial, { force: true });
    throw error;
  }
  return { file: out, rows, bytes, ms: performance.now() - started };
}
