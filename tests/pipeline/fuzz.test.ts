/**
 * A seeded, bounded fuzz of the ingest and clean stages: the first 100 rows of the sample, mutated (byte flips,
 * shuffled rows, dropped columns, random quoting, truncation, inserted delimiters, quotes and newlines). Each
 * case either stops with a UserError naming the file, or accounts for every row it read: read = loaded +
 * rejected + duplicates, and read equals the records an independent CSV parser finds in the same text.
 */
import { parse } from 'csv-parse/sync';
import { stringify } from 'csv-stringify/sync';
import iconv from 'iconv-lite';
import { describe, expect, it } from 'vitest';
import { loadDataset } from '../../pipeline/datasets/index.ts';
import { UserError } from '../../pipeline/errors.ts';
import { sampleRecords, toCsv } from '../helpers/csv.ts';
import { mulberry32 } from '../helpers/filter-states.ts';
import { run, tempFile } from '../helpers/pipeline.ts';

// FUZZ_CASES / FUZZ_SEED explore further; the defaults are what CI runs.
const CASES = Number(process.env.FUZZ_CASES ?? 60);
const SEED = Number(process.env.FUZZ_SEED ?? 20240601);
const base = sampleRecords().slice(0, 101);

type Random = () => number;
const int = (random: Random, n: number) => Math.floor(random() * n);
const pick = <T>(random: Random, xs: T[]) => xs[int(random, xs.length)]!;

/** Mutations of records (before writing) and of bytes (after). */
const recordMutations: Record<string, (r: Random, rows: string[][]) => string[][]> = {
  shuffle: (r, rows) => {
    const body = rows.slice(1);
    for (let i = body.length - 1; i > 0; i--) {
      const j = int(r, i + 1);
      [body[i], body[j]] = [body[j]!, body[i]!];
    }
    return [rows[0]!, ...body];
  },
  dropColumn: (r, rows) => {
    const k = int(r, rows[0]!.length);
    return rows.map((row) => row.filter((_, i) => i !== k));
  },
  dropCell: (r, rows) => {
    const n = 1 + int(r, rows.length - 1);
    return rows.map((row, i) => (i === n ? row.filter((_, k) => k !== int(r, row.length)) : row));
  },
  duplicateRows: (r, rows) => [...rows, ...Array.from({ length: 1 + int(r, 3) }, () => rows[1 + int(r, rows.length - 1)]!)],
  blankCells: (r, rows) => rows.map((row, i) => (i > 0 && r() < 0.1 ? row.map((c) => (r() < 0.2 ? '' : c)) : row)),
};

/** Quotes a cell that need not be, empty ones included; one draw per cell, in file order. */
const quoteAtRandom = (r: Random) => (cell: string) => (r() < 0.3 ? { value: cell, quoted: true, quoted_empty: true } : cell);
function write(r: Random, rows: string[][]): { text: string; delimiter: string } {
  const delimiter = pick(r, [',', ',', ';', '\t']);
  const newline = pick(r, ['\n', '\n', '\r\n']);
  const randomQuoting = r() < 0.4;
  const text = randomQuoting
    ? stringify(rows, { delimiter, record_delimiter: newline, quote_record_delimiter: true, cast: { string: quoteAtRandom(r) } })
    : toCsv(rows, { delimiter, newline, finalNewline: r() < 0.8 });
  return { text, delimiter };
}

const byteMutations: Record<string, (r: Random, bytes: Buffer) => Buffer> = {
  flipBytes: (r, b) => {
    const out = Buffer.from(b);
    for (let i = 0, n = 1 + int(r, 5); i < n; i++) out[int(r, out.length)] = int(r, 256);
    return out;
  },
  truncate: (r, b) => b.subarray(0, int(r, b.length)),
  insert: (r, b) => {
    let out = b;
    for (let i = 0, n = 1 + int(r, 4); i < n; i++) {
      const at = int(r, out.length);
      out = Buffer.concat([out.subarray(0, at), Buffer.from(pick(r, [',', ';', '"', '\n', '\r\n', '""', '\t'])), out.subarray(at)]);
    }
    return out;
  },
};

function makeCase(seed: number) {
  const r = mulberry32(seed);
  const applied: string[] = [];
  let rows = base.map((row) => [...row]);
  for (const [name, f] of Object.entries(recordMutations)) {
    if (r() < 0.25) {
      rows = f(r, rows);
      applied.push(name);
    }
  }
  const { text } = write(r, rows);
  let bytes: Buffer = Buffer.from(text);
  for (const [name, f] of Object.entries(byteMutations)) {
    if (r() < 0.35) {
      bytes = f(r, bytes);
      applied.push(name);
    }
  }
  return { bytes, applied };
}

/** Records after the header, as csv-parse reads the text with every relax option; undefined when it cannot. */
function independentCount(bytes: Buffer, encoding: string, delimiter: string): number | undefined {
  const text = encoding === 'utf-8' ? bytes.toString('utf8') : iconv.decode(bytes, encoding);
  try {
    const records = parse(text, { delimiter, bom: true, relax_quotes: true, relax_column_count: true, skip_empty_lines: true }) as string[][];
    return records.length - 1;
  } catch {
    return undefined;
  }
}

describe('fuzzed input never loses a row and never fails without a clear message', () => {
  const cases = Array.from({ length: CASES }, (_, i) => ({ seed: SEED + i, ...makeCase(SEED + i) }));

  it.each(cases.map((c) => [c.seed, c.applied.join('+') || 'none', c] as const))('seed %i: %s', async (seed, _applied, { bytes }) => {
    const name = `fuzz-${seed}.csv`;
    const dataset = loadDataset('sales');
    dataset.spec.thresholds = { maxRejectedPct: 100 }; // accounting is what is checked here, not the threshold
    const result = await run([tempFile(name, bytes)], { dataset, checkOnly: true }).catch((e: unknown) => e);

    if (!(result && typeof result === 'object' && 'quality' in result)) {
      expect(result, String((result as Error)?.stack)).toBeInstanceOf(UserError);
      expect((result as UserError).format(), 'the error names the file').toContain(name);
      return;
    }
    const { files, rejects } = (result as Awaited<ReturnType<typeof run>>).quality;
    const [file] = files;
    expect(file!.read, 'read = loaded + rejected + duplicates').toBe(file!.loaded + file!.rejected + file!.duplicates);

    // Reject lines are distinct lines of the file.
    const text = file!.encoding === 'utf-8' ? bytes.toString('utf8') : iconv.decode(bytes, file!.encoding);
    const physical = text.split(/\r\n|\r|\n/).length;
    const lines = rejects.map((x) => x.line);
    expect(new Set(lines).size, 'one reject per line').toBe(lines.length);
    for (const line of lines) expect(line).toBeGreaterThanOrEqual(2), expect(line).toBeLessThanOrEqual(physical);

    // Every record an independent parser sees is read.
    const independent = independentCount(bytes, file!.encoding, file!.delimiter);
    if (independent !== undefined) expect(file!.read, 'records read vs csv-parse').toBe(independent);
  });
});
