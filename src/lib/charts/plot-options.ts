/**
 * Plot options for each chart kind, from its rows. Pure: the same options render the build-time SVG and
 * the browser's re-render, so both look alike to the pixel.
 */
import * as Plot from '@observablehq/plot';
import type { MeasureSpec } from '../contract/declaration.ts';
import { formatMeasure, formatTick } from '../format.ts';
import { monthName, periodLabel, periodStart } from '../periods.ts';
import type { ChartData, ChartDef } from './definitions.ts';
import { choropleth, type WorldGeometry } from './world.ts';

/** Width at build time; the browser re-renders at the panel's own width with the same height. */
export const CHART_WIDTH = { normal: 600, wide: 1200 };
/** A build-time chart is drawn again at this width for phones (PlotFigure.astro). */
export const PHONE_WIDTH = 360;
/** The charts' colour (the site's accent, light and dark). */
export const ACCENT = 'var(--accent)';
/** The charts' text size in pixels (charts.css); Plot's lineWidth counts in ems of it. */
const FONT_PX = 11;
/** Where an axis cuts a member's name (about 26 characters). */
const LABEL_EMS = 15;

/**
 * A heatmap's colour: six shades of blue. Its legend labels each threshold ($100K, $200K, …): at Plot's default
 * 240 px they run into each other.
 */
export const heatColor = (label: string, tickFormat: (v: number) => string, width: number): Plot.ScaleOptions & Plot.LegendOptions => ({
  type: 'quantize',
  n: 6,
  scheme: 'blues',
  legend: 'ramp',
  label,
  tickFormat,
  width: Math.min(width, 400),
});

/**
 * The y axis of member names: Plot cuts a long one with an ellipsis and gives the cut label its whole name as a
 * title; tooltips and data tables show it whole. Plot does not size the margin to the labels: it is estimated from
 * the longest name, at about 0.6 em a character up to the cut, plus the tick and its padding (9 px) and room for
 * a screen font a little wider than Plot's measure of the cut.
 */
export function memberAxis(labels: string[]): { marginLeft: number; axis: Plot.CompoundMark } {
  const ems = Math.min(LABEL_EMS, 0.6 * Math.max(0, ...labels.map((l) => l.length)));
  return { marginLeft: Math.ceil(20 + ems * FONT_PX), axis: Plot.axisY({ label: null, textOverflow: 'ellipsis', lineWidth: LABEL_EMS }) };
}

export function axisFormat(measure: MeasureSpec) {
  return (v: number) => formatTick(measure, v);
}

export function chartOptions(def: ChartDef, data: ChartData, measure: MeasureSpec, width: number, world?: WorldGeometry): Plot.PlotOptions {
  const value = (v: number | null) => formatMeasure(measure, v);
  // The measure drawn, which a panel's choices can change (a title names the default one).
  const aria = { ariaLabel: def.title, ariaDescription: def.kind === 'drill' ? `${measure.label} by ${data.level?.label}` : `${def.title} (${measure.label})` };
  switch (def.kind) {
    case 'bars':
    case 'drill': {
      const rows = data.rows.map((r) => ({ ...r, label: def.kind === 'drill' && data.level?.column === 'quarter' ? periodLabel(r.key) : r.key }));
      const { marginLeft, axis } = memberAxis(rows.map((r) => r.label));
      return {
        ...aria,
        width,
        height: Math.max(80, rows.length * 22 + 40),
        marginLeft,
        marginRight: 16,
        x: { grid: true, label: null, tickFormat: axisFormat(measure), ticks: Math.max(2, Math.floor((width - 200) / 90)) },
        y: { label: null, domain: rows.map((r) => r.label) },
        marks: [
          axis,
          Plot.barX(rows, { x: 'value', y: 'label', fill: ACCENT, tip: { format: { x: value, y: true } }, channels: { key: 'key' } }),
          Plot.ruleX([0]),
        ],
      };
    }
    case 'trend': {
      const rows = data.rows.map((r) => ({ ...r, date: periodStart(r.key), label: periodLabel(r.key) }));
      return {
        ...aria,
        width,
        height: 260,
        marginLeft: 56,
        x: { label: null, type: 'utc' },
        y: { grid: true, label: null, tickFormat: axisFormat(measure), zero: true },
        marks: [
          // Shaded down to zero only where the area means something: a total, not a median or a ratio.
          ...(measure.agg === 'sum' || measure.agg === 'count' ? [Plot.areaY(rows, { x: 'date', y: 'value', fill: ACCENT, fillOpacity: 0.12 })] : []),
          Plot.lineY(rows, { x: 'date', y: 'value', stroke: ACCENT, strokeWidth: 2 }),
          Plot.dot(rows, { x: 'date', y: 'value', fill: ACCENT, r: 2.5 }),
          Plot.tip(rows, Plot.pointerX({ x: 'date', y: 'value', title: (r: (typeof rows)[number]) => `${r.label}\n${value(r.value)}` })),
        ],
      };
    }
    case 'heatmap': {
      const rows = data.rows.map((r) => ({ ...r, year: r.key.slice(0, 4), month: Number(r.key.slice(5, 7)) }));
      return {
        ...aria,
        width,
        height: 40 + new Set(rows.map((r) => r.year)).size * 34,
        marginLeft: 44,
        padding: 0.06,
        x: { label: null, domain: Array.from({ length: 12 }, (_, i) => i + 1), tickFormat: monthName },
        y: { label: null, type: 'band' },
        color: heatColor(measure.label, axisFormat(measure), width),
        marks: [
          Plot.cell(rows, { x: 'month', y: 'year', fill: 'value', inset: 0.5, tip: { format: { fill: value, x: monthName } }, channels: { key: 'key' } }),
        ],
      };
    }
    case 'map':
      if (!world) throw new Error('the map needs country geometry');
      return { ...aria, ...choropleth(world, data.rows, measure, width, def.scale) };
  }
}

/** A KPI tile's monthly sparkline: no axes, just the shape (decoration: the tile hides it from assistive technology). */
export function sparklineOptions(points: { key: string; value: number | null }[]): Plot.PlotOptions {
  const rows = points.map((p) => ({ date: periodStart(p.key), value: p.value }));
  return {
    width: 160,
    height: 32,
    margin: 2,
    axis: null,
    y: { zero: true },
    marks: [Plot.lineY(rows, { x: 'date', y: 'value', stroke: 'currentColor', strokeWidth: 1.5 })],
  };
}
