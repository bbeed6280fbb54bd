/**
 * contributions.json: the default comparison (the latest year to date against the same span a year earlier, under the
 * default filter), each additive measure's change split by member of each declared column, every member's change
 * adding up to the total's to the cent; and each ratio of additive parts split into mix and rate effects
 * (src/lib/decompose.ts) where the members' parts add up to the whole's.
 */
import type { Change, ContributionsFile, MonthSpan } from '../../src/lib/contract/analysis.ts';
import type { DatasetSpec, MeasureSpec } from '../../src/lib/contract/declaration.ts';
import { mixAndRate } from '../../src/lib/decompose.ts';
import { roundMeasure } from '../../src/lib/measure-round.ts';
import { yearOnYearSpans, type Span } from '../../src/lib/periods.ts';
import { filterSql, measureSql } from '../cube/measure-sql.ts';
import { ident, lit, type Db } from '../duckdb.ts';
import { filterLabel } from './monthly.ts';

/** Measures a member's share adds up to the whole of: sums and counts. */
export const additiveMeasures = (spec: DatasetSpec) => spec.measures.filter((m) => m.agg === 'sum' || m.agg === 'count');

type Values = Record<string, [before: number, after: number]>;

/** Every measure but medians and ratios, per member of `column` (null: the whole) and period (0 before, 1 after). */
async function measured(db: Db, spec: DatasetSpec, column: string | null, spans: { current: Span; previous: Span }): Promise<Map<string | null, Values>> {
  const time = ident(spec.timeColumn);
  const parts = spec.measures.filter((m) => m.agg !== 'ratio' && m.agg !== 'median');
  const rows = await db.rows<Record<string, number | string | null>>(`
    select ${column ? `${ident(column)}::VARCHAR` : 'NULL::VARCHAR'} as __member, (${time} >= ${lit(spans.current.from)})::INTEGER as __period,
      ${parts.map((m) => `(${measureSql(m, spec.measures)})::DOUBLE as ${ident(m.name)}`).join(', ')}
    from ${ident(spec.mart)}
    where (${filterSql(spec.defaultFilter)}) and (${time} between ${lit(spans.previous.from)} and ${lit(spans.previous.to)} or ${time} between ${lit(spans.current.from)} and ${lit(spans.current.to)})
    group by all`);
  const out = new Map<string | null, Values>();
  for (const row of rows) {
    const member = row.__member as string | null;
    const values = out.get(member) ?? Object.fromEntries(parts.map((m) => [m.name, [0, 0]]));
    for (const m of parts) values[m.name]![row.__period as 0 | 1] = Number(row[m.name] ?? 0);
    out.set(member, values);
  }
  return out;
}

/** `span`: the months under the default filter (monthly.ts): the comparison is of its last day's year to date. */
export async function contributionsFile(db: Db, spec: DatasetSpec, span: MonthSpan): Promise<ContributionsFile | undefined> {
  const options = spec.analysis.contributions;
  if (!options) return undefined;
  // The latest year to date, and the same days a year earlier.
  const last = span.latest.through;
  const spans = yearOnYearSpans({ from: `${last.slice(0, 4)}-01-01`, to: last });
  const additive = additiveMeasures(spec);
  const ratios = spec.measures.filter((m): m is Extract<MeasureSpec, { agg: 'ratio' }> => m.agg === 'ratio');
  // [before, after, change]: a file can list thousands of members.
  const change = (m: MeasureSpec, [before, after]: [number, number]): Change => [before, after, roundMeasure(after - before, m.format)];
  const whole = (await measured(db, spec, null, spans)).get(null) ?? Object.fromEntries(spec.measures.map((m) => [m.name, [0, 0]]));
  const by: ContributionsFile['by'] = [];
  for (const column of options.by) {
    const members = [...(await measured(db, spec, column, spans))];
    const primary = (v: Values) => Math.abs(v[spec.primaryMeasure]![1] - v[spec.primaryMeasure]![0]);
    // Largest change of the primary measure first, either way; then by name.
    members.sort(([a, x], [b, y]) => primary(y) - primary(x) || String(a).localeCompare(String(b)));
    const split = Object.fromEntries(
      ratios.map((r) => {
        // Exact only when the members' parts add up to the whole's, in both periods.
        const adds = [r.numerator, r.denominator].every((part) => ([0, 1] as const).every((p) => Math.abs(members.reduce((a, [, v]) => a + v[part]![p], 0) - whole[part]![p]) < 1e-6));
        if (!adds) return [r.name, { exact: false, note: `the members' ${r.denominator} add up to more than the whole's (one counts in several members): no exact split` }];
        const { members: effects } = mixAndRate(members.map(([, v]) => ({ numerator: v[r.numerator]!, denominator: v[r.denominator]! })));
        return [r.name, { exact: true, effects: effects.map((e) => ({ mix: roundMeasure(e.mix, r.format), rate: roundMeasure(e.rate, r.format) })) }];
      }),
    );
    by.push({
      column,
      members: members.map(([member, v]) => ({ member, values: Object.fromEntries(additive.map((m) => [m.name, change(m, v[m.name]!)])) })),
      ratios: split,
    });
  }
  return {
    dataset: spec.name,
    filter: filterLabel(spec),
    ...spans,
    measures: additive.map((m) => m.name),
    totals: {
      ...Object.fromEntries(additive.map((m) => [m.name, change(m, whole[m.name]!)])),
      ...Object.fromEntries(
        ratios.map((r) => {
          const ratio = (p: 0 | 1) => (whole[r.denominator]![p] ? whole[r.numerator]![p] / whole[r.denominator]![p] : 0);
          return [r.name, change(r, [roundMeasure(ratio(0), r.format), roundMeasure(ratio(1), r.format)])];
        }),
      ),
    },
    by,
  };
}
