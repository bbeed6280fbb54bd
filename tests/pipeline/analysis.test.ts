/**
 * The analyses' api files (forecast, seasonality, customer segments, cohorts, contributions) for the bundled sales
 * sample, against independent DuckDB queries over the clean table (stg_sales.parquet, Cancelled orders left out as
 * the default filter says): every month, index, score, cell and change recomputed, and the decomposition adding up
 * to the total change to the cent.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, inject, it } from 'vitest';
import type { Db } from '../../pipeline/duckdb.ts';
import {
  COHORTS_FILE,
  cohortsFile,
  CONTRIBUTIONS_FILE,
  contributionsFile,
  FORECAST_FILE,
  forecastFile,
  SEASONALITY_FILE,
  seasonalityFile,
  SEGMENTS_FILE,
  segmentsFile,
} from '../../src/lib/contract/analysis.ts';
import { independentDb, readJson } from '../helpers/pipeline.ts';

const outDir = inject('outputs');
const api = (file: string) => readJson(join(outDir, 'api', 'sales', file));
let db: Db;

beforeAll(async () => {
  db = await independentDb();
  await db.run(`create view clean as select * from '${join(outDir, 'data/sales/stg_sales.parquet')}' where status <> 'Cancelled'`);
});

const cents = (v: number) => Math.round(v * 100);

describe('the contract', () => {
  it.each([
    ['sales', FORECAST_FILE, forecastFile],
    ['sales', SEASONALITY_FILE, seasonalityFile],
    ['sales', SEGMENTS_FILE, segmentsFile],
    ['sales', COHORTS_FILE, cohortsFile],
    ['sales', CONTRIBUTIONS_FILE, contributionsFile],
    ['cars', FORECAST_FILE, forecastFile],
    ['cars', SEASONALITY_FILE, seasonalityFile],
    ['cars', CONTRIBUTIONS_FILE, contributionsFile],
  ] as const)('%s %s follows its schema', (dataset, file, schema) => {
    const result = schema.safeParse(readJson(join(outDir, 'api', dataset, file)));
    expect(result.success ? [] : result.error.issues).toEqual([]);
  });

  it('writes the customers’ files only for a dataset that names its customers', () => {
    expect(existsSync(join(outDir, 'api', 'cars', SEGMENTS_FILE))).toBe(false);
    expect(existsSync(join(outDir, 'api', 'cars', COHORTS_FILE))).toBe(false);
  });
});

describe('forecast.json', () => {
  it('has the monthly revenue of every full month, overall and per product line, the latest month set apart', async () => {
    const f = api('forecast.json');
    expect(f.months).toHaveLength(28);
    expect([f.months[0], f.months.at(-1)]).toEqual(['2003-01', '2005-04']);
    expect(f.latest).toEqual({ month: '2005-05', through: '2005-05-31' });
    expect(f.future).toEqual(['2005-05', '2005-06', '2005-07', '2005-08', '2005-09', '2005-10']);
    const monthly = await db.rows<{ line: string; month: string; revenue: number }>(
      `select product_line as line, strftime(order_date, '%Y-%m') as month, sum(sales)::DOUBLE as revenue from clean group by all`,
    );
    const value = (line: string | null, month: string) => monthly.filter((r) => (line === null || r.line === line) && r.month === month).reduce((a, r) => a + r.revenue, 0);
    expect(f.series.map((s: any) => s.member)).toEqual([null, ...(await db.rows<{ l: string }>('select product_line as l from clean group by 1 order by sum(sales) desc')).map((r) => r.l)]);
    for (const s of f.series) {
      expect(s.history.map(cents)).toEqual(f.months.map((m: string) => cents(value(s.member, m))));
      expect(cents(s.latestValue)).toBe(cents(value(s.member, '2005-05')));
    }
  });

  it('says the 28 months are too short to trust, and reports the baseline beside the method chosen', () => {
    for (const s of api('forecast.json').series) {
      expect(s.trusted).toBe(false);
      expect(s.note).toMatch(/^28 full months: too short to trust/);
      expect(s.backtest.origins).toEqual([25, 26, 27]);
      expect(s.backtest.byMethod['seasonal-naive'].mase).toBeGreaterThan(0);
      expect(s.backtest.byMethod[s.method].mase).toBe(Math.min(...Object.values<any>(s.backtest.byMethod).map((a) => a.mase)));
      expect(s.forecast).toHaveLength(6);
      for (const p of s.forecast) expect(p.lo95 <= p.lo80 && p.lo80 <= p.point && p.point <= p.hi80 && p.hi80 <= p.hi95 && p.lo95 >= 0).toBe(true);
    }
  });
});

describe('seasonality.json', () => {
  it('indexes each month of the year over the full years, and states each month’s growth against the month it names', async () => {
    const s = api('seasonality.json');
    expect(s.fullYears).toEqual(['2003', '2004']);
    const index = await db.rows<{ m: number; index: number }>(`
      with monthly as (select year(order_date) as y, month(order_date) as m, sum(sales)::DOUBLE as v from clean where year(order_date) in (2003, 2004) group by all)
      select m, avg(v / (select avg(v) from monthly o where o.y = monthly.y)) as index from monthly group by m order by m`);
    expect(s.monthOfYear.map((m: any) => m.index)).toEqual(index.map((r) => Math.round(r.index * 1e4) / 1e4));
    const growth = await db.rows<{ month: string; yoy: number | null }>(`
      with monthly as (select date_trunc('month', order_date) as d, sum(sales)::DOUBLE as v from clean where order_date < '2005-05-01' group by 1)
      select strftime(d, '%Y-%m') as month, (v - (select v from monthly p where p.d = monthly.d - interval 1 year)) / (select v from monthly p where p.d = monthly.d - interval 1 year) as yoy
      from monthly order by d`);
    expect(s.growth.map((g: any) => g.yearOverYear)).toEqual(growth.map((r) => (r.yoy === null ? null : Math.round(r.yoy * 1e4) / 1e4)));
    const [total] = await db.rows<{ v: number }>('select sum(sales)::DOUBLE as v from clean');
    expect(s.days.reduce((a: number, [, v]: [string, number]) => a + cents(v), 0)).toBe(cents(total!.v));
  });
});

describe('customer-segments.json', () => {
  it('scores every customer’s recency, frequency and money as an independent ranking does, and segments them by the documented rules', async () => {
    const file = api('customer-segments.json');
    expect(file.asOf).toBe('2005-05-31');
    // Scores from counting, for each customer, the customers strictly worse: a self-join, not a window.
    const expected = await db.rows<{ customer: string; recency_days: number; frequency: number; monetary: number; r: number; f: number; m: number }>(`
      with c as (
        select customer_name as customer, date_diff('day', max(order_date), (select max(order_date) from clean)) as recency_days,
          count(distinct order_number) as frequency, round(sum(sales)::DOUBLE, 2) as monetary
        from clean group by 1
      )
      select a.customer, a.recency_days, a.frequency, a.monetary,
        1 + floor(5 * count(*) filter (where b.recency_days > a.recency_days) / (select count(*) from c))::INTEGER as r,
        1 + floor(5 * count(*) filter (where b.frequency < a.frequency) / (select count(*) from c))::INTEGER as f,
        1 + floor(5 * count(*) filter (where b.monetary < a.monetary) / (select count(*) from c))::INTEGER as m
      from c a, c b group by all`);
    const byName = (a: { customer: string }, b: { customer: string }) => a.customer.localeCompare(b.customer);
    const got = [...file.customers].sort(byName);
    expect(got.map(({ segment: _, last_order: __, ...c }: any) => c)).toEqual(expected.sort(byName));
    const segment = (c: { r: number; f: number }) =>
      c.r >= 4 && c.f >= 4 ? 'champions' : c.r >= 3 && c.f >= 3 ? 'loyal' : c.r >= 3 ? 'promising' : c.f >= 3 ? 'at risk' : c.r === 2 ? 'hibernating' : 'lost';
    for (const c of got) expect(c.segment).toBe(segment(c));
    expect(file.segments.reduce((a: number, s: any) => a + s.customers, 0)).toBe(expected.length);
    // The download has the same customers, scores and segments, in the file's order.
    const table = await db.rows(`select * from '${join(outDir, 'data/sales/customer_segments.parquet')}'`);
    expect(table).toEqual(file.customers);
    for (const s of file.segments) {
      expect(s.customers).toBe(got.filter((c: any) => c.segment === s.segment).length);
      // Each segment's own download: its customers, in the same order.
      const own = await db.rows(`select * from '${join(outDir, `data/sales/customer_segments_${s.segment.replace(' ', '_')}.parquet`)}'`);
      expect(own).toEqual(file.customers.filter((c: any) => c.segment === s.segment));
    }
  });
});

describe('cohorts.json', () => {
  it('has every cohort’s customers and revenue in each month since its first order, and new against returning per month', async () => {
    const file = api('cohorts.json');
    const cells = await db.rows(`
      with firsts as (select customer_name, min(date_trunc('month', order_date)) as cohort from clean group by 1)
      select strftime(cohort, '%Y-%m') as cohort, (year(order_date) - year(cohort)) * 12 + month(order_date) - month(cohort) as months_since,
        strftime(order_date, '%Y-%m') as month, count(distinct customer_name) as customers, round(sum(sales)::DOUBLE, 2) as value
      from clean join firsts using (customer_name) group by all order by cohort, months_since`);
    expect(file.cohorts).toEqual(cells);
    const [{ customers }] = (await db.rows<{ customers: number }>('select count(distinct customer_name) as customers from clean')) as [{ customers: number }];
    expect(file.months.reduce((a: number, m: any) => a + m.new_customers, 0)).toBe(customers);
    for (const m of file.months) {
      const active = file.cohorts.filter((c: any) => c.month === m.month);
      expect(m.new_customers + m.returning_customers).toBe(active.reduce((a: number, c: any) => a + c.customers, 0));
      expect(cents(m.new_value) + cents(m.returning_value)).toBe(active.reduce((a: number, c: any) => a + cents(c.value), 0));
    }
  });
});

describe('contributions.json', () => {
  it('compares the latest year to date with the same days a year earlier, each member’s change adding up to the total’s to the cent', async () => {
    const file = api('contributions.json');
    expect([file.current, file.previous]).toEqual([
      { from: '2005-01-01', to: '2005-05-31' },
      { from: '2004-01-01', to: '2004-05-31' },
    ]);
    expect(file.measures).toEqual(['revenue', 'units', 'lines']);
    for (const by of file.by) {
      const expected = await db.rows<{ member: string; before: number; after: number }>(`
        select ${by.column}::VARCHAR as member, coalesce(sum(sales) filter (where order_date between '2004-01-01' and '2004-05-31'), 0)::DOUBLE as before,
          coalesce(sum(sales) filter (where order_date between '2005-01-01' and '2005-05-31'), 0)::DOUBLE as after
        from clean where order_date between '2004-01-01' and '2004-05-31' or order_date between '2005-01-01' and '2005-05-31' group by 1`);
      const got = new Map(by.members.map((m: any) => [m.member, m.values.revenue]));
      expect(got.size).toBe(expected.length);
      for (const e of expected) expect(got.get(e.member)).toEqual([e.before, e.after, (cents(e.after) - cents(e.before)) / 100]);
      for (const measure of file.measures) {
        expect(by.members.reduce((a: number, m: any) => a + cents(m.values[measure][2]), 0)).toBe(cents(file.totals[measure][2]));
      }
    }
  });

  it('splits average order value into mix and rate where orders add up (countries, customers), and says why not where they do not', () => {
    const file = api('contributions.json');
    const [before, after] = file.totals.aov;
    for (const by of file.by) {
      const aov = by.ratios.aov;
      if (by.column === 'product_line' || by.column === 'deal_size') {
        expect(aov).toEqual({ exact: false, note: "the members' orders add up to more than the whole's (one counts in several members): no exact split" });
        continue;
      }
      expect(aov.exact).toBe(true);
      const sum = aov.effects.reduce((a: number, e: any) => a + e.mix + e.rate, 0);
      // Each effect is rounded to the cent: the sum is within half a cent per member of the change.
      expect(Math.abs(sum - (after - before))).toBeLessThanOrEqual(0.005 * aov.effects.length + 0.01);
    }
  });
});
