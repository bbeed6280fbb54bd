/**
 * Build-time side of the dashboards: a page's declaration and cells (the files the browser fetches for it), and its
 * charts rendered to SVG with the same functions the browser uses.
 */
import { readFileSync } from 'node:fs';
import { tableFromIPC } from 'apache-arrow';
import { parseHTML } from 'linkedom';
import { chartData, chartDataFrom, measureOf, type ChartData, type ChartDef, type GroupSource } from '../lib/charts/definitions.ts';
import { chartOptions } from '../lib/charts/plot-options.ts';
import { renderPlot, tagMembers } from '../lib/charts/render.ts';
import { tagCountries, type Geography, type MapGeometry } from '../lib/charts/world.ts';
import type { DatasetSpec } from '../lib/contract/declaration.ts';
import type { MemberPage } from '../lib/contract/site.ts';
import { EXPLORER } from '../lib/page-needs.ts';
import type { DetailData, PageData } from '../lib/contract/page-data.ts';
import { dataPath, recordsTable, sliceTable } from '../lib/contract/paths.ts';
import { concatFactTables, factTableFromArrow, type FactTable } from '../lib/fact-table.ts';
import { emptyState, type FilterState } from '../lib/filter-state.ts';
import { keptDimensions, levelOf, pageScale, planChart, shownMeasures, sliceGroups, type PageScale, type PanelPlan } from '../lib/page-scale.ts';
import { matchingRows, type EngineSpec } from '../lib/query.ts';
import { outputFile, readManifest } from './site-data.ts';
import { usStatesGeometry } from './us-geometry.ts';
import { worldGeometry } from './world-geometry.ts';

export interface Dashboard {
  spec: DatasetSpec;
  engine: EngineSpec;
  /** The page's cells, as the browser gets them, and what they can show. */
  table: FactTable;
  data: PageData;
  /** The details of filter columns the cells leave out (fetched when a filter keeps their members). */
  details: DetailData[];
  scale: PageScale;
  /** Map shapes, loaded when a chart first needs them. */
  maps: Partial<Record<Geography, MapGeometry>>;
  /** Slices read so far, by dimension. */
  slices: Map<string, FactTable>;
}

const cache = new Map<string, Dashboard>();

/** One of a dataset's Arrow outputs (a page's cells, a slice, member records), as the browser reads Arrow. */
const readArrow = (dataset: string, file: string, timeColumn: string): FactTable =>
  factTableFromArrow(tableFromIPC(readFileSync(outputFile(dataPath(dataset, file)))), timeColumn);

/** A page's cells from its files. */
const readCells = (dataset: string, data: PageData, timeColumn: string): FactTable => concatFactTables(data.files.map((f) => readArrow(dataset, f.path, timeColumn)));

/** A dashboard page (by its path in the dataset; 'explorer/' for the explorer), with its cells. */
export function loadDashboard(dataset: string, page: string): Dashboard {
  const id = `${dataset}/${page}`;
  let dashboard = cache.get(id);
  if (!dashboard) {
    const manifest = readManifest(dataset);
    const spec = manifest.declaration;
    const data = manifest.pages.find((p) => p.page === page);
    if (!data) throw new Error(`${dataset} has no browser data for the page "${page}"`);
    const slices = spec.dimensions.map((d) => d.name).filter((name) => manifest.arrow[sliceTable(name)]);
    // The explorer offers levels its own cells have: a pivot by models spans every make.
    const scale = pageScale(data, slices, spec.site.rows, page === EXPLORER ? [] : manifest.details);
    // The pages offer only the levels the cells kept: drills stop there, and the explorer lists no others.
    const engine: EngineSpec = {
      measures: shownMeasures(spec.measures, scale),
      dimensions: keptDimensions(spec.dimensions, scale),
      timeDimension: spec.timeDimension,
      defaultFilter: spec.defaultFilter,
      timeGrain: data.timeGrain,
    };
    dashboard = { spec, engine, table: readCells(dataset, data, spec.timeColumn), data, details: manifest.details, scale, maps: {}, slices: new Map() };
    cache.set(id, dashboard);
  }
  return dashboard;
}

/** The shapes of a map chart: the world with every country of the column, or the US states. */
function mapGeometry(d: Dashboard, def: ChartDef): MapGeometry | undefined {
  if (def.kind !== 'map') return undefined;
  const geography = def.geography ?? 'world';
  return (d.maps[geography] ??= geography === 'world' ? worldGeometry(d.table.text[def.column]?.values ?? [], d.spec.site.mapNames) : usStatesGeometry());
}

/** How a chart is served on this page: live on its cells, from a slice, or hidden. */
export const chartPlan = (d: Dashboard, def: ChartDef): PanelPlan => planChart(def, d.spec.dimensions, d.scale);

/** Members of a column from the pipeline's slice of its dimension: exact figures over every row, unfiltered. */
export function sliceSource(d: Dashboard, dimension: string): GroupSource {
  let slice = d.slices.get(dimension);
  if (!slice) {
    slice = readArrow(d.spec.name, `${sliceTable(dimension)}.arrow`, '');
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
  else tagMembers(node, def, data);
  // A tenth of a pixel is finer than any screen shows; rounding halves the map's bytes.
  for (const path of node.querySelectorAll('path[d]')) path.setAttribute('d', path.getAttribute('d')!.replace(/\d+\.\d+/g, (n) => String(Math.round(Number(n) * 10) / 10)));
  return { data, html: node.outerHTML };
}

/** A member page's records (see pipeline/export/member-records.ts): a row per member and record key. */
const records = new Map<string, FactTable>();
export function memberRecords(spec: DatasetSpec, memberPage: MemberPage): FactTable {
  const name = recordsTable(memberPage.column);
  const file = readManifest(spec.name).arrow[name];
  if (!file) throw new Error(`${spec.name} has no records for the member pages of ${memberPage.column}`);
  let table = records.get(`${spec.name}/${name}`);
  if (!table) records.set(`${spec.name}/${name}`, (table = readArrow(spec.name, file.path, spec.timeColumn)));
  return table;
}

/** The members that get a page of their own: every member with a record. */
export const membersOf = (spec: DatasetSpec, memberPage: MemberPage): string[] => memberRecords(spec, memberPage).text[memberPage.column]?.values ?? [];

/** What member pages are computed from: the cells of the page that lists them, else the explorer's (every level). */
export function memberDashboard(spec: DatasetSpec, memberPage: MemberPage): Dashboard {
  const listing = spec.site.pages.some((p) => p.kind === 'dashboard' && p.path === memberPage.path);
  return loadDashboard(spec.name, listing ? memberPage.path : EXPLORER);
}
