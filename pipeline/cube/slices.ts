import type { DatasetSpec, DimensionSpec, EndpointSpec } from '../../src/lib/contract/declaration.ts';
import { pairTable as pairName, sliceTable as sliceName } from '../../src/lib/contract/paths.ts';
import { ident, type Db } from '../duckdb.ts';
import { filterSql, measureColumns, measureNames, rounded } from './measure-sql.ts';
import { buildMedianCounts, medianMeasures, medianSql } from './medians.ts';
import { SliceSources, type SliceSource } from './partials.ts';

export const sliceTable = (dimension: DimensionSpec) => sliceName(dimension.name);

/**
 * One cube slice per dimension: ROLLUP along its hierarchy, so one table holds the grand total (depth 0)
 * and every level down to the finest (depth = number of levels), each measure computed from the rows
 * (distinct counts and ratios are exact at every depth, never re-aggregated). The default filter applies,
 * except to the dimension it filters on, so its slice still shows every member (e.g. Cancelled orders).
 */
export function sliceSql(spec: DatasetSpec, dimension: DimensionSpec, source: SliceSource): string {
  const levels = dimension.levels.map((l) => ident(l.column));
  const rollup = Array.from({ length: levels.length + 1 }, (_, n) => levels.slice(0, n));
  return `
    create or replace table ${sliceTable(dimension)} as
    select depth, ${levels.join(', ')}, ${measureNames(spec)}
    from (${groupedSql(spec, source, levels, rollup, [{ name: 'depth', columns: levels }])})
    order by depth, ${levels.map((l) => `${l} nulls first`).join(', ')}`;
}

/**
 * Every grouping set's rows, with each dimension's depth (how many of its levels the set groups by): one
 * GROUP BY per set, unioned. Not GROUPING SETS: DuckDB computes distinct counts over grouping sets more
 * slowly than over the same sets one by one, and median() keeps every value of a group in memory, outside what
 * DuckDB can spill, so all sets at once would hold the mart's values once per set. Medians come from the source's
 * value counts where it has them (see medians.ts), joined to each set's other measures by its members.
 */
function groupedSql(spec: DatasetSpec, source: SliceSource, columns: string[], sets: string[][], depths: { name: string; columns: string[] }[]): string {
  const from = `from ${source.from} where ${source.where}`;
  return sets
    .map((set) => {
      // A set reads its medians off the counts when they are by its columns (or finer).
      const counted = source.medians && set.every((c) => source.medians!.columns.includes(c)) ? source.medians.tables : new Map<string, string>();
      const medians = medianMeasures(spec).filter((m) => counted.has(m.column));
      const others = spec.measures.filter((m) => !medians.some((x) => x.name === m.name));
      const measures = measureColumns(spec, source.over, source.counted(set), others);
      const depth = depths.map((d) => `${d.columns.filter((c) => set.includes(c)).length}::INTEGER as ${ident(d.name)}`);
      const grouped = columns.map((c) => (set.includes(c) ? c : `NULL as ${c}`));
      const rows = `select ${depth.join(', ')}, ${grouped.join(', ')}, ${measures} ${from}${set.length ? ` group by ${set.join(', ')}` : ''}`;
      if (!medians.length) return rows;
      const joins = medians.map((m, i) => {
        const on = set.length ? set.map((c) => `m${i}.${c} is not distinct from g.${c}`).join(' and ') : 'true';
        return `left join (${medianSql(counted.get(m.column)!, set)}) m${i} on ${on}`;
      });
      return `select g.*, ${medians.map((m, i) => `${rounded(m, `m${i}.value`)} as ${ident(m.name)}`).join(', ')} from (${rows}) g ${joins.join(' ')}`;
    })
    .join(' union all by name ');
}

/** The declared pairs of dimensions (every pair by default), named in declaration order: cube_<a>__<b>. */
export function slicePairs(spec: DatasetSpec): [DimensionSpec, DimensionSpec][] {
  const all = spec.dimensions.flatMap((a, i) => spec.dimensions.slice(i + 1).map((b) => [a, b] as [DimensionSpec, DimensionSpec]));
  if (!spec.pairs) return all;
  const key = (x: string, y: string) => [x, y].sort().join('\0');
  for (const name of spec.pairs.flat()) {
    if (!spec.dimensions.some((d) => d.name === name)) throw new Error(`${spec.name}: pairs names "${name}", which is not a dimension`);
  }
  const wanted = new Set(spec.pairs.map(([x, y]) => key(x, y)));
  return all.filter(([a, b]) => wanted.has(key(a.name, b.name)));
}
export const pairTable = (a: DimensionSpec, b: DimensionSpec) => pairName(a.name, b.name);

/**
 * Two hierarchies crossed: GROUPING SETS of every level prefix of one with every level prefix of the other
 * (totals included), the explorer's full slices for export. `depth_<dimension>` says how deep each side goes.
 * The sets where one side is its total are the other dimension's own slice, already built under the same
 * filter: they are copied from it, so only the sets that cross both hierarchies are aggregated again.
 */
