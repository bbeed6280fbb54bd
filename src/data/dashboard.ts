/**
 * Build-time side of the dashboards: the dataset's declaration, its mart from the pipeline's Arrow file,
 * and charts rendered to SVG with the same functions the browser uses.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { tableFromIPC } from 'apache-arrow';
import { parseHTML } from 'linkedom';
import { loadDataset } from '../../pipeline/datasets/index.ts';
import { chartData, measureOf, type ChartData, type ChartDef } from '../lib/charts/definitions.ts';
import { chartOptions } from '../lib/charts/plot-options.ts';
import { renderPlot } from '../lib/charts/render.ts';
import { tagCountries, type Geography, type MapGeometry } from '../lib/charts/world.ts';
import type { DatasetSpec } from '../lib/dataset-spec.ts';
import { factTableFromArrow, type FactTable } from '../lib/fact-table.ts';
import { emptyState, type FilterState } from '../lib/filter-state.ts';
import { matchingRows, type EngineSpec } from '../lib/query.ts';
import { dataRoot } from './site-data.ts';
import { usStatesGeometry } from './us-geometry.ts';
import { worldGeometry } from './world-geometry.ts';

export interface Dashboard {
  spec: DatasetSpec;
  engine: EngineSpec;
  table: FactTable;
  /** Map shapes, loaded when a chart first needs them. */
  maps: Partial<Record<Geography, MapGeometry>>;
}

const cache = new Map<string, Dashboard>();

export function loadDashboard(dataset: string): Dashboard {
  let dashboard = cache.get(dataset);
  if (!dashboard) {
    const { spec } = loadDataset(dataset);
    const arrow = readFileSync(join(dataRoot(), 'data', dataset, `${spec.mart}.arrow`));
    const table = factTableFromArrow(tableFromIPC(arrow), spec.timeColumn);
    const engine: EngineSpec = { measures: spec.measures, dimensions: spec.dimensions, timeDimension: spec.timeDimension, defaultFilter: spec.defaultFilter };
    dashboard = { spec, engine, table, maps: {} };
    cache.set(dataset, dashboard);
  }
  return dashboard;
}

/** The shapes of a map chart: the world with every country of the column, or the US states. */
function mapGeometry(d: Dashboard, def: ChartDef): MapGeometry | undefined {
  if (def.kind !== 'map') return undefined;
  const geography = def.geography ?? 'world';
  return (d.maps[geography] ??= geography === 'world' ? worldGeometry(d.table.text[def.column]?.values ?? []) : usStatesGeometry());
}

/** A chart's rows and its SVG for a state (the unfiltered default at build time). */
export function renderChart(d: Dashboard, def: ChartDef, width: number, state: FilterState = emptyState()): { data: ChartData; html: string } {
  const data = chartData(def, d.table, matchingRows(d.table, d.engine, state), d.engine, state);
  if (!data.rows.length) return { data, html: '' };
  const { document } = parseHTML('<!doctype html><html><body></body></html>');
  const geometry = mapGeometry(d, def);
  const node = renderPlot(chartOptions(def, data, measureOf(d.engine, def.measure), width, geometry), document as unknown as Document);
  if (geometry && def.kind === 'map') tagCountries(node, geometry, d.table.text[def.column]?.values ?? []);
  // A tenth of a pixel is finer than any screen shows; rounding halves the map's bytes.
  for (const path of node.querySelectorAll('path[d]')) path.setAttribute('d', path.getAttribute('d')!.replace(/\d+\.\d+/g, (n) => String(Math.round(Number(n) * 10) / 10)));
  return { data, html: node.outerHTML };
}
