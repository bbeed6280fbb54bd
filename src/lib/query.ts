/**
 * The browser's query engine: which rows a filter state keeps, and every declared measure over them,
 * in total or grouped. Distinct counts, medians and ratios are computed from the rows of each group (never
 * summed or averaged across groups), so they are exact under any filter. Pure: no DOM, no Node.
 */
import type { DimensionSpec, FilterSpec, MeasureSpec } from './dataset-spec.ts';
import { isoToDay, type FactTable, type Histograms } from './fact-table.ts';
import type { FilterState } from './filter-state.ts';
import { roundMeasure } from './measure-round.ts';

/** The parts of a dataset declaration the engine needs (what pages pass to the browser). */
export interface EngineSpec {
  measures: MeasureSpec[];
  dimensions: DimensionSpec[];
  timeDimension?: string;
  defaultFilter?: FilterSpec;
}

export type Figures = Record<string, number | null>;
export interface GroupRow {
  /** Members, one per grouping column. */
  keys: string[];
  figures: Figures;
}

/**
 * Rows kept by the state: inside the date range, a member of every filtered column, on the drill path,
 * and, unless the viewer chose members of its column, outside the default filter (e.g. not Cancelled).
 */
export function matchingRows(table: FactTable, spec: EngineSpec, state: FilterState): Uint32Array {
  const tests: ((row: number) => boolean)[] = [];
  const from = state.from ? isoToDay(state.from) : -Infinity;
  const to = state.to ? isoToDay(state.to) : Infinity;
  if (state.from || state.to) tests.push((row) => table.days[row]! >= from && table.days[row]! <= to);

  const keep = (column: string, members: string[], include: boolean) => {
    const text = table.text[column];
    if (text) {
      const codes = new Set(members.map((m) => text.values.indexOf(m)).filter((c) => c >= 0));
      tests.push(include ? (row) => codes.has(text.codes[row]!) : (row) => !codes.has(text.codes[row]!));
      return;
    }
    // Numeric levels (e.g. year) hold numbers, while members arrive as text (from the URL or a chart's key).
    const numbers = table.numbers[column];
    // Ignoring an unknown column would silently widen the result: a declaration or data file is wrong.
    if (!numbers) throw new Error(`cannot filter on ${column}: the data has no such column`);
    const wanted = new Set(members.filter((m) => m.trim() !== '').map(Number).filter((v) => !Number.isNaN(v)));
    tests.push(include ? (row) => wanted.has(numbers[row]!) : (row) => !wanted.has(numbers[row]!));
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

  const rows = new Uint32Array(table.length);
  let n = 0;
  outer: for (let row = 0; row < table.length; row++) {
    for (const test of tests) if (!test(row)) continue outer;
    rows[n++] = row;
  }
  return rows.subarray(0, n);
}

/** Per-group accumulator of every non-ratio measure: a sum or count, a set of distinct values, or the values of a median. */
type Accumulator = (number | Set<number> | number[] | Float64Array)[];

function valueOf(table: FactTable, column: string): (row: number) => number {
  const text = table.text[column];
  if (text) return (row) => text.codes[row]!;
  const numbers = table.numbers[column];
  if (numbers) return (row) => numbers[row]!;
  throw new Error(`no column ${column} in the fact table`);
}

/**
 * The median as DuckDB's median() computes it over doubles: the middle value, or for an even count the mean
 * of the two middle values, (lo + hi) / 2; null when there are no values. Sorts the array in place.
 */
export function median(values: number[] | Float64Array): number | null {
  const n = values.length;
  if (!n) return null;
  const sorted = values instanceof Float64Array ? values.sort() : values.sort((a, b) => a - b);
  const mid = n >> 1;
  return n % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

/**
 * The median of values counted per rounded value (bin × resolution), as DuckDB's median() gives over those rounded
 * values: the middle one, or the mean of the two middle ones for an even count; null without values.
 */
export function binnedMedian(counts: Float64Array, lo: number, resolution: number): number | null {
  let n = 0;
  for (let i = 0; i < counts.length; i++) n += counts[i]!;
  if (!n) return null;
  // 0-based positions of the middle values.
  const [a, b] = n % 2 ? [(n - 1) / 2, (n - 1) / 2] : [n / 2 - 1, n / 2];
  let [seen, first, second] = [0, Number.NaN, Number.NaN];
  for (let i = 0; i < counts.length && Number.isNaN(second); i++) {
    const next = seen + counts[i]!;
    if (Number.isNaN(first) && a < next) first = (i + lo) * resolution;
    if (b < next) second = (i + lo) * resolution;
    seen = next;
  }
  return first === second ? first : (first + second) / 2;
}

/** The lowest bin of a column's histograms and how many bins span them: found once per table, not per query. */
const binRanges = new WeakMap<Histograms, { lo: number; size: number }>();
function binRange(h: Histograms): { lo: number; size: number } {
  let range = binRanges.get(h);
  if (!range) {
    let lo = Infinity;
    let hi = -Infinity;
    for (let i = 0; i < h.pairs.length; i += 2) {
      const bin = h.pairs[i]!;
      if (bin < lo) lo = bin;
      if (bin > hi) hi = bin;
    }
    range = h.pairs.length ? { lo, size: hi - lo + 1 } : { lo: 0, size: 0 };
    binRanges.set(h, range);
  }
  return range;
}

function compile(table: FactTable, measures: MeasureSpec[]) {
  const base = measures.filter((m) => m.agg !== 'ratio');
  for (const m of base) if (m.agg === 'median' && table.text[m.column]) throw new Error(`median ${m.name}: ${m.column} is not a numeric column`);
  const { weights, histograms } = table;
  const binned = (m: MeasureSpec) => (m.agg === 'median' ? histograms?.[m.column] : undefined);
  // A median over cube cells adds the cells' counts per rounded value into one dense array per group.
  const ranges = base.map((m) => {
    const h = binned(m);
    return h ? { h, ...binRange(h) } : undefined;
  });
  const init = (): Accumulator =>
    base.map((m, i) => (m.agg === 'countDistinct' ? new Set<number>() : ranges[i] ? new Float64Array(Math.max(ranges[i].size, 0)) : m.agg === 'median' ? [] : 0));
  // One adder per measure, chosen once: the loop over rows then does no dispatch on the kind of measure.
  const adders = base.map((m, i): ((acc: Accumulator, row: number) => void) => {
    if (m.agg === 'count') return weights ? (acc, row) => void ((acc[i] as number) += weights[row]!) : (acc) => void ((acc[i] as number) += 1);
    const range = ranges[i];
    if (range) {
      const { h, lo } = range;
      return (acc, row) => {
        const counts = acc[i] as Float64Array;
        for (let p = h.offsets[row]!; p < h.offsets[row + 1]!; p += 2) counts[h.pairs[p]! - lo]! += h.pairs[p + 1]!;
      };
    }
    if (weights && m.agg !== 'sum') throw new Error(`${m.name}: a ${m.agg} cannot be computed from cube cells`);
    const text = table.text[m.column];
    if (m.agg === 'countDistinct') {
      // Missing values are not a distinct value (as in SQL): code -1 for text, NaN for numbers.
      if (text) return (acc, row) => void (text.codes[row]! >= 0 && (acc[i] as Set<number>).add(text.codes[row]!));
      const read = valueOf(table, m.column);
      return (acc, row) => void (!Number.isNaN(read(row)) && (acc[i] as Set<number>).add(read(row)));
    }
    const numbers = table.numbers[m.column];
    if (!numbers) throw new Error(`no numeric column ${m.column} in the fact table`);
    if (m.agg === 'median') return (acc, row) => void (!Number.isNaN(numbers[row]!) && (acc[i] as number[]).push(numbers[row]!));
    return (acc, row) => void (!Number.isNaN(numbers[row]!) && ((acc[i] as number) += numbers[row]!));
  });
  const add = (acc: Accumulator, row: number) => {
    for (let i = 0; i < adders.length; i++) adders[i]!(acc, row);
  };
  const finish = (acc: Accumulator): Figures => {
    const raw: Record<string, number | null> = {};
    base.forEach((m, i) => {
      const a = acc[i]!;
      // A typed array sorts numerically, and much faster than an array with a comparator.
      const range = ranges[i];
      raw[m.name] =
        m.agg === 'countDistinct' ? (a as Set<number>).size
        : range ? binnedMedian(a as Float64Array, range.lo, range.h.resolution)
        : m.agg === 'median' ? median(Float64Array.from(a as number[]))
        : (a as number);
    });
    const figures: Figures = {};
    for (const m of measures) {
      const value = m.agg === 'ratio' ? ratio(raw[m.numerator], raw[m.denominator]) : raw[m.name]!;
      figures[m.name] = value == null ? null : roundMeasure(value, m.format);
    }
    return figures;
  };
  return { init, add, finish };
}

/** A ratio of its parts' totals; the numerator to the cent first, as the pipeline's sums are. */
const ratio = (numerator: number | null | undefined, denominator: number | null | undefined) =>
  numerator == null || !denominator ? null : roundMeasure(numerator, 'currency') / denominator;

/** The named measures and, for a ratio, the parts it is computed from: what totals and groupBy need for them. */
export function withParts(all: MeasureSpec[], names: string[]): MeasureSpec[] {
  const wanted = new Set(names);
  for (const m of all) if (wanted.has(m.name) && m.agg === 'ratio') [m.numerator, m.denominator].forEach((part) => wanted.add(part));
  return all.filter((m) => wanted.has(m.name));
}

/** Every measure over the given rows. */
export function totals(table: FactTable, rows: ArrayLike<number>, measures: MeasureSpec[]): Figures {
  const { init, add, finish } = compile(table, measures);
  const acc = init();
  for (let i = 0; i < rows.length; i++) add(acc, rows[i]!);
  return finish(acc);
}

/** Every measure per combination of members of the given columns, in order of first appearance. */
export function groupBy(table: FactTable, rows: ArrayLike<number>, columns: string[], measures: MeasureSpec[]): GroupRow[] {
  const { init, add, finish } = compile(table, measures);
  const readers = columns.map((c) => valueOf(table, c));
  const labels = columns.map((c) => {
    const text = table.text[c];
    return text ? (v: number) => text.values[v] ?? '' : (v: number) => String(v);
  });
  const groups = new Map<string | number, { values: number[]; acc: Accumulator }>();
  const keyOf = (values: number[]) => values.join(',');
  // One column: the member's code is read straight into the key, with no array made per row.
  if (readers.length === 1) {
    const read = readers[0]!;
    for (let i = 0; i < rows.length; i++) {
      const row = rows[i]!;
      const value = read(row);
      let group = groups.get(value);
      if (!group) groups.set(value, (group = { values: [value], acc: init() }));
      add(group.acc, row);
    }
    return [...groups.values()].map((g) => ({ keys: [labels[0]!(g.values[0]!)], figures: finish(g.acc) }));
  }
  for (let i = 0; i < rows.length; i++) {
    const row = rows[i]!;
    const values = readers.map((read) => read(row));
    const key = keyOf(values);
    let group = groups.get(key);
    if (!group) groups.set(key, (group = { values, acc: init() }));
    add(group.acc, row);
  }
  return [...groups.values()].map((g) => ({ keys: g.values.map((v, i) => labels[i]!(v)), figures: finish(g.acc) }));
}
