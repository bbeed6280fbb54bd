/**
 * KPI tiles: each measure for the viewer's filters, its change against the same span a year earlier, and a
 * monthly sparkline. Without a date range the span is the latest year to date (as in kpis.json), so a part
 * year is never compared with a full one.
 */
import type { MeasureSpec } from './contract/declaration.ts';
import { dayToIso, type FactTable } from './fact-table.ts';
import type { FilterState } from './filter-state.ts';
import { cellSpan, yearOnYearSpans, yearToDateSpans, type Grain, type Span } from './periods.ts';
import { groupBy, matchingRows, totals, withParts, type EngineSpec, type Figures, type Selection } from './query.ts';

export interface Tile {
  measure: MeasureSpec;
  value: number | null;
  /** Same measure over the comparison spans. */
  current: number | null;
  previous: number | null;
  change: number | null;
  spark: { key: string; value: number | null }[];
}

/** The table's first and last days, found once per table rather than on every filter change. */
const dayRanges = new WeakMap<FactTable, { first: number; last: number }>();
export function dayRange(table: FactTable): { first: number; last: number } {
  let range = dayRanges.get(table);
  if (!range) {
    range = { first: Infinity, last: -Infinity };
    for (let row = 0; row < table.days.length; row++) {
      const day = table.days[row]!;
      if (day < range.first) range.first = day;
      if (day > range.last) range.last = day;
    }
    dayRanges.set(table, range);
  }
  return range;
}

/** The spans the tiles compare: the viewer's date range, or the latest year to date, each in whole cells of the grain. */
export function comparisonSpans(state: FilterState, table: FactTable, grain: Grain = 'day'): { current: Span; previous: Span } {
  const { first, last } = dayRange(table);
  const end = cellSpan(dayToIso(last), grain).to;
  return state.from || state.to ? yearOnYearSpans({ from: state.from ?? dayToIso(first), to: state.to ?? end }) : yearToDateSpans(end);
}

/**
 * The rows a state keeps within a span. The span replaces the viewer's whole time selection: the date range and a
 * drill into the time dimension; otherwise a drill into 2004 would be compared within 2005 to date.
 */
export function rowsOver(table: FactTable, spec: EngineSpec, state: FilterState, span: Span): Selection {
  const drill = Object.fromEntries(Object.entries(state.drill).filter(([dimension]) => dimension !== spec.timeDimension));
  return matchingRows(table, spec, { ...state, ...span, drill });
}

const change = (now: number | null | undefined, before: number | null | undefined) =>
  now == null || !before ? null : Math.round(((now - before) / before) * 10000) / 10000;

/** What a caller needs of the tiles: the comparison with a year earlier, and the monthly sparklines (default both). */
export interface TileParts {
  compare?: boolean;
  sparklines?: boolean;
  /** The rows the state keeps, when the caller has them already (a page filters once for every figure). */
  rows?: ArrayLike<number>;
}

/**
 * A tile per measure (or per named measure: a page showing a few need not compute the rest). Without `compare` the
 * tiles carry no comparison (current, previous and change are null); without `sparklines`, no monthly points.
 */
export function kpiTiles(table: FactTable, spec: EngineSpec, state: FilterState, monthColumn: string, names?: string[], parts: TileParts = {}): Tile[] {
  const { compare = true, sparklines = true, rows = matchingRows(table, spec, state) } = parts;
  const shown = names ? names.map((n) => spec.measures.find((m) => m.name === n)!) : spec.measures;
  const measures = names ? withParts(spec.measures, names) : spec.measures;
  const value = totals(table, rows, measures);
  let current: Figures = {};
  let previous: Figures = {};
  if (compare) {
    const spans = comparisonSpans(state, table, spec.timeGrain);
    const over = (span: Span): Figures => totals(table, rowsOver(table, spec, state, span), measures);
    [current, previous] = [over(spans.current), over(spans.previous)];
  }
  const spark = sparklines ? monthlySparks(table, rows, measures, monthColumn) : {};
  return shown.map((measure) => ({
    measure,
    value: value[measure.name] ?? null,
    current: current[measure.name] ?? null,
    previous: previous[measure.name] ?? null,
    change: change(current[measure.name], previous[measure.name]),
    spark: spark[measure.name] ?? [],
  }));
}

/** Each measure month by month over the rows: the points of the tiles' sparklines. */
export function monthlySparks(table: FactTable, rows: ArrayLike<number>, measures: MeasureSpec[], monthColumn: string): Record<string, Tile['spark']> {
  const monthly = groupBy(table, rows, [monthColumn], measures).sort((a, b) => a.keys[0]!.localeCompare(b.keys[0]!));
  return Object.fromEntries(measures.map((m) => [m.name, monthly.map((g) => ({ key: g.keys[0]!, value: g.figures[m.name] ?? null }))]));
}

/** A figure this long (a ten-digit revenue) is set smaller, so that it stays inside its tile. */
export const isLongFigure = (text: string) => text.length > 12;
