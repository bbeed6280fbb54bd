/**
 * The cube explorer's pivot: a measure by a row hierarchy (from a chosen level down, members expandable in
 * place) and optionally a column level, with subtotals, totals and sorting. Every cell, subtotal and total
 * is computed from the rows it covers (never by adding up cells), so distinct counts and ratios are exact.
 */
import type { DimensionSpec } from './contract/declaration.ts';
import type { FactTable } from './fact-table.ts';
import { groupBy, totals, withParts, type EngineSpec } from './query.ts';

export interface Axis {
  dimension: string;
  /** Index of the level in the dimension's hierarchy. */
  level: number;
}

export interface PivotSpec {
  measure: string;
  rows: Axis;
  columns?: Axis;
  /** Row paths (members from the chosen level down) whose children are shown. */
  expanded: string[][];
  /** Sort rows among their siblings: by label, or by the value in a column ('' = the total column). */
  sort: { by: 'label' | 'value'; column: string; descending: boolean };
}

export interface PivotRow {
  /** Members from the chosen row level down to this row. */
  path: string[];
  depth: number;
  /** Level column of this row. */
  column: string;
  expandable: boolean;
  expanded: boolean;
  cells: Record<string, number | null>;
  total: number | null;
}

export interface Pivot {
  columns: string[];
  rows: PivotRow[];
  columnTotals: Record<string, number | null>;
  total: number | null;
  rowLevels: { column: string; label: string }[];
  columnLevel?: { column: string; label: string };
}


export function levelsOf(spec: EngineSpec, axis: Axis): DimensionSpec['levels'] {
  const dimension = spec.dimensions.find((d) => d.name === axis.dimension);
  if (!dimension) throw new Error(`unknown dimension ${axis.dimension}`);
  return dimension.levels.slice(Math.min(axis.level, dimension.levels.length - 1));
}

const key = (path: string[]) => JSON.stringify(path);
/** Labels in natural order (2 before 10); one collator, as localeCompare with options would make one per call. */
const byLabel = new Intl.Collator(undefined, { numeric: true }).compare;

export function pivot(table: FactTable, rows: ArrayLike<number>, spec: EngineSpec, p: PivotSpec): Pivot {
  const measure = spec.measures.find((m) => m.name === p.measure);
  if (!measure) throw new Error(`unknown measure ${p.measure}`);
  const rowLevels = levelsOf(spec, p.rows);
  const columnLevel = p.columns ? levelsOf(spec, p.columns)[0] : undefined;
  // A ratio is computed from its parts, so they are aggregated with it.
  const measures = withParts(spec.measures, [measure.name]);
  const value = (figures: Record<string, number | null>) => figures[measure.name] ?? null;
  const expanded = new Set(p.expanded.map(key));

  // One pass per depth that is shown: groups by the path columns (and the column level for the cells).
  const byDepth = new Map<number, { totals: Map<string, { path: string[]; total: number | null }>; cells: Map<string, Record<string, number | null>> }>();
  const depthData = (depth: number) => {
    let data = byDepth.get(depth);
    if (!data) {
      const pathColumns = rowLevels.slice(0, depth + 1).map((l) => l.column);
      const rowTotals = new Map(groupBy(table, rows, pathColumns, measures).map((g) => [key(g.keys), { path: g.keys, total: value(g.figures) }]));
      const cells = new Map<string, Record<string, number | null>>();
      if (columnLevel) {
        for (const g of groupBy(table, rows, [...pathColumns, columnLevel.column], measures)) {
          const k = key(g.keys.slice(0, -1));
          const row = cells.get(k) ?? {};
          row[g.keys.at(-1)!] = value(g.figures);
          cells.set(k, row);
        }
      }
      byDepth.set(depth, (data = { totals: rowTotals, cells }));
    }
    return data;
  };

  const columnTotals: Record<string, number | null> = {};
  const columns: string[] = [];
  if (columnLevel) {
    for (const g of groupBy(table, rows, [columnLevel.column], measures)) {
      columns.push(g.keys[0]!);
      columnTotals[g.keys[0]!] = value(g.figures);
    }
    // Periods in time order; other members largest first.
    const byTime = p.columns!.dimension === spec.timeDimension;
    columns.sort((a, b) => (byTime ? byLabel(a, b) : (columnTotals[b] ?? 0) - (columnTotals[a] ?? 0) || a.localeCompare(b)));
  }

  const sortValue = (r: PivotRow) => (p.sort.column ? (r.cells[p.sort.column] ?? null) : r.total);
  const compare = (a: PivotRow, b: PivotRow) => {
    const label = byLabel(a.path.at(-1)!, b.path.at(-1)!);
    if (p.sort.by === 'label') return p.sort.descending ? -label : label;
    const [x, y] = [sortValue(a) ?? -Infinity, sortValue(b) ?? -Infinity];
    return (p.sort.descending ? y - x : x - y) || label;
  };

  const out: PivotRow[] = [];
  const emit = (depth: number, parent: string[]) => {
    const data = depthData(depth);
    const children: PivotRow[] = [];
    for (const [k, { path, total }] of data.totals) {
      if (parent.some((m, i) => path[i] !== m)) continue;
      const expandable = depth < rowLevels.length - 1;
      children.push({ path, depth, column: rowLevels[depth]!.column, expandable, expanded: expandable && expanded.has(k), cells: data.cells.get(k) ?? {}, total });
    }
    for (const row of children.sort(compare)) {
      out.push(row);
      if (row.expanded) emit(depth + 1, row.path);
    }
  };
  emit(0, []);
  return {
    columns,
    rows: out,
    columnTotals,
    total: value(totals(table, rows, measures)),
    rowLevels: rowLevels.map((l) => ({ column: l.column, label: l.label })),
    columnLevel: columnLevel ? { column: columnLevel.column, label: columnLevel.label } : undefined,
  };
}

export type PivotChartKind = 'bar' | 'line' | 'heatmap';

/** The chart that reads best for the choice: a line over time, a heatmap for two dimensions, else bars. */
export function defaultChart(p: PivotSpec, spec: EngineSpec): PivotChartKind {
  const rowIsTime = p.rows.dimension === spec.timeDimension;
  if (p.columns && !rowIsTime) return 'heatmap';
  return rowIsTime ? 'line' : 'bar';
}
