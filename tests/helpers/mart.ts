/**
 * The bundled sample's mart as the browser loads it (Arrow file → FactTable), beside an independent DuckDB
 * over the clean staging table, and hand-written SQL for a filter state. The SQL here is written for the
 * tests, not taken from the pipeline: if both were wrong in the same way, nothing would notice.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { tableFromIPC } from 'apache-arrow';
import { inject } from 'vitest';
import { loadDataset } from '../../pipeline/datasets/index.ts';
import type { Db } from '../../pipeline/duckdb.ts';
import { factTableFromArrow, type FactTable } from '../../src/lib/fact-table.ts';
import type { FilterState } from '../../src/lib/filter-state.ts';
import type { EngineSpec, Figures } from '../../src/lib/query.ts';
import { independentDb, pageCells, run } from './pipeline.ts';

export interface SampleMart {
  table: FactTable;
  engine: EngineSpec;
  /** Independent DuckDB with a table `stg`: the staging Parquet plus year, quarter and month derived from order_date. */
  db: Db;
  /** The pipeline's output folder (data/sales/, api/sales/). */
  outDir: string;
}

/** The bundled sample's mart from the run's shared outputs, or the pipeline run over variants of the sample. */
export async function sampleMart(inputs?: string[]): Promise<SampleMart> {
  const outDir = inputs ? (await run(inputs)).outDir : inject('outputs');
  const dir = join(outDir, 'data', 'sales');
  const table = pageCells(outDir, 'sales');
  const { spec } = loadDataset('sales');
  const db = await independentDb();
  await db.run(`create table stg as select *,
      year(order_date) as year,
      year(order_date) || '-Q' || quarter(order_date) as quarter,
      strftime(order_date, '%Y-%m') as month
    from read_parquet('${join(dir, 'stg_sales.parquet')}')`);
  const engine = { measures: spec.measures, dimensions: spec.dimensions, timeDimension: spec.timeDimension, defaultFilter: spec.defaultFilter };
  return { table, engine, db, outDir };
}

const quote = (v: string) => `'${v.replaceAll("'", "''")}'`;

/** Hierarchy levels, top down, as columns of `stg`. */
export const LEVELS: Record<string, string[]> = {
  time: ['year', 'quarter', 'month'],
  geography: ['territory', 'country', 'city'],
  product: ['product_line', 'product_code'],
  customer: ['customer_name'],
  status: ['status'],
  deal_size: ['deal_size'],
};

/** The rows a state keeps, as a WHERE condition over `stg`. */
export function whereSql(state: FilterState): string {
  const conditions = ['true'];
  if (state.from) conditions.push(`order_date >= DATE ${quote(state.from)}`);
  if (state.to) conditions.push(`order_date <= DATE ${quote(state.to)}`);
  for (const [column, members] of Object.entries(state.members)) {
    conditions.push(members.length ? `${column} in (${members.map(quote).join(', ')})` : 'false');
  }
  for (const [dimension, path] of Object.entries(state.drill)) {
    path.forEach((member, depth) => conditions.push(`${LEVELS[dimension]![depth]}::VARCHAR = ${quote(member)}`));
  }
  // Cancelled orders are left out unless the viewer chose statuses.
  if (!state.members.status) conditions.push(`status is distinct from 'Cancelled'`);
  return conditions.join(' and ');
}

/** Every measure; sums of no rows are 0 (SQL says NULL), average order value is NULL without orders. */
export const FIGURES_SQL = `
  coalesce(round(sum(sales), 2), 0)::DOUBLE as revenue,
  count(distinct order_number)::DOUBLE as orders,
  round(round(sum(sales), 2) / nullif(count(distinct order_number), 0), 2)::DOUBLE as aov,
  count(distinct customer_name)::DOUBLE as customers,
  coalesce(sum(quantity), 0)::DOUBLE as units,
  count(*)::DOUBLE as lines`;

export const MEASURES = ['revenue', 'orders', 'aov', 'customers', 'units', 'lines'];

export type SliceRow = Record<string, string | number | null>;
export const sortedRows = (rows: SliceRow[]) => rows.map((r) => JSON.stringify(r)).sort();

/** Rows of a pre-built slice file at given depths: level columns as text, measures as numbers. */
export async function sliceRows(db: Db, file: string, columns: string[], depths: Record<string, number>): Promise<SliceRow[]> {
  const where = Object.entries(depths).map(([column, depth]) => `${column} = ${depth}`).join(' and ');
  return db.rows<SliceRow>(`select ${columns.map((c) => `${c}::VARCHAR as ${c}`).join(', ')}, ${MEASURES.map((m) => `${m}::DOUBLE as ${m}`).join(', ')}
    from read_parquet('${file}') where ${where}`);
}

/** Independent: the clean rows grouped by the chosen levels, every other level column NULL. */
export async function sqlSliceRows(db: Db, columns: string[], grouped: string[], where: string): Promise<SliceRow[]> {
  const select = columns.map((c) => (grouped.includes(c) ? `${c}::VARCHAR as ${c}` : `NULL::VARCHAR as ${c}`)).join(', ');
  const groupBy = grouped.length ? `group by ${grouped.join(', ')}` : '';
  return db.rows<SliceRow>(`select ${select}, ${FIGURES_SQL} from stg where ${where} ${groupBy}`);
}

export async function sqlTotals(db: Db, state: FilterState): Promise<Figures> {
  const [row] = await db.rows<Figures>(`select ${FIGURES_SQL} from stg where ${whereSql(state)}`);
  return row!;
}

/** Every measure per member of one column, sorted by member. */
export async function sqlGroups(db: Db, state: FilterState, column: string): Promise<{ key: string; figures: Figures }[]> {
  const rows = await db.rows<Figures & { key: string }>(
    `select ${column}::VARCHAR as key, ${FIGURES_SQL} from stg where ${whereSql(state)} group by all order by key`,
  );
  return rows.map(({ key, ...figures }) => ({ key, figures }));
}
