/** A chart's "Data table": its numbers as text, written by the page at build time and by the browser after a filter change. */
import type { MeasureSpec } from '../contract/declaration.ts';
import { formatMeasure } from '../format.ts';
import { periodLabel } from '../periods.ts';
import type { ChartData, ChartDef } from './definitions.ts';

export interface DataTable {
  /** The headings of the member (or period) column and of the value column. */
  heading: { key: string; value: string };
  rows: { key: string; value: string }[];
}

export function dataTable(def: ChartDef, data: ChartData, measure: MeasureSpec): DataTable {
  const periods = def.kind === 'trend' || def.kind === 'heatmap';
  const key = periods ? 'Period' : def.kind === 'drill' ? (data.level?.label ?? 'Member') : 'Member';
  return {
    heading: { key, value: measure.label },
    // Precise (cents, shares to two decimals): the table is where the exact figures are read.
    rows: data.rows.map((r) => ({ key: periods ? periodLabel(r.key) : r.key, value: formatMeasure(measure, r.value, true) })),
  };
}
