/**
 * The cars price check's reported accuracy, reproduced: the held-out split recomputed in JavaScript (MD5 of
 * VIN|sale date), the held-out rows read from the built mart with DuckDB, each estimated by the browser's own
 * estimator from the exported model, and the medians and coverage recomputed, must equal price-model-eval.json.
 * And the held-out prices do not leak into the fit: changing them leaves the exported model byte for byte the same.
 */
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { loadDataset } from '../../pipeline/datasets/index.ts';
import type { Db } from '../../pipeline/duckdb.ts';
import { findSegment, logEstimate, priceModelFromTable, type ModelTable, type PriceModel } from '../../src/lib/price-model.ts';
import { independentDb, readJson, run, sharedRun, tempFile, type Run } from '../helpers/pipeline.ts';

const CSV = 'data/car_prices.csv';

interface Sale {
  vin: string;
  sale_date: string;
  make: string;
  model: string;
  trim: string;
  body: string;
  age_years: number;
  odometer: number;
  condition_grade: number;
  selling_price: number;
  mmr: number;
}

/** The documented split: the first 32 bits of MD5("VIN|YYYY-MM-DD"), as a number, mod 5 = 0 is held out. */
const heldOut = (s: Pick<Sale, 'vin' | 'sale_date'>) => Number.parseInt(createHash('md5').update(`${s.vin}|${s.sale_date}`).digest('hex').slice(0, 8), 16) % 5 === 0;

/** DuckDB's median: the middle value, or the mean of the two middle ones. */
function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

let db: Db, built: Pick<Run, 'outDir'>, sales: Sale[];
const api = <T = ModelTable>(r: Pick<Run, 'outDir'>, file: string) => readJson<T>(join(r.outDir, 'api', 'cars', file));
const evalRows = (r: Pick<Run, 'outDir'>) => {
  const t = api(r, 'price-model-eval.json');
  return t.rows.map((row) => Object.fromEntries(t.columns.map((c, i) => [c, row[i]])));
};

beforeAll(async () => {
  db = await independentDb();
  built = sharedRun('cars');
  // Every sale the price check could learn from or be judged on: odometer and condition known.
  sales = await db.rows<Sale>(`
    select vin, strftime(sale_date, '%Y-%m-%d') as sale_date, make, model, trim, body, age_years, odometer,
      condition_grade::DOUBLE as condition_grade, selling_price::DOUBLE as selling_price, mmr::DOUBLE as mmr
    from read_parquet('${join(built.outDir, 'data', 'cars', 'mart_sales.parquet')}')
    where odometer is not null and condition_grade is not null
    order by vin, sale_date`);
}, 300_000);