export function pairSliceSql(spec: DatasetSpec, a: DimensionSpec, b: DimensionSpec, source: SliceSource): string {
  const levels = (d: DimensionSpec) => d.levels.map((l) => ident(l.column));
  const prefixes = (d: DimensionSpec) => Array.from({ length: d.levels.length }, (_, n) => levels(d).slice(0, n + 1));
  const columns = [...levels(a), ...levels(b)];
  // A slice that lifts the default filter (the dimension it filters on) holds other rows than this pair needs.
  const reusable = !filtersItself(spec, a) && !filtersItself(spec, b);
  const crossed = prefixes(a).flatMap((pa) => prefixes(b).map((pb) => [...pa, ...pb]));
  const sets = reusable ? crossed : [[], ...prefixes(a), ...prefixes(b), ...crossed];
  const aggregated = groupedSql(spec, source, columns, sets, [a, b].map((d) => ({ name: `depth_${d.name}`, columns: levels(d) })));
  const copied = (d: DimensionSpec, other: DimensionSpec, minDepth: number) =>
    `select * exclude (depth), depth as ${ident(`depth_${d.name}`)}, 0 as ${ident(`depth_${other.name}`)} from ${sliceTable(d)} where depth >= ${minDepth}`;
  return `
    create or replace table ${pairTable(a, b)} as
    select ${ident(`depth_${a.name}`)}, ${ident(`depth_${b.name}`)}, ${columns.join(', ')}, ${measureNames(spec)}
    from (${reusable ? `${copied(a, b, 0)} union all by name ${copied(b, a, 1)} union all by name ${aggregated}` : aggregated})
    order by ${ident(`depth_${a.name}`)}, ${ident(`depth_${b.name}`)}, ${columns.map((c) => `${c} nulls first`).join(', ')}`;
}

/** The slice tables a dataset has: one per dimension, one per pair of dimensions. */
export const sliceTables = (spec: DatasetSpec) => [...spec.dimensions.map(sliceTable), ...slicePairs(spec).map(([a, b]) => pairTable(a, b))];

/** A dimension's slice at one depth: the level columns given (quoted) and every measure. */
export const sliceAtDepthSql = (spec: DatasetSpec, dimension: DimensionSpec, depth: number, levels: string[] = []) =>
  `select ${[...levels, measureNames(spec)].join(', ')} from ${sliceTable(dimension)} where depth = ${depth}`;

/** The default filter applies to every slice except those of the dimension it filters on (see sliceSql). */
export const filtersItself = (spec: DatasetSpec, d: DimensionSpec) => d.levels.some((l) => l.column === spec.defaultFilter?.column);
const sliceFilter = (spec: DatasetSpec, dimensions: DimensionSpec[]) => (dimensions.some((d) => filtersItself(spec, d)) ? 'true' : filterSql(spec.defaultFilter));

export async function buildSlices(db: Db, spec: DatasetSpec): Promise<string[]> {
  const sources = await SliceSources.measure(db, spec);
  // Each dimension's median counts' sizes: a pair's counts are at least as many (its rows include the dimension's).
  const counted = new Map<string, Map<string, number>>();
  const build = async (dimensions: DimensionSpec[], sql: (source: SliceSource) => string) => {
    const columns = dimensions.flatMap((d) => d.levels.map((l) => l.column));
    const source = await sources.for(db, columns, sliceFilter(spec, dimensions));
    const atLeast = new Map<string, number>();
    for (const [column, n] of dimensions.flatMap((d) => [...(counted.get(d.name) ?? [])])) atLeast.set(column, Math.max(n, atLeast.get(column) ?? 0));
    // Counted by every level or, where those are too many, by all but each dimension's finest.
    const coarser = dimensions.flatMap((d) => d.levels.slice(0, Math.max(1, d.levels.length - 1)).map((l) => l.column));
    const grains = [columns, ...(coarser.length < columns.length ? [coarser] : [])].map((grain) => grain.map(ident));
    const medians = medianMeasures(spec).length ? await buildMedianCounts(db, spec, grains, source.from, source.where, atLeast) : undefined;
    if (medians && dimensions.length === 1) counted.set(dimensions[0]!.name, medians.sizes);
    await db.run(sql({ ...source, medians }));
    await medians?.drop();
  };
  for (const dimension of spec.dimensions) await build([dimension], (source) => sliceSql(spec, dimension, source));
  for (const [a, b] of slicePairs(spec)) await build([a, b], (source) => pairSliceSql(spec, a, b, source));
  await sources.drop(db);
  return sliceTables(spec);
}

/**
 * An API endpoint's rows: the mart grouped as declared, by member or by the primary measure. Grouped by a
 * hierarchy's top levels, they are that dimension's slice at that depth, already computed under the same filter.
 */
export function endpointSql(spec: DatasetSpec, endpoint: EndpointSpec): string {
  const groups = endpoint.groupBy.map(ident).join(', ');
  const order = endpoint.orderBy === 'member' ? groups : `${ident(spec.primaryMeasure)} desc, ${groups}`;
  const depth = endpoint.groupBy.length;
  const slice = spec.dimensions.find((d) => !filtersItself(spec, d) && depth <= d.levels.length && endpoint.groupBy.every((c, i) => d.levels[i]!.column === c));
  const rows = slice
    ? sliceAtDepthSql(spec, slice, depth, endpoint.groupBy.map(ident))
    : `select ${groups}, ${measureColumns(spec)} from ${ident(spec.mart)} where ${filterSql(spec.defaultFilter)} group by ${groups}`;
  return `${rows} order by ${order}${endpoint.limit ? ` limit ${endpoint.limit}` : ''}`;
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
