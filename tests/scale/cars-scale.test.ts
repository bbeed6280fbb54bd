/**
 * The cars pipeline at the full public file's size: a generated 558,837-row file (bench/generators/cars.ts, a fixed
 * seed) goes through `run` (the pipeline only, no site). Every row read is loaded, rejected with one of the expected
 * reasons, or an exact duplicate; the rejects by rule and the KPIs equal independent SQL over the generated CSV with
 * the dataset's rules written out by hand.
 */
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateFile } from '../../bench/generators/index.ts';
import { loadDataset } from '../../pipeline/datasets/index.ts';
import type { Db } from '../../pipeline/duckdb.ts';
import { independentDb, readJson, run, tempDir, type Run } from '../helpers/pipeline.ts';
import { rawCarsKpisSql } from '../helpers/cars-mart.ts';

const ROWS = 558_837;
const SEED = 558;
const dir = tempDir('salescube-cars-scale-');
const csv = join(dir, 'car_prices_558k.csv');

let result: Run;
let db: Db;

beforeAll(async () => {
  await generateFile({ dataset: 'cars', rows: ROWS, seed: SEED, out: csv });
  result = await run([csv], { dataset: loadDataset('cars') });
  // Line numbers added by hand, so that "the first row of a key is kept" can be said in SQL.
  const lines = readFileSync(csv, 'utf8').split('\r\n');
  if (lines.at(-1) === '') lines.pop();
  const numbered = join(dir, 'numbered.csv');
  writeFileSync(numbered, [`${lines[0]},line`, ...lines.slice(1).map((l, i) => `${l},${i + 2}`)].join('\n'));
  db = await independentDb();
  // The dataset's rules, each row classified by the first one it breaks, in the order the README gives them: the
  // VIN's form, then ranges (prices and MMR of at least 100, odometer ≥ 0), then the transmission row rule.
  await db.run(`create table classified as
    select *, strptime(substr(saledate, 5, 11), '%b %d %Y')::DATE as day, case
        when vin is null or not regexp_full_match(vin, '[A-Za-z0-9]{17}') then 'pattern'
        when mmr::DOUBLE < 100 or sellingprice::DOUBLE < 100 or odometer::DOUBLE < 0 then 'range'
        when transmission is not null and lower(transmission) not in ('automatic', 'manual') then 'transmission_known'
      end as broken
    from read_csv('${numbered}', header = true, all_varchar = true)`);
  // Of the rows that pass them, the first of each (VIN, day) is kept; a later one is an exact duplicate when
  // every cell is the same, a key conflict otherwise.
  const cells = 'list_value(year, make, model, trim, body, transmission, vin, state, condition, odometer, color, interior, seller, mmr, sellingprice, saledate)::VARCHAR';
  await db.run(`create table keyed as
    select *, row_number() over w as nth, first_value(${cells}) over w = ${cells} as same
    from classified where broken is null
    window w as (partition by vin, day order by line::INTEGER)`);
}, 240_000);

// About 1 GB of input, copies, outputs and the work folder: not left behind in the temp folder.
afterAll(() => {
  db?.close();
  for (const path of [dir, result?.outDir, result?.workDir]) if (path) rmSync(path, { recursive: true, force: true });
});

describe('cars at 558,837 rows', () => {
  it('accounts for every row read: loaded, rejected with a reason, or an exact duplicate', () => {
    const { totals, files } = result.quality;
    expect(totals.read).toBe(ROWS);
    expect(totals.read).toBe(totals.loaded + totals.rejected + totals.duplicates);
    expect(files).toHaveLength(1);
    for (const f of files) expect(f.read).toBe(f.loaded + f.rejected + f.duplicates);
    expect(result.quality.checks.every((c) => c.passed)).toBe(true);
  });

  it('rejects only for the expected reasons, as many as independent SQL finds', async () => {
    const byRule: Record<string, number> = {};
    for (const r of result.quality.reasons) byRule[`${r.rule} ${r.column}`] = (byRule[`${r.rule} ${r.column}`] ?? 0) + r.rows;
    const [want] = await db.rows(`
      select
        (select count(*) from classified where broken = 'pattern')::INTEGER as "pattern vin",
        (select count(*) from classified where broken = 'range' and mmr::DOUBLE < 100)::INTEGER as "range mmr",
        (select count(*) from classified where broken = 'range' and mmr::DOUBLE >= 100 and sellingprice::DOUBLE < 100)::INTEGER as "range sellingprice",
        (select count(*) from classified where broken = 'transmission_known')::INTEGER as "transmission_known transmission",
        (select count(*) from keyed where nth > 1 and not same)::INTEGER as "unique_key vin, saledate",
        (select count(*) from keyed where nth > 1 and same)::INTEGER as duplicates`);
    const { duplicates, ...rejects } = want!;
    expect(byRule).toEqual(rejects);
    expect(result.quality.totals.duplicates).toBe(duplicates);
    // Every quirk the generator adds is there to be rejected.
    for (const [rule, rows] of Object.entries(rejects)) expect(rows, rule).toBeGreaterThan(0);
  });

  it('KPIs equal independent SQL over the generated CSV with the same rules', async () => {
    const [want] = await db.rows(`
      with kept as (select * from keyed where nth = 1)
      ${rawCarsKpisSql('kept')}`);
    const kpis = readJson(join(result.outDir, 'api', 'cars', 'kpis.json'));
    const { from, to, ...measures } = want!;
    expect(measures.units).toBe(result.quality.totals.loaded);
    expect(kpis.period).toEqual({ from, to });
    expect(kpis.measures).toEqual(measures);
  });
});