describe('cars price check: held-out accuracy', () => {
  it('holds out the sales the documented hash picks, about a fifth, and fits on the rest', async () => {
    const flagged = await db.rows<{ vin: string; sale_date: string; held_out: boolean }>(
      `select vin, strftime(sale_date, '%Y-%m-%d') as sale_date, held_out from read_parquet('${join(built.outDir, 'data', 'cars', 'price_sample.parquet')}') order by vin, sale_date`,
    );
    expect(flagged.map((r) => [r.vin, r.sale_date, r.held_out])).toEqual(sales.map((s) => [s.vin, s.sale_date, heldOut(s)]));
    const share = sales.filter(heldOut).length / sales.length;
    expect(share).toBeGreaterThan(0.18);
    expect(share).toBeLessThan(0.22);
    const model = api(built, 'price-model.json');
    const all = model.rows.find((r) => r[model.columns.indexOf('level')] === 'all')!;
    expect(all[model.columns.indexOf('training_rows')]).toBe(sales.filter((s) => !heldOut(s)).length);
  });

  it('reports the error, MMR error and range coverage that the estimator gives on the held-out rows', () => {
    const model: PriceModel = priceModelFromTable(api(built, 'price-model.json'), 0);
    const scored = sales.filter(heldOut).map((s) => {
      const segment = findSegment(model, s);
      const log = logEstimate(segment, s.age_years, s.odometer, s.condition_grade);
      const price = s.selling_price;
      return {
        level: segment.level,
        modelError: Math.abs(Math.exp(log) - price) / price,
        mmrError: Math.abs(s.mmr - price) / price,
        inRange: Math.exp(log + segment.rangeLow) <= price && price <= Math.exp(log + segment.rangeHigh),
      };
    });
    const summary = (rows: typeof scored) => ({
      held_out_rows: rows.length,
      model_median_ape: median(rows.map((r) => r.modelError)),
      mmr_median_ape: median(rows.map((r) => r.mmrError)),
      range_coverage: rows.filter((r) => r.inRange).length / rows.length,
    });
    const want = [['total', summary(scored)] as const, ...[...new Set(scored.map((r) => r.level))].map((level) => [level, summary(scored.filter((r) => r.level === level))] as const)];
    const reported = evalRows(built);
    expect(reported.map((r) => r.level).sort()).toEqual(want.map(([level]) => level).sort());
    for (const [level, figures] of want) {
      const got = reported.find((r) => r.level === level)!;
      expect(got.held_out_rows, level).toBe(figures.held_out_rows);
      expect(got.range_coverage, level).toBe(figures.range_coverage);
      expect(got.model_median_ape as number, level).toBeCloseTo(figures.model_median_ape, 12);
      expect(got.mmr_median_ape as number, level).toBeCloseTo(figures.mmr_median_ape, 12);
    }
    // Sanity of the figures themselves on the bundled data: a usable model, honestly behind MMR.
    const total = reported.find((r) => r.level === 'total')!;
    expect(total.model_median_ape).toBeLessThan(0.25);
    expect(total.mmr_median_ape).toBeLessThan(total.model_median_ape as number);
  });

  it('never fits on held-out prices: changing them leaves the exported model unchanged', async () => {
    const lines = readFileSync(CSV, 'utf8').split('\r\n');
    const vinColumn = lines[0]!.split(',').indexOf('vin');
    const priceColumn = lines[0]!.split(',').indexOf('sellingprice');
    const heldOutVins = new Set(sales.filter(heldOut).map((s) => s.vin));
    const salesPerVin = new Map<string, number>();
    for (const s of sales) salesPerVin.set(s.vin, (salesPerVin.get(s.vin) ?? 0) + 1);
    let changed = 0;
    const edited = lines.map((line, i) => {
      const cells = line.split(',');
      if (i === 0 || !heldOutVins.has(cells[vinColumn]!) || salesPerVin.get(cells[vinColumn]!) !== 1) return line;
      cells[priceColumn] = String(Number(cells[priceColumn]) * 2);
      changed += 1;
      return cells.join(',');
    });
    expect(changed).toBeGreaterThan(1000);
    const again = await run([tempFile('car_prices.csv', edited.join('\r\n'))], { dataset: loadDataset('cars') });
    const file = (r: Pick<Run, 'outDir'>) => readFileSync(join(r.outDir, 'api', 'cars', 'price-model.json'));
    expect(file(again).equals(file(built))).toBe(true);
    const total = (r: Pick<Run, 'outDir'>) => evalRows(r).find((row) => row.level === 'total')!;
    expect(total(again).held_out_rows).toBe(total(built).held_out_rows);
    expect(total(again).model_median_ape).not.toBe(total(built).model_median_ape);
  });

  it('writes a slope that is 0 in exact arithmetic as 0, never −0, whichever side of 0 its sums land', async () => {
    // One segment of 40 sales whose log price falls by 1e-9 per unit of x_odometer: its slope rounds to 0 at 6
    // decimals, from below, as a slope of exactly 0 does when the threads add its sums up in another order.
    const model = readFileSync(join(loadDataset('cars').modelsDir, 'price_model.sql'), 'utf8');
    const own = await independentDb();
    await own.run(`
      create table price_sample as
      select 'V' || i as vin, date '2015-01-01' + i::INTEGER as sale_date, 'Make' as make, 'Model' as model, 'Trim' as trim, 'Sedan' as body,
        (i % 5)::DOUBLE as x_age, ln(1 + (i * 7 % 11)) as x_odometer, ((i * 3 % 7) / 2)::DOUBLE as x_condition,
        10 + 0.1 * (i % 5) - 1e-9 * ln(1 + (i * 7 % 11)) - 0.05 * ((i * 3 % 7) / 2) as log_price, false as held_out
      from range(40) t(i)`);
    const rows = await own.rows<{ level: string; b_age: number; b_odometer: number; b_condition: number }>(`select level, b_age, b_odometer, b_condition from (${model})`);
    expect(rows.map((r) => r.level).sort()).toEqual(['all', 'body', 'make', 'model', 'trim']);
    for (const r of rows) {
      expect(r.b_age, r.level).toBeCloseTo(0.1, 6);
      expect(r.b_condition, r.level).toBeCloseTo(-0.05, 6);
      expect(Object.is(r.b_odometer, 0), `${r.level}: b_odometer ${Object.is(r.b_odometer, -0) ? '-0' : r.b_odometer}`).toBe(true);
    }
  });
});
