/**
 * The browser's data (src/lib/contract/page-data.ts): per dashboard page, the mart grouped into cells by what the
 * page needs, written as a file that the page fetches when a filter first needs it. One plan serves the
 * dataset's pages: the finest cells whose files stay under PAGE_BUDGET gzipped for the page that needs the most (the
 * explorer), whatever the number of rows. It starts as fine as the rows allow (a day, exact medians, every
 * distinct-counted column) and gives up precision in a fixed order while over: medians to quantile bins, dates to
 * the declared grain, then columns (a left-out level's charts come from its slice, unfiltered; a left-out
 * distinct-counted column is counted by its values' first rows, see constantColumns). Each page then groups the
 * plan's cells by its own columns.
 */
import { mkdir, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { promisify } from 'node:util';
import { gzip } from 'node:zlib';
import { tableToIPC } from 'apache-arrow';
import type { DatasetSpec } from '../../src/lib/contract/declaration.ts';
import type { PageData, PageFile } from '../../src/lib/contract/page-data.ts';
import { firstColumn, histogramColumn, pageFile, ROWS_COLUMN } from '../../src/lib/contract/paths.ts';
import type { DashboardPage } from '../../src/lib/contract/site.ts';
import { dayToIso } from '../../src/lib/fact-table.ts';
import { DRIVERS, EXPLORER, FORECAST, pageNeeds, type PageNeeds } from '../../src/lib/page-needs.ts';
import { ident, isLists, lit, type Db, type NumberLists } from '../duckdb.ts';
import { lineStepSql } from '../ingest/line-steps.ts';
import { arrowTable } from './arrow.ts';

/** All of a page's files, gzipped, as estimated: what a viewer may fetch for the first filter that needs the cells. */
export const PAGE_BUDGET = 450_000;
/** A page whose files come to this much or less is fetched as soon as it has loaded. */
const PREFETCH_BUDGET = 60_000;
const DAY_MS = 86_400_000;
/** Marts up to this many rows are measured exactly; larger ones over about this many of their distinct keys (measure). */
const EXACT_MEASURE_ROWS = 131_072;
/**
 * Gzip's ratio on cells as estimated below (keys and counts at full width): measured 0.17–0.3 on the bundled and
 * generated data (sales 1M: 0.58 of the estimate at 0.5; cars 558k: 0.44), so an estimate stays a bound.
 */
const GZIP_RATIO = 0.3;

type Grain = PageData['timeGrain'];
const gzipAsync = promisify(gzip);

/** How a median column's values are binned: exactly (its own precision) or into quantile bins of the whole mart. */
export type Bins = { exact: true; width: number } | { exact: false; edges: number[] };

export interface CellPlan {
  grain: Grain;
  columns: string[];
  leftOut: PageData['leftOut'];
  bins: Record<string, Bins>;
}

/** What the pages' cells were planned from and as: the details start from it. */
export interface PagesPlan {
  plan: CellPlan;
  size: Size;
  /** The union of the pages' needs, and of their summed columns. */
  union: PageNeeds;
  sums: string[];
  /** Members per column of the mart, and its rows. */
  members: Map<string, number>;
  rows: number;
  /** The pages' distinct-counted columns counted by first rows, and the columns each is exact under. */
  exactBy: Record<string, string[]>;
  /** The rows cells are built from. */
  cellRows: CellRows;
}

export interface Size {
  cells: number;
  /** Per median column: its (cell, bin) pairs. */
  pairs: Record<string, number>;
}

/** The cells' time column: the day, or the start of its week (within its month) or month. */
export function timeKey(spec: DatasetSpec, grain: Grain): string {
  const t = ident(spec.timeColumn);
  if (grain === 'day') return `${t}::DATE`;
  return grain === 'month' ? `date_trunc('month', ${t})::DATE` : `greatest(date_trunc('week', ${t}), date_trunc('month', ${t}))::DATE`;
}

/** A value's bin: its value in units of the column's precision, or the index of the quantile bin it falls in. */
export function binSql(column: string, bins: Bins): string {
  const v = `${ident(column)}::DOUBLE`;
  if (bins.exact) return `round(${v} / ${bins.width})::BIGINT`;
  // Bin i holds edges[i] <= v < edges[i + 1], the last bin its upper edge too: a binary search written as nested
  // CASEs (as for line steps).
  return `(${lineStepSql(v, bins.edges.slice(1, -1).map((edge, i) => ({ start: edge, extra: i + 1 })))})`;
}

/** Whatever a page needs: what the cells group by, before any is given up. */
export function wantedColumns(needs: PageNeeds): string[] {
  const distinct = distinctColumns(needs);
  const records = needs.records ? [needs.records.key, ...needs.records.text] : [];
  return [...new Set([...needs.timeLevels, ...needs.columns, ...distinct, ...records])];
}

export const sumColumns = (needs: PageNeeds) => [...new Set([...needs.measures.flatMap((m) => (m.agg === 'sum' ? [m.column] : [])), ...(needs.records?.sums ?? [])])];
export const distinctColumns = (needs: PageNeeds) => [...new Set(needs.measures.flatMap((m) => (m.agg === 'countDistinct' ? [m.column] : [])))];
export const medianColumns = (needs: PageNeeds) => [...new Set(needs.measures.flatMap((m) => (m.agg === 'median' ? [m.column] : [])))];

/** Bytes of cells gzipped, estimated: a key per column, the row count and sums, two numbers per bin. */
export function estimate(plan: CellPlan, size: Size, sums: number, members: Map<string, number>): number {
  const keyBytes = plan.columns.reduce((n, c) => n + ((members.get(c) ?? 0) < 128 ? 1 : (members.get(c) ?? 0) < 32768 ? 2 : 4), 4);
  const raw = size.cells * (keyBytes + 4 + 4 * sums) + Object.values(size.pairs).reduce((n, p) => n + 8 * p, 0);
  return raw * GZIP_RATIO;
}

/** Time levels a grain determines (a month's year and quarter, not its weeks): cells carry them for free. */
async function determinedLevels(db: Db, spec: DatasetSpec, grain: Grain, levels: string[]): Promise<string[]> {
  if (grain === 'day' || !levels.length) return levels;
  const [row] = await db.rows<Record<string, number>>(`select ${levels.map((l) => `max(${ident(l)}) as ${ident(l)}`).join(', ')}
    from (select ${levels.map((l) => `count(distinct ${ident(l)}) as ${ident(l)}`).join(', ')} from ${ident(spec.mart)} group by ${timeKey(spec, grain)})`);
  return levels.filter((l) => Number(row![l]) <= 1);
}

/** The candidate plans, finest first: each gives up one more thing than the one before. */
async function candidates(db: Db, spec: DatasetSpec, needs: PageNeeds, members: Map<string, number>, scales: Map<string, number>): Promise<CellPlan[]> {
  const medians = medianColumns(needs);
  const exact = Object.fromEntries(medians.map((c) => [c, { exact: true, width: scales.get(c) ?? 1 } as Bins]));
  const quantiles = await quantileEdges(db, spec, medians);
  const first: CellPlan = { grain: 'day', columns: wantedColumns(needs), leftOut: [], bins: exact };
  const plans = [first];
  if (medians.length) plans.push({ ...first, bins: quantiles });
  const coarse = spec.cube.timeGrain;
  const kept = await determinedLevels(db, spec, coarse, needs.timeLevels);
  const timeLevels = new Set(needs.timeLevels);
  let last: CellPlan = {
    grain: coarse,
    columns: first.columns.filter((c) => !timeLevels.has(c) || kept.includes(c)),
    leftOut: needs.timeLevels.filter((l) => !kept.includes(l)).map((column) => ({ column, members: members.get(column) ?? 0 })),
    bins: quantiles,
  };
  plans.push(last);
  // Of the columns, the ones no filter names go first, those with the most members first; then the filter bar's,
  // the last declared first (the declaration lists them by importance). Time levels stay.
  const filters = [...(spec.defaultFilter ? [spec.defaultFilter.column] : []), ...spec.filters];
  const rank = (c: string) => (filters.includes(c) ? filters.length - filters.indexOf(c) : -(members.get(c) ?? 0));
  for (const column of last.columns.filter((c) => !timeLevels.has(c)).toSorted((a, b) => rank(a) - rank(b))) {
    last = { ...last, columns: last.columns.filter((c) => c !== column), leftOut: [...last.leftOut, { column, members: members.get(column) ?? 0 }] };
    plans.push(last);
  }
  return plans;
}

/** Per column, the edges of the declared number of quantile bins of its values over the whole mart, each edge once. */
async function quantileEdges(db: Db, spec: DatasetSpec, columns: string[]): Promise<Record<string, Bins>> {
  if (!columns.length) return {};
  // medianBins + 1 edges, the least and the greatest value included: the last bin holds the greatest.
  const points = Array.from({ length: spec.cube.medianBins + 1 }, (_, i) => i / spec.cube.medianBins);
  // Each edge is one of the values: picked in the column's own type (a decimal sorts four times faster than its
  // doubles), then cast, which keeps the order.
  const [row] = await db.rows<Record<string, number[]>>(`select ${columns.map((c, i) => `quantile_disc(${ident(c)}, [${points.join(', ')}])::DOUBLE[] as q${i}`).join(', ')} from ${ident(spec.mart)}`);
  return Object.fromEntries(columns.map((c, i) => [c, { exact: false, edges: [...new Set(row![`q${i}`]!.map(Number))] }]));
}

/**
 * Each plan's size, in one pass: its cells and bins counted as distinct hashes of their keys, exactly for a small
 * mart, and for a large one over the rows whose hash falls in one bucket of `rate`, times `rate` (a distinct value is
 * in or out with all its rows): within a few percent where DuckDB's HyperLogLog was off by up to 30% (cars at 558k rows)
 * for the same time. With `by` columns, per column the size of its largest member's part instead (its rows alone,
 * planned the same way), in the same pass (a grouping set per column).
 */
export async function measure(db: Db, spec: DatasetSpec, source: CellRows, plans: CellPlan[], rows: number, by: string[] = []): Promise<Size[][]> {
  // Each row's time keys and bins are computed once, however many plans use them.
  const bins = new Map<string, { alias: string; sql: string }>();
  const binAlias = (column: string, b: Bins) => {
    const id = JSON.stringify([column, b]);
    if (!bins.has(id)) bins.set(id, { alias: `__b${bins.size}`, sql: binIn(source, column, b) });
    return bins.get(id)!.alias;
  };
  // A key's hash is the hash of a smaller key's and the columns it adds (plans drop a column at a time): a few
  // columns hashed per key, not all of them, computed one layer after another.
  const hashes: { columns: string[]; alias: string; sql: string }[] = [];
  const hashOf = (columns: string[]): string => {
    const known = hashes.find((h) => h.columns.length === columns.length && h.columns.every((c) => columns.includes(c)));
    if (known) return known.alias;
    const within = hashes.filter((h) => h.columns.every((c) => columns.includes(c))).sort((a, b) => b.columns.length - a.columns.length)[0];
    const alias = `__h${hashes.length}`;
    hashes.push({ columns, alias, sql: within ? `hash(${[within.alias, ...columns.filter((c) => !within.columns.includes(c))].join(', ')})` : `hash(${columns.join(', ')})` });
    return alias;
  };
  const cellKey = (p: CellPlan) => [`__t_${p.grain}`, ...p.columns.map(ident)];
  for (const p of [...plans].sort((a, b) => a.columns.length - b.columns.length)) hashOf(cellKey(p));
  const rate = 2 ** Math.max(0, Math.ceil(Math.log2(rows / EXACT_MEASURE_ROWS)));
  const distinct = (h: string, where: string[] = []) => {
    const filter = [...where, ...(rate > 1 ? [`${h} % ${rate} = 0`] : [])];
    return `${rate > 1 ? `${rate} * ` : ''}count(distinct ${h})${filter.length ? ` filter (where ${filter.join(' and ')})` : ''}`;
  };
  const aggregates = plans.flatMap((p, i) => {
    const cells = hashOf(cellKey(p));
    return [
      `${distinct(cells)} as c${i}`,
      ...Object.entries(p.bins).map(([column, b], j) => `${distinct(hashOf([cells, binAlias(column, b)]), [`${ident(column)} is not null`])} as p${i}_${j}`),
    ];
  });
  const grains = [...new Set(plans.map((p) => p.grain))];
  const projected = hashes.reduce(
    (from, h) => `select *, ${h.sql} as ${h.alias} from (${from})`,
    `select *, ${[...grains.map((g) => `${timeKey(spec, g)} as __t_${g}`), ...[...bins.values()].map((b) => `${b.sql} as ${b.alias}`)].join(', ')} from ${ident(source.table)}`,
  );
  const groups = by.map((c, k) => `grouping(${ident(c)}) = 0 and ${ident(c)} is not null as g${k}`);
  const found = await db.rows<Record<string, number | boolean>>(`select ${[...groups, ...aggregates].join(', ')}
    from (${projected})${by.length ? ` group by grouping sets (${by.map((c) => `(${ident(c)})`).join(', ')})` : ''}`);
  const sizes = (parts: Record<string, number | boolean>[]): Size[] => {
    const most = (name: string) => Math.max(0, ...parts.map((r) => Number(r[name])));
    return plans.map((p, i) => ({ cells: most(`c${i}`), pairs: Object.fromEntries(Object.keys(p.bins).map((c, j) => [c, most(`p${i}_${j}`)])) }));
  };
  return by.length ? by.map((_, k) => sizes(found.filter((r) => r[`g${k}`]))) : [sizes(found)];
}

/**
 * Each plan's size in two passes: every plan's cells, then the bins of the plans whose cells alone fit the budget
 * (bins are most of the measuring, and of the plans the finest have far too many cells to need them counted). A plan
 * passed over keeps its cells, with as many bins as cells: over the budget either way.
 */
async function measureTwice(db: Db, spec: DatasetSpec, source: CellRows, plans: CellPlan[], rows: number, sums: number, members: Map<string, number>): Promise<Size[]> {
  const [cells] = await measure(db, spec, source, plans.map((p) => ({ ...p, bins: {} })), rows);
  const first = cells!.findIndex((size, i) => estimate({ ...plans[i]!, bins: {} }, size, sums, members) <= PAGE_BUDGET);
  // Without medians, the first pass measured everything.
  if (first < 0 || plans.every((p) => !Object.keys(p.bins).length)) return cells!;
  const [binned] = await measure(db, spec, source, plans.slice(first), rows);
  return [...cells!.slice(0, first).map((size, i) => ({ ...size, pairs: Object.fromEntries(Object.keys(plans[i]!.bins).map((c) => [c, size.cells])) })), ...binned!];
}

/** Each decimal column's precision (0.01 for cents): the bin width of an exact median. */
async function columnScales(db: Db, spec: DatasetSpec): Promise<Map<string, number>> {
  const columns = await db.rows<{ column_name: string; column_type: string }>(`describe ${ident(spec.mart)}`);
  return new Map(columns.map((c) => [c.column_name, 10 ** -Number(/^DECIMAL\(\d+,(\d+)\)$/.exec(c.column_type)?.[1] ?? 0)]));
}

/**
 * Per distinct-counted column the plan leaves out, the plan's columns that hold one value (missing counts as one)
 * across the rows of each of its values: an order's customer, status and month. Columns whose values do not keep
 * to the plan's time grain are left out of the result: a date range would split them.
 */
export async function constantColumns(db: Db, spec: DatasetSpec, plan: CellPlan, needs: PageNeeds): Promise<Record<string, string[]>> {
  const out: Record<string, string[]> = {};
  // One value on all rows: the least is the greatest, and all rows have one or none has (half the time of counting
  // distinct values). A mart without rows holds one value everywhere too.
  const one = (sql: string) => `min(${sql}) is not distinct from max(${sql}) and count(${sql}) in (0, count(*))`;
  for (const column of distinctColumns(needs).filter((c) => !plan.columns.includes(c))) {
    const [row] = await db.rows<Record<string, boolean>>(`select coalesce(bool_and(t), true) as t${plan.columns.map((c, i) => `, coalesce(bool_and(c${i}), true) as c${i}`).join('')}
      from (select ${one(timeKey(spec, plan.grain))} as t${plan.columns.map((c, i) => `, ${one(ident(c))} as c${i}`).join('')}
        from ${ident(spec.mart)} where ${ident(column)} is not null group by ${ident(column)})`);
    if (row!.t) out[column] = plan.columns.filter((_, i) => row![`c${i}`]);
  }
  return out;
}

/** Members per column of the mart, measured once for every page. */
export async function memberCounts(db: Db, spec: DatasetSpec, columns: string[]): Promise<Map<string, number>> {
  const [row] = await db.rows<Record<string, number>>(`select ${columns.map((c) => `count(distinct ${ident(c)}) as ${ident(c)}`).join(', ')} from ${ident(spec.mart)}`);
  return new Map(columns.map((c) => [c, Number(row![c])]));
}

/** The rows cells are measured and built from, and the bins found in them. */
export interface CellRows {
  table: string;
  bins: Record<string, Bins>;
}

const binColumn = (column: string) => `__bin_${column}`;

/**
 * The rows cells are measured and built from: with medians, the mart's `columns` and each median's bin by `bins`
 * (binColumn) in `browser_rows`. A bin is a search through its edges, per row: found once here, not again for the
 * measuring, the pages' cells and each detail's (cars at 558k rows: about 0.3 s to build, against 0.14 s saved per
 * scan, eight scans). Without medians, the mart itself.
 */
export async function binnedRows(db: Db, spec: DatasetSpec, bins: Record<string, Bins>, columns: string[]): Promise<CellRows> {
  if (!Object.keys(bins).length) return { table: spec.mart, bins };
  await db.run(`create or replace temp table browser_rows as select ${[...new Set([spec.timeColumn, ...columns])].map(ident).join(', ')}, ${Object.entries(bins).map(([c, b]) => `${binSql(c, b)} as ${ident(binColumn(c))}`).join(', ')}
    from ${ident(spec.mart)}`);
  return { table: 'browser_rows', bins };
}

/** A row's bin of `column` by `bins`: read from the rows when found there, else found. */
const binIn = (rows: CellRows, column: string, bins: Bins) => (rows.bins[column] === bins ? ident(binColumn(column)) : binSql(column, bins));

/**
 * The plan's cells, once for every page, from `rows` (binnedRows): keys, row counts, `sums` and a count per column of
 * `firsts` (firstColumn) in `browser_cells`, and the counts of each median column's bins per cell in `browser_bins` (a
 * page groups both by its own columns).
 */
export async function buildCells(db: Db, spec: DatasetSpec, plan: CellPlan, rows: CellRows, sums: string[], firsts: string[], within: string[] = []): Promise<void> {
  const keys = [`${timeKey(spec, plan.grain)} as ${ident(spec.timeColumn)}`, ...plan.columns.map(ident)];
  const names = [ident(spec.timeColumn), ...plan.columns.map(ident)];
  const table = ident(rows.table);
  // Each value of a distinct-counted column the cells leave out is counted in the cell of its first row (within each
  // member of the `within` columns): summed over any cells, the counts count each value once. Its first row is the
  // least of its rows by time, then by the cells' keys (missing first): ties in time (an order's lines) go to the row
  // with the least keys, so that the same rows give the same files. The least of an aggregate, not a window's first
  // row: no sort (sales at 1M rows, the three builds of cells: 1.22 s against 1.42 s).
  const ordered = [spec.timeColumn, ...plan.columns];
  const firstRow = `struct_pack(${ordered.flatMap((c, i) => [`n${i} := ${ident(c)} is not null`, `v${i} := ${ident(c)}`]).join(', ')})`;
  const counts = firsts.map(
    (c, i) => `first${i} as (
      select ${keys.join(', ')}, count(*) as n
      from (select ${ordered.map((k, j) => `first.v${j} as ${ident(k)}`).join(', ')}
        from (select min(${firstRow}) as first from ${table} where ${ident(c)} is not null group by ${[...within, c].map(ident).join(', ')}))
      group by all)`,
  );
  await db.run(`create or replace temp table browser_cells as
    with cells as (select ${keys.join(', ')}, count(*) as ${ROWS_COLUMN}${sums.map((c) => `, sum(${ident(c)}) as ${ident(c)}`).join('')} from ${table} group by all)
    ${counts.map((c) => `, ${c}`).join('')}
    select cells.*${firsts.map((c, i) => `, coalesce(first${i}.n, 0)::HUGEINT as ${ident(firstColumn(c))}`).join('')}
    from cells ${firsts.map((_, i) => `left join first${i} on ${names.map((k) => `cells.${k} is not distinct from first${i}.${k}`).join(' and ')}`).join(' ')}`);
  // Every median's bins from one scan, a grouping set each: in a set, the other medians' bins are grouped out
  // (missing), so the first present is its own; a missing value has no bin and is left out.
  const bins = Object.entries(plan.bins).map(([column, b], i) => ({ column, sql: binIn(rows, column, b), name: `__b${i}` }));
  const binned = `select ${names.join(', ')}, case ${bins.map((b) => `when grouping(${b.name}) = 0 then ${lit(b.column)}`).join(' ')} end as median, coalesce(${bins.map((b) => b.name).join(', ')}) as bin, count(*) as n
    from (select ${keys.join(', ')}, ${bins.map((b) => `${b.sql} as ${b.name}`).join(', ')} from ${table})
    group by grouping sets (${bins.map((b) => `(${[...names, b.name].join(', ')})`).join(', ')}) having bin is not null`;
  await db.run(`create or replace temp table browser_bins as ${bins.length ? binned : `select ${names.join(', ')}, '' as median, 0::BIGINT as bin, 0::BIGINT as n from browser_cells where false`}`);
}

/**
 * A page's cells: the plan's cells grouped by the page's own columns, in time order, with their bins as lists. With
 * every column of the plan, they are the plan's cells as they are: not grouped again.
 */
export function pageCellsSql(spec: DatasetSpec, plan: CellPlan, columns: string[], sums: string[], medians: string[]): string {
  const names = [ident(spec.timeColumn), ...columns.map(ident)];
  const whole = plan.columns.every((c) => columns.includes(c));
  // Every median's bins as lists, from one grouping of the bins and one join: a list of [bin, n] pairs per cell and
  // median, as doubles (exact) read from DuckDB as they are, in no order (readCells sorts them).
  const bins = whole ? 'browser_bins' : `(select ${names.join(', ')}, median, bin, sum(n)::BIGINT as n from browser_bins group by all)`;
  const lists = medians.map((column) => `flatten(list([bin, n]::DOUBLE[]) filter (where median = ${lit(column)})) as ${ident(histogramColumn(column))}`);
  const histograms = medians.map((column) => {
    const list = `coalesce(h.${ident(histogramColumn(column))}, []::DOUBLE[])`;
    // A cell of one row lists no bins when its sum is in the file: its value is its sum (see factTableFromArrow).
    // Most cells of a small mart are single rows, whose lists would otherwise repeat the sums.
    return `${sums.includes(column) ? `case when cells.${ROWS_COLUMN} = 1 then []::DOUBLE[] else ${list} end` : list} as ${ident(histogramColumn(column))}`;
  });
  const cells = whole
    ? `select ${names.join(', ')}, ${ROWS_COLUMN}::INTEGER as ${ROWS_COLUMN}${sums.map((c) => `, ${ident(c)}`).join('')} from browser_cells`
    : `select ${names.join(', ')}, sum(${ROWS_COLUMN})::INTEGER as ${ROWS_COLUMN}${sums.map((c) => `, sum(${ident(c)}) as ${ident(c)}`).join('')} from browser_cells group by all`;
  // Keys may be missing (a car without a make): matched as equal, not dropped as SQL's = would.
  return `with cells as (${cells})
    ${medians.length ? `, h as (select ${names.join(', ')}, ${lists.join(', ')} from ${bins} group by all)` : ''}
    select cells.*${histograms.map((h) => `, ${h}`).join('')} from cells ${medians.length ? `left join h on ${names.map((k) => `cells.${k} is not distinct from h.${k}`).join(' and ')}` : ''}
    order by ${names.map((k) => `cells.${k} nulls first`).join(', ')}`;
}

/**
 * Cells as pageCellsSql selects them, each histogram's pairs in bin order: sorted here, a few pairs per cell, rather
 * than in SQL, where sorting each cell's list took a third of the query (cars at 558k rows).
 */
export async function readCells(db: Db, sql: string): ReturnType<Db['codedColumns']> {
  const result = await db.codedColumns(sql);
  for (const values of result.values) if (isLists(values)) sortPairs(values);
  return result;
}

/**
 * Each list of [bin, n] pairs in order of its bins (each bin once): a long list by its bins sorted natively, a short one
 * by insertion, in place (cars at 558k rows: 0.1 s, against 0.7 s sorting arrays of pairs with a comparator).
 */
function sortPairs({ offsets, values }: NumberLists): void {
  for (let row = 0; row + 1 < offsets.length; row++) {
    const start = offsets[row]!;
    const end = offsets[row + 1]!;
    if (end - start > 64) {
      const bins = new Float64Array((end - start) / 2);
      const counts = new Map<number, number>();
      for (let k = 0; k < bins.length; k++) counts.set((bins[k] = values[start + 2 * k]!), values[start + 2 * k + 1]!);
      bins.sort();
      for (let k = 0; k < bins.length; k++) [values[start + 2 * k], values[start + 2 * k + 1]] = [bins[k]!, counts.get(bins[k]!)!];
      continue;
    }
    for (let i = start + 2; i < end; i += 2) {
      const bin = values[i]!;
      const n = values[i + 1]!;
      let j = i - 2;
      for (; j >= start && values[j]! > bin; j -= 2) {
        values[j + 2] = values[j]!;
        values[j + 3] = values[j + 1]!;
      }
      values[j + 2] = bin;
      values[j + 3] = n;
    }
  }
}

/** The last day (days since 1970) a week's or month's cell starting on `day` covers (a week cell lies within its month). */
function lastDay(day: number, grain: Grain): number {
  if (grain === 'day') return day;
  const start = new Date(day * DAY_MS);
  const endOfMonth = Date.UTC(start.getUTCFullYear(), start.getUTCMonth() + 1, 0) / DAY_MS;
  if (grain === 'month') return endOfMonth;
  return Math.min(day + ((7 - start.getUTCDay()) % 7), endOfMonth);
}

/** The Arrow field metadata of cells: each histogram's bins, each first-row column's exact_by. */
export function fileMetadata(plan: CellPlan, medians: string[], exactBy: Record<string, string[]>): Record<string, Record<string, string>> {
  return Object.fromEntries([
    ...medians.map((c) => {
      const bins = plan.bins[c]!;
      return [histogramColumn(c), bins.exact ? { bin: String(bins.width) } : { edges: JSON.stringify(bins.edges) }] as [string, Record<string, string>];
    }),
    ...Object.entries(exactBy).map(([c, by]) => [firstColumn(c), { exact_by: JSON.stringify(by) }] as [string, Record<string, string>]),
  ]);
}

/**
 * Writes a file of cells under `dataDir`, and measures it gzipped as a static host serves it. Gzip runs off the main
 * thread: a caller that does not wait for it goes on to its next query meanwhile.
 */
export async function writeCellsFile(dataDir: string, path: string, bytes: Uint8Array): Promise<Pick<PageFile, 'path' | 'bytes' | 'gzip'>> {
  await mkdir(dirname(join(dataDir, path)), { recursive: true });
  const [gzipped] = await Promise.all([gzipAsync(bytes), writeFile(join(dataDir, path), bytes)]);
  return { path, bytes: bytes.length, gzip: gzipped.length };
}

/**
 * Writes a page's cells as one file, in time order. One: the browser reads every file of a page together, and
 * joining several cost more than reading them (a fifth of a filter's wait on the phone profile at a million rows).
 */
async function writePageFile(db: Db, spec: DatasetSpec, page: string, sql: string, plan: CellPlan, medians: string[], exactBy: Record<string, string[]>, dataDir: string): Promise<PageFile[]> {
  const result = await readCells(db, sql);
  // Dates are read as days since 1970.
  const days = result.values[result.names.indexOf(spec.timeColumn)] as Float64Array;
  const file = await writeCellsFile(dataDir, pageFile(page, 0), tableToIPC(arrowTable(result, fileMetadata(plan, medians, exactBy)), 'stream'));
  return [{ ...file, from: dayToIso(days[0]!), to: dayToIso(lastDay(days.at(-1)!, plan.grain)) }];
}

/** Every dashboard page's data, and the explorer's, under `dataDir`; and the plan they were made by (for the details). */
export async function writePagesData(db: Db, spec: DatasetSpec, dataDir: string, rows: number): Promise<{ pages: PageData[]; planned: PagesPlan }> {
  const pages = [
    ...spec.site.pages.filter((p): p is DashboardPage => p.kind === 'dashboard').map((p) => ({ path: p.path, needs: pageNeeds(spec, p) })),
    { path: EXPLORER, needs: pageNeeds(spec, EXPLORER) },
    ...(spec.analysis.forecast ? [{ path: FORECAST, needs: pageNeeds(spec, FORECAST) }] : []),
    ...(spec.analysis.contributions ? [{ path: DRIVERS, needs: pageNeeds(spec, DRIVERS) }] : []),
  ];
  // The union of what the pages need: the explorer's, plus the pages' records tables.
  const all: PageNeeds = { ...pageNeeds(spec, EXPLORER), records: undefined };
  const wanted = [...new Set(pages.flatMap((p) => wantedColumns(p.needs)))];
  const union: PageNeeds = { ...all, columns: [...new Set([...all.columns, ...wanted.filter((c) => !all.timeLevels.includes(c))])] };
  const members = await memberCounts(db, spec, wanted);
  const scales = await columnScales(db, spec);
  const plans = await candidates(db, spec, union, members, scales);
  const sums = [...new Set(pages.flatMap((p) => sumColumns(p.needs)))];
  // A mart small enough that the finest plan fits with a cell and a bin per row needs no measuring.
  const perRow = (p: CellPlan): Size => ({ cells: rows, pairs: Object.fromEntries(Object.keys(p.bins).map((c) => [c, rows])) });
  // Measured, every plan but the finest bins its medians at the quantiles: those bins are found once for all, for the
  // measuring and the cells. Unmeasured, the finest plan is built straight from the mart.
  const small = estimate(plans[0]!, perRow(plans[0]!), sums.length, members) <= PAGE_BUDGET;
  const cellRows = small ? { table: spec.mart, bins: {} } : await binnedRows(db, spec, plans.at(-1)!.bins, [...wantedColumns(union), ...sums, ...medianColumns(union)]);
  const sizes = small ? [perRow(plans[0]!)] : await measureTwice(db, spec, cellRows, plans, rows, sums.length, members);
  const chosen = sizes.findIndex((size, i) => estimate(plans[i]!, size, sums.length, members) <= PAGE_BUDGET);
  const plan = plans[chosen < 0 ? plans.length - 1 : chosen]!;
  const exactBy = await constantColumns(db, spec, plan, union);
  await buildCells(db, spec, plan, cellRows, sums, Object.keys(exactBy));

  const time = ident(spec.timeColumn);
  const [span] = await db.rows<{ from: string; to: string }>(`select min(${time})::DATE::VARCHAR as "from", max(${time})::DATE::VARCHAR as "to" from ${ident(spec.mart)}`);
  const shown = pages.map(({ path, needs }) => {
    const columns = plan.columns.filter((c) => wantedColumns(needs).includes(c));
    const counted = distinctColumns(needs).filter((c) => exactBy[c]);
    return { path, needs, columns, medians: medianColumns(needs), counted, sums: [...sumColumns(needs), ...counted.map(firstColumn)] };
  });
  // Pages whose cells are the same rows share one file: written once, and fetched once by a viewer going from one page
  // to another. Their columns may differ where one names what another does (a customer's city beside its country, a
  // month's year): the file has the columns of each, a few kilobytes more than either needs, against a second file
  // of the same cells (sales at a million rows: one file of 290 KB for every page, instead of four).
  const cellCount = async (columns: string[]) => {
    const [{ n }] = (await db.rows<{ n: number }>(`select count(*) as n from (select 1 from browser_cells group by ${[spec.timeColumn, ...columns].map(ident).join(', ')})`)) as [{ n: number }];
    return Number(n);
  };
  const files: { kind: string; columns: string[]; cells: number; pages: typeof shown }[] = [];
  for (const page of shown) {
    const kind = JSON.stringify([page.sums, page.medians]);
    const cells = await cellCount(page.columns);
    let file: (typeof files)[number] | undefined;
    for (const f of files.filter((f) => f.kind === kind && f.cells === cells)) {
      const columns = plan.columns.filter((c) => f.columns.includes(c) || page.columns.includes(c));
      if (columns.length === f.columns.length || (await cellCount(columns)) === cells) {
        [file, f.columns] = [f, columns];
        break;
      }
    }
    if (!file) files.push((file = { kind, columns: page.columns, cells, pages: [] }));
    file.pages.push(page);
  }
  const written = new Map<(typeof shown)[number], { files: PageFile[]; cells: number }>();
  for (const file of files) {
    const [{ path, sums: fileSums, medians, counted }] = file.pages as [(typeof shown)[number]];
    const fileExactBy = Object.fromEntries(counted.map((c) => [c, exactBy[c]!.filter((k) => file.columns.includes(k))]));
    const pageFiles = await writePageFile(db, spec, path, pageCellsSql(spec, plan, file.columns, fileSums, medians), plan, medians, fileExactBy, dataDir);
    for (const page of file.pages) written.set(page, { files: pageFiles, cells: file.cells });
  }
  const out: PageData[] = shown.map((page) => {
    const { path, needs, columns, medians, counted } = page;
    const { files: pageFiles, cells } = written.get(page)!;
    return {
      page: path,
      timeGrain: plan.grain,
      columns,
      leftOut: plan.leftOut.filter((l) => wantedColumns(needs).includes(l.column)),
      medians: Object.fromEntries(medians.map((c) => [c, plan.bins[c]!.exact ? 'exact' : 'binned'])),
      uncounted: distinctColumns(needs).filter((c) => !columns.includes(c) && !counted.includes(c)),
      exactBy: Object.fromEntries(counted.map((c) => [c, exactBy[c]!.filter((k) => columns.includes(k))])),
      rows,
      cells,
      period: span!,
      files: pageFiles,
      prefetch: pageFiles.reduce((s, f) => s + f.gzip, 0) <= PREFETCH_BUDGET,
    };
  });
  await db.run('drop table browser_cells; drop table browser_bins');
  return { pages: out, planned: { plan, size: sizes[plans.indexOf(plan)] ?? sizes[0]!, union, sums, members, rows, exactBy, cellRows } };
}
