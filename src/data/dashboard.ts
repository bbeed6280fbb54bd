/**
 * Build-time side of the dashboards: the dataset's declaration, its mart from the pipeline's Arrow file,
 * and charts rendered to SVG with the same functions the browser uses.
 */
import { readFileSync } from 'node:fs';
import { tableFromIPC } from 'apache-arrow';
import { parseHTML } from 'linkedom';
import { chartData, chartDataFrom, measureOf, type ChartData, type ChartDef, type GroupSource } from '../lib/charts/definitions.ts';
import { keptDimensions, levelOf, planChart, sliceGroups, type CubeScale, type PanelPlan } from '../lib/cube-scale.ts';
import { chartOptions } from '../lib/charts/plot-options.ts';
import { renderPlot } from '../lib/charts/render.ts';
import { tagCountries, type Geography, type MapGeometry } from '../lib/charts/world.ts';
import type { DatasetSpec } from '../lib/contract/declaration.ts';
import { dataPath, sliceTable } from '../lib/contract/paths.ts';
import { factTableFromArrow, type FactTable } from '../lib/fact-table.ts';
import { emptyState, type FilterState } from '../lib/filter-state.ts';
import { matchingRows, type EngineSpec } from '../lib/query.ts';
import { outputFile, readManifest } from './site-data.ts';
import { usStatesGeometry } from './us-geometry.ts';
import { worldGeometry } from './world-geometry.ts';

export interface Dashboard {
  spec: DatasetSpec;
  engine: EngineSpec;
  table: FactTable;
  /** Map shapes, loaded when a chart first needs them. */
  maps: Partial<Record<Geography, MapGeometry>>;
  /** Set when the mart went to the browser as cube cells: what they kept, and which slices can stand in. */
  cube?: CubeScale;
  /** Slices read so far, by dimension. */
  slices: Map<string, FactTable>;
}

const cache = new Map<string, Dashboard>();

export function loadDashboard(dataset: string): Dashboard {
  let dashboard = cache.get(dataset);
  if (!dashboard) {
    const manifest = readManifest(dataset);
    const spec = manifest.declaration;
    const table = factTableFromArrow(tableFromIPC(readFileSync(outputFile(dataPath(dataset, manifest.arrow[spec.mart]!.path)))), spec.timeColumn);
    const browserCube = manifest.browserCube;
    const cube: CubeScale | undefined = browserCube && {
      leftOut: browserCube.leftOut.map((l) => l.column),
      timeGrain: browserCube.timeGrain,
      medianResolution: browserCube.medianResolution,
      slices: spec.dimensions.map((d) => d.name).filter((name) => manifest.arrow[sliceTable(name)]),
      rows: spec.site.rows,
      currency: spec.site.currency,
    };
    // On cells, the pages offer only the levels the cells kept: drills stop there, and the explorer lists no others.
    const engine: EngineSpec = { measures: spec.measures, dimensions: keptDimensions(spec.dimensions, cube), timeDimension: spec.timeDimension, defaultFilter: spec.defaultFilter };
    dashboard = { spec, engine, table, maps: {}, slices: new Map(), ...(cube ? { cube } : {}) };
    cache.set(dataset, dashboard);
  }
  return dashboard;
}

/** The shapes of a map chart: the world with every country of the column, or the US states. */
function mapGeometry(d: Dashboard, def: ChartDef): MapGeometry | undefined {
  if (def.kind !== 'map') return undefined;
  const geography = def.geography ?? 'world';
  return (d.maps[geography] ??= geography === 'world' ? worldGeometry(d.table.text[def.column]?.values ?? [], d.spec.site.mapNames) : usStatesGeometry());
}

/** How a chart is served on this page: live on the browser's data, from a slice, or hidden (cube mode only). */
export const chartPlan = (d: Dashboard, def: ChartDef): PanelPlan => planChart(def, d.spec.dimensions, d.cube);

/** Members of a column from the pipeline's slice of its dimension: exact figures over every row, unfiltered. */
export function sliceSource(d: Dashboard, dimension: string): GroupSource {
  let slice = d.slices.get(dimension);
  if (!slice) {
    slice = factTableFromArrow(tableFromIPC(readFileSync(outputFile(dataPath(d.spec.name, `${sliceTable(dimension)}.arrow`)))), '');
    d.slices.set(dimension, slice);
  }
  const table = slice;
  return (column, measures) => {
    const depth = levelOf(d.spec.dimensions, column)!.depth;
    const text = table.text[column];
    const numbers = table.numbers[column];
    const key = (row: number) => (text ? (text.codes[row]! < 0 ? null : text.values[text.codes[row]!]!) : Number.isNaN(numbers![row]!) ? null : String(numbers![row]!));
    const figure = (measure: string, row: number) => {
      const v = table.numbers[measure]?.[row];
      return v == null || Number.isNaN(v) ? null : v;
    };
    return sliceGroups({ depth: table.numbers.depth!, key, figure, length: table.length }, depth, measures.map((m) => m.name));
  };
}

/** A chart's rows and its SVG for a state (the unfiltered default at build time); from a slice when the plan says so. */
export function renderChart(d: Dashboard, def: ChartDef, width: number, state: FilterState = emptyState(), plan: PanelPlan = { mode: 'live', def }): { data: ChartData; html: string } {
  const data = plan.mode === 'slice' ? chartDataFrom(def, sliceSource(d, plan.dimension), d.engine, state) : chartData(def, d.table, matchingRows(d.table, d.engine, state), d.engine, state);
  if (!data.rows.length) return { data, html: '' };
  const { document } = parseHTML('<!doctype html><html><body></body></html>');
  const geometry = mapGeometry(d, def);
  const node = renderPlot(chartOptions(def, data, measureOf(d.engine, def.measure), width, geometry), document as unknown as Document);
  const members = (plan.mode === 'slice' ? d.slices.get(plan.dimension)! : d.table).text[def.kind === 'map' ? def.column : '']?.values ?? [];
  if (geometry && def.kind === 'map') tagCountries(node, geometry, members);
  // A tenth of a pixel is finer than any screen shows; rounding halves the map's bytes.
  for (const path of node.querySelectorAll('path[d]')) path.setAttribute('d', path.getAttribute('d')!.replace(/\d+\.\d+/g, (n) => String(Math.round(Number(n) * 10) / 10)));
  return { data, html: node.outerHTML };
}

/** The members of a column in the browser's data (the pages of a column's members, the links to them). */
export const membersOf = (d: Dashboard, column: string): string[] => d.table.text[column]?.values ?? [];
