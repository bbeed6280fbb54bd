/** Seasonality charts (seasonality.json): the month-of-year index, and the measure per day as a calendar. Pure. */
import * as Plot from '@observablehq/plot';
import type { SeasonalityFile } from '../contract/analysis.ts';
import type { MeasureSpec } from '../contract/declaration.ts';
import { formatMeasure } from '../format.ts';
import { monthName } from '../periods.ts';
import { ACCENT, axisFormat, heatColor } from './plot-options.ts';

export function seasonOptions(file: Pick<SeasonalityFile, 'monthOfYear'>, width = 600): Plot.PlotOptions {
  const rows = file.monthOfYear.filter((m) => m.index !== null);
  return {
    width,
    height: 220,
    marginLeft: 40,
    x: { label: null, domain: Array.from({ length: 12 }, (_, i) => i + 1), tickFormat: monthName },
    y: { grid: true, label: null, zero: true },
    marks: [
      Plot.barY(rows, { x: 'month', y: 'index', fill: ACCENT, tip: { format: { x: monthName, y: (v: number) => v.toFixed(2) } } }),
      Plot.ruleY([1], { stroke: 'currentColor', strokeDasharray: '3,3' }),
      Plot.ruleY([0]),
    ],
  };
}

/** The last two calendar years of days: a column per week, a row per weekday, a panel per year. */
export function calendarOptions(file: SeasonalityFile, measure: MeasureSpec, width: number): Plot.PlotOptions {
  const lastYear = Number(file.days.at(-1)?.[0].slice(0, 4) ?? 0);
  const rows = file.days
    .filter(([day]) => Number(day.slice(0, 4)) >= lastYear - 1)
    .map(([day, value]) => {
      const date = new Date(`${day}T00:00:00Z`);
      const jan1 = Date.UTC(date.getUTCFullYear(), 0, 1);
      // Weeks start on Monday; week 0 holds January 1st.
      const offset = (new Date(jan1).getUTCDay() + 6) % 7;
      return { day, value, year: date.getUTCFullYear(), weekday: (date.getUTCDay() + 6) % 7, week: Math.floor(((date.getTime() - jan1) / 86_400_000 + offset) / 7) };
    });
  const value = (v: number) => formatMeasure(measure, v);
  return {
    width,
    height: 70 + new Set(rows.map((r) => r.year)).size * 120,
    marginLeft: 36,
    padding: 0.08,
    x: { axis: null, domain: Array.from({ length: 54 }, (_, i) => i) },
    y: { label: null, domain: [0, 1, 2, 3, 4, 5, 6], tickFormat: (d: number) => ['Mon', '', 'Wed', '', 'Fri', '', 'Sun'][d]! },
    fy: { label: null, tickFormat: String },
    color: heatColor(measure.label, axisFormat(measure), width),
    marks: [Plot.cell(rows, { x: 'week', y: 'weekday', fy: 'year', fill: 'value', inset: 0.5, tip: { format: { fill: value, x: false, y: false, fy: false }, channels: { day: 'day' } } })],
  };
}
