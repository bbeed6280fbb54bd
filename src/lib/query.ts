/**
 * The browser's query engine: which rows a filter state keeps, and every declared measure over them,
 * in total or grouped. Distinct counts, medians and ratios are computed from the rows of each group (never
 * summed or averaged across groups), so they are exact under any filter. Pure: no DOM, no Node.
 */
import type { DimensionSpec, FilterSpec, MeasureSpec } from './contract/declaration.ts';
import type { Figures } from './contract/kpis.ts';
import { aggregate } from './aggregate.ts';
import { isoToDay, type FactTable } from './fact-table.ts';
import type { FilterState } from './filter-state.ts';
import type { Grain } from './periods.ts';
import { codeOf, columnCodes, groupKeys, type ColumnCodes } from './column-codes.ts';

/** The parts of a dataset declaration the engine needs (what pages pass to the browser). */
export interface EngineSpec {
  measures: MeasureSpec[];
  dimensions: DimensionSpec[];
  timeDimension?: string;
  defaultFilter?: FilterSpec;
  /** The grain of the cells' dates (a day unless the page's cells are coarser). */
  timeGrain?: Grain;
}

export { histogramMedian, median } from './aggregate.ts';
export type { Figures } from './contract/kpis.ts';
export interface GroupRow {
  /** Members, one per grouping column. */
  keys: string[];
  figures: Figures;
}

/**
 * Rows kept by the state: inside the date range, a member of every filtered column, on the drill path,
 * and, unless the viewer chose members of its column, outside the default filter (e.g. not Cancelled).
 */
/** The rows a state keeps, with the columns it filtered them on (a count from first rows must know: see FactTable). */
export type Selection = Uint32Array & { readonly by: readonly string[] };

export function matchingRows(table: FactTable, spec: EngineSpec, state: FilterState): Selection {
  const from = state.from ? isoToDay(state.from) : -Infinity;
  const to = state.to ? isoToDay(state.to) : Infinity;
  // Per filtered column, which of its codes a row may have.
  const tests: { column: ColumnCodes; allowed: Uint8Array }[] = [];
  const by: string[] = [];
  const keep = (name: string, members: string[], include: boolean) => {
    by.push(name);
    // Ignoring an unknown column would silently widen the result: a declaration or data file is wrong.
    if (!table.text[name] && !table.numbers[name]) throw new Error(`cannot filter on ${name}: the data has no such column`);
    const column = columnCodes(table, name);
    const allowed = new Uint8Array(column.size).fill(include ? 0 : 1);
    for (const member of members) {
      const code = column.find(member);
      if (code >= 0) allowed[code] = include ? 1 : 0;
    }
    tests.push({ column, allowed });
  };
  for (const [column, members] of Object.entries(state.members)) keep(column, members, true);
  for (const dimension of spec.dimensions) {
    (state.drill[dimension.name] ?? []).forEach((member, depth) => {
      const level = dimension.levels[depth];
      if (level) keep(level.column, [member], true);
    });
  }
  const filter = spec.defaultFilter;
  if (filter && !state.members[filter.column]) keep(filter.column, filter.exclude, false);

  // A plain loop per test over the rows still kept: no function call per row, so quick even before it is optimised.
  const { days } = table;
  const rows = new Uint32Array(table.length);
  let n = 0;
  for (let row = 0; row < table.length; row++) if (days[row]! >= from && days[row]! <= to) rows[n++] = row;
  for (const { column, allowed } of tests) {
    const { codes, shift } = column;
    let kept = 0;
    for (let i = 0; i < n; i++) if (allowed[codes[rows[i]!]! + shift]) rows[kept++] = rows[i]!;
    n = kept;
  }
  return Object.assign(rows.subarray(0, n), { by: [...new Set(by)] });
}

/** The named measures and, for a ratio, the parts it is computed from: what totals and groupBy need for them. */
export function withParts(all: MeasureSpec[], names: string[]): MeasureSpec[] {
  const wanted = new Set(names);
  for (const m of all) if (wanted.has(m.name) && m.agg === 'ratio') [m.numerator, m.denominator].forEach((part) => wanted.add(part));
  return all.filter((m) => wanted.has(m.name));
}

/**
 * Per-row space reused by every query (one runs at a time, start to end): a filter change then makes no new
 * buffers the size of the table, which on cube cells would be megabytes per chart.
 */
let scratch = { keys: new Float64Array(0), groups: new Int32Array(0) };
function scratchFor(rows: number): { keys: Float64Array; groups: Int32Array } {
  if (scratch.keys.length < rows) scratch = { keys: new Float64Array(rows), groups: new Int32Array(rows) };
  return { keys: scratch.keys.subarray(0, rows), groups: scratch.groups.subarray(0, rows) };
}

/** Every measure over the given rows. */
export function totals(table: FactTable, rows: ArrayLike<number>, measures: MeasureSpec[]): Figures {
  const { groups } = scratchFor(rows.length);
  return aggregate(table, rows, groups.fill(0), 1, measures, [])[0]!;
}

/** Every measure per combination of members of the given columns, in order of first appearance. */
export function groupBy(table: FactTable, rows: ArrayLike<number>, columns: string[], measures: MeasureSpec[]): GroupRow[] {
  const coded = columns.map((c) => columnCodes(table, c));
  const { keys: space, groups: groupOf } = scratchFor(rows.length);
  const keys = groupKeys(coded, rows, space);
  // Each row's group, numbered in order of first appearance; a group's first row names its members.
  const ids = new Map<number | string, number>();
  const firsts: number[] = [];
  for (let i = 0; i < rows.length; i++) {
    const key = keys[i]!;
    let id = ids.get(key);
    if (id === undefined) {
      ids.set(key, (id = firsts.length));
      firsts.push(rows[i]!);
    }
    groupOf[i] = id;
  }
  const figures = aggregate(table, rows, groupOf, firsts.length, measures, columns);
  return firsts.map((row, g) => ({ keys: coded.map((c) => c.label(codeOf(c, row))), figures: figures[g]! }));
}
