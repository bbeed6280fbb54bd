/**
 * Why a figure changed between two periods: each additive measure's change split by member of a column, the
 * members' changes adding up to the total's; and each ratio's change split into mix and rate effects
 * (decompose.ts) where its parts add up. The pipeline writes the default comparison in SQL (contributions.json);
 * the Drivers page computes any other (its filters, any two periods) from its cells with `contributions`, in the
 * same shape. Pure: no DOM, no Node.
 */
import type { Change, ContributionsFile } from './contract/analysis.ts';
import type { MeasureSpec } from './contract/declaration.ts';
import { mixAndRate } from './decompose.ts';
import { dayToIso, isoToDay, type FactTable } from './fact-table.ts';
import type { FilterState } from './filter-state.ts';
import { dayRange, rowsOver } from './kpi-tiles.ts';
import { roundMeasure } from './measure-round.ts';
import { cellSpan, yearOnYearSpans, type Grain, type Span } from './periods.ts';
import { groupBy, totals, withParts, type EngineSpec, type Figures } from './query.ts';

export type Breakdown = ContributionsFile['by'][number];
type Ratio = Extract<MeasureSpec, { agg: 'ratio' }>;
/** A member's (or the whole's) value of each measure before and after; null where the cells cannot tell. */
export type PeriodValues = Record<string, [before: number | null, after: number | null]>;

/** Measures a member's share adds up to the whole of: sums and counts. */
const isAdditive = (m: MeasureSpec) => m.agg === 'sum' || m.agg === 'count';
export const additiveMeasures = (measures: MeasureSpec[]) => measures.filter(isAdditive);
export const ratioMeasures = (measures: MeasureSpec[]) => measures.filter((m): m is Ratio => m.agg === 'ratio');

/** [before, after, change], the change rounded as the measure is. */
export const changeOf = (m: MeasureSpec, [before, after]: [number | null, number | null]): Change => [before ?? 0, after ?? 0, roundMeasure((after ?? 0) - (before ?? 0), m.format)];

/** Half a cent: the members' parts add up to the whole's when their sum is within it (their values are rounded). */
const TOLERANCE = 0.005;

/**
 * A ratio's change split by member into mix and rate, exact only when the members' numerators and denominators add
 * up to the whole's in both periods (an order in one country each: yes; an order spanning product lines: no).
 */
export function ratioSplit(ratio: Ratio, members: PeriodValues[], whole: PeriodValues): Breakdown['ratios'][string] {
  const parts = [ratio.numerator, ratio.denominator];
  const known = members.every((v) => parts.every((p) => v[p]!.every((x) => x != null)));
  const adds = known && parts.every((p) => ([0, 1] as const).every((period) => Math.abs(members.reduce((a, v) => a + v[p]![period]!, 0) - (whole[p]![period] ?? 0)) < TOLERANCE));
  if (!adds) {
    const why = known ? "add up to more than the whole's (one counts in several members)" : 'cannot be counted per member from the data at this size';
    return { exact: false, note: `the members' ${ratio.denominator} ${why}: no exact split` };
  }
  const { members: effects } = mixAndRate(members.map((v) => ({ numerator: v[ratio.numerator] as [number, number], denominator: v[ratio.denominator] as [number, number] })));
  return { exact: true, effects: effects.map((e) => ({ mix: roundMeasure(e.mix, ratio.format), rate: roundMeasure(e.rate, ratio.format) })) };
}

/** One column's breakdown: its members, largest change first, with their additive measures and the ratios' split. */
export function breakdown(column: string, members: [string | null, PeriodValues][], whole: PeriodValues, measures: MeasureSpec[], primary: string): Breakdown {
  // Largest change of the primary measure first, either way; then by member.
  const size = ([, v]: [string | null, PeriodValues]) => Math.abs((v[primary]![1] ?? 0) - (v[primary]![0] ?? 0));
  const sorted = members.toSorted((x, y) => size(y) - size(x) || String(x[0]).localeCompare(String(y[0])));
  return {
    column,
    members: sorted.map(([member, v]) => ({ member, values: Object.fromEntries(additiveMeasures(measures).map((m) => [m.name, changeOf(m, v[m.name]!)])) })),
    ratios: Object.fromEntries(ratioMeasures(measures).map((r) => [r.name, ratioSplit(r, sorted.map(([, v]) => v), whole)])),
  };
}

export interface Comparison {
  current: Span;
  previous: Span;
}

