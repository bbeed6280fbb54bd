/**
 * A dashboard page in the browser: loads the mart's Arrow file once, then on every filter change (filter
 * bar, chip, chart click, back button) recomputes the tiles, charts and tables. The state lives in the URL.
 */
import { tableFromIPC } from 'apache-arrow';
import type { FilterSpec } from '../lib/contract/declaration.ts';
import { factTableFromArrow, type FactTable } from '../lib/fact-table.ts';
import { parseState, serializeState, type FilterState } from '../lib/filter-state.ts';
import { matchingRows, type EngineSpec } from '../lib/query.ts';
import { findPanels, renderPanel, type Panel } from './charts.ts';
import { deferred } from './deferred.ts';
import { filterBar } from './filter-bar.ts';
import { renderTiles } from './tiles.ts';

export interface ClientSpec extends EngineSpec {
  filters: string[];
  timeColumn: string;
  primaryMeasure: string;
  defaultFilter?: FilterSpec;
}

/** Page parts other than charts and tiles (the records table, the explorer) subscribe here. */
export interface View {
  render(table: FactTable, rows: Uint32Array, state: FilterState): void;
  /** Where the view sits: while it is off screen, its redraw waits like an off-screen chart's. */
  element?: Element;
  /** URL parameters of the view's own choices, kept beside the filters. */
  params?(): URLSearchParams;
  /** Restores those choices from the URL (first load, reload, back button). */
  restore?(params: URLSearchParams): void;
}
const views: View[] = [];
let rerender: (() => void) | undefined;
let recordView: (() => void) | undefined;
export function addView(view: View): void {
  views.push(view);
  view.restore?.(new URLSearchParams(location.search));
  rerender?.();
}
/** A view changed its own choices: record them in the URL (a history entry) and redraw. */
export const viewChanged = () => recordView?.();
let drawPending: ((element: Element) => void) | undefined;
/** A control inside an off-screen view was used: its redraw for the current filters runs first, if it still waits. */
export const drawNow = (element: Element) => drawPending?.(element);

/** What tests and the benchmark read: the state, the rows kept, and each panel's rows. */
export interface DashboardHandle {
  state: FilterState;
  rows: number;
  panels: Panel[];
  table: FactTable;
  spec: ClientSpec;
  ready: true;
  /** Charts and sparklines still to redraw (off screen); 0 when every figure shows the state. */
  pending: () => number;
}
declare global {
  interface Window {
    salescube?: DashboardHandle;
  }
}

export async function startDashboard(): Promise<void> {
  const root = document.querySelector<HTMLElement>('[data-dashboard]');
  if (!root) return;
  const spec = JSON.parse(root.dataset.spec!) as ClientSpec;
  const table = factTableFromArrow(await tableFromIPC(fetch(root.dataset.arrow!)), spec.timeColumn);
  const panels = findPanels();
  const tiles = document.querySelector<HTMLElement>('[data-tiles]');
  const form = document.querySelector<HTMLFormElement>('[data-filter-bar]');
  const chips = document.querySelector<HTMLElement>('[data-chips]');
  // Any text column, and every level of a hierarchy (numeric ones too, e.g. an age a bar click filters on).
  const levels = spec.dimensions.flatMap((d) => d.levels);
  const columns = [...new Set([...Object.keys(table.text), ...levels.map((l) => l.column)])];
  const readUrl = () => parseState(new URLSearchParams(location.search), columns, spec.dimensions.map((d) => d.name));

  let state = readUrl();
  // Everything updated, off-screen charts included: the second figure the benchmark reports.
  const later = deferred(() => performance.measure('filter-update-all', 'filter-start'));
  drawPending = later.now;
  const render = () => {
    performance.mark('filter-start');
    const rows = matchingRows(table, spec, state);
    const shown = state;
    bar?.show(state);
    if (tiles) {
      const drawSparklines = renderTiles(tiles, table, rows, spec, state);
      later.later(tiles, drawSparklines);
    }
    const drawOrDefer = (element: Element | undefined, draw: () => void) => {
      if (!element || later.visible(element)) draw();
      else later.later(element, draw);
    };
    for (const panel of panels) drawOrDefer(panel.element, () => renderPanel(panel, table, rows, spec, shown, commit));
    for (const view of views) drawOrDefer(view.element, () => view.render(table, rows, shown));
    performance.measure('filter-update', 'filter-start');
    if (!later.pending()) performance.measure('filter-update-all', 'filter-start');
    window.salescube = { state, rows: rows.length, panels, table, spec, ready: true, pending: later.pending };
  };
  const pushUrl = () => {
    const params = serializeState(state);
    for (const view of views) for (const [k, v] of view.params?.() ?? []) params.append(k, v);
    const query = params.toString();
    history.pushState(null, '', query ? `?${query}` : location.pathname);
  };
  // The figures first, then the history entry: the browser's own work for a new entry runs beside the page and,
  // on a machine with few cores, would slow the redraw it competed with.
  const commit = (next: FilterState) => {
    state = next;
    render();
    pushUrl();
  };
  recordView = () => {
    render();
    pushUrl();
  };
  const labels = Object.fromEntries([...spec.dimensions.map((d) => [d.name, d.label]), ...levels.map((l) => [l.column, l.label])]);
  const bar = form && chips ? filterBar(form, chips, spec.defaultFilter, commit, labels) : undefined;

  addEventListener('popstate', () => {
    state = readUrl();
    for (const view of views) view.restore?.(new URLSearchParams(location.search));
    render();
  });
  document.addEventListener('panel-options', render);
  rerender = render;
  render();
}
