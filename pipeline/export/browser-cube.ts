/**
 * Cube mode: a mart too large to ship as rows (over `browserRows`) goes to the browser as cells. The mart is grouped
 * by the filter bar's columns, the time levels the coarsened date determines, and as many other hierarchy levels as
 * fit the declared number of cells (fewest members first: a level such as seller or trim that would make the cube
 * nearly row-level is measured and left out). Each cell carries its row count (`__rows`), the partial sum of every
 * summed column under the column's own name, and per median the counts of its column rounded to the declared
 * resolution (`__hist_<column>`: bin, count, bin, count, …), so counts, sums and ratios are exact from cells and
 * medians are exact over the rounded values. Distinct counts cannot be had from cells: such a dataset is refused.
 */
import type { DatasetSpec } from '../../src/lib/contract/declaration.ts';
import { ident, type Db } from '../duckdb.ts';

export const ROWS = '__rows';
export const histogramColumn = (column: string) => `__hist_${column}`;

export interface CubePlan {
  /** Columns grouped by, besides the coarsened time column. */
  columns: string[];
  /** Hierarchy levels measured and left out, with their member counts. */
  leftOut: { column: string; members: number }[];
  sums: string[];
  medians: string[];
  /** SQL of the cells, ordered. */
  sql: string;
}

/** Why a dataset cannot be shown as a cube, or undefined when it can. */
export function cubeRefusal(spec: DatasetSpec): string | undefined {
  const distinct = spec.measures.filter((m) => m.agg === 'countDistinct').map((m) => m.name);
  return distinct.length ? `distinct counts (${distinct.join(', ')}) need every row and cannot be computed from cube cells` : undefined;
}

/** The coarsened time column: the start of the period, or of the month for a week that began in the month before. */
export function coarseTime(spec: DatasetSpec): string {
  const t = ident(spec.timeColumn);
  return spec.cube.timeGrain === 'month' ? `date_trunc('month', ${t})::DATE` : `greatest(date_trunc('week', ${t}), date_trunc('month', ${t}))::DATE`;
}

/**
 * Measures the mart and chooses the cube's columns; or, when the filter bar's columns by period alone already
 * make more cells than the browser takes rows (browserRows), says so: that many cells are too heavy to ship
 * (and to build: their median histograms cannot spill).
 */
export async function planCube(db: Db, spec: DatasetSpec): Promise<CubePlan | { refusal: string }> {
  const mart = ident(spec.mart);
  const time = coarseTime(spec);
  const timeDimension = spec.dimensions.find((d) => d.name === spec.timeDimension);
  const levelColumns = [...new Set(spec.dimensions.flatMap((d) => d.levels.map((l) => l.column)))];
  const counts = async (columns: string[]) =>
    Number((await db.rows<{ n: number }>(`select count(*) as n from (select distinct ${[time, ...columns.map(ident)].join(', ')} from ${mart})`))[0]!.n);
  const periods = await counts([]);
  // Time levels the coarse date determines (year, quarter, month; not an ISO week under a month grain).
  const timeLevels: string[] = [];
  for (const level of timeDimension?.levels ?? []) if ((await counts([level.column])) === periods) timeLevels.push(level.column);
  const columns = [...new Set([...timeLevels, ...spec.filters, ...(spec.defaultFilter ? [spec.defaultFilter.column] : [])])];
  const cells = await counts(columns);
  if (cells > spec.browserRows) {
    return { refusal: `its filter bar's columns by ${spec.cube.timeGrain} alone make ${cells.toLocaleString('en-US')} cube cells, more than the ${spec.browserRows.toLocaleString('en-US')} the browser takes` };
  }
  const candidates: { column: string; members: number }[] = [];
  for (const column of levelColumns.filter((c) => !columns.includes(c) && c !== spec.timeColumn)) {
    const [row] = await db.rows<{ n: number }>(`select count(distinct ${ident(column)}) as n from ${mart}`);
    candidates.push({ column, members: Number(row!.n) });
  }
  candidates.sort((a, b) => a.members - b.members || a.column.localeCompare(b.column));
  const leftOut: CubePlan['leftOut'] = [];
  for (const candidate of candidates) {
    if ((await counts([...columns, candidate.column])) <= spec.cube.cells) columns.push(candidate.column);
    else leftOut.push(candidate);
  }
  const sums = [...new Set(spec.measures.flatMap((m) => (m.agg === 'sum' ? [m.column] : [])))];
  const medians = [...new Set(spec.measures.flatMap((m) => (m.agg === 'median' ? [m.column] : [])))];
  const keys = [`${time} as ${ident(spec.timeColumn)}`, ...columns.map(ident)];
  const keyNames = [ident(spec.timeColumn), ...columns.map(ident)];
  const resolution = spec.cube.medianResolution;
  const base = `(select ${keys.join(', ')}, ${[...new Set([...sums, ...medians])].map(ident).join(', ')} from ${mart})`;
  const histograms = medians.map((column, i) => {
    const bin = `round(${ident(column)} / ${resolution})::INTEGER`;
    return {
      sql: `h${i} as (select ${keyNames.join(', ')}, flatten(list_sort(list([bin, n]))) as ${ident(histogramColumn(column))}
        from (select ${keyNames.join(', ')}, ${bin} as bin, count(*)::INTEGER as n from ${base} where ${ident(column)} is not null group by all) group by all)`,
      // Keys may be missing (a car without a make): matched as equal, not dropped as SQL's = would.
      join: `left join h${i} on ${keyNames.map((k) => `cells.${k} is not distinct from h${i}.${k}`).join(' and ')}`,
      column: `coalesce(h${i}.${ident(histogramColumn(column))}, []::INTEGER[]) as ${ident(histogramColumn(column))}`,
    };
  });
  const sql = `with cells as (select ${keyNames.join(', ')}, count(*)::INTEGER as ${ROWS}, ${sums.map((c) => `sum(${ident(c)}) as ${ident(c)}`).join(', ')} from ${base} group by all)
    ${histograms.map((h) => `, ${h.sql}`).join('\n')}
    select cells.*, ${histograms.map((h) => h.column).join(', ')} from cells ${histograms.map((h) => h.join).join(' ')}
    order by ${keyNames.map((k) => `cells.${k}`).join(', ')}`;
  return { columns, leftOut, sums, medians, sql };
}
