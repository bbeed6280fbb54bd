/**
 * The Forecast page's tables as text, for a series of forecast.json or one computed for a filter: drawn at build time
 * and refilled by the browser with these functions. Pure.
 */
import type { ForecastFile, SeasonalityFile } from './contract/analysis.ts';
import type { MeasureSpec } from './contract/declaration.ts';
import type { Method } from './forecast.ts';
import { formatChange, formatMeasure } from './format.ts';
import { periodLabel } from './periods.ts';
import type { TextTable } from './text-table.ts';

type Series = ForecastFile['series'][number];
type Months = Pick<ForecastFile, 'future' | 'latest'>;

export const METHOD_LABELS: Record<Method, string> = { 'seasonal-naive': 'Seasonal naive (baseline)', 'seasonal-naive-drift': 'Seasonal naive with drift', 'holt-winters': 'Holt-Winters (additive)' };
const ratio = (v: number | null | undefined) => (v === null || v === undefined ? '–' : v.toFixed(2));

/** Each month forecast with its intervals; the latest month says its value so far. */
export function forecastTable(file: Months, series: Series, measure: MeasureSpec): TextTable {
  const value = (v: number) => formatMeasure(measure, v);
  return {
    head: ['Month', 'Forecast', '80% interval', '95% interval'],
    rows: series.forecast.map((f, i) => [
      `${periodLabel(file.future[i]!)}${file.future[i] === file.latest.month ? ` (so far ${value(series.latestValue)})` : ''}`,
      value(f.point),
      `${value(f.lo80)} – ${value(f.hi80)}`,
      `${value(f.lo95)} – ${value(f.hi95)}`,
    ]),
  };
}

/** Each method's backtest error; the one used is marked. */
export function backtestTable(series: Series): TextTable {
  const methods = Object.entries(series.backtest?.byMethod ?? {}) as [Method, { mape: number | null; mase: number | null }][];
  return {
    head: ['Method', 'MAPE', 'MASE'],
    rows: methods.map(([m, a]) => [`${METHOD_LABELS[m]}${m === series.method ? ' ✓ used' : ''}`, a.mape === null ? '–' : `${a.mape.toFixed(1)}%`, ratio(a.mase)]),
    rowData: methods.map(([m]) => ({ 'data-method': m, ...(m === series.method ? { 'aria-current': 'true' } : {}) })),
  };
}

/** The last 12 full months, latest first, each against the month before and the same month a year earlier. */
export function monthlyGrowthTable(growth: SeasonalityFile['growth'], measure: MeasureSpec): TextTable {
  return {
    head: ['Month', measure.label, 'vs the month before', 'vs a year earlier'],
    rows: growth
      .slice(-12)
      .reverse()
      .map((g) => [periodLabel(g.month), formatMeasure(measure, g.value), formatChange(g.monthOverMonth), formatChange(g.yearOverYear)]),
  };
}

/** A member's row in a column's table: its method, next month, interval, total of the months ahead, MASE and the baseline's. */
export function memberRow(series: Series, measure: MeasureSpec): string[] {
  const value = (v: number) => formatMeasure(measure, v);
  const [next] = series.forecast;
  return [
    series.member ?? '(none)',
    series.method ? METHOD_LABELS[series.method] : 'too short',
    next ? value(next.point) : '–',
    next ? `${value(next.lo80)} – ${value(next.hi80)}` : '–',
    series.forecast.length ? value(series.forecast.reduce((a, f) => a + f.point, 0)) : '–',
    ratio(series.method ? series.backtest?.byMethod[series.method]?.mase : null),
    ratio(series.backtest?.byMethod['seasonal-naive']?.mase),
  ];
}
