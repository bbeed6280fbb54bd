/**
 * Detail on demand (src/lib/contract/page-data.ts, DetailData): for each filter column the pages' cells leave out,
 * the mart's cells split by that column's members, a file per member, which the browser fetches when a filter keeps
 * those members. A member's rows are fewer than the mart's, so its cells can keep columns the pages' cells give up:
 * at the pages' time grain and median bins, every column a page wants, then one column fewer at a time (in the order
 * the pages gave them up) while the largest member's file is over DETAIL_BUDGET. The pages' own columns and the
 * split column always stay, so the detail answers every filter the pages answer, and this one.
 */
import { mkdir, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { tableToIPC } from 'apache-arrow';
import type { DatasetSpec } from '../../src/lib/contract/declaration.ts';
import type { DetailData, PageFile } from '../../src/lib/contract/page-data.ts';
import { detailFile, firstColumn } from '../../src/lib/contract/paths.ts';
import type { PageNeeds } from '../../src/lib/page-needs.ts';
import { ident, type Db } from '../duckdb.ts';
import { arrowTable } from './arrow.ts';
import { buildCells, constantColumns, distinctColumns, estimate, fileMetadata, measure, medianColumns, pageCellsSql, type CellPlan, type Size } from './page-data.ts';

/** One member's file, gzipped, as estimated: a filter keeping a member or two fetches well under 500 KB. */
const DETAIL_BUDGET = 200_000;

/**
 * A detail's plans, finest first: the pages' plan with every column it gave up back (time levels aside), with the
 * filter bar's only (a member's figures under any other filter of the bar), with none.
 */
function ladder(plan: CellPlan, spec: DatasetSpec, timeLevels: string[]): CellPlan[] {
  const givenUp = plan.leftOut.map((l) => l.column).filter((c) => !timeLevels.includes(c));
  return [givenUp, givenUp.filter((c) => spec.filters.includes(c)), []].map((back) => ({
    ...plan,
    columns: [...plan.columns, ...back],
    leftOut: plan.leftOut.filter((l) => !back.includes(l.column)),
  }));
}

/** A plan with the split column: within one of its members, the same cells as without. */
const withColumn = (plan: CellPlan, column: string): CellPlan =>
  plan.columns.includes(column) ? plan : { ...plan, columns: [...plan.columns, column], leftOut: plan.leftOut.filter((l) => l.column !== column) };

/**
 * Every detail of the dataset under `dataDir`, from the pages' plan, its size and the union of the pages' needs. A
 * plan's cells in a member are measured, not its bins: those are taken at the pages' bins per cell, which finer
 * cells (fewer rows each) do not reach.
 */
export async function writeDetails(db: Db, spec: DatasetSpec, dataDir: string, plan: CellPlan, size: Size, union: PageNeeds, sums: string[], members: Map<string, number>, rows: number): Promise<DetailData[]> {
  const leftOut = new Set(plan.leftOut.map((l) => l.column));
  const columns = spec.filters.filter((c) => leftOut.has(c));
  if (!columns.length) return [];
  const plans = ladder(plan, spec, union.timeLevels);
  // Per split column, each plan's cells in its largest member: one pass for all.
  const sizes = await measure(db, spec, plans.map((p) => ({ ...p, bins: {} })), rows, columns);
  const perCell = Object.fromEntries(Object.entries(size.pairs).map(([c, pairs]) => [c, pairs / Math.max(1, size.cells)]));
  const out: DetailData[] = [];
  for (const [k, column] of columns.entries()) {
    const own = plans.map((p) => withColumn(p, column));
    const chosen = sizes[k]!.findIndex(({ cells }, i) => estimate(own[i]!, { cells, pairs: Object.fromEntries(Object.entries(perCell).map(([c, r]) => [c, cells * r])) }, sums.length, members) <= DETAIL_BUDGET);
    out.push(await writeDetail(db, spec, dataDir, own[chosen < 0 ? own.length - 1 : chosen]!, column, union, sums));
  }
  return out;
}

/** One column's detail: its cells, built once, written as a file per member. */
async function writeDetail(db: Db, spec: DatasetSpec, dataDir: string, plan: CellPlan, column: string, union: PageNeeds, sums: string[]): Promise<DetailData> {
  const medians = medianColumns(union);
  // A distinct-counted column the cells leave out is counted by first rows within each member: exact under a filter
  // on the split column too, unless its values span members and more than one is loaded.
  const constant = await constantColumns(db, spec, plan, union);
  const exactBy = Object.fromEntries(Object.entries(constant).map(([c, by]) => [c, [...new Set([...by, column])]]));
  const firsts = Object.keys(exactBy).map(firstColumn);
  await buildCells(db, spec, plan, [...sums, ...firsts], Object.keys(exactBy), [column]);
  // In member order (within one, in the pages' order): each member's rows are then one run of the result.
  const result = await db.columns(`select * from (${pageCellsSql(spec, plan.columns, [...sums, ...firsts], medians)})
    where ${ident(column)} is not null order by ${ident(column)}::VARCHAR, ${[spec.timeColumn, ...plan.columns].map((c) => `${ident(c)} nulls first`).join(', ')}`);
  const time = ident(spec.timeColumn);
  const spans = await db.rows<{ v: string; from: string; to: string }>(`select ${ident(column)}::VARCHAR as v, min(${time})::DATE::VARCHAR as "from", max(${time})::DATE::VARCHAR as "to"
    from ${ident(spec.mart)} where ${ident(column)} is not null group by 1 order by 1`);
  const metadata = fileMetadata(plan, medians, exactBy);
  const keys = result.values[result.names.indexOf(column)]!.map(String);
  const files: Record<string, PageFile> = {};
  let start = 0;
  for (const [n, { v, from, to }] of spans.entries()) {
    let end = start;
    while (end < keys.length && keys[end] === v) end++;
    const part = { ...result, values: result.values.map((values) => values.slice(start, end)) };
    const bytes = tableToIPC(arrowTable(part, metadata), 'stream');
    const path = detailFile(column, n);
    await mkdir(dirname(join(dataDir, path)), { recursive: true });
    await writeFile(join(dataDir, path), bytes);
    files[v] = { path, bytes: bytes.length, gzip: gzipSync(bytes).length, from, to };
    start = end;
  }
  return {
    column,
    timeGrain: plan.grain,
    columns: plan.columns,
    medians: Object.fromEntries(medians.map((c) => [c, plan.bins[c]!.exact ? 'exact' : 'binned'])),
    exactBy,
    spans: distinctColumns(union).filter((c) => exactBy[c] && !constant[c]!.includes(column)),
    members: files,
  };
}
