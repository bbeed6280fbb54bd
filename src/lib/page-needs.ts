/**
 * What a page computes, from its declaration: the mart columns its figures group or filter by, the time levels it
 * draws, and the measures it shows. The pipeline plans each page's browser data from it, so a page carries the
 * cells for its own charts, tiles and filter bar and nothing else. Pure: no DOM, no Node.
 */
import type { DatasetSpec, MeasureSpec } from './contract/declaration.ts';
import type { ChartDef, DashboardPage } from './contract/site.ts';
import { additiveMeasures, ratioMeasures } from './contributions.ts';
import { withParts } from './query.ts';

export interface PageNeeds {
  /** Mart columns the page groups or filters by, time levels excepted: chart columns, drill levels, filters. */
  columns: string[];
  /** Levels of the time dimension the page draws or filters by, coarse to fine (trend grains, heatmap, sparklines). */
  timeLevels: string[];
  /** The measures the page shows, with the parts of its ratios. */
  measures: MeasureSpec[];
  /** A records table's rows: one per key, with its texts and sums. */
  records?: { key: string; text: string[]; sums: string[] };
}

/** The explorer: every level of every dimension, every measure. */
export const EXPLORER = 'explorer/';
/** Drivers of change (a dataset declaring analysis.contributions): the columns it splits by, its sums, counts and ratios. */
export const DRIVERS = 'drivers/';
/** The Forecast page (a dataset declaring analysis.forecast): the primary measure by month, for its filters. */
export const FORECAST = 'forecast/';

function chartColumns(spec: Pick<DatasetSpec, 'dimensions'>, chart: ChartDef): string[] {
  switch (chart.kind) {
    case 'drill':
      return spec.dimensions.find((d) => d.name === chart.dimension)?.levels.map((l) => l.column) ?? [];
    case 'trend':
      return chart.grains;
    default:
      return [chart.column];
  }
}

/** What a dashboard page (or the explorer or Drivers page, by its path) needs of the mart. */
export function pageNeeds(spec: DatasetSpec, page: DashboardPage | typeof EXPLORER | typeof DRIVERS | typeof FORECAST): PageNeeds {
  const time = spec.dimensions.find((d) => d.name === spec.timeDimension);
  const timeColumns = new Set(time?.levels.map((l) => l.column) ?? []);
  const columns = new Set<string>([...spec.filters, ...(spec.defaultFilter ? [spec.defaultFilter.column] : [])]);
  const measures = new Set<string>();
  // Every page but the analyses has the KPI tiles, whose sparklines follow a month column (as the forecast does).
  if (page !== DRIVERS) columns.add(spec.site.tiles.sparkline);
  if (page !== DRIVERS && page !== FORECAST) (spec.site.tiles.measures ?? spec.measures.map((m) => m.name)).forEach((m) => measures.add(m));
  let records: PageNeeds['records'];
  if (page === EXPLORER) {
    for (const d of spec.dimensions) for (const l of d.levels) columns.add(l.column);
    for (const m of spec.measures) measures.add(m.name);
  } else if (page === FORECAST) {
    measures.add(spec.primaryMeasure);
  } else if (page === DRIVERS) {
    for (const c of spec.analysis.contributions?.by ?? []) columns.add(c);
    for (const m of [...additiveMeasures(spec.measures), ...ratioMeasures(spec.measures)]) measures.add(m.name);
  } else {
    for (const chart of page.charts) {
      chartColumns(spec, chart).forEach((c) => columns.add(c));
      measures.add(chart.measure);
      if (chart.kind === 'bars' && chart.rankBy) measures.add(chart.rankBy);
    }
    if (page.ranked) {
      columns.add(page.ranked.column);
      [...page.ranked.measures, ...page.ranked.rankBy].forEach((m) => measures.add(m));
    }
    if (page.records) records = page.records.records;
  }
  return {
    columns: [...columns].filter((c) => !timeColumns.has(c)),
    timeLevels: time?.levels.map((l) => l.column).filter((c) => columns.has(c)) ?? [],
    measures: withParts(spec.measures, [...measures]),
    ...(records ? { records } : {}),
  };
}
