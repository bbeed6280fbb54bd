/**
 * Every dashboard chart, declared as data in its dataset's declaration (contract/site.ts) and turned into rows
 * and Plot options by the same functions at build time and in the browser.
 */
import type { MeasureSpec } from '../contract/declaration.ts';
import type { ChartDef } from '../contract/site.ts';
import type { FactTable } from '../fact-table.ts';
import type { FilterState } from '../filter-state.ts';
import { groupBy, withParts, type EngineSpec, type GroupRow } from '../query.ts';
import { naturalOrder } from '../natural-order.ts';
import { periodsBetween } from '../periods.ts';

export type { BarsChart, ChartDef, DrillChart, HeatmapChart, MapChart, TrendChart } from '../contract/site.ts';

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

/** Members of a column with the measures asked for: from the rows, or from figures computed beforehand (a slice). */
export type GroupSource = (column: string, measures: MeasureSpec[]) => GroupRow[];

/** The rows a chart shows for the rows the filter kept. */
export function chartData(def: ChartDef, table: FactTable, rows: ArrayLike<number>, spec: EngineSpec, state: FilterState): ChartData {
  return chartDataFrom(def, (column, measures) => groupBy(table, rows, [column], measures), spec, state);
}

/** The rows a chart shows, from any source of grouped figures. */
export function chartDataFrom(def: ChartDef, source: GroupSource, spec: EngineSpec, state: FilterState): ChartData {
  const measure = measureOf(spec, def.measure);
  const rankBy = def.kind === 'bars' && def.rankBy && def.limit ? def.rankBy : undefined;
  const measures = withParts(spec.measures, rankBy ? [measure.name, rankBy] : [measure.name]);
  const groups = (column: string) => source(column, measures);
  const grouped = (column: string) => groups(column).map((g) => ({ key: g.keys[0]!, value: g.figures[measure.name] ?? null }));
  const ranked = (data: ChartRow[]) => data.sort((a, b) => (b.value ?? 0) - (a.value ?? 0) || a.key.localeCompare(b.key));
  switch (def.kind) {
    case 'bars': {
      if (rankBy) {
        const top = groups(def.column)
          .sort((a, b) => (b.figures[rankBy] ?? 0) - (a.figures[rankBy] ?? 0) || a.keys[0]!.localeCompare(b.keys[0]!))
          .slice(0, def.limit);
        return { rows: ranked(top.map((g) => ({ key: g.keys[0]!, value: g.figures[measure.name] ?? null }))) };
      }
      const data = grouped(def.column);
      if (def.order) return { rows: data.sort((a, b) => def.order!.indexOf(a.key) - def.order!.indexOf(b.key)) };
      if (def.sort === 'member') return { rows: data.sort((a, b) => naturalOrder(a.key, b.key)) };
      return { rows: ranked(data).slice(0, def.limit ?? data.length) };
    }
    case 'drill': {
      const dimension = spec.dimensions.find((d) => d.name === def.dimension)!;
      const path = (state.drill[def.dimension] ?? []).slice(0, dimension.levels.length - 1);
      const level = dimension.levels[path.length]!;
      return {
        rows: ranked(grouped(level.column)).slice(0, def.limit),
        level: { column: level.column, label: level.label, depth: path.length, path, last: path.length === dimension.levels.length - 1 },
      };
    }
    case 'trend': {
      // Every period from the first to the last: one with no rows is 0 for a sum or count, and a gap in the line for
      // a median or ratio (which no rows leave undefined), never a straight line drawn across it.
      const data = new Map(grouped(def.grain).map((r) => [r.key, r.value]));
      const keys = [...data.keys()].sort();
      const empty = measure.agg === 'sum' || measure.agg === 'count' || measure.agg === 'countDistinct' ? 0 : null;
      return { rows: keys.length ? periodsBetween(keys[0]!, keys.at(-1)!).map((key) => ({ key, value: data.has(key) ? data.get(key)! : empty })) : [] };
    }
    case 'heatmap':
      return { rows: grouped(def.column).sort((a, b) => a.key.localeCompare(b.key)) };
    case 'map':
      return { rows: ranked(grouped(def.column)) };
  }
}