/** What the current period is compared with: the same days a year earlier, the span just before it, or given days. */
export type CompareWith = 'year' | 'before' | Span;

const SPAN = /^(\d{4}-\d{2}-\d{2})\/(\d{4}-\d{2}-\d{2})$/;
/** The `vs` URL parameter: absent for a year earlier, `before`, or `from/to`. */
export function parseCompare(value: string | null): CompareWith {
  if (value === 'before') return value;
  const span = value ? SPAN.exec(value) : null;
  return span && span[1]! <= span[2]! ? { from: span[1]!, to: span[2]! } : 'year';
}
export const serializeCompare = (vs: CompareWith): string | null => (vs === 'year' ? null : vs === 'before' ? vs : `${vs.from}/${vs.to}`);

const DAY_MS = 86_400_000;
const addDays = (iso: string, days: number) => dayToIso(isoToDay(iso) + days);

/**
 * The two periods, in whole cells of the grain: the state's date range, or the latest year to date, against `vs`.
 * Cells coarser than a day cannot end the year to date on the last day: it ends with the last whole cell (a part month
 * is never compared with a whole one), or, when the year has none, with the last cell.
 */
export function comparedSpans(state: FilterState, table: FactTable, grain: Grain, vs: CompareWith): Comparison {
  const { first, last } = dayRange(table);
  const lastDay = dayToIso(last);
  const lastCell = cellSpan(lastDay, grain);
  const yearStart = `${lastDay.slice(0, 4)}-01-01`;
  const end = lastCell.to === lastDay || lastCell.from <= yearStart ? lastCell.to : addDays(lastCell.from, -1);
  const current = state.from || state.to ? { from: state.from ?? dayToIso(first), to: state.to ?? lastCell.to } : { from: yearStart, to: end };
  const whole = (span: Span): Span => ({ from: cellSpan(span.from, grain).from, to: cellSpan(span.to, grain).to });
  if (vs === 'year') return yearOnYearSpans(current);
  if (vs === 'before') {
    // As many days before, starting at the cell boundary nearest to that day (two months before March–April, not three).
    const days = Math.round((Date.parse(current.to) - Date.parse(current.from)) / DAY_MS) + 1;
    const start = addDays(current.from, -days);
    const cell = cellSpan(start, grain);
    const from = isoToDay(start) - isoToDay(cell.from) <= isoToDay(cell.to) - isoToDay(start) ? cell.from : addDays(cell.to, 1);
    return { current, previous: { from, to: addDays(current.from, -1) } };
  }
  return { current, previous: whole(vs) };
}

/** The totals and per-column breakdowns of a comparison, as contributions.json has the default one. */
export type Contributions = Pick<ContributionsFile, 'totals' | 'by'>;

/**
 * Every additive measure and ratio over the state's rows in each period, in total and per member of each column:
 * the filters apply to both periods, which replace the state's own date range.
 */
export function contributions(table: FactTable, spec: EngineSpec & { primaryMeasure: string }, state: FilterState, spans: Comparison, columns: string[]): Contributions {
  const shown = [...additiveMeasures(spec.measures), ...ratioMeasures(spec.measures)];
  const measures = withParts(spec.measures, shown.map((m) => m.name));
  const rows = [spans.previous, spans.current].map((span) => rowsOver(table, spec, state, span));
  // A member without rows in a period counts 0 there; a ratio of nothing is null (shown as –), its change taken
  // from 0. A distinct count the cells cannot tell under this state stays null.
  const valueOf = (figures: Figures | undefined, m: MeasureSpec) => (figures ? (figures[m.name] ?? (isAdditive(m) ? 0 : null)) : m.agg === 'ratio' ? null : 0);
  const pair = ([before, after]: (Figures | undefined)[]): PeriodValues => Object.fromEntries(measures.map((m) => [m.name, [valueOf(before, m), valueOf(after, m)]]));
  const whole = pair(rows.map((r) => totals(table, r, measures)));
  return {
    totals: Object.fromEntries(shown.map((m) => [m.name, changeOf(m, whole[m.name]!)])),
    by: columns.map((column) => {
      const groups = rows.map((r) => new Map(groupBy(table, r, [column], measures).map((g) => [g.keys[0] ?? null, g.figures])));
      const members = [...new Set(groups.flatMap((g) => [...g.keys()]))].map((member): [string | null, PeriodValues] => [member, pair(groups.map((g) => g.get(member)))]);
      return breakdown(column, members, whole, measures, spec.primaryMeasure);
    }),
  };
}
