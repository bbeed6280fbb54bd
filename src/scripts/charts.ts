/** Re-renders every chart panel of a page for a filter state, with the same functions as the build. */
import type { MeasureSpec } from '../lib/contract/declaration.ts';
import { dataTable } from '../lib/charts/data-table.ts';
import { chartData, measureOf, type ChartData, type ChartDef, type MapChart } from '../lib/charts/definitions.ts';
import { chartOptions } from '../lib/charts/plot-options.ts';
import { renderLegend, renderPlot, tagMembers } from '../lib/charts/render.ts';
import { mapColorScale, mapFill, mapTitle } from '../lib/charts/world.ts';
import type { FactTable } from '../lib/fact-table.ts';
import { setDrill, toggleMember, type FilterState } from '../lib/filter-state.ts';
import { formatMeasure } from '../lib/format.ts';
import type { EngineSpec } from '../lib/query.ts';
import { redraw, watchWidth } from './width.ts';

export interface Panel {
  element: HTMLElement;
  def: ChartDef;
  /** Measured once and on resize: reading it while rendering would force a layout per chart. */
  width: number;
  /** The rows last shown: tests read them to compare with the database. */
  data?: ChartData;
}

type Commit = (next: FilterState) => void;

/** The state after a click on a member of a chart: filter on it, drill into it, or (heatmap) narrow the dates to its month. */
export function pickMember(def: ChartDef, member: string, state: FilterState, spec: EngineSpec): FilterState {
  switch (def.kind) {
    case 'bars':
    case 'map':
      return toggleMember(state, def.column, member);
    case 'drill': {
      const levels = spec.dimensions.find((d) => d.name === def.dimension)?.levels.length ?? 0;
      const path = (state.drill[def.dimension] ?? []).slice(0, Math.max(0, levels - 1));
      return path.length < levels - 1 ? setDrill(state, def.dimension, [...path, member]) : state;
    }
    case 'heatmap': {
      const [y, m] = member.split('-').map(Number) as [number, number];
      return { ...state, from: `${member}-01`, to: new Date(Date.UTC(y, m, 0)).toISOString().slice(0, 10) };
    }
    case 'trend':
      return state;
  }
}

/** The page's chart panels; a click on a member of one (drawn at build time or since) calls `onPick`. */
export function findPanels(onPick: (panel: Panel, member: string) => void): Panel[] {
  return [...document.querySelectorAll<HTMLElement>('[data-chart]')].map((element) => {
    const body = element.querySelector<HTMLElement>('[data-chart-body]')!;
    const panel: Panel = {
      element,
      def: JSON.parse(element.dataset.chart!) as ChartDef,
      width: watchWidth(body, 600, (width) => {
        panel.width = width;
        redraw(element);
      }),
    };
    body.addEventListener('click', (event) => {
      const member = (event.target as Element).closest('[data-member]')?.getAttribute('data-member');
      if (member != null) onPick(panel, member);
    });
    // View options (grain, how many to show) belong to the panel, not to the filter state.
    element.querySelector<HTMLSelectElement>('[data-grain]')?.addEventListener('change', (e) => {
      if (panel.def.kind === 'trend') panel.def = { ...panel.def, grain: (e.target as HTMLSelectElement).value };
      redraw(element);
    });
    element.querySelector<HTMLSelectElement>('[data-limit]')?.addEventListener('change', (e) => {
      if (panel.def.kind === 'bars') panel.def = { ...panel.def, limit: Number((e.target as HTMLSelectElement).value) };
      redraw(element);
    });
    return panel;
  });
}

export function renderPanel(panel: Panel, table: FactTable, rows: Uint32Array, spec: EngineSpec, state: FilterState, commit: Commit): void {
  const { element, def } = panel;
  const data = chartData(def, table, rows, spec, state);
  panel.data = data;
  const measure = measureOf(spec, def.measure);
  const body = element.querySelector<HTMLElement>('[data-chart-body]')!;
  element.querySelector<HTMLElement>('[data-empty]')!.hidden = data.rows.length > 0;
  body.hidden = data.rows.length === 0;

  if (def.kind === 'map') recolorMap(body, def, data, measure, panel.width);
  else if (data.rows.length) {
    const node = renderPlot(chartOptions(def, data, measure, panel.width), document);
    tagMembers(node, def, data);
    body.replaceChildren(node);
  }
  if (def.kind === 'drill') renderCrumbs(element, def.dimension, data, state, commit);
  renderTable(element, def, data, measure);
}

/** The pre-rendered map recoloured for these figures by the colour scale the build uses, and its legend redrawn. */
function recolorMap(body: HTMLElement, def: MapChart, data: ChartData, measure: MeasureSpec, width: number) {
  const values = new Map(data.rows.map((r) => [r.key, r.value]));
  const color = mapColorScale(data.rows, measure, width, def.scale);
  const fill = mapFill(color);
  for (const shape of body.querySelectorAll<SVGElement>('[data-member]')) {
    const member = shape.dataset.member!;
    shape.setAttribute('fill', fill(values.get(member)));
    const title = shape.querySelector('title');
    if (title) title.textContent = mapTitle(member, values.get(member), (v) => formatMeasure(measure, v));
  }
  body.querySelector('.chart-plot-ramp')?.replaceWith(renderLegend(color, document));
}

function renderCrumbs(element: HTMLElement, dimension: string, data: ChartData, state: FilterState, commit: Commit) {
  const crumbs = element.querySelector<HTMLElement>('[data-crumbs]');
  if (!crumbs || !data.level) return;
  const path = data.level.path;
  const step = (label: string, depth: number) => {
    if (depth === path.length) return Object.assign(document.createElement('span'), { textContent: label });
    const button = Object.assign(document.createElement('button'), { type: 'button', textContent: label });
    button.addEventListener('click', () => commit(setDrill(state, dimension, path.slice(0, depth))));
    return button;
  };
  const parts: Node[] = [step('All', 0)];
  path.forEach((member, i) => parts.push(document.createTextNode('›'), step(member, i + 1)));
  crumbs.replaceChildren(...parts);
}

/**
 * The chart's data table, filled while its disclosure is open, or when it is opened: a closed one (most are, and
 * print hides them) costs a filter change nothing.
 */
function renderTable(element: HTMLElement, def: ChartDef, data: ChartData, measure: MeasureSpec) {
  const details = element.querySelector<HTMLDetailsElement>('details.data-table');
  const tbody = details?.querySelector('[data-chart-table] tbody');
  if (!details || !tbody) return;
  const fill = () => {
    const table = dataTable(def, data, measure);
    tbody.replaceChildren(
      ...table.rows.map((r) => {
        const tr = document.createElement('tr');
        const key = Object.assign(document.createElement('td'), { textContent: r.key });
        const value = Object.assign(document.createElement('td'), { className: 'num', textContent: r.value });
        tr.append(key, value);
        return tr;
      }),
    );
    details.querySelector('[data-chart-table] [data-key-heading]')!.textContent = table.heading.key;
  };
  details.ontoggle = () => details.open && fill();
  if (details.open) fill();
}
