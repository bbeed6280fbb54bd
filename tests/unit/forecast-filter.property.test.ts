/**
 * The Forecast page under a filter against DuckDB: for seeded random filter states, the months the page forecasts
 * from (its cells grouped by month), every month-of-year index and every month's growth against the month before and
 * a year earlier equal independent SQL over the clean staging table; the forecast is the one forecast.json's
 * function gives for those months (its figures are checked against SQL and a second implementation in
 * forecast.test.ts).
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { loadDataset } from '../../pipeline/datasets/index.ts';
import type { ForecastFile } from '../../src/lib/contract/analysis.ts';
import type { FilterState } from '../../src/lib/filter-state.ts';
import { forecastEntry } from '../../src/lib/forecast.ts';
import { monthlySparks } from '../../src/lib/kpi-tiles.ts';
import { matchingRows, withParts } from '../../src/lib/query.ts';
import { seasonSummary } from '../../src/lib/seasonality.ts';
import { sampleStates } from '../helpers/filter-states.ts';
import { whereSql, type SampleMart } from '../helpers/mart.ts';
import { Mismatches } from '../helpers/mismatches.ts';
import { pageCells } from '../helpers/pipeline.ts';

const SEED = 20261204;
const STATES = 80;

let mart: SampleMart;
let states: FilterState[];
let file: ForecastFile;

beforeAll(async () => {
  ({ mart, states } = await sampleStates(SEED, STATES));
  file = JSON.parse(readFileSync(join(mart.outDir, 'api/sales/forecast.json'), 'utf8')) as ForecastFile;
  // The page's filters: the filter bar's columns (no period filter), and the top levels of a drill in a shared link.
  const { filters } = loadDataset('sales').spec;
  states = states.map((s) => ({
    from: null,
    to: null,
    members: Object.fromEntries(Object.entries(s.members).filter(([c]) => filters.includes(c))),
    drill: Object.fromEntries(Object.entries(s.drill).filter(([d]) => d === 'product' || d === 'geography').map(([d, p]) => [d, p.slice(0, 1)])),
  }));
});

/** The page's months: its cells grouped by month, as the browser does it. */
function pageMonths(state: FilterState): Map<string, number> {
  const table = pageCells(mart.outDir, 'sales', 'forecast/');
  const rows = matchingRows(table, mart.engine, state);
  const points = monthlySparks(table, rows, withParts(mart.engine.measures, ['revenue']), 'month').revenue!;
  return new Map(points.map((p) => [p.key, p.value ?? 0]));
}

const round4 = (v: number | null) => (v === null ? null : Math.round(v * 1e4) / 1e4);

describe('the Forecast page under a filter equals DuckDB', () => {
  it(`months, month-of-year index and growth for ${STATES} random filter states`, async () => {
    const mismatches = new Mismatches();
    const months = file.months.map((m) => `'${m}'`).join(', ');
    let forecast = 0;
    for (const state of states) {
      // Every full month (0 without rows), written for this test.
      const sql = await mart.db.rows<{ month: string; revenue: number }>(`
        with m as (select unnest([${months}]) as month),
          v as (select month, round(sum(sales), 2)::DOUBLE as revenue from stg where ${whereSql(state)} group by month)
        select m.month, coalesce(v.revenue, 0)::DOUBLE as revenue from m left join v using (month) order by m.month`);
      const byMonth = pageMonths(state);
      const history = file.months.map((m) => byMonth.get(m) ?? 0);
      mismatches.compare({ state }, 'months', history, sql.map((r) => r.revenue));
      // The index over the full years with revenue: each month ÷ its year's monthly mean, averaged over the years.
      const index = await mart.db.rows<{ month: number; idx: number }>(`
        with h as (select month, revenue, left(month, 4) as year from (values ${sql.map((r) => `('${r.month}', ${r.revenue})`).join(', ')}) t(month, revenue)),
          years as (select year from h group by year having count(*) = 12 and sum(revenue) <> 0),
          shares as (select month, revenue / (sum(revenue) over (partition by year) / 12) as share from h where year in (select year from years))
        select right(month, 2)::INTEGER as month, avg(share) as idx from shares group by all order by month`);
      const seasons = seasonSummary(file.months, history, 'currency');
      mismatches.compare({ state }, 'index', seasons.monthOfYear.filter((m) => m.index !== null).map((m) => [m.month, m.index]), index.map((r) => [r.month, round4(r.idx)]));
      // Growth against the month before and the same month a year earlier, by month label.
      const growth = await mart.db.rows<{ month: string; mom: number | null; yoy: number | null }>(`
        with h as (select month, revenue, strptime(month || '-01', '%Y-%m-%d')::DATE as d from (values ${sql.map((r) => `('${r.month}', ${r.revenue})`).join(', ')}) t(month, revenue))
        select h.month, (h.revenue - p.revenue) / nullif(p.revenue, 0) as mom, (h.revenue - y.revenue) / nullif(y.revenue, 0) as yoy
        from h left join h p on p.d = h.d - interval 1 month left join h y on y.d = h.d - interval 1 year order by h.month`);
      mismatches.compare({ state }, 'growth', seasons.growth.map((g) => [g.month, g.monthOverMonth, g.yearOverYear]), growth.map((g) => [g.month, round4(g.mom), round4(g.yoy)]));
      // The forecast is forecast.json's function of those months.
      const shown = forecastEntry(history, byMonth.get(file.latest.month) ?? 0, file.future.length, { nonNegative: file.nonNegative, format: 'currency' });
      if (shown.method) forecast++;
    }
    mismatches.expectNone();
    expect(forecast).toBeGreaterThan(STATES / 2);
  });

  it('without a filter, gives forecast.json’s overall series', () => {
    const byMonth = pageMonths({ from: null, to: null, members: {}, drill: {} });
    const overall = file.series[0]!;
    const { column: _c, member: _m, ...written } = overall;
    expect(forecastEntry(file.months.map((m) => byMonth.get(m) ?? 0), byMonth.get(file.latest.month) ?? 0, file.future.length, { nonNegative: file.nonNegative, format: 'currency' })).toEqual(written);
  });
});
