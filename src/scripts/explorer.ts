/** The cube explorer in the browser: choices → pivot + chart over the filtered rows, in the URL, exportable. */
import { pivotChartOptions } from '../lib/charts/pivot-chart.ts';
import { renderPlot } from '../lib/charts/render.ts';
import { pairTable, sliceTable } from '../lib/contract/paths.ts';
import type { FactTable } from '../lib/fact-table.ts';
import type { EngineSpec } from '../lib/query.ts';
import { defaultChart, pivot, type Pivot } from '../lib/pivot.ts';
import { renderPivotTable } from '../lib/pivot-table.ts';
import { axisName, parseExplorer, serializeExplorer, type ExplorerState } from '../lib/pivot-state.ts';
import { addView, cellsLoaded, viewChanged, type ClientSpec } from './dashboard.ts';
import { downloadText } from './download.ts';
import { redraw, watchWidth } from './width.ts';

declare global {
  interface Window {
    explorer?: { state: ExplorerState; pivot: Pivot; chart: string };
  }
}

export function startExplorer(): void {
  const form = document.querySelector<HTMLFormElement>('[data-explorer-controls]');
  const root = document.querySelector<HTMLElement>('[data-dashboard]');
  if (!form || !root) return;
  const spec = JSON.parse(root.dataset.spec!) as ClientSpec & EngineSpec;
  const tableHost = document.querySelector<HTMLElement>('[data-pivot]')!;
  const chartHost = document.querySelector<HTMLElement>('[data-pivot-chart]')!;
  const empty = document.querySelector<HTMLElement>('[data-pivot-empty]')!;
  const title = document.querySelector<HTMLElement>('[data-pivot-title]')!;
  const parquet = form.querySelector<HTMLAnchorElement>('[data-export-parquet]')!;
  const slices = JSON.parse(form.dataset.slices ?? '[]') as string[];
  const field = (name: string) => form.querySelector<HTMLSelectElement>(`[name=${name}]`)!;
  let state = parseExplorer(new URLSearchParams(location.search), spec, spec.primaryMeasure);
  let chartWidth = watchWidth(chartHost, 1000, (width) => {
    chartWidth = width;
    redraw(chartHost);
  });

  const change = (next: ExplorerState) => {
    state = next;
    viewChanged();
  };

  const showControls = () => {
    field('measure').value = state.pivot.measure;
    field('rows').value = axisName(spec, state.pivot.rows);
    field('cols').value = state.pivot.columns ? axisName(spec, state.pivot.columns) : '';
    field('chart').value = state.chart ?? '';
    // The pre-built slice for this choice: one dimension, or the pair (named in declaration order).
    const names = spec.dimensions.map((d) => d.name);
    const used = [state.pivot.rows.dimension, state.pivot.columns?.dimension].filter(Boolean) as string[];
    const [a, b] = used.sort((x, y) => names.indexOf(x) - names.indexOf(y)) as [string, string?];
    const slice = b ? pairTable(a, b) : sliceTable(a);
    parquet.href = `${form.dataset.base}${slice}.parquet`;
    parquet.hidden = !slices.includes(slice);
  };

  // The pivot of the rows and choices last shown. The controls, the chart and the table each draw from it: the
  // chart or the table may wait while it is off screen (the table sits below a tall heatmap), like a dashboard's
  // off-screen charts, and whichever draws first computes it.
  let shown: { rows: Uint32Array; state: ExplorerState; pivot: Pivot } | undefined;
  const pivotOf = (table: FactTable, rows: Uint32Array) => {
    if (shown?.rows !== rows || shown.state !== state) shown = { rows, state, pivot: pivot(table, rows, spec, state.pivot) };
    return shown.pivot;
  };
  const measure = () => spec.measures.find((m) => m.name === state.pivot.measure)!;
  const chartKind = () => state.chart ?? defaultChart(state.pivot, spec);
  const periods = () => ({ rows: state.pivot.rows.dimension === spec.timeDimension, columns: state.pivot.columns?.dimension === spec.timeDimension });

  addView({
    params: () => serializeExplorer(state, spec),
    // The build drew the default pivot: a first visit needs no cells until a choice or a filter changes.
    atDefault: () => serializeExplorer(state, spec).toString() === serializeExplorer(parseExplorer(new URLSearchParams(), spec, spec.primaryMeasure), spec).toString(),
    restore(params) {
      state = parseExplorer(params, spec, spec.primaryMeasure);
    },
    render(table, rows) {
      showControls();
      const p = pivotOf(table, rows);
      empty.hidden = p.rows.length > 0;
      chartHost.hidden = p.rows.length === 0;
      title.textContent = `${measure().label} by ${p.rowLevels[0]!.label}${p.columnLevel ? ` and ${p.columnLevel.label}` : ''}`;
      window.explorer = { state, pivot: p, chart: chartKind() };
    },
  });
  addView({
    element: chartHost.closest('section')!,
    render(table, rows) {
      const p = pivotOf(table, rows);
      if (p.rows.length) chartHost.replaceChildren(renderPlot(pivotChartOptions(p, chartKind(), measure(), chartWidth, periods().rows), document));
    },
  });
  addView({
    element: tableHost,
    render(table, rows) {
      tableHost.replaceChildren(renderPivotTable(pivotOf(table, rows), state.pivot, measure(), document, periods()));
    },
  });

  form.addEventListener('change', () => {
    const next = parseExplorer(
      new URLSearchParams({ measure: field('measure').value, rows: field('rows').value, cols: field('cols').value, chart: field('chart').value, sort: state.pivot.sort.by }),
      spec,
      spec.primaryMeasure,
    );
    // A new row axis starts collapsed; the same axis keeps what was open.
    const sameRows = axisName(spec, next.pivot.rows) === axisName(spec, state.pivot.rows);
    change({ ...next, pivot: { ...next.pivot, expanded: sameRows ? state.pivot.expanded : [], sort: sameRows ? state.pivot.sort : next.pivot.sort } });
  });

  tableHost.addEventListener('click', (event) => {
    const target = (event.target as Element).closest('button');
    if (!target) return;
    if (target.dataset.expand) {
      const path = target.dataset.expand;
      const open = state.pivot.expanded.map((p) => JSON.stringify(p));
      // Collapsing a member also closes everything opened below it.
      const expanded = open.includes(path)
        ? state.pivot.expanded.filter((p) => !JSON.stringify(p).startsWith(path.slice(0, -1)))
        : [...state.pivot.expanded, JSON.parse(path) as string[]];
      change({ ...state, pivot: { ...state.pivot, expanded } });
    } else if (target.dataset.sort) {
      const by = target.dataset.sort as 'label' | 'value';
      const column = target.dataset.sortColumn ?? '';
      const same = state.pivot.sort.by === by && state.pivot.sort.column === column;
      const descending = same ? !state.pivot.sort.descending : by === 'value';
      change({ ...state, pivot: { ...state.pivot, sort: { by, column, descending } } });
    }
  });

  form.querySelector('[data-export-csv]')!.addEventListener('click', async () => {
    await cellsLoaded();
    const current = shown?.pivot;
    if (!current) return;
    // The CSV writer is loaded when first asked for: most visits export nothing.
    const { toCsv } = await import('../lib/csv.ts');
    const header = [current.rowLevels.map((l) => l.label).join(' › '), 'Level', ...current.columns, 'Total'];
    const rows = current.rows.map((r) => [r.path.join(' › '), current.rowLevels[r.depth]!.label, ...current.columns.map((c) => r.cells[c] ?? null), r.total]);
    rows.push(['Total', '', ...current.columns.map((c) => current.columnTotals[c] ?? null), current.total]);
    const name = `${form.dataset.dataset}-${state.pivot.measure}-by-${axisName(spec, state.pivot.rows)}${state.pivot.columns ? `-and-${axisName(spec, state.pivot.columns)}` : ''}.csv`;
    downloadText(name, toCsv(header, rows));
  });

  form.querySelector('[data-copy-link]')!.addEventListener('click', async () => {
    const status = form.querySelector<HTMLElement>('[data-copy-status]')!;
    try {
      await navigator.clipboard.writeText(location.href);
      status.textContent = 'Link copied.';
    } catch {
      status.textContent = `Copy this link: ${location.href}`;
    }
  });
}
