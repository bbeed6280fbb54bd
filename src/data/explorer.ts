/** Build-time render of the explorer's default view, with the same functions the browser uses. */
import { parseHTML } from 'linkedom';
import { pivotChartOptions } from '../lib/charts/pivot-chart.ts';
import { renderPlot } from '../lib/charts/render.ts';
import { emptyState } from '../lib/filter-state.ts';
import { defaultChart, pivot } from '../lib/pivot.ts';
import { renderPivotTable } from '../lib/pivot-table.ts';
import { defaultExplorer } from '../lib/pivot-state.ts';
import { matchingRows } from '../lib/query.ts';
import type { Dashboard } from './dashboard.ts';

export function renderExplorer(d: Dashboard, width: number): { table: string; chart: string } {
  const state = defaultExplorer(d.engine, d.spec.primaryMeasure);
  const result = pivot(d.table, matchingRows(d.table, d.engine, emptyState()), d.engine, state.pivot);
  const measure = d.engine.measures.find((m) => m.name === state.pivot.measure)!;
  const { document } = parseHTML('<!doctype html><html><body></body></html>');
  const doc = document as unknown as Document;
  const rowsAreTime = state.pivot.rows.dimension === d.engine.timeDimension;
  const table = renderPivotTable(result, state.pivot, measure, doc, { rows: rowsAreTime, columns: false });
  const chart = renderPlot(pivotChartOptions(result, defaultChart(state.pivot, d.engine), measure, width, rowsAreTime), doc);
  return { table: table.outerHTML, chart: chart.outerHTML };
}
