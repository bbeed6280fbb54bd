/**
 * A dashboard page in the browser. Its figures are drawn at build time for the default filters; the page's cells
 * (its Arrow files) are fetched when a filter, a choice or the URL first needs them, or as soon as the page has loaded
 * when they are small. Every change then recomputes the tiles, charts and tables from them. The state lives in the URL.
 */
import type { FilterSpec } from '../lib/contract/declaration.ts';
import type { FactTable } from '../lib/fact-table.ts';
import { emptyState, parseState, serializeState, snapRange, type FilterState } from '../lib/filter-state.ts';
import { formatBytes } from '../lib/format.ts';
import { matchingRows, type EngineSpec } from '../lib/query.ts';
import { cellsSource, countedAcross, type CellsSource, type DetailSource } from '../lib/cells-source.ts';
import { CellsError, loadCells, type CellsFile } from './cells.ts';
import { findPanels, pickMember, renderPanel, type Panel } from './charts.ts';
import { deferred } from './deferred.ts';
import { filterBar } from './filter-bar.ts';
import { renderTiles } from './tiles.ts';

export interface ClientSpec extends EngineSpec {
  filters: string[];
  timeColumn: string;
  primaryMeasure: string;
  defaultFilter?: FilterSpec;
  /** Each filter column's label (the filter bar's). */
  labels: Record<string, string>;
}

