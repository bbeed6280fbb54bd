/**
 * Forecasts of a short monthly series, honest about their error (pure: the pipeline writes forecast.json with them, the Forecast page a filter's).
 *
 * Three methods, each with its prediction intervals:
 * - seasonal naive (the baseline): a month is forecast as the same month a year earlier;
 * - seasonal naive with drift: the same, plus the average year-over-year change per year ahead;
 * - additive Holt-Winters (ETS(A,A,A) in error-correction form: level, trend and month-of-year effects), its smoothing
 *   parameters chosen on a grid by the one-step squared error.
 * The method forecast is the one with the lowest MASE in a rolling-origin backtest: from each origin (the last
 * months the series can hold out, the same origins for every method) the method is fitted to the months before and
 * forecasts up to `horizon` months after, which are compared with what happened. Intervals are normal, with the
 * variance of each method's h-step error (Hyndman & Athanasopoulos, Forecasting: Principles and Practice, 5.5 and 8.7).
 */
import type { MeasureSpec } from './contract/declaration.ts';
import { fourDecimals, roundMeasure } from './measure-round.ts';

export const SEASON = 12;
/** A series shorter than three years is forecast, but said to be too short to trust. */
export const TRUSTED_MONTHS = 3 * SEASON;
/** Backtest origins at most: the last year of the history. */
const MAX_ORIGINS = SEASON;
const Z80 = 1.2815515655446004;
const Z95 = 1.959963984540054;

export const METHODS = ['seasonal-naive', 'seasonal-naive-drift', 'holt-winters'] as const;
export type Method = (typeof METHODS)[number];

/** Months of history a method needs to be fitted (and to have a residual to measure its error by). */
export const MIN_MONTHS: Record<Method, number> = { 'seasonal-naive': SEASON + 1, 'seasonal-naive-drift': SEASON + 2, 'holt-winters': 2 * SEASON + 1 };

export interface HoltWintersParams {
  alpha: number;
  beta: number;
  gamma: number;
}

export interface Fitted {
  method: Method;
  /** Holt-Winters' smoothing parameters. */
  params?: HoltWintersParams;
  /** Standard deviation of the one-step error. */
  sigma: number;
  /** Point forecast and standard deviation of the error, h = 1 … horizon. */
  ahead(horizon: number): { point: number; sd: number }[];
}

const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
const sumSquares = (xs: number[]) => xs.reduce((a, b) => a + b * b, 0);

/** y[t] − y[t − 12] for every month that has a year before it. */
const seasonalDifferences = (y: number[]) => y.slice(SEASON).map((v, i) => v - y[i]!);

/** Each month ahead from the same month k + 1 whole years earlier: `at` is given that month's value and k + 1. */
const fromYearsEarlier = (y: number[], horizon: number, at: (sameMonth: number, years: number) => { point: number; sd: number }) =>
  Array.from({ length: horizon }, (_, i) => {
    const years = Math.floor(i / SEASON) + 1;
    return at(y[y.length + i - SEASON * years]!, years);
  });

/** The same month a year (or k + 1 years) earlier. */
function seasonalNaive(y: number[]): Fitted {
  const diffs = seasonalDifferences(y);
  const sigma = Math.sqrt(sumSquares(diffs) / diffs.length);
  return {
    method: 'seasonal-naive',
    sigma,
    ahead: (horizon) => fromYearsEarlier(y, horizon, (point, years) => ({ point, sd: sigma * Math.sqrt(years) })),
  };
}

/** The same month a year earlier plus the mean year-over-year change, once per year ahead. */
function seasonalNaiveDrift(y: number[]): Fitted {
  const diffs = seasonalDifferences(y);
  const drift = mean(diffs);
  const n = diffs.length;
  const sigma = Math.sqrt(sumSquares(diffs.map((d) => d - drift)) / (n - 1));
  return {
    method: 'seasonal-naive-drift',
    sigma,
    ahead: (horizon) => fromYearsEarlier(y, horizon, (sameMonth, years) => ({ point: sameMonth + years * drift, sd: sigma * Math.sqrt(years * (1 + years / n)) })),
  };
}

interface HoltWintersState {
  level: number;
  trend: number;
  /** The last 12 months' effects, oldest first: season[k] is the effect of month t − 12 + k at the end. */
  season: number[];
  /** One-step errors from month 12 on. */
  errors: number[];
}

/**
 * Runs ETS(A,A,A) over the series: the first year sets the level (its mean), the trend (the mean change from the first
 * year to the second, per month) and each month's effect (its difference from the level); every month after updates
 * them by its one-step error e: level += trend + αe, trend += βe, its month's effect += γe.
 */
