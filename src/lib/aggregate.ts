/**
 * Every measure over groups of rows. Each measure is one loop over the rows that adds into its group's slot:
 * no accumulator object or function call per row, so the loops are quick even before the browser has
 * optimised them (the first filter changes after a page loads). Sums add in row order, as before.
 */
import type { MeasureSpec } from './contract/declaration.ts';
import type { Figures } from './contract/kpis.ts';
import type { FactTable, Histograms } from './fact-table.ts';
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

function numericColumn(table: FactTable, m: { name: string; agg: string; column: string }): Float64Array {
  if (table.text[m.column]) throw new Error(`${m.agg} ${m.name}: ${m.column} is not a numeric column`);
  const numbers = table.numbers[m.column];
  if (!numbers) throw new Error(`no numeric column ${m.column} in the fact table`);
  return numbers;
}

/** One value per group of a measure that is not a ratio; `groupOf[i]` is the group of `rows[i]`. */
function baseValues(table: FactTable, rows: ArrayLike<number>, groupOf: Int32Array, groups: number, m: Exclude<MeasureSpec, { agg: 'ratio' }>): (number | null)[] {
  const { weights } = table;
  if (m.agg === 'count') {
    const counts = new Float64Array(groups);
    for (let i = 0; i < rows.length; i++) counts[groupOf[i]!] += weights ? weights[rows[i]!]! : 1;
    return Array.from(counts);
  }
  const histograms = m.agg === 'median' ? table.histograms?.[m.column] : undefined;
  if (histograms) {
    // A median over cube cells adds the cells' counts per rounded value into one dense array per group.
    const { lo, size } = binRange(histograms);
    const { offsets, pairs, resolution } = histograms;
    const counts = Array.from({ length: groups }, () => new Float64Array(size));
    for (let i = 0; i < rows.length; i++) {
      const row = rows[i]!;
      const group = counts[groupOf[i]!]!;
      for (let p = offsets[row]!; p < offsets[row + 1]!; p += 2) group[pairs[p]! - lo] += pairs[p + 1]!;
    }
    return counts.map((c) => binnedMedian(c, lo, resolution));
  }
  if (weights && m.agg !== 'sum') throw new Error(`${m.name}: a ${m.agg} cannot be computed from cube cells`);
  if (m.agg === 'countDistinct') {
    // Missing values are not a distinct value (as in SQL): code -1 for text, NaN for numbers. They are added with
    // the rest and taken off the count at the end, which keeps the loop free of tests.
    const text = table.text[m.column];
    const values = text ? text.codes : table.numbers[m.column];
    if (!values) throw new Error(`no column ${m.column} in the fact table`);
    const missing = text ? -1 : Number.NaN;
    const sets = Array.from({ length: groups }, () => new Set<number>());
    for (let i = 0; i < rows.length; i++) sets[groupOf[i]!]!.add(values[rows[i]!]!);
    return sets.map((s) => s.size - (s.has(missing) ? 1 : 0));
  }
  const numbers = numericColumn(table, m);
  if (m.agg === 'median') {
    const values = Array.from({ length: groups }, (): number[] => []);
    for (let i = 0; i < rows.length; i++) {
      const value = numbers[rows[i]!]!;
      if (!Number.isNaN(value)) values[groupOf[i]!]!.push(value);
    }
    // A typed array sorts numerically, and much faster than an array with a comparator.
    return values.map((v) => median(Float64Array.from(v)));
  }
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

/** Every measure per group, rounded as the pipeline rounds it; ratios from their parts (which must be among the measures). */
export function aggregate(table: FactTable, rows: ArrayLike<number>, groupOf: Int32Array, groups: number, measures: MeasureSpec[]): Figures[] {
  const base = new Map<string, (number | null)[]>();
  for (const m of measures) if (m.agg !== 'ratio') base.set(m.name, baseValues(table, rows, groupOf, groups, m));
  return Array.from({ length: groups }, (_, g) => {
    const figures: Figures = {};
    for (const m of measures) {
      const value = m.agg === 'ratio' ? ratio(base.get(m.numerator)?.[g], base.get(m.denominator)?.[g]) : base.get(m.name)![g]!;
      figures[m.name] = value == null ? null : roundMeasure(value, m.format);
    }
    return figures;
  });
}
