/**
 * seasonality.json, for the default filter: the month-of-year index over the full years, each full month's growth
 * against the month before and the same month a year earlier (src/lib/seasonality.ts), and the primary measure per
 * day, for a calendar heatmap.
 */
import type { MonthSpan, SeasonalityFile } from '../../src/lib/contract/analysis.ts';
import type { DatasetSpec } from '../../src/lib/contract/declaration.ts';
import { roundMeasure } from '../../src/lib/measure-round.ts';
import { seasonSummary } from '../../src/lib/seasonality.ts';
import { filterSql, measureSql } from '../cube/measure-sql.ts';
import { ident, type Db } from '../duckdb.ts';
import { filterLabel, primaryMeasure } from './monthly.ts';

/** `overall`: the primary measure per month (monthly.ts). */
export async function seasonalityFile(db: Db, spec: DatasetSpec, span: MonthSpan, overall: Map<string, number>): Promise<SeasonalityFile | undefined> {
  if (!spec.analysis.forecast) return undefined;
  const measure = primaryMeasure(spec);
  const history = span.months.map((m) => overall.get(m) ?? 0);
  const days = await db.rows<{ day: string; value: number }>(`
    select strftime(${ident(spec.timeColumn)}, '%Y-%m-%d') as day, (${measureSql(measure, spec.measures)})::DOUBLE as value
    from ${ident(spec.mart)} where ${filterSql(spec.defaultFilter)} group by all order by day`);
  return {
    dataset: spec.name,
    measure: measure.name,
    filter: filterLabel(spec),
    ...span,
    ...seasonSummary(span.months, history, measure.format),
    days: days.map((d): [string, number] => [d.day, roundMeasure(d.value, measure.format)]),
  };
}
