/**
 * The forecasts of src/lib/forecast.ts against independent computations: the seasonal naive methods (point, σ and
 * intervals) and the baseline's backtest errors in DuckDB SQL, Holt-Winters by a second implementation written
 * from the ETS(A,A,A) equations with states indexed by month.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { backtest, fit, forecastSeries, HOLT_WINTERS_GRID, holtWintersStates, MIN_MONTHS, SEASON, type HoltWintersParams } from '../../src/lib/forecast.ts';
import { openDb, type Db } from '../../pipeline/duckdb.ts';

/** A seeded monthly series: level, trend, a month-of-year pattern and noise. */
function series(months: number, seed: number): number[] {
  let s = seed;
  const noise = () => ((s = (s * 1103515245 + 12345) % 2 ** 31) / 2 ** 31 - 0.5) * 40;
  return Array.from({ length: months }, (_, t) => Math.round((500 + 4 * t + 120 * Math.sin((2 * Math.PI * t) / 12) + noise()) * 100) / 100);
}

let db: Db;
beforeAll(async () => {
  db = await openDb();
});
afterAll(() => db.close());

const load = async (y: number[]) => {
  await db.run(`create or replace table y as select unnest(generate_series(0, ${y.length - 1})) as t, unnest([${y.join(', ')}]::DOUBLE[]) as v`);
};
const one = async (sql: string) => Number(Object.values((await db.rows(sql))[0]!)[0]);

describe('seasonal naive, with and without drift, against SQL', () => {
  const y = series(40, 7);

  it('forecasts each month as the same month a year (or two) earlier, with σ√(years ahead)', async () => {
    await load(y);
    const sigma = await one('select sqrt(avg((v - prev) ^ 2)) from (select v, lag(v, 12) over (order by t) as prev from y) where prev is not null');
    const ahead = fit('seasonal-naive', y).ahead(18);
    for (const [i, f] of ahead.entries()) {
      const years = Math.floor(i / 12) + 1;
      expect(f.point).toBe(await one(`select v from y where t = ${y.length + i - 12 * years}`));
      expect(f.sd).toBeCloseTo(sigma * Math.sqrt(years), 9);
    }
  });

  it('adds the mean year-over-year change per year ahead, with the drift’s own uncertainty', async () => {
    await load(y);
    const stats = (await db.rows<{ drift: number; sd: number; n: number }>(
      'select avg(d) as drift, stddev_samp(d) as sd, count(d) as n from (select v - lag(v, 12) over (order by t) as d from y) where d is not null',
    ))[0]!;
    const ahead = fit('seasonal-naive-drift', y).ahead(14);
    for (const [i, f] of ahead.entries()) {
      const years = Math.floor(i / 12) + 1;
      expect(f.point).toBeCloseTo((await one(`select v from y where t = ${y.length + i - 12 * years}`)) + years * stats.drift, 9);
      expect(f.sd).toBeCloseTo(stats.sd * Math.sqrt(years * (1 + years / stats.n)), 9);
    }
  });
});

/** ETS(A,A,A) written again from its equations, states indexed by month rather than rotated. */
function holtWintersReference(y: number[], { alpha, beta, gamma }: HoltWintersParams, horizon: number) {
  const m = SEASON;
  const avg = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
  const level: number[] = [];
  const trend: number[] = [];
  const season: number[] = [];
  level[m - 1] = avg(y.slice(0, m));
  trend[m - 1] = (avg(y.slice(m, 2 * m)) - level[m - 1]!) / m;
  for (let i = 0; i < m; i++) season[i] = y[i]! - level[m - 1]!;
  const errors: number[] = [];
  for (let t = m; t < y.length; t++) {
    const e = y[t]! - (level[t - 1]! + trend[t - 1]! + season[t - m]!);
    errors.push(e);
    level[t] = level[t - 1]! + trend[t - 1]! + alpha * e;
    trend[t] = trend[t - 1]! + beta * e;
    season[t] = season[t - m]! + gamma * e;
  }
  const T = y.length - 1;
  const settled = errors.slice(m);
  const sigma = Math.sqrt(settled.reduce((a, e) => a + e * e, 0) / settled.length);
  const sse = settled.reduce((a, e) => a + e * e, 0);
  return {
    sse,
    points: Array.from({ length: horizon }, (_, i) => level[T]! + (i + 1) * trend[T]! + season[T - m + 1 + (i % m)]!),
    sds: Array.from({ length: horizon }, (_, i) => {
      let sum = 0;
      for (let j = 1; j <= i; j++) sum += (alpha + beta * j + (j % m === 0 ? gamma : 0)) ** 2;
      return sigma * Math.sqrt(1 + sum);
    }),
  };
}

