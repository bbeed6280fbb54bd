/**
 * Every measure over groups of rows. Each measure is one loop over the rows that adds into its group's slot:
 * no accumulator object or function call per row, so the loops are quick even before the browser has
 * optimised them (the first filter changes after a page loads). Sums add in row order, as before.
 */
import type { MeasureSpec } from './contract/declaration.ts';
import type { Figures } from './contract/kpis.ts';
import { firstColumn } from './contract/paths.ts';
import type { Bins, FactTable } from './fact-table.ts';
import type { Selection } from './query.ts';
import { roundMeasure } from './measure-round.ts';

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
 * The median of values counted by bin. Bins of a column's own precision hold one value each (bin × width): the
 * median is exact, as DuckDB's median() gives over doubles (the middle value, or the mean of the two middle ones).
 * Quantile bins hold the values between two edges: a middle value is estimated within its bin by its rank there, as
 * if the bin's values were spread evenly; the true median lies within `bounds`. Null without values.
 */
export function histogramMedian(counts: Map<number, number>, bins: Bins): { value: number; bounds: [number, number] } | null {
  let n = 0;
  for (const c of counts.values()) n += c;
  if (!n) return null;
  // 0-based ranks of the middle values.
  const [a, b] = n % 2 ? [(n - 1) / 2, (n - 1) / 2] : [n / 2 - 1, n / 2];
  const order = [...counts.keys()].sort((x, y) => x - y);
  const at = (rank: number): [value: number, lo: number, hi: number] => {
    let seen = 0;
    for (const bin of order) {
      const count = counts.get(bin)!;
      if (rank < seen + count) {
        if ('width' in bins) return [bin * bins.width, bin * bins.width, bin * bins.width];
        const [lo, hi] = [bins.edges[bin]!, bins.edges[bin + 1] ?? bins.edges[bin]!];
        return [lo + ((rank - seen + 0.5) / count) * (hi - lo), lo, hi];
      }
      seen += count;
    }
    throw new Error('rank past the values');
  };
  const [first, lo] = at(a);
  const [second, , hi] = at(b);
  return { value: first === second ? first : (first + second) / 2, bounds: [lo, hi] };
}

function numericColumn(table: FactTable, m: { name: string; agg: string; column: string }): Float64Array {
  if (table.text[m.column]) throw new Error(`${m.agg} ${m.name}: ${m.column} is not a numeric column`);
  const numbers = table.numbers[m.column];
  if (!numbers) throw new Error(`no numeric column ${m.column} in the fact table`);
  return numbers;
}

/**
 * A distinct count from cells that leave its column out: the sum of their first-row counts, exact while the rows
 * were filtered, and are grouped, only by columns constant within each counted value (an order's customer and
 * month, not its product lines: an order whose first line is a ship and which also holds a plane would go uncounted
 * under a filter on planes). Null otherwise, and when the cells have no such counts: the page says so.
 */
function firstRowCounts(table: FactTable, rows: ArrayLike<number>, groupOf: Int32Array, groups: number, column: string, by: readonly string[]): (number | null)[] {
  const flags = table.numbers[firstColumn(column)];
  const exact = table.exactBy[column];
  const filtered = (rows as Partial<Selection>).by;
  if (!flags || !exact || !filtered || ![...filtered, ...by].every((c) => exact.includes(c))) return Array.from({ length: groups }, () => null);
  const counts = new Float64Array(groups);
  for (let i = 0; i < rows.length; i++) counts[groupOf[i]!] += flags[rows[i]!]!;
  return Array.from(counts);
}

/** One value per group of a measure that is not a ratio; `groupOf[i]` is the group of `rows[i]`. */
function baseValues(table: FactTable, rows: ArrayLike<number>, groupOf: Int32Array, groups: number, m: Exclude<MeasureSpec, { agg: 'ratio' }>, by: readonly string[]): (number | null)[] {
  const { weights } = table;
  if (m.agg === 'count') {
    const counts = new Float64Array(groups);
    for (let i = 0; i < rows.length; i++) counts[groupOf[i]!] += weights[rows[i]!]!;
    return Array.from(counts);
  }
  if (m.agg === 'median') {
    const histograms = table.histograms[m.column];
    if (!histograms) throw new Error(`no values of ${m.column} for the median ${m.name}`);
    // Each group adds up its cells' counts per bin.
    const { offsets, pairs, bins } = histograms;
    const counts = Array.from({ length: groups }, () => new Map<number, number>());
    for (let i = 0; i < rows.length; i++) {
      const row = rows[i]!;
      const group = counts[groupOf[i]!]!;
      for (let p = offsets[row]!; p < offsets[row + 1]!; p += 2) group.set(pairs[p]!, (group.get(pairs[p]!) ?? 0) + pairs[p + 1]!);
    }
    return counts.map((c) => histogramMedian(c, bins)?.value ?? null);
  }
  if (m.agg === 'countDistinct') {
    // Missing values are not a distinct value (as in SQL): code -1 for text, NaN for numbers. They are added with
    // the rest and taken off the count at the end, which keeps the loop free of tests.
    const text = table.text[m.column];
    const values = text ? text.codes : table.numbers[m.column];
    if (!values) return firstRowCounts(table, rows, groupOf, groups, m.column, by);
    const missing = text ? -1 : Number.NaN;
    const sets = Array.from({ length: groups }, () => new Set<number>());
    for (let i = 0; i < rows.length; i++) sets[groupOf[i]!]!.add(values[rows[i]!]!);
    return sets.map((s) => s.size - (s.has(missing) ? 1 : 0));
  }
  const numbers = numericColumn(table, m);
  const sums = new Float64Array(groups);
  for (let i = 0; i < rows.length; i++) {
    const value = numbers[rows[i]!]!;
    if (!Number.isNaN(value)) sums[groupOf[i]!] += value;
  }
  return Array.from(sums);
}

/** A ratio of its parts' totals; the numerator to the cent first, as the pipeline's sums are. */
const ratio = (numerator: number | null | undefined, denominator: number | null | undefined) =>
  numerator == null || !denominator ? null : roundMeasure(numerator, 'currency') / denominator;

/**
 * Every measure per group, rounded as the pipeline rounds it; ratios from their parts (which must be among the
 * measures). `by` are the columns the groups are of (none for totals).
 */
export function aggregate(table: FactTable, rows: ArrayLike<number>, groupOf: Int32Array, groups: number, measures: MeasureSpec[], by: readonly string[]): Figures[] {
  const base = new Map<string, (number | null)[]>();
  for (const m of measures) if (m.agg !== 'ratio') base.set(m.name, baseValues(table, rows, groupOf, groups, m, by));
  return Array.from({ length: groups }, (_, g) => {
    const figures: Figures = {};
    for (const m of measures) {
      const value = m.agg === 'ratio' ? ratio(base.get(m.numerator)?.[g], base.get(m.denominator)?.[g]) : base.get(m.name)![g]!;
      figures[m.name] = value == null ? null : roundMeasure(value, m.format);
    }
    return figures;
  });
}