export function holtWintersStates(y: number[], { alpha, beta, gamma }: HoltWintersParams): HoltWintersState {
  const first = y.slice(0, SEASON);
  let level = mean(first);
  let trend = (mean(y.slice(SEASON, 2 * SEASON)) - level) / SEASON;
  const season = first.map((v) => v - level);
  const errors: number[] = [];
  for (let t = SEASON; t < y.length; t++) {
    const effect = season.shift()!;
    const e = y[t]! - (level + trend + effect);
    errors.push(e);
    level += trend + alpha * e;
    trend += beta * e;
    season.push(effect + gamma * e);
  }
  return { level, trend, season, errors };
}

const ALPHAS = [0.05, 0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9];
const BETAS = [0, 0.01, 0.02, 0.05, 0.1, 0.2];
const GAMMAS = [0, 0.05, 0.1, 0.2, 0.3, 0.5];

/** Every admissible parameter set of the grid (β ≤ α, γ ≤ 1 − α), in a fixed order. */
export const HOLT_WINTERS_GRID: HoltWintersParams[] = ALPHAS.flatMap((alpha) =>
  BETAS.filter((beta) => beta <= alpha).flatMap((beta) => GAMMAS.filter((gamma) => gamma <= 1 - alpha).map((gamma) => ({ alpha, beta, gamma }))),
);

/** Additive Holt-Winters with the grid's parameters of least one-step squared error (the first of equals). */
function holtWinters(y: number[]): Fitted {
  let best: { params: HoltWintersParams; state: HoltWintersState; sse: number } | undefined;
  for (const params of HOLT_WINTERS_GRID) {
    const state = holtWintersStates(y, params);
    const sse = sumSquares(state.errors.slice(SEASON));
    if (!best || sse < best.sse) best = { params, state, sse };
  }
  const { params, state } = best!;
  // The first year after the initial one only settles the states: its errors are left out of σ, as of the choice.
  const settled = state.errors.slice(SEASON);
  const sigma = Math.sqrt(sumSquares(settled) / settled.length);
  return {
    method: 'holt-winters',
    params,
    sigma,
    ahead: (horizon) => {
      let variance = 0;
      return Array.from({ length: horizon }, (_, i) => {
        const h = i + 1;
        // Var(h) = σ²(1 + Σ_{j<h} c_j²), c_j = α + βj + γ when j is a whole number of years.
        if (h > 1) variance += (params.alpha + params.beta * (h - 1) + ((h - 1) % SEASON === 0 ? params.gamma : 0)) ** 2;
        return { point: state.level + h * state.trend + state.season[i % SEASON]!, sd: sigma * Math.sqrt(1 + variance) };
      });
    },
  };
}

export function fit(method: Method, y: number[]): Fitted {
  if (y.length < MIN_MONTHS[method]) throw new Error(`${method} needs ${MIN_MONTHS[method]} months, not ${y.length}`);
  return method === 'seasonal-naive' ? seasonalNaive(y) : method === 'seasonal-naive-drift' ? seasonalNaiveDrift(y) : holtWinters(y);
}

export interface Accuracy {
  /** Mean absolute percentage error, in percent, over the errors whose actual value is not 0 (null when none is). */
  mape: number | null;
  /** Mean absolute error ÷ the in-sample mean absolute error of the seasonal naive method over the whole history. */
  mase: number | null;
}

export interface Backtest {
  /** The months (indices into the series) each fit ended before. */
  origins: number[];
  /** Forecast errors compared: Σ over origins of min(horizon, months left). */
  errors: number;
  byMethod: Partial<Record<Method, Accuracy>>;
}

/** Forecasts from each of the last origins, for every method that can be fitted at the first of them. */
export function backtest(y: number[], methods: Method[], horizon: number): Backtest {
  const first = Math.max(...methods.map((m) => MIN_MONTHS[m]), y.length - MAX_ORIGINS);
  const origins = Array.from({ length: Math.max(0, y.length - first) }, (_, i) => first + i);
  const diffs = seasonalDifferences(y).map(Math.abs);
  const scale = diffs.length ? mean(diffs) : NaN;
  const byMethod: Backtest['byMethod'] = {};
  let errors = 0;
  for (const method of methods) {
    const absolute: number[] = [];
    const percent: number[] = [];
    for (const origin of origins) {
      const steps = Math.min(horizon, y.length - origin);
      fit(method, y.slice(0, origin))
        .ahead(steps)
        .forEach(({ point }, i) => {
          const actual = y[origin + i]!;
          absolute.push(Math.abs(actual - point));
          if (actual !== 0) percent.push((100 * Math.abs(actual - point)) / Math.abs(actual));
        });
    }
    errors = absolute.length;
    byMethod[method] = {
      mape: percent.length ? mean(percent) : null,
      mase: absolute.length && scale > 0 ? mean(absolute) / scale : null,
    };
  }
  return { origins, errors, byMethod };
}

