/**
 * A forecast drawn over its history: the full months as a line, the forecast dashed from the last of them, its 95%
 * and 80% intervals as bands, and the latest month's value so far as an open dot (it may be partial). Pure: the same
 * options render at build time and in the browser.
 */
import * as Plot from '@observablehq/plot';
import type { ForecastFile } from '../contract/analysis.ts';
import type { MeasureSpec } from '../contract/declaration.ts';
import { formatMeasure } from '../format.ts';
import { periodLabel, periodStart } from '../periods.ts';
import { ACCENT, axisFormat } from './plot-options.ts';

export function forecastOptions(file: Pick<ForecastFile, 'months' | 'future' | 'latest'>, series: ForecastFile['series'][number], measure: MeasureSpec, width: number, height = 260): Plot.PlotOptions {
  const history = file.months.map((month, i) => ({ date: periodStart(month), month, value: series.history[i]! }));
  const ahead = series.forecast.map((f, i) => ({ ...f, date: periodStart(file.future[i]!), month: file.future[i]! }));
  // The dashed line starts at the last full month, so that it continues the history.
  const last = history.at(-1);
  const line = last && ahead.length ? [{ date: last.date, point: last.value }, ...ahead] : ahead;
  const value = (v: number) => formatMeasure(measure, v);
  const tip = (f: (typeof ahead)[number]) => `${periodLabel(f.month)} forecast ${value(f.point)}\n80%: ${value(f.lo80)} to ${value(f.hi80)}\n95%: ${value(f.lo95)} to ${value(f.hi95)}`;
  return {
    width,
    height,
    marginLeft: 56,
    ariaLabel: `${measure.label}${series.member === null ? '' : ` of ${series.member}`}: history and forecast`,
    x: { label: null, type: 'utc' },
    y: { grid: true, label: null, tickFormat: axisFormat(measure), zero: true },
    marks: [
      Plot.areaY(ahead, { x: 'date', y1: 'lo95', y2: 'hi95', fill: ACCENT, fillOpacity: 0.12 }),
      Plot.areaY(ahead, { x: 'date', y1: 'lo80', y2: 'hi80', fill: ACCENT, fillOpacity: 0.22 }),
      Plot.lineY(history, { x: 'date', y: 'value', stroke: 'currentColor', strokeWidth: 1.5 }),
      Plot.lineY(line, { x: 'date', y: 'point', stroke: ACCENT, strokeWidth: 2, strokeDasharray: '5,3' }),
      Plot.dot([{ date: periodStart(file.latest.month), value: series.latestValue }], { x: 'date', y: 'value', stroke: ACCENT, fill: 'none', r: 3.5 }),
      Plot.tip(history, Plot.pointerX({ x: 'date', y: 'value', title: (r: (typeof history)[number]) => `${periodLabel(r.month)}\n${value(r.value)}` })),
      Plot.tip(ahead, Plot.pointerX({ x: 'date', y: 'point', title: tip })),
    ],
  };
}
