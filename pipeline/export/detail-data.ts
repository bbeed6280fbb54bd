/**
 * Detail on demand (src/lib/contract/page-data.ts, DetailData): for each filter column the pages' cells leave out,
 * and each dimension's first level whose lower levels they leave out, the mart's cells split by that column's
 * members, a file per member, which the browser fetches when a filter or a drill keeps those members. A member's
 * rows are fewer than the mart's, so its cells can keep columns the pages' cells give up: at the pages' time grain
 * and median bins, the finest of a few plans (ladder) whose largest member's file is under DETAIL_BUDGET. The pages'
 * own columns and the split column always stay, so the detail answers every filter the pages answer, and this one.
 */
import { tableToIPC } from 'apache-arrow';
import type { DatasetSpec } from '../../src/lib/contract/declaration.ts';
import type { DetailData, PageFile } from '../../src/lib/contract/page-data.ts';
import { detailFile, firstColumn } from '../../src/lib/contract/paths.ts';
import { ident, isCodes, isLists, rowsOf, type Db } from '../duckdb.ts';
import { arrowTable } from './arrow.ts';
import { buildCells, constantColumns, distinctColumns, estimate, fileMetadata, measure, medianColumns, PAGE_BUDGET, pageCellsSql, readCells, writeCellsFile, type CellPlan, type PagesPlan } from './page-data.ts';

/**
 * One member's file, gzipped, as estimated: like a page's first fetch, under 500 KB (sales 1M: a product line with
 * its product codes, 308 KB for an estimated 346 KB). A member's finer cells fill fewer bins each than the pages'
 * cells, which the estimate takes them to fill: cars files come out smaller still (558k: a make with its models,
 * 84 KB for an estimated 273 KB).
 */
const DETAIL_BUDGET = PAGE_BUDGET;

/**
 * What a detail split by `column` is for, the least important first: for a filter column, the other filter
 * columns the pages gave up (its members' figures under any filter of the bar); then the levels below it in its
 * dimension the pages gave up, the deepest first (a drill into a member).
 */
function ownColumns(spec: DatasetSpec, givenUp: string[], column: string): { filters: string[]; levels: string[] } {
  const levels = spec.dimensions.find((d) => d.levels.some((l) => l.column === column))?.levels.map((l) => l.column) ?? [];
  return {
    filters: spec.filters.includes(column) ? givenUp.filter((c) => c !== column && spec.filters.includes(c)) : [],
    levels: levels.slice(levels.indexOf(column) + 1).filter((c) => givenUp.includes(c)).reverse(),
  };
}

/**
 * A detail's plans, finest first: the pages' plan with the split column and every column it gave up back (time
 * levels aside); with its own columns (ownColumns); with its levels, then one fewer at a time; with none.
 */
function ladder(plan: CellPlan, spec: DatasetSpec, column: string, timeLevels: string[]): CellPlan[] {
  const givenUp = plan.leftOut.map((l) => l.column).filter((c) => !timeLevels.includes(c));
  const own = ownColumns(spec, givenUp, column);
  const backs = [givenUp, [...own.filters, ...own.levels], ...own.levels.map((_, i) => own.levels.slice(i)), []];
  return [...new Map(backs.map((b) => [b.join(), b])).values()].map((back) => {
    const columns = [...new Set([...plan.columns, column, ...back])];
    return { ...plan, columns, leftOut: plan.leftOut.filter((l) => !columns.includes(l.column)) };
  });
}

/**
 * The columns split into details: each filter column the pages' cells leave out; each dimension's first level they
 * keep whose levels below they leave out (a make, for its models), time aside; and each filter column they keep that a
 * distinct count is not exact under (product line, for orders: its members' first rows, flagged within each member,
 * count exactly under a filter on one).
 */
function splitColumns(spec: DatasetSpec, { plan, exactBy }: PagesPlan): string[] {
  const leftOut = new Set(plan.leftOut.map((l) => l.column));
  const drilled = spec.dimensions
    .filter((d) => d.name !== spec.timeDimension && plan.columns.includes(d.levels[0]!.column) && d.levels.slice(1).some((l) => leftOut.has(l.column)))
    .map((d) => d.levels[0]!.column);
  const counted = spec.filters.filter((c) => plan.columns.includes(c) && Object.values(exactBy).some((by) => !by.includes(c)));
  return [...new Set([...spec.filters.filter((c) => leftOut.has(c)), ...drilled, ...counted])];
}

/**
 * Every detail of the dataset under `dataDir`, from the pages' plan. A plan's cells in a member are measured, not its
 * bins: those are taken at the pages' bins per cell, which finer cells (fewer rows each) do not reach.
 */