export interface ForecastMonth {
  /** Months after the last month of the history. */
  ahead: number;
  point: number;
  lo80: number;
  hi80: number;
  lo95: number;
  hi95: number;
}

export interface SeriesForecast {
  /** The method forecast, or null when the history is too short for any. */
  method: Method | null;
  params?: HoltWintersParams;
  sigma?: number;
  forecast: ForecastMonth[];
  backtest: Backtest | null;
  /** Whether the history is long (three years) and full enough (no more than a quarter of its months empty) to trust, and why not. */
  trusted: boolean;
  note: string;
}

/**
 * The next `horizon` months of a series of full months (a partial month is left out by the caller): the method of
 * least backtest MASE among those the history can fit (seasonal naive when no backtest is possible), its intervals,
 * and every method's backtest accuracy beside the baseline's. A measure that cannot be negative (`nonNegative`: a
 * count, a sum of amounts declared ≥ 0) has its forecast and bounds cut at 0.
 */
export function forecastSeries(y: number[], horizon: number, { nonNegative = false } = {}): SeriesForecast {
  const usable = METHODS.filter((m) => y.length >= MIN_MONTHS[m] + 1);
  const short = `${y.length} full months`;
  if (!usable.length) {
    return {
      method: null,
      forecast: [],
      backtest: null,
      trusted: false,
      note: `${short}: too short to forecast; a seasonal forecast needs at least ${MIN_MONTHS['seasonal-naive'] + 1} (a year to compare each month with, and a month to test on)`,
    };
  }
  const tested = backtest(y, usable, horizon);
  const mase = (m: Method) => tested.byMethod[m]?.mase ?? Infinity;
  // The simplest of equals: METHODS is in order of complexity.
  const method = usable.reduce((best, m) => (mase(m) < mase(best) ? m : best));
  const fitted = fit(method, y);
  const floor = (v: number) => (nonNegative ? Math.max(0, v) : v);
  const forecast = fitted.ahead(horizon).map(({ point, sd }, i) => ({
    ahead: i + 1,
    point: floor(point),
    lo80: floor(point - Z80 * sd),
    hi80: floor(point + Z80 * sd),
    lo95: floor(point - Z95 * sd),
    hi95: floor(point + Z95 * sd),
  }));
  // Months without a row (a gap in the data, not a month of nothing) make seasons out of nothing.
  const empty = y.filter((v) => v === 0).length;
  const sparse = empty > y.length / 4;
  const trusted = y.length >= TRUSTED_MONTHS && !sparse;
  const gaps = sparse ? `; ${empty} of the ${y.length} months have no rows` : '';
  return {
    method,
    ...(fitted.params ? { params: fitted.params } : {}),
    sigma: fitted.sigma,
    forecast,
    backtest: tested,
    trusted,
    note: trusted
      ? `${short}; backtested on ${tested.errors} forecasts from the last ${tested.origins.length} months`
      : y.length < TRUSTED_MONTHS
        ? `${short}: too short to trust (three years are needed to tell a season from a trend)${gaps}; backtested on only ${tested.errors} forecasts from the last ${tested.origins.length} months`
        : `${short}${gaps}: too sparse to trust; backtested on ${tested.errors} forecasts from the last ${tested.origins.length} months`,
  };
}

/**
 * A series' forecast as forecast.json writes it and the Forecast page shows it for a filter: the history, the latest
 * month so far and the forecast rounded as the measure is, backtest errors to four decimals.
 */
export function forecastEntry(history: number[], latestValue: number, horizon: number, options: { nonNegative: boolean; format: MeasureSpec['format'] }) {
  const round = (v: number) => roundMeasure(v, options.format);
  const result = forecastSeries(history, horizon, options);
  return {
    history: history.map(round),
    latestValue: round(latestValue),
    ...result,
    ...(result.sigma === undefined ? {} : { sigma: round(result.sigma) }),
    backtest: result.backtest && {
      ...result.backtest,
      byMethod: Object.fromEntries(Object.entries(result.backtest.byMethod).map(([m, a]) => [m, { mape: fourDecimals(a.mape), mase: fourDecimals(a.mase) }])),
    },
    forecast: result.forecast.map((f) => ({ ahead: f.ahead, point: round(f.point), lo80: round(f.lo80), hi80: round(f.hi80), lo95: round(f.lo95), hi95: round(f.hi95) })),
  };
}
