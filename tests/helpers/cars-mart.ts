/**
 * The bundled cars data's mart as the browser loads it (Arrow file → FactTable), beside an independent DuckDB view
 * `mart` over the mart's Parquet, hand-written SQL for a filter state, and seeded random filter states. The SQL is
 * written for the tests, not taken from the pipeline.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { tableFromIPC } from 'apache-arrow';
import { inject } from 'vitest';
import { loadDataset } from '../../pipeline/datasets/index.ts';
import type { Db } from '../../pipeline/duckdb.ts';
import { dayToIso, factTableFromArrow, type FactTable } from '../../src/lib/fact-table.ts';
import { emptyState, type FilterState } from '../../src/lib/filter-state.ts';
import type { EngineSpec, Figures } from '../../src/lib/query.ts';
import { independentDb, pageCells } from './pipeline.ts';

export const CARS_CSV = 'data/car_prices.csv';

export interface CarsMart {
  table: FactTable;
  engine: EngineSpec;
  /** Independent DuckDB with a view `mart` over mart_sales.parquet. */
  db: Db;
  outDir: string;
}

/** The bundled cars file's mart, from the run's shared outputs. */
export async function carsMart(): Promise<CarsMart> {
  const outDir = inject('outputs');
  const dir = join(outDir, 'data', 'cars');
  const table = pageCells(outDir, 'cars');
  const { spec } = loadDataset('cars');
  const db = await independentDb();
  await db.run(`create view mart as select * from read_parquet('${join(dir, 'mart_sales.parquet')}')`);
  return { table, engine: { measures: spec.measures, dimensions: spec.dimensions, timeDimension: spec.timeDimension }, db, outDir };
}

const quote = (v: string) => `'${v.replaceAll("'", "''")}'`;

/** Hierarchy levels, top down, as columns of the mart. */
export const CAR_LEVELS: Record<string, string[]> = {
  time: ['year', 'quarter', 'month', 'week'],
  vehicle: ['make', 'model', 'trim'],
  state: ['region', 'state_name'],
};

/** The rows a state keeps, as a WHERE condition over `mart` (cars has no default filter). */
export function carsWhere(state: FilterState): string {
  const conditions = ['true'];
  if (state.from) conditions.push(`sale_date >= DATE ${quote(state.from)}`);
  if (state.to) conditions.push(`sale_date <= DATE ${quote(state.to)}`);
  for (const [column, members] of Object.entries(state.members)) {
    conditions.push(members.length ? `${column}::VARCHAR in (${members.map(quote).join(', ')})` : 'false');
  }
  for (const [dimension, path] of Object.entries(state.drill)) {
    path.forEach((member, depth) => conditions.push(`${CAR_LEVELS[dimension]![depth]}::VARCHAR = ${quote(member)}`));
  }
  return conditions.join(' and ');
}

/**
 * The KPIs over the kept rows of a raw cars file (text columns, `day` the sale date): every measure as below,
 * and the period.
 */
export const rawCarsKpisSql = (kept: string) => `
  select ${CAR_FIGURES_SQL}, min(day)::VARCHAR as "from", max(day)::VARCHAR as "to"
  from (select * replace (mmr::DOUBLE as mmr), sellingprice::DOUBLE as selling_price, sellingprice::DOUBLE - mmr::DOUBLE as spread from ${kept})`;

/** Every cars measure, as DuckDB computes it: median() for the medians, sums of no rows 0, ratios null without rows. */
export const CAR_FIGURES_SQL = `
  count(*)::DOUBLE as units,
  coalesce(round(sum(selling_price), 2), 0)::DOUBLE as revenue,
  round(round(sum(selling_price), 2) / nullif(count(*), 0), 2)::DOUBLE as avg_price,
  median(selling_price)::DOUBLE as median_price,
  coalesce(round(sum(mmr), 2), 0)::DOUBLE as mmr_total,
  median(mmr)::DOUBLE as median_mmr,
  coalesce(round(sum(spread), 2), 0)::DOUBLE as spread_total,
  round(round(sum(spread), 2) / nullif(count(*), 0), 2)::DOUBLE as avg_spread,
  median(spread)::DOUBLE as median_spread,
  count(*) filter (where selling_price > mmr)::DOUBLE as above_mmr_units,
  round(count(*) filter (where selling_price > mmr) / nullif(count(*), 0), 4)::DOUBLE as share_above_mmr`;

export async function carsTotals(db: Db, state: FilterState): Promise<Figures> {
  const [row] = await db.rows<Figures>(`select ${CAR_FIGURES_SQL} from mart where ${carsWhere(state)}`);
  return row!;
}

export async function carsGroups(db: Db, state: FilterState, column: string): Promise<{ key: string; figures: Figures }[]> {
  const rows = await db.rows<Figures & { key: string }>(`select ${column}::VARCHAR as key, ${CAR_FIGURES_SQL} from mart where ${carsWhere(state)} group by all order by key`);
  return rows.map(({ key, ...figures }) => ({ key, figures }));
}

const FILTERED = ['make', 'body', 'region', 'state_name', 'transmission', 'condition_band', 'odometer_band', 'seller', 'model_year', 'age_years'] as const;

export interface CarsUniverse {
  members: Record<string, string[]>;
  models: Record<string, string[]>;
  first: number;
  last: number;
}

export async function carsUniverse({ db, table }: CarsMart): Promise<CarsUniverse> {
  const members: CarsUniverse['members'] = {};
  for (const column of FILTERED) members[column] = (await db.rows<{ v: string }>(`select distinct ${column}::VARCHAR as v from mart order by v`)).map((r) => r.v);
  const models = Object.fromEntries((await db.rows<{ p: string; c: string[] }>(`select make as p, list(distinct model order by model) as c from mart group by 1`)).map((r) => [r.p, r.c]));
  return { members, models, first: Math.min(...table.days), last: Math.max(...table.days) };
}

/** A seeded random state: date ranges (most of the data is Dec 2014–Feb 2015), member lists, a vehicle or state drill. */
export function randomCarsState(random: () => number, u: CarsUniverse): FilterState {
  const chance = (p: number) => random() < p;
  const pick = <T>(xs: T[]) => xs[Math.floor(random() * xs.length)]!;
  const some = (xs: string[], max: number) => {
    const pool = [...xs];
    return Array.from({ length: 1 + Math.floor(random() * Math.min(max, pool.length)) }, () => pool.splice(Math.floor(random() * pool.length), 1)[0]!);
  };
  const state = emptyState();
  if (chance(0.4)) {
    const day = () => dayToIso(u.first - 10 + Math.floor(random() * (u.last - u.first + 20)));
    state.from = chance(0.8) ? day() : null;
    state.to = chance(0.8) ? day() : null;
    if (state.from && state.to && state.from > state.to && chance(0.7)) [state.from, state.to] = [state.to, state.from];
  }
  for (const column of FILTERED) {
    if (!chance(column === 'seller' || column === 'state_name' ? 0.1 : 0.18)) continue;
    state.members[column] = chance(0.05) ? [] : some(u.members[column]!, column === 'seller' ? 20 : 4);
  }
  if (chance(0.25)) {
    const make = pick(u.members.make!);
    state.drill.vehicle = chance(0.5) ? [make] : [make, pick(u.models[make]!)];
  }
  if (chance(0.15)) state.drill.state = [pick(['West', 'South', 'Midwest', 'Northeast', 'Canada'])];
  return state;
}
