/**
 * The primary measure month by month under the default filter, as the time-series analyses read it: every month from
 * the first to the latest, and the latest set apart. It may still be receiving rows (a batch exported mid-month), and
 * a partial month compared with full ones would read as a fall.
 */
import type { MonthSpan } from '../../src/lib/contract/analysis.ts';
import type { DatasetSpec } from '../../src/lib/contract/declaration.ts';
import { periodsBetween } from '../../src/lib/periods.ts';
import { filterSql, measureSql } from '../cube/measure-sql.ts';
import { ident, type Db } from '../duckdb.ts';

export const primaryMeasure = (spec: DatasetSpec) => spec.measures.find((m) => m.name === spec.primaryMeasure)!;
/** What a file says of the rows it is computed from. */
export const filterLabel = (spec: DatasetSpec) => spec.defaultFilter?.label ?? 'all rows';

export async function monthSpan(db: Db, spec: DatasetSpec): Promise<MonthSpan | undefined> {
  const time = ident(spec.timeColumn);
  const [span] = await db.rows<{ first: string | null; last: string; through: string }>(`
    select strftime(min(${time}), '%Y-%m') as first, strftime(max(${time}), '%Y-%m') as last, strftime(max(${time}), '%Y-%m-%d') as through
    from ${ident(spec.mart)} where ${filterSql(spec.defaultFilter)}`);
  if (!span?.first) return undefined;
  return { months: periodsBetween(span.first, span.last).slice(0, -1), latest: { month: span.last, through: span.through } };
}

/** The primary measure per month (YYYY-MM), per member of `column` (one member, null, without it). */
export async function monthlyValues(db: Db, spec: DatasetSpec, column: string | null): Promise<Map<string | null, Map<string, number>>> {
  const member = column ? `${ident(column)}::VARCHAR` : 'NULL::VARCHAR';
  const rows = await db.rows<{ month: string; member: string | null; value: number }>(`
    select strftime(date_trunc('month', ${ident(spec.timeColumn)}), '%Y-%m') as month, ${member} as member,
      (${measureSql(primaryMeasure(spec), spec.measures)})::DOUBLE as value
    from ${ident(spec.mart)} where ${filterSql(spec.defaultFilter)} group by all order by member, month`);
  const byMember = new Map<string | null, Map<string, number>>();
  for (const r of rows) byMember.set(r.member, (byMember.get(r.member) ?? new Map<string, number>()).set(r.month, r.value));
  return byMember;
}