describe('Holt-Winters against a second implementation', () => {
  const y = series(60, 11);

  it('gives the same states, forecasts and intervals for the parameters it chose', () => {
    const fitted = fit('holt-winters', y);
    const reference = holtWintersReference(y, fitted.params!, 15);
    fitted.ahead(15).forEach((f, i) => {
      expect(f.point).toBeCloseTo(reference.points[i]!, 9);
      expect(f.sd).toBeCloseTo(reference.sds[i]!, 9);
    });
    expect(holtWintersStates(y, fitted.params!).errors.length).toBe(y.length - SEASON);
  });

  it('chose the grid’s parameters of least one-step squared error', () => {
    const chosen = holtWintersReference(y, fit('holt-winters', y).params!, 1).sse;
    for (const params of HOLT_WINTERS_GRID) expect(holtWintersReference(y, params, 1).sse).toBeGreaterThanOrEqual(chosen);
    // β ≤ α and γ ≤ 1 − α: the parameter region where the model is stable.
    expect(HOLT_WINTERS_GRID.every((p) => p.beta <= p.alpha && p.gamma <= 1 - p.alpha)).toBe(true);
  });
});

describe('the rolling-origin backtest', () => {
  it('recomputes the baseline’s MAPE and MASE from its forecasts in SQL, over the last year of origins', async () => {
    const y = series(40, 3);
    await load(y);
    const horizon = 6;
    const tested = backtest(y, ['seasonal-naive', 'holt-winters'], horizon);
    // Holt-Winters needs 25 months: the origins are the last 12 months (28 … 39), which it can fit at.
    expect(tested.origins).toEqual(Array.from({ length: 12 }, (_, i) => 28 + i));
    const errors = `
      with origins as (select unnest(generate_series(28, 39)) as o), steps as (select unnest(generate_series(1, ${horizon})) as h),
      forecasts as (
        select o, h, (select v from y where t = o + h - 1) as actual,
          (select v from y where t = o + h - 1 - 12 * (floor((h - 1) / 12)::INTEGER + 1)) as point
        from origins, steps where o + h - 1 < ${y.length}
      )
      select count(*) as n, avg(abs(actual - point)) as mae, avg(100 * abs(actual - point) / abs(actual)) as mape from forecasts`;
    const [sql] = await db.rows<{ n: number; mae: number; mape: number }>(errors);
    const scale = await one('select avg(abs(v - prev)) from (select v, lag(v, 12) over (order by t) as prev from y) where prev is not null');
    expect(tested.errors).toBe(sql!.n);
    expect(tested.byMethod['seasonal-naive']!.mape).toBeCloseTo(sql!.mape, 9);
    expect(tested.byMethod['seasonal-naive']!.mase).toBeCloseTo(sql!.mae / scale, 9);
  });

  it('forecasts with the method of least MASE, and reports every method beside the baseline', () => {
    const y = series(50, 5);
    const result = forecastSeries(y, 6);
    const accuracy = result.backtest!.byMethod;
    expect(Object.keys(accuracy).sort()).toEqual(['holt-winters', 'seasonal-naive', 'seasonal-naive-drift']);
    const best = Math.min(...Object.values(accuracy).map((a) => a!.mase!));
    expect(accuracy[result.method!]!.mase).toBe(best);
    expect(result.trusted).toBe(true);
    // 80% inside 95%, both around the point.
    for (const f of result.forecast) expect(f.lo95 < f.lo80 && f.lo80 < f.point && f.point < f.hi80 && f.hi80 < f.hi95).toBe(true);
  });
});

describe('a history too short', () => {
  it('to forecast: no forecast, and the note says what is needed', () => {
    const result = forecastSeries(series(8, 1), 6);
    expect(result).toMatchObject({ method: null, forecast: [], trusted: false });
    expect(result.note).toBe('8 full months: too short to forecast; a seasonal forecast needs at least 14 (a year to compare each month with, and a month to test on)');
  });

  it('to trust: a forecast, said plainly to be untrustworthy', () => {
    const result = forecastSeries(series(28, 1), 6);
    expect(result.forecast).toHaveLength(6);
    expect(result.trusted).toBe(false);
    expect(result.note).toMatch(/^28 full months: too short to trust/);
    // Holt-Winters needs 25 months to be fitted and one more to be tested: at 28 it is backtested from 3 origins.
    expect(MIN_MONTHS['holt-winters']).toBe(25);
    expect(result.backtest!.origins).toEqual([25, 26, 27]);
  });
});
