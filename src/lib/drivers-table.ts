/**
 * The Drivers page's tables as text, from a comparison (contributions.ts): the page draws them at build time and the
 * browser for every other state with these functions, so both say the same. Pure.
 */
import type { Change } from './contract/analysis.ts';
import type { MeasureSpec } from './contract/declaration.ts';
import type { Breakdown, Contributions } from './contributions.ts';
import { formatChange, formatMeasure, formatMeasureChange } from './format.ts';
import type { TextTable } from './text-table.ts';

/** The members listed on the page: the largest changes (every member is in the download). */
export const LISTED = 50;

/** Every measure's growth: before, after, the change and the change in percent (of the size of before, so that a fall from −500 to −938 reads as one). */
export function growthTable(totals: Contributions['totals'], measures: MeasureSpec[], periods: { before: string; after: string }): TextTable {
  const shown = measures.filter((m) => totals[m.name]);
  return {
    head: ['Measure', periods.before, periods.after, 'Change', 'Change %'],
    rows: shown.map((m) => {
      const [before, after, change] = totals[m.name] as Change;
      return [m.label, formatMeasure(m, before), formatMeasure(m, after), formatMeasureChange(m, change), formatChange(before ? change / Math.abs(before) : null)];
    }),
  };
}

/**
 * A breakdown's members with the measure before, after and its change, and each ratio's mix and rate effects where
 * the split is exact; `limit` rows, largest change of the measure first (the breakdown lists the primary measure's
 * largest first: ties keep its order).
 */
export function breakdownTable(by: Breakdown, measure: MeasureSpec, ratios: MeasureSpec[], label: string, periods: { before: string; after: string }, limit = LISTED): TextTable {
  const exact = ratios.filter((r) => by.ratios[r.name]?.exact);
  const size = (k: number) => Math.abs(by.members[k]!.values[measure.name]![2]);
  // Member indices, not members: the ratios' effects are listed in the breakdown's order.
  const listed = by.members.map((_, k) => k).sort((a, b) => size(b) - size(a) || a - b).slice(0, limit);
  return {
    head: [label, periods.before, periods.after, 'Change', ...exact.flatMap((r) => [`${r.label}: mix`, 'rate'])],
    rows: listed.map((k) => {
      const m = by.members[k]!;
      const [before, after, change] = m.values[measure.name]!;
      const effects = exact.flatMap((r) => {
        const split = by.ratios[r.name] as Extract<Breakdown['ratios'][string], { exact: true }>;
        return [formatMeasureChange(r, split.effects[k]!.mix), formatMeasureChange(r, split.effects[k]!.rate)];
      });
      return [m.member ?? '(none)', formatMeasure(measure, before), formatMeasure(measure, after), formatMeasureChange(measure, change), ...effects];
    }),
  };
}

/** Notes under a breakdown: members not listed, and ratios with no exact split. */
export function breakdownNotes(by: Breakdown, ratios: MeasureSpec[], limit = LISTED): string[] {
  return [
    ...(by.members.length > limit ? [`The ${limit} largest changes of ${by.members.length}; the CSV has every member.`] : []),
    ...ratios.flatMap((r) => {
      const split = by.ratios[r.name];
      return split && !split.exact ? [`${r.label}: ${split.note}.`] : [];
    }),
  ];
}

/** Every member of a breakdown with every additive measure before, after and its change: the CSV's header and rows. */
export function breakdownCsv(by: Breakdown, measures: MeasureSpec[], label: string): { header: string[]; rows: (string | number | null)[][] } {
  const additive = measures.filter((m) => by.members[0]?.values[m.name]);
  return {
    header: [label, ...additive.flatMap((m) => [`${m.label} before`, `${m.label} after`, `${m.label} change`])],
    rows: by.members.map((m) => [m.member, ...additive.flatMap((a) => m.values[a.name]!)]),
  };
}
