/**
 * Cube mode: the cars declaration with browserRows and the cell count lowered, so the bundled 19,992 rows go to the
 * browser as cube cells with some levels left out. The engine over the cells (tiles' totals, grouped bars, monthly
 * trends) equals independent DuckDB over the mart's Parquet under seeded random filter states, with the cube's own
 * definitions: dates to the month (a cell is in a date range when its month's first day is), and medians of the values
 * rounded to the declared resolution. A dataset with distinct counts is refused.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { tableFromIPC } from 'apache-arrow';
import { beforeAll, describe, expect, it } from 'vitest';
import { defineDataset, loadDataset } from '../../pipeline/datasets/index.ts';
import { cars } from '../../pipeline/datasets/cars/dataset.ts';
import type { Db } from '../../pipeline/duckdb.ts';
import { cubeRefusal } from '../../pipeline/export/browser-cube.ts';
import type { BrowserCube, Manifest } from '../../src/lib/contract/manifest.ts';
import { factTableFromArrow, type FactTable } from '../../src/lib/fact-table.ts';
import type { FilterState } from '../../src/lib/filter-state.ts';
import { binnedMedian, groupBy, matchingRows, totals, type EngineSpec, type Figures } from '../../src/lib/query.ts';
import { CAR_FIGURES_SQL, CARS_CSV, carsUniverse, carsWhere, randomCarsState } from '../helpers/cars-mart.ts';
import { mulberry32 } from '../helpers/filter-states.ts';
import { independentDb, readJson, run } from '../helpers/pipeline.ts';

const STATES = 80;
const RESOLUTION = 100;
let table: FactTable;
let engine: EngineSpec;
let db: Db;
let cube: BrowserCube;
let states: FilterState[];

// Medians over the values rounded to the resolution, as the browser's histograms hold them.
const FIGURES = CAR_FIGURES_SQL.replace(/median\((\w+)\)/g, `median(round($1 / ${RESOLUTION})::INTEGER * ${RESOLUTION})`);
// The cube's time column is the first day of the sale's month: the date range applies to that day.
const where = (state: FilterState) => carsWhere(state).replace(/sale_date ([<>]=)/g, 'month_start $1');

beforeAll(async () => {
  const base = loadDataset('cars');
  const dataset = defineDataset({ ...cars, browserRows: 10_000, cube: { timeGrain: 'month', cells: 12_000, medianResolution: RESOLUTION } }, base.modelsDir);
  const { outDir } = await run([CARS_CSV], { dataset });
  const dir = join(outDir, 'data', 'cars');
  cube = readJson<{ browserCube: BrowserCube }>(join(dir, 'manifest.json')).browserCube;
  table = factTableFromArrow(tableFromIPC(readFileSync(join(dir, 'mart_sales.arrow'))), 'sale_date');
  engine = { measures: base.spec.measures, dimensions: base.spec.dimensions, timeDimension: base.spec.timeDimension };
  db = await independentDb();
  await db.run(`create view mart as select *, date_trunc('month', sale_date)::DATE as month_start from read_parquet('${join(dir, 'mart_sales.parquet')}')`);
  const universe = await carsUniverse({ db, table, engine, outDir });
  const random = mulberry32(7071);
  // Only the columns the cube kept can be filtered on (the pages offer no others at this scale).
  const kept = new Set(cube.columns);
  states = Array.from({ length: STATES }, () => {
    const s = randomCarsState(random, universe);
    for (const column of Object.keys(s.members)) if (!kept.has(column)) delete s.members[column];
    if (s.drill.vehicle) s.drill.vehicle = s.drill.vehicle.slice(0, 1);
    if (!kept.has('state_name')) delete s.drill.state;
    return s;
  });
}, 120_000);

const sorted = (xs: { key: string; figures: Figures }[]) => [...xs].sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));

describe('cube mode', () => {
  it('writes cells, not rows, and leaves out the levels that do not fit', () => {
    expect(table.weights).toBeDefined();
    expect(cube.rows).toBe(19_992);
    expect(table.length).toBe(cube.cells);
    expect(cube.cells).toBeLessThanOrEqual(12_000);
    expect(cube.columns).toEqual(expect.arrayContaining(['year', 'quarter', 'month', ...cars.filters!]));
    expect(cube.leftOut.map((l) => l.column)).toEqual(expect.arrayContaining(['seller', 'trim']));
    expect(table.weights!.reduce((a, b) => a + b, 0)).toBe(19_992);
  });

  it('totals, grouped bars and monthly trends equal DuckDB over the mart for random filter states', async () => {
    for (const state of states) {
      const rows = matchingRows(table, engine, state);
      const [expected] = await db.rows<Figures>(`select ${FIGURES} from mart where ${where(state)}`);
      expect(totals(table, rows, engine.measures), JSON.stringify(state)).toEqual(expected);
      for (const column of ['make', 'month', 'condition_band']) {
        const want = await db.rows<Figures & { key: string }>(`select ${column}::VARCHAR as key, ${FIGURES} from mart where ${where(state)} group by all`);
        const got = groupBy(table, rows, [column], engine.measures).map((g) => ({ key: g.keys[0]!, figures: g.figures }));
        expect(sorted(got), `${column} ${JSON.stringify(state)}`).toEqual(sorted(want.map(({ key, ...figures }) => ({ key, figures }))));
      }
    }
  }, 60_000);

  it('takes the median of counted rounded values as DuckDB does: middle, or the mean of the two middle ones', () => {
    expect(binnedMedian(Float64Array.from([0, 0]), -3, 100)).toBeNull();
    expect(binnedMedian(Float64Array.from([1, 0, 2]), -1, 100)).toBe(100);
    expect(binnedMedian(Float64Array.from([2, 0, 2]), -1, 100)).toBe(0);
    expect(binnedMedian(Float64Array.from([1, 1]), 5, 50)).toBe(275);
  });

  it('refuses a dataset with distinct counts: cells cannot give them', () => {
    expect(cubeRefusal(loadDataset('sales').spec)).toMatch(/distinct counts \(orders, customers\)/);
    expect(cubeRefusal(loadDataset('cars').spec)).toBeUndefined();
  });

  it('writes no cells, and says why, when the filter bar alone makes more cells than the browser takes rows', async () => {
    // 19,992 rows make 8,862 cells by month and the filter bar's columns: more than 5,000.
    const base = loadDataset('cars');
    const dataset = defineDataset({ ...cars, browserRows: 5_000, cube: { timeGrain: 'month', cells: 4_000, medianResolution: RESOLUTION } }, base.modelsDir);
    const { outDir } = await run([CARS_CSV], { dataset });
    const manifest = readJson<Manifest>(join(outDir, 'data', 'cars', 'manifest.json'));
    expect(manifest.browserRefusal).toMatch(/filter bar's columns by month alone make 8,862 cube cells, more than the 5,000 the browser takes/);
    expect(manifest.arrow.mart_sales).toBeUndefined();
    expect(manifest.browserCube).toBeUndefined();
  });
});
