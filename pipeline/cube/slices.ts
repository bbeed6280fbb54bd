import type { DatasetSpec, DimensionSpec, EndpointSpec } from '../../src/lib/dataset-spec.ts';
import { ident, type Db } from '../duckdb.ts';
import { filterSql, measureColumns } from './measure-sql.ts';

export const sliceTable = (dimension: DimensionSpec) => `cube_${dimension.name}`;

/**
 * One cube slice per dimension: ROLLUP along its hierarchy, so one table holds the grand total (depth 0)
 * and every level down to the finest (depth = number of levels), each measure computed from the rows
 * (distinct counts and ratios are exact at every depth, never re-aggregated). The default filter applies,
 * except to the dimension it filters on, so its slice still shows every member (e.g. Cancelled orders).
 */
export function sliceSql(spec: DatasetSpec, dimension: DimensionSpec): string {
  const levels = dimension.levels.map((l) => ident(l.column));
  const filtersItself = dimension.levels.some((l) => l.column === spec.defaultFilter?.column);
  const depth = levels.map((l) => `(1 - grouping(${l}))`).join(' + ');
  return `
    create or replace table ${sliceTable(dimension)} as
    select (${depth})::INTEGER as depth, ${levels.join(', ')},
      ${measureColumns(spec)}
    from ${ident(spec.mart)}
    where ${filtersItself ? 'true' : filterSql(spec.defaultFilter)}
    group by rollup (${levels.join(', ')})
    order by depth, ${levels.map((l) => `${l} nulls first`).join(', ')}`;
}

export async function buildSlices(db: Db, spec: DatasetSpec): Promise<string[]> {
  for (const dimension of spec.dimensions) await db.run(sliceSql(spec, dimension));
  return spec.dimensions.map(sliceTable);
}

/** An API endpoint's rows: the mart grouped as declared, by member or by the primary measure. */
export function endpointSql(spec: DatasetSpec, endpoint: EndpointSpec): string {
  const groups = endpoint.groupBy.map(ident).join(', ');
  const order = endpoint.orderBy === 'member' ? groups : `${ident(spec.primaryMeasure)} desc, ${groups}`;
  return `select ${groups}, ${measureColumns(spec)} from ${ident(spec.mart)}
    where ${filterSql(spec.defaultFilter)} group by ${groups} order by ${order}${endpoint.limit ? ` limit ${endpoint.limit}` : ''}`;
}

/**
 * Month by month: the primary measure, the month before and the same month a year earlier, with changes.
 * Months with no rows count as zero rather than vanishing, so "previous month" is always the calendar one.
 */
export function monthlyTrendsSql(spec: DatasetSpec): string {
  const time = ident(spec.timeColumn);
  const measure = spec.measures.find((m) => m.name === spec.primaryMeasure)!;
  const value = ident(measure.name);
  return `
    with monthly as (
      select date_trunc('month', ${time})::DATE as month_start, ${measureColumns(spec)}
      from ${ident(spec.mart)} where ${filterSql(spec.defaultFilter)} group by all
    ),
    calendar as (
      select unnest(generate_series(min(month_start), max(month_start), interval 1 month))::DATE as month_start from monthly
    ),
    filled as (
      select c.month_start, coalesce(m.${value}, 0) as value from calendar c left join monthly m using (month_start)
    )
    select strftime(month_start, '%Y-%m') as month, value as ${value},
      lag(value) over (order by month_start) as previous_month,
      round((value - previous_month) / nullif(previous_month, 0), 4) as month_over_month,
      lag(value, 12) over (order by month_start) as previous_year,
      round((value - previous_year) / nullif(previous_year, 0), 4) as year_over_year
    from filled order by month_start`;
}
