/** What a dataset plugs into the synthetic-data generator (bench/generate.ts). */
import { stringify } from 'csv-stringify/sync';

/** Uniform numbers in [0, 1) from a seeded PRNG: the only source of randomness a generator may use. */
export type Rng = () => number;

/** The bundled sample as text: its header and its data rows, cells unquoted. */
export interface Sample {
  header: string[];
  rows: string[][];
}

export interface Generator {
  dataset: string;
  /** The bundled file the rows are resampled from. */
  sample: string;
  /** Text encoding of the sample; the generated file is written in the same one, so it takes the same ingest path. */
  encoding: string;
  /** Line ending of the generated file, as the real files have it (default LF). */
  newline?: '\n' | '\r\n';
  /** Some generated rows are meant to be rejected (the source's own faults, copied): the benchmark then checks the accounting, not zero rejects. */
  quirkRows?: boolean;
  /**
   * Bumped whenever the output for a given seed changes: part of the benchmark's cache key, so a stale
   * generated file is never reused.
   */
  version: number;
  /** Header cells of the generated file (normally the sample's own). */
  header(sample: Sample): string[];
  /**
   * Exactly `n` data rows, each a CSV line without its line ending, drawing every random choice from `rng`
   * (so a seed gives the same file). Lazily: the caller writes them in chunks and never holds the file.
   */
  resample(sample: Sample, rng: Rng, n: number): Iterable<string>;
}

/** mulberry32: a small, fast 32-bit PRNG, good enough for resampling and deterministic for a seed. */
export function mulberry32(seed: number): Rng {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/**
 * A CSV cell, quoted only when it has to be (as the bundled sample is written). Generators quote the sample's
 * cells once, before resampling, so this is not on the per-row path.
 */
export const csvCell = (value: string) => stringify([[value]], { eof: false });

/** Position of a header cell, or an error naming it. */
export function column(header: string[], name: string): number {
  const i = header.indexOf(name);
  if (i < 0) throw new Error(`the sample has no ${name} column (header: ${header.join(',')})`);
  return i;
}
