/**
 * contributions.json: the default comparison (the latest year to date against the same span a year earlier, under the
 * default filter), each additive measure's change split by member of each declared column, every member's change
 * adding up to the total's to the cent; and each ratio split into mix and rate effects where the members' parts add
 * up to the whole's. The split is src/lib/contributions.ts's, which the Drivers page runs for any other comparison.
 */
import type { ContributionsFile, MonthSpan } from '../../src/lib/contract/analysis.ts';
import type { DatasetSpec, MeasureSpec } from '../../src/lib/contract/declaration.ts';
import { additiveMeasures, breakdown, changeOf, ratioMeasures } from '../../src/lib/contributions.ts';
import { roundMeasure } from '../../src/lib/measure-round.ts';
import { yearToDateSpans, type Span } from '../../src/lib/periods.ts';
import { filterSql, measureSql } from '../cube/measure-sql.ts';
import { ident, lit, type Db } from '../duckdb.ts';
import { filterLabel } from './monthly.ts';

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
  const spans = yearToDateSpans(span.latest.through);
  const whole = (await measured(db, spec, null, spans)).get(null) ?? Object.fromEntries(spec.measures.map((m) => [m.name, [0, 0]]));
  const ratio = (r: Extract<MeasureSpec, { agg: 'ratio' }>, p: 0 | 1) => (whole[r.denominator]![p] ? roundMeasure(whole[r.numerator]![p] / whole[r.denominator]![p], r.format) : 0);
  const by: ContributionsFile['by'] = [];
  for (const column of options.by) by.push(breakdown(column, [...(await measured(db, spec, column, spans))], whole, spec.measures, spec.primaryMeasure));
  return {
    dataset: spec.name,
    filter: filterLabel(spec),
    ...spans,
    measures: additiveMeasures(spec.measures).map((m) => m.name),
    totals: {
      ...Object.fromEntries(additiveMeasures(spec.measures).map((m) => [m.name, changeOf(m, whole[m.name]!)])),
      ...Object.fromEntries(ratioMeasures(spec.measures).map((r) => [r.name, changeOf(r, [ratio(r, 0), ratio(r, 1)])])),
    },
    by,
  };
}
