import type { DatasetSpec, MeasureSpec } from '../../src/lib/contract/declaration.ts';
import { ident, type Db } from '../duckdb.ts';

/**
 * Exact medians of a slice's grouping sets from value counts. DuckDB's median() holds every value of a group, and a
 * slice asks for it once per grouping set: over a set of few, large groups (a year, a make) most of the cube's time
 * at scale. Prices repeat (a few thousand distinct values in millions of sales), so a slice's rows are first counted
 * by its level columns and value, once per median column (`buildMedianCounts`); a grouping set's counts are those
 * added up, and its median is read off their running total. The figures are median()'s (see `medianSql`).
 */
export interface MedianCounts {
  /** The level columns (quoted) the values are counted by: a grouping set of these columns only reads its medians off the counts. */
  columns: string[];
  /** The counts table of each median column counted. */
  tables: Map<string, string>;
  /** How many counts each median column tried at the slice's finest grain came to, kept or not. */
  sizes: Map<string, number>;
  drop(): Promise<void>;
}

export const medianMeasures = (spec: DatasetSpec) => spec.measures.filter((m): m is Extract<MeasureSpec, { agg: 'median' }> => m.agg === 'median');

/**
 * Counts pay only when they are far fewer than the rows: a slice whose finest groups hold a few rows each (time ×
 * vehicle, by week and trim) has about as many counts as rows, and sorting them costs more than median() does.
 * Past this share of the rows, a grain's counts are dropped (the other columns' values repeat about as often).
 */
const MAX_COUNTS_SHARE = 1 / 8;

/**
 * Counts of each median column's values over the rows `from … where`, by the first of `grains` (lists of quoted level
 * columns, finest first) whose counts stay within the share: the slice's own levels, then coarser ones, whose sets
 * read their medians off the counts while the finer sets keep median(). Columns are counted in turn until one is past
 * the share (the others' values repeat about as often); with none counted, `tables` is empty.
 * `atLeast`: sizes the finest grain's counts cannot be below, from a slice whose levels and rows this one includes (a
 * pair's single dimensions): a column already past the share there is not counted again at that grain.
 */
export async function buildMedianCounts(db: Db, spec: DatasetSpec, grains: string[][], from: string, where: string, atLeast = new Map<string, number>()): Promise<MedianCounts> {
  const tables = new Map<string, string>();
  const sizes = new Map<string, number>();
  const count = async (sql: string) => (await db.rows<{ n: number }>(`select count(*) as n from ${sql}`))[0]!.n;
  const rows = await count(`${from} where ${where}`);
  const columns = [...new Set(medianMeasures(spec).map((m) => m.column))];
  const counts: MedianCounts = {
    columns: [],
    tables,
    sizes,
    async drop() {
      for (const table of tables.values()) await db.run(`drop table ${table}`);
    },
  };
  for (const [g, grain] of grains.entries()) {
    for (const column of columns) {
      if (g === 0 && (atLeast.get(column) ?? 0) > rows * MAX_COUNTS_SHARE) break;
      const table = `cube__counts_${tables.size}`;
      await db.run(`
        create or replace temp table ${table} as
        select ${[...grain, `${ident(column)}::DOUBLE as v`].join(', ')}, count(*) as n
        from ${from} where (${where}) and ${ident(column)} is not null group by all`);
      const size = await count(table);
      if (g === 0) sizes.set(column, size);
      if (size > rows * MAX_COUNTS_SHARE) {
        await db.run(`drop table ${table}`);
        break;
      }
      tables.set(column, table);
    }
    if (tables.size) return { ...counts, columns: grain };
  }
  return counts;
}

/**
 * The median of `counts`' values per group of `set` (quoted columns), as `value`. Of n values in order, it is the
 * value at (n − 1) / 2, and the mean of the two around it when n is even, (lo + hi) / 2: what DuckDB's median() of a
 * DOUBLE computes to the last bit (so does the browser's, src/lib/aggregate.ts). The running total counts the values
 * up to each one: the value at position p is the first whose running total passes p.
 */
export function medianSql(counts: string, set: string[]): string {
  const cols = set.map((c) => `${c}, `).join('');
  const partition = set.length ? `partition by ${set.join(', ')}` : '';
  return `
    select ${cols}(lo + hi) / 2 as value from (
      select ${cols}min(v) filter (where running > (total - 1) // 2) as lo, min(v) filter (where running > total // 2) as hi
      from (
        select ${cols}v, sum(n) over (w rows between unbounded preceding and unbounded following) as total, sum(n) over (w rows unbounded preceding) as running
        from (select ${cols}v, sum(n) as n from ${counts} group by all)
        window w as (${partition} order by v)
      )
      group by all
    )`;
}
