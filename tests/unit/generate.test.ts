/** The synthetic-data generator behind the benchmarks: deterministic, of the sample's shape, and loadable as is. */
import { isUtf8 } from 'node:buffer';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'csv-parse/sync';
import iconv from 'iconv-lite';
import { beforeAll, describe, expect, it } from 'vitest';
import { generateFile } from '../../bench/generators/index.ts';
import { dealSize, formatCents } from '../../bench/generators/sales.ts';
import { mulberry32 } from '../../bench/generators/types.ts';
import { run, sampleText, tempDir } from '../helpers/pipeline.ts';

const ROWS = 5000;
const dir = tempDir('salescube-generate-');
const generate = (seed: number, name = `sales-${seed}.csv`) => generateFile({ dataset: 'sales', rows: ROWS, seed, out: join(dir, name) });

let bytes: Buffer;
let header: string[];
let rows: Record<string, string>[];
beforeAll(async () => {
  const { file } = await generate(1);
  bytes = readFileSync(file);
  const [head, ...records] = parse(iconv.decode(bytes, 'cp850')) as string[][];
  header = head!;
  rows = records.map((r) => Object.fromEntries(header.map((h, i) => [h, r[i]!])));
});

const cents = (text: string) => {
  expect(text).toMatch(/^\d+(\.\d{1,2})?$/);
  return Math.round(Number(text) * 100);
};

describe('generator', () => {
  it('gives the same bytes for a seed and other bytes for another seed', async () => {
    const again = readFileSync((await generate(1, 'again.csv')).file);
    expect(again.equals(bytes)).toBe(true);
    const other = readFileSync((await generate(2)).file);
    expect(other.equals(bytes)).toBe(false);
  });

  it('mulberry32 is a seeded sequence in [0, 1)', () => {
    const a = mulberry32(42);
    const b = mulberry32(42);
    const xs = Array.from({ length: 1000 }, () => a());
    expect(xs).toEqual(Array.from({ length: 1000 }, () => b()));
    expect(xs.every((x) => x >= 0 && x < 1)).toBe(true);
    expect(new Set(xs).size).toBe(1000);
  });

  it('writes the sample header, N data rows, LF endings and cp850 like the sample', () => {
    const sample = sampleText();
    expect(header.join(',')).toBe(sample.split('\n', 1)[0]);
    expect(rows).toHaveLength(ROWS);
    expect(bytes.includes(0x0d)).toBe(false);
    expect(bytes.at(-1)).toBe(0x0a);
    // Names such as Berguvsvägen come through as cp850 bytes, not UTF-8.
    expect(isUtf8(bytes)).toBe(false);
    expect(iconv.decode(bytes, 'cp850')).toMatch(/Berguvsvägen|Martín|Cataluña/);
  });

  it('numbers orders afresh with unique (ORDERNUMBER, ORDERLINENUMBER), each order in one block', () => {
    const keys = new Set(rows.map((r) => `${r.ORDERNUMBER}/${r.ORDERLINENUMBER}`));
    expect(keys.size).toBe(ROWS);
    const seen = new Set<string>();
    let previous = '';
    const orders = new Map<string, Record<string, string>>();
    for (const r of rows) {
      if (r.ORDERNUMBER !== previous) {
        expect(seen.has(r.ORDERNUMBER!)).toBe(false);
        seen.add(r.ORDERNUMBER!);
        previous = r.ORDERNUMBER!;
        orders.set(previous, r);
      }
      // An order keeps one date, customer and status for all its lines.
      const first = orders.get(previous)!;
      expect([r.ORDERDATE, r.CUSTOMERNAME, r.STATUS]).toEqual([first.ORDERDATE, first.CUSTOMERNAME, first.STATUS]);
    }
    expect(seen.size).toBeGreaterThan(ROWS / 20);
  });

  it('writes M/D/YYYY H:MM dates that exist, with QTR_ID, MONTH_ID and YEAR_ID agreeing, over more years than the sample', () => {
    const years = new Set<number>();
    for (const r of rows) {
      const match = /^(\d{1,2})\/(\d{1,2})\/(\d{4}) \d{1,2}:\d{2}$/.exec(r.ORDERDATE!);
      expect(match, r.ORDERDATE).not.toBeNull();
      const [m, d, y] = [Number(match![1]), Number(match![2]), Number(match![3])];
      const date = new Date(Date.UTC(y, m - 1, d));
      expect([date.getUTCFullYear(), date.getUTCMonth() + 1, date.getUTCDate()]).toEqual([y, m, d]);
      expect([Number(r.YEAR_ID), Number(r.MONTH_ID), Number(r.QTR_ID)]).toEqual([y, m, Math.ceil(m / 3)]);
      years.add(y);
    }
    expect(years.size).toBeGreaterThanOrEqual(8);
  });

  it('keeps SALES the line revenue in cents, PRICEEACH capped at 100 as in the sample, and DEALSIZE its band', () => {
    const jittered = rows.filter((r) => cents(r.PRICEEACH!) % 100 !== 0).length;
    expect(jittered).toBeGreaterThan(ROWS / 2);
    for (const r of rows) {
      const quantity = Number(r.QUANTITYORDERED);
      expect(Number.isInteger(quantity) && quantity >= 1).toBe(true);
      const price = cents(r.PRICEEACH!);
      const sales = cents(r.SALES!);
      if (price < 100_00) expect(sales).toBe(quantity * price);
      else {
        expect(price).toBe(100_00);
        expect(sales).toBeGreaterThanOrEqual(quantity * 100_00);
        expect(sales % quantity).toBe(0); // a whole number of cents per unit
      }
      expect(r.DEALSIZE).toBe(dealSize(sales));
    }
  });

  it('writes money the way the sample does', () => {
    expect([287100, 276590, 388434, 100, 5, 0].map(formatCents)).toEqual(['2871', '2765.9', '3884.34', '1', '0.05', '0']);
  });

  it('gives a file the real pipeline loads with no rejects and no duplicates', async () => {
    const result = await run([join(dir, 'sales-1.csv')]);
    expect(result.quality.totals).toMatchObject({ read: ROWS, loaded: ROWS, rejected: 0, duplicates: 0 });
    expect(result.quality.files[0]!.encoding).toBe('cp850');
    expect(result.quality.checks.every((c) => c.passed)).toBe(true);
  });
});