/** The page's cells as the page hands them over (see DashboardData.astro), and the details of columns they leave out. */
interface CellsInfo {
  files: CellsFile[];
  /** What they group by besides time. */
  columns: string[];
  /** What the page shows: their columns and those they leave out. */
  wanted: string[];
  prefetch: boolean;
  details: DetailSource[];
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
  /** Its choices are those the build drew (by default: it has no URL parameters). */
  atDefault?(): boolean;
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
let awaitCells: (() => Promise<void>) | undefined;
/** Resolves once the page's cells are loaded and the state drawn from them (fetching them if need be). */
export const cellsLoaded = (): Promise<void> => awaitCells?.() ?? Promise.resolve();

/** What tests and the benchmark read: the state, the rows kept, and each panel's rows. */
export interface DashboardHandle {
  state: FilterState;
  /** Cells the state keeps (0 until the cells are loaded). */
  rows: number;
  panels: Panel[];
  table?: FactTable;
  spec: ClientSpec;
  /** Every figure on screen shows the state: false while the cells load, or when they could not be. */
  ready: boolean;
  /** Charts and sparklines still to redraw (off screen); 0 when every figure shows the state. */
  pending: () => number;
  /** Loads the cells and draws the state from them, as a filter would: what a test asks before reading the panels. */
  load: () => Promise<void>;
}
declare global {
  interface Window {
    salescube?: DashboardHandle;
  }
}

export function startDashboard(): void {
  const root = document.querySelector<HTMLElement>('[data-dashboard]');
  if (!root) return;
  const spec = JSON.parse(root.dataset.spec!) as ClientSpec;
  const cells = JSON.parse(root.dataset.cells!) as CellsInfo;
  const panels = findPanels((panel, member) => commit(pickMember(panel.def, member, state, spec)));
  const tiles = document.querySelector<HTMLElement>('[data-tiles]');
  const form = document.querySelector<HTMLFormElement>('[data-filter-bar]');
  const chips = document.querySelector<HTMLElement>('[data-chips]');
  const status = dataStatus(document.querySelector<HTMLElement>('[data-status]'));
  const labels: Record<string, string> = { ...spec.labels, ...Object.fromEntries([...spec.dimensions.map((d) => [d.name, d.label]), ...spec.dimensions.flatMap((d) => d.levels).map((l) => [l.column, l.label])]) };
  // Any level of a hierarchy (numeric ones too, e.g. an age a bar click filters on), any filter, the default filter.
  const levels = spec.dimensions.flatMap((d) => d.levels);
  const columns = [...new Set([...levels.map((l) => l.column), ...spec.filters, ...(spec.defaultFilter ? [spec.defaultFilter.column] : [])])];
  // Cells coarser than a day answer a date range in whole weeks or months: the state says so too.
  const readUrl = () => snapRange(parseState(new URLSearchParams(location.search), columns, spec.dimensions.map((d) => d.name)), spec.timeGrain ?? 'day');

  let state = readUrl();
  // The cells of the state on screen (undefined until a state first needs cells), and which files they are.
  let table: FactTable | undefined;
  let shownFiles = '';
  // The cells the last state asked for, while they load: their arrival draws that state, their failure is said.
  let loading: Promise<void> | undefined;
  // Everything updated, off-screen charts included: the second figure the benchmark reports.
  const later = deferred(() => performance.measure('filter-update-all', 'filter-start'));
  drawPending = later.now;
  const publish = (ready: boolean, rows = 0) => {
    window.salescube = { state, rows, panels, table, spec, ready, pending: later.pending, load: cellsLoaded };
  };
  const render = (cellsTable: FactTable) => {
    performance.mark('filter-start');
    const rows = matchingRows(cellsTable, spec, state);
    const shown = state;
    if (tiles) {
      const drawSparklines = renderTiles(tiles, cellsTable, rows, spec, state);
      later.later(tiles, drawSparklines);
    }
    const drawOrDefer = (element: Element | undefined, draw: () => void) => {
      if (!element || later.visible(element)) draw();
      else later.later(element, draw);
    };
    for (const panel of panels) drawOrDefer(panel.element, () => renderPanel(panel, cellsTable, rows, spec, shown, commit));
    for (const view of views) drawOrDefer(view.element, () => view.render(cellsTable, rows, shown));
    performance.measure('filter-update', 'filter-start');
    if (!later.pending()) performance.measure('filter-update-all', 'filter-start');
    publish(true, rows.length);
  };
  /** The source's cells: read (or fetched) once per file; several members' files make one table. */
  const joined = new Map<string, FactTable>();
  const cellsOf = async (source: CellsSource, files: string, progress: (done: number, total: number) => void) => {
    const known = joined.get(files);
    if (known) return known;
    const loaded = await loadCells(source.files, spec.timeColumn, progress);
    const cellsTable = source.files.length > 1 && source.detail ? countedAcross(loaded, source.detail) : loaded;
    // A few tables kept: going back to the page's own cells, or to a member seen before, costs no copy.
    joined.set(files, cellsTable);
    if (joined.size > 8) joined.delete(joined.keys().next().value!);
    return cellsTable;
  };
  /** Draws the state at once when its cells are here; otherwise fetches them first, saying so. */
  const show = () => {
    const source = cellsSource(state, cells, cells.details, spec.dimensions);
    state = source.state;
    bar?.show(state);
    const files = source.files.map((f) => f.path).join(' ');
    // Once the state is drawn: nothing loading, and the filters not applied said.
    const drawn = (cellsTable: FactTable) => {
      [table, shownFiles, loading] = [cellsTable, files, undefined];
      document.body.classList.remove('loading-cells');
      status.done();
      status.dropped(source.dropped.map((c) => labels[c] ?? c), source.detail && (labels[source.detail.column] ?? source.detail.column));
      render(cellsTable);
    };
    if (table && files === shownFiles) return drawn(table);
    publish(false);
    document.body.classList.add('loading-cells');
    status.loading(0, source.files.length, source.files);
    const current = (loading = cellsOf(source, files, (done, total) => loading === current && status.loading(done, total, source.files)).then(
      (loaded) => {
        if (loading === current) drawn(loaded);
      },
      (error: unknown) => {
        if (loading !== current) return;
        loading = undefined;
        document.body.classList.remove('loading-cells');
        status.failed(error, show);
      },
    ));
  };
  // The figures first, then the history entry, once the frame showing them is drawn: a new entry saves the page's
  // scroll position, which would lay out the just-redrawn page inside the handler (half of a /products/ update), and
  // the browser's own work for the entry would compete with the redraw. Changes within one frame make one entry.
  let urlPending = 0;
  const pushUrl = () => {
    const pending = ++urlPending;
    requestAnimationFrame(() =>
      setTimeout(() => {
        if (pending !== urlPending) return;
        const params = serializeState(state);
        for (const view of views) for (const [k, v] of view.params?.() ?? []) params.append(k, v);
        const query = params.toString();
        history.pushState(null, '', query ? `?${query}` : location.pathname);
      }),
    );
  };
  const commit = (next: FilterState) => {
    state = snapRange(next, spec.timeGrain ?? 'day');
    show();
    pushUrl();
  };
  recordView = () => {
    show();
    pushUrl();
  };
  const bar = form && chips ? filterBar(form, chips, spec.defaultFilter, commit, labels) : undefined;

  addEventListener('popstate', () => {
    // The URL is the state now: an entry still waiting for its frame is not recorded over it.
    urlPending++;
    state = readUrl();
    for (const view of views) view.restore?.(new URLSearchParams(location.search));
    show();
  });
  document.addEventListener('panel-options', show);
  // Drawn from the cells even when they were prefetched: the panels then hold the rows a test reads.
  awaitCells = async () => {
    show();
    await loading;
  };
  rerender = () => (table || !isDefault() ? show() : undefined);
  // The build drew the default state: the cells are needed only for another (a shared link) or a view's own choice.
  const isDefault = () => serializeState(state).toString() === serializeState(emptyState()).toString() && views.every((v) => v.atDefault?.() ?? !v.params?.().toString());
  if (!isDefault()) show();
  else {
    bar?.show(state);
    publish(true);
    // Small cells are fetched at once: every change is then drawn without waiting. The figures on screen already
    // show the state, so nothing is redrawn.
    if (cells.prefetch) {
      // The failure of a prefetch is said when a state needs the cells and they fail again.
      requestIdleCallback(() => loadCells(cells.files, spec.timeColumn, () => {}).catch(() => {}));
    }
  }
}

/** The page's line about its data: what is loading, and what could not be loaded, with a way to try again. */
function dataStatus(element: HTMLElement | null) {
  const text = element?.querySelector<HTMLElement>('[data-status-text]');
  const retry = element?.querySelector<HTMLButtonElement>('[data-retry]');
  const say = (message: string, again?: () => void) => {
    if (!element || !text || !retry) return;
    element.hidden = false;
    text.textContent = message;
    retry.hidden = !again;
    retry.onclick = again ? () => again() : null;
  };
  return {
    loading(done: number, total: number, files: CellsFile[]) {
      const size = formatBytes(files.reduce((n, f) => n + f.gzip, 0));
      say(`Loading the data for these filters (${size}${total > 1 ? `, ${done} of ${total} files` : ''})…`);
      element?.setAttribute('data-state', 'loading');
    },
    done() {
      if (element) element.hidden = true;
    },
    /** Filters the cells of another could not be combined with (see cellsSource), said until the next change. */
    dropped(columns: string[], kept: string | undefined) {
      if (!columns.length || !kept) return;
      say(`${columns.join(', ')}: not applied together with ${kept} at this data size. Clear ${kept} to filter by ${columns.length > 1 ? 'them' : 'it'}.`);
      element?.setAttribute('data-state', 'dropped');
    },
    failed(error: unknown, again: () => void) {
      const reason = error instanceof CellsError ? `${error.path}: ${error.reason}` : String(error);
      say(`The figures could not be updated: the data for these filters did not load (${reason}). They still show the filters before.`, again);
      element?.setAttribute('data-state', 'failed');
    },
  };
}
