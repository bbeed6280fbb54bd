/**
 * Every dashboard chart, declared as data (so a page can hand it to the browser) and turned into rows and
 * Plot options by the same functions at build time and in the browser.
 */
import type { MeasureSpec } from '../dataset-spec.ts';
import type { FactTable } from '../fact-table.ts';
import type { FilterState } from '../filter-state.ts';
import { groupBy, type EngineSpec } from '../query.ts';

interface Base {
  id: string;
  title: string;
  measure: string;
}
/** Members of a column ranked by the measure; a click filters on the member. */
export interface BarsChart extends Base {
  kind: 'bars';
  column: string;
  limit?: number;
  /** Keep the column's natural order (e.g. Small, Medium, Large) instead of ranking. */
  order?: string[];
}
/** Bars at the current level of a hierarchy; a click drills down a level. */
export interface DrillChart extends Base {
  kind: 'drill';
  dimension: string;
}
/** The measure over time at a grain the viewer picks. */
export interface TrendChart extends Base {
  kind: 'trend';
  /** Time-dimension level columns, coarse to fine. */
  grains: string[];
  grain: string;
}
/** Year × month of year. */
export interface HeatmapChart extends Base {
  kind: 'heatmap';
  /** Column holding YYYY-MM labels. */
  column: string;
}
/** A choropleth of countries; a click filters on the country. */
export interface MapChart extends Base {
  kind: 'map';
  column: string;
}
export type ChartDef = BarsChart | DrillChart | TrendChart | HeatmapChart | MapChart;

export interface ChartRow {
  /** Member (or period) label as stored. */
  key: string;
  value: number | null;
}

export interface ChartData {
  rows: ChartRow[];
  /** For drill charts: the level shown and the path to it. */
  level?: { column: string; label: string; depth: number; path: string[]; last: boolean };
}

export function measureOf(spec: EngineSpec, name: string): MeasureSpec {
  const measure = spec.measures.find((m) => m.name === name);
  if (!measure) throw new Error(`unknown measure ${name}`);
  return measure;
}

/** The rows a chart shows for the rows the filter kept. */
export function chartData(def: ChartDef, table: FactTable, rows: ArrayLike<number>, spec: EngineSpec, state: FilterState): ChartData {
  const measure = measureOf(spec, def.measure);
  const grouped = (column: string) =>
    groupBy(table, rows, [column], [measure]).map((g) => ({ key: g.keys[0]!, value: g.figures[measure.name] ?? null }));
  const ranked = (data: ChartRow[]) => data.sort((a, b) => (b.value ?? 0) - (a.value ?? 0) || a.key.localeCompare(b.key));
  switch (def.kind) {
    case 'bars': {
      const data = grouped(def.column);
      if (def.order) return { rows: data.sort((a, b) => def.order!.indexOf(a.key) - def.order!.indexOf(b.key)) };
      return { rows: ranked(data).slice(0, def.limit ?? data.length) };
    }
    case 'drill': {
      const dimension = spec.dimensions.find((d) => d.name === def.dimension)!;
      const path = (state.drill[def.dimension] ?? []).slice(0, dimension.levels.length - 1);
      const level = dimension.levels[path.length]!;
      return {
        rows: ranked(grouped(level.column)),
        level: { column: level.column, label: level.label, depth: path.length, path, last: path.length === dimension.levels.length - 1 },
      };
    }
    case 'trend':
    case 'heatmap':
      return { rows: grouped(def.kind === 'trend' ? def.grain : def.column).sort((a, b) => a.key.localeCompare(b.key)) };
    case 'map':
      return { rows: ranked(grouped(def.column)) };
  }
}
