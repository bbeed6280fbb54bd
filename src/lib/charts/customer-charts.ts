/** Customer charts: segment sizes, and the cohort triangle as retention shares. Pure. */
import * as Plot from '@observablehq/plot';
import type { CohortsFile, SegmentsFile } from '../contract/analysis.ts';
import { periodLabel } from '../periods.ts';
import { ACCENT, memberAxis } from './plot-options.ts';

export function segmentOptions(file: SegmentsFile, width = 600): Plot.PlotOptions {
  const rows = file.segments;
  const { marginLeft, axis } = memberAxis(rows.map((r) => r.segment));
  return {
    width,
    height: rows.length * 24 + 40,
    marginLeft,
    x: { grid: true, label: null },
    y: { label: null, domain: rows.map((r) => r.segment) },
    marks: [axis, Plot.barX(rows, { x: 'customers', y: 'segment', fill: ACCENT, tip: true }), Plot.ruleX([0])],
  };
}

/** Each cohort's customers active n months after their first, as a share of the cohort: the last 24 cohorts. */
export function cohortOptions(file: CohortsFile, width: number): Plot.PlotOptions {
  const size = new Map(file.cohorts.filter((c) => c.months_since === 0).map((c) => [c.cohort, c.customers]));
  const shown = [...size.keys()].slice(-24);
  const rows = file.cohorts
    .filter((c) => c.months_since > 0 && shown.includes(c.cohort))
    .map((c) => ({ ...c, label: periodLabel(c.cohort), share: c.customers / size.get(c.cohort)! }));
  const span = Math.max(1, ...rows.map((r) => r.months_since));
  const color: Plot.ScaleOptions & Plot.LegendOptions = { type: 'quantize', n: 5, scheme: 'blues', domain: [0, 1], legend: 'ramp', label: 'Share of the cohort ordering', tickFormat: '.0%', width: 300 };
  return {
    width,
    height: 50 + shown.length * 18,
    marginLeft: 72,
    padding: 0.05,
    x: { label: 'Months after the first order', domain: Array.from({ length: span }, (_, i) => i + 1), tickFormat: (m: number) => (m % 3 === 0 ? String(m) : '') },
    y: { label: null, domain: shown.map(periodLabel) },
    color,
    marks: [Plot.cell(rows, { x: 'months_since', y: 'label', fill: 'share', inset: 0.5, tip: { format: { fill: '.0%' } } })],
  };
}