export async function writeDetails(db: Db, spec: DatasetSpec, dataDir: string, pages: PagesPlan): Promise<DetailData[]> {
  const { plan, size, union, sums, members, rows } = pages;
  const perCell = Object.fromEntries(Object.entries(size.pairs).map(([c, pairs]) => [c, pairs / Math.max(1, size.cells)]));
  const out: DetailData[] = [];
  for (const column of splitColumns(spec, pages)) {
    const plans = ladder(plan, spec, column, union.timeLevels);
    // Each plan's cells in the largest member; its bins as many per cell as the pages' have, but no more than its rows.
    const [sizes] = await measure(db, spec, pages.cellRows, plans.map((p) => ({ ...p, bins: {} })), rows, [column]);
    const [{ most }] = (await db.rows<{ most: number }>(`select max(n) as most from (select count(*) as n from ${ident(spec.mart)} where ${ident(column)} is not null group by ${ident(column)})`)) as [{ most: number }];
    const pairs = (cells: number) => Object.fromEntries(Object.entries(perCell).map(([c, r]) => [c, Math.min(cells * r, most)]));
    const chosen = sizes!.findIndex(({ cells }, i) => estimate(plans[i]!, { cells, pairs: pairs(cells) }, sums.length, members) <= DETAIL_BUDGET);
    const detail = plans[chosen < 0 ? plans.length - 1 : chosen]!;
    // Distinct counts exact under a filter on one member here, and not on the pages' cells.
    const counts = distinctColumns(union).filter((c) => !detail.columns.includes(c) && pages.exactBy[c] && !pages.exactBy[c].includes(column));
    // A split that brings back no column and counts nothing more would only repeat the pages' cells.
    if (detail.columns.length > plan.columns.length || counts.length) out.push(await writeDetail(db, spec, dataDir, detail, column, pages, counts));
  }
  if (out.length) await db.run('drop table browser_cells; drop table browser_bins');
  if (pages.cellRows.table !== spec.mart) await db.run(`drop table ${ident(pages.cellRows.table)}`);
  return out;
}

/** One column's detail: its cells, built once, written as a file per member. */
async function writeDetail(db: Db, spec: DatasetSpec, dataDir: string, plan: CellPlan, column: string, pages: PagesPlan, counts: string[]): Promise<DetailData> {
  const { union, sums } = pages;
  const medians = medianColumns(union);
  // A distinct-counted column the cells leave out is counted by first rows within each member: exact under a filter
  // on the split column too, unless its values span members and more than one is loaded. What it is exact under
  // among the pages' columns is known: only the columns the detail adds are looked at.
  const added = plan.columns.filter((c) => !pages.plan.columns.includes(c));
  const more = added.length ? await constantColumns(db, spec, { ...plan, columns: added }, union) : {};
  const constant = Object.fromEntries(Object.entries(pages.exactBy).flatMap(([c, by]) => (plan.columns.includes(c) ? [] : [[c, [...by, ...(more[c] ?? [])]]])));
  const exactBy = Object.fromEntries(Object.entries(constant).map(([c, by]) => [c, [...new Set([...by, column])]]));
  const firsts = Object.keys(exactBy).map(firstColumn);
  await buildCells(db, spec, plan, pages.cellRows, sums, Object.keys(exactBy), [column]);
  const time = ident(spec.timeColumn);
  const spans = await db.rows<{ v: string; from: string; to: string }>(`select ${ident(column)}::VARCHAR as v, min(${time})::DATE::VARCHAR as "from", max(${time})::DATE::VARCHAR as "to"
    from ${ident(spec.mart)} where ${ident(column)} is not null group by 1 order by 1`);
  /** The cells grouped by `columns`, a file per member. */
  const writeMembers = async (columns: string[], path: (n: number) => string): Promise<Record<string, PageFile>> => {
    // In member order (within one, in the pages' order): each member's rows are then one run of the result.
    const cells = await readCells(db, `select * from (${pageCellsSql(spec, plan, columns, [...sums, ...firsts], medians)})
      where ${ident(column)} is not null order by ${ident(column)}::VARCHAR, ${[spec.timeColumn, ...columns].map((c) => `${ident(c)} nulls first`).join(', ')}`);
    const metadata = fileMetadata(plan, medians, Object.fromEntries(Object.entries(exactBy).map(([c, by]) => [c, by.filter((k) => columns.includes(k))])));
    // Each row's member, read from its codes (a string per row took a third of the time of reading the cells).
    const values = cells.values[cells.names.indexOf(column)]!;
    if (isLists(values)) throw new Error(`lists in the split column ${column}`);
    const memberAt = isCodes(values) ? (j: number) => values.values[values.codes[j]!] : (j: number) => String(values[j]);
    const rows = isCodes(values) ? values.codes.length : values.length;
    const files: Promise<[string, PageFile]>[] = [];
    let start = 0;
    for (const [n, { v, from, to }] of spans.entries()) {
      let end = start;
      while (end < rows && memberAt(end) === v) end++;
      const part = { ...cells, values: cells.values.map((values) => rowsOf(values, start, end)) };
      files.push(writeCellsFile(dataDir, path(n), tableToIPC(arrowTable(part, metadata), 'stream')).then((file) => [v, { ...file, from, to }]));
      start = end;
    }
    return Object.fromEntries(await Promise.all(files));
  };
  const members = await writeMembers(plan.columns, (n) => detailFile(column, n));
  // The same cells without the columns the detail adds to the pages' (a product line's product codes), for a page
  // that shows none of them: grouped from the same cells, so every figure is the same, from fewer cells.
  const leanColumns = plan.columns.filter((c) => c === column || pages.plan.columns.includes(c));
  const lean = leanColumns.length < plan.columns.length ? { columns: leanColumns, members: await writeMembers(leanColumns, (n) => detailFile(column, n, 'lean')) } : undefined;
  return {
    column,
    timeGrain: plan.grain,
    columns: plan.columns,
    medians: Object.fromEntries(medians.map((c) => [c, plan.bins[c]!.exact ? 'exact' : 'binned'])),
    exactBy,
    spans: distinctColumns(union).filter((c) => exactBy[c] && !constant[c]!.includes(column)),
    counts,
    members,
    ...(lean ? { lean } : {}),
  };
}
