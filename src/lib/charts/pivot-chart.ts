/** The explorer's chart of the pivot's top-level rows: bars, a line over time, or a heatmap of rows × columns. */
import * as Plot from '@observablehq/plot';
import type { MeasureSpec } from '../contract/declaration.ts';
import { formatMeasure, formatTick } from '../format.ts';
import { periodStart } from '../periods.ts';
import type { Pivot, PivotChartKind } from '../pivot.ts';
import { ACCENT, heatColor, memberAxis } from './plot-options.ts';


export function pivotChartOptions(p: Pivot, kind: PivotChartKind, measure: MeasureSpec, width: number, rowsAreTime: boolean): Plot.PlotOptions {
  const top = p.rows.filter((r) => r.depth === 0);
  const value = (v: number | null) => formatMeasure(measure, v);
  const tick = (v: number) => formatTick(measure, v);
  // Stacked or grouped parts of a distinct count or an average do not add up to the whole: show totals only.
  const additive = measure.agg === 'sum' || measure.agg === 'count';
  const cells = top.flatMap((r) => (p.columns.length && (kind !== 'bar' || additive) ? p.columns.map((c) => ({ row: r.path[0]!, column: c, value: r.cells[c] ?? null })) : [{ row: r.path[0]!, column: 'Total', value: r.total }]));
  const aria = { ariaLabel: `${measure.label} by ${p.rowLevels[0]!.label}${p.columnLevel ? ` and ${p.columnLevel.label}` : ''}` };
  const series = p.columns.length > 0 && (kind !== 'bar' || additive);
  if (kind === 'line') {
    const points = cells.map((c) => ({ ...c, x: rowsAreTime ? periodStart(c.row) : c.row }));
    return {
      ...aria,
      width,
      height: 300,
      marginLeft: 56,
      x: { label: null, ...(rowsAreTime ? { type: 'utc' } : { type: 'point' }) },
      y: { grid: true, label: null, tickFormat: tick, zero: true },
      color: { legend: series },
      marks: [
        Plot.lineY(points, { x: 'x', y: 'value', stroke: series ? 'column' : ACCENT, strokeWidth: 2 }),
        Plot.dot(points, { x: 'x', y: 'value', fill: series ? 'column' : ACCENT, r: 2.5, tip: { format: { y: value, x: false } }, channels: { member: 'row', series: 'column' } }),
      ],
    };
  }
  const members = top.map((r) => r.path[0]!);
  const { marginLeft, axis } = memberAxis(members);
  if (kind === 'heatmap') {
    return {
      ...aria,
      width,
      height: Math.max(120, top.length * 24 + 60),
      marginLeft,
      x: { label: null, domain: p.columns.length ? p.columns : ['Total'], tickRotate: p.columns.length > 8 ? -45 : 0 },
      y: { label: null, domain: members },
      color: heatColor(measure.label, tick, width),
      marginBottom: p.columns.length > 8 ? 60 : 30,
      marks: [axis, Plot.cell(cells, { x: 'column', y: 'row', fill: 'value', inset: 0.5, tip: { format: { fill: value } } })],
    };
  }
  return {
    ...aria,
    width,
    height: Math.max(100, top.length * 22 + 50),
    marginLeft,
    x: { grid: true, label: null, tickFormat: tick, ticks: Math.max(2, Math.floor((width - 200) / 90)) },
    y: { label: null, domain: members },
    color: { legend: series },
    marks: [axis, Plot.barX(cells, { x: 'value', y: 'row', fill: series ? 'column' : ACCENT, tip: { format: { x: value } } }), Plot.ruleX([0])],
  };
}
