/**
 * Medians, exactly as DuckDB computes them: the browser engine's median price, MMR and price − MMR (and every other
 * cars measure) equal DuckDB's median() over the cars mart for seeded random filter states, in total and grouped;
 * the pipeline's SQL medians in the cube slices equal independent queries; and the median and rounding rules hold on
 * the cases where a careless version would differ (even counts, negative halves).
 */
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { chartData } from '../../src/lib/charts/definitions.ts';
import { emptyState, type FilterState } from '../../src/lib/filter-state.ts';
import { roundMeasure } from '../../src/lib/measure-round.ts';
import { isoWeekLabel, periodStart } from '../../src/lib/periods.ts';
import { groupBy, matchingRows, median, totals } from '../../src/lib/query.ts';
import { openDb } from '../../pipeline/duckdb.ts';
import { buildMedianCounts, medianSql } from '../../pipeline/cube/medians.ts';
import { slicePairs } from '../../pipeline/cube/slices.ts';
import { loadDataset } from '../../pipeline/datasets/index.ts';
import { carsGroups, carsMart, carsTotals, carsUniverse, randomCarsState, type CarsMart } from '../helpers/cars-mart.ts';
import { mulberry32 } from '../helpers/filter-states.ts';
import { Mismatches } from '../helpers/mismatches.ts';

const SEED = 20250701;
const STATES = 150;

let mart: CarsMart;
let states: FilterState[];

beforeAll(async () => {
  mart = await carsMart();
  const universe = await carsUniverse(mart);
  const random = mulberry32(SEED);
  states = Array.from({ length: STATES }, () => randomCarsState(random, universe));
});

const byKey = <T extends { key: string }>(xs: T[]) => [...xs].sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));

describe('median()', () => {
  it.each([
    [[], null],
    [[7], 7],
    [[3, 1, 2], 2],
    [[4, 1, 3, 2], 2.5],
    [[-3, -8], -5.5],
    [[0.1, 0.7], 0.39999999999999997],
    [[5, 5, 5, 9], 5],
  ])('of %j is %s', (values, expected) => {
    expect(median([...values])).toBe(expected);
  });

  it('equals DuckDB median() over doubles for 2,000 random groups, even and odd counts', async () => {
    const db = await openDb();
    const random = mulberry32(SEED);
    const groups = Array.from({ length: 2000 }, () => Array.from({ length: 1 + Math.floor(random() * 6) }, () => Math.round((random() * 2e5 - 1e5)) / 100 / (random() < 0.3 ? 7 : 1)));
    await db.run('create table v (g INTEGER, x DOUBLE)');
    await db.run(`insert into v values ${groups.flatMap((xs, g) => xs.map((x) => `(${g}, ${x})`)).join(', ')}`);
    const sql = await db.rows<{ g: number; m: number; r: number }>('select g, median(x) as m, round(median(x), 2) as r from v group by g order by g');
    expect(sql.map((r) => [median([...groups[r.g]!]), roundMeasure(median([...groups[r.g]!])!, 'currency')])).toEqual(sql.map((r) => [r.m, r.r]));
  });
});

describe('medians from value counts (the cube slices)', () => {
  it('equal median() for every grouping set of 3,000 random rows: repeated values, even counts, missing members', async () => {
    const db = await openDb();
    const random = mulberry32(SEED + 1);
    const pick = <T,>(xs: T[]) => xs[Math.floor(random() * xs.length)]!;
    // Few groups and few distinct values, so that values repeat within groups; some members missing (NULL).
    const rows = Array.from({ length: 3000 }, () => [pick(['a', 'b', 'c', null]), pick([1, 2, 3, 4, 5, 6, 7, null]), pick([-12.5, -0.01, 0, 0.1, 0.7, 3.33, 99999.99, 1e6])] as const);
    await db.run('create table r (a VARCHAR, b INTEGER, x DECIMAL(18, 2))');
    await db.run(`insert into r values ${rows.map(([a, b, x]) => `(${a === null ? 'NULL' : `'${a}'`}, ${b ?? 'NULL'}, ${x})`).join(', ')}`);
    await db.run('create table counts as select a, b, x::DOUBLE as v, count(*) as n from r group by all');
    for (const set of [[], ['a'], ['b'], ['a', 'b']]) {
      const keys = set.map((c) => `${c}, `).join('');
      const counted = await db.rows(`select ${keys}value from (${medianSql('counts', set)}) order by all`);
      const direct = await db.rows(`select ${keys}median(x::DOUBLE) as value from r group by all order by all`);
      expect(counted, `grouped by (${set.join(', ')})`).toEqual(direct);
    }
  });
});

describe('the grain values are counted by', () => {
  it('is the slice\'s finest while its counts are few, else a coarser one, whose sets read their medians off it', async () => {
    const db = await openDb();
    // 800 rows: `a` of 4 members, `b` a member per row (as fine as the rows), each median column of a few values.
    await db.run('create table r as select i % 4 as a, i as b, (i % 5 * 100)::DECIMAL(18, 2) as selling_price, (i % 7)::DECIMAL(18, 2) as mmr, (i % 3)::DECIMAL(18, 2) as spread from range(800) t(i)');
    const spec = loadDataset('cars').spec;
    const fine = await buildMedianCounts(db, spec, [['a'], ['a', 'b']], 'r', 'true');
    expect(fine.columns).toEqual(['a']);
    await fine.drop();
    const coarse = await buildMedianCounts(db, spec, [['a', 'b'], ['a']], 'r', 'true');
    expect(coarse.columns).toEqual(['a']);
    expect([...coarse.tables.keys()]).toEqual(['selling_price', 'mmr', 'spread']);
    const counted = await db.rows(`select a, value from (${medianSql(coarse.tables.get('selling_price')!, ['a'])}) order by a`);
    expect(counted).toEqual(await db.rows('select a, median(selling_price::DOUBLE) as value from r group by a order by a'));
    await coarse.drop();
    const none = await buildMedianCounts(db, spec, [['a', 'b'], ['b']], 'r', 'true');
    expect([none.columns, none.tables.size]).toEqual([[], 0]);
  });
});

describe('roundMeasure', () => {
  it.each([
    [-0.125, 'currency', -0.13],
    [0.125, 'currency', 0.13],
    [-2.5, 'integer', -3],
    [0.45125, 'percent', 0.4513],
    [1.005, 'currency', 1],
  ] as const)('%s as %s is %s, as DuckDB round() gives', async (value, format, expected) => {
    expect(roundMeasure(value, format)).toBe(expected);
    const db = await openDb();
    const digits = format === 'integer' ? 0 : format === 'percent' ? 4 : 2;
    const [row] = await db.rows<{ r: number }>(`select round(${value}::DOUBLE, ${digits}) as r`);
    expect(row!.r).toBe(expected);
  });
});

describe('cars: browser engine equals DuckDB', () => {
  it(`totals and group-bys, medians included, for ${STATES} random states`, async () => {
    const { table, engine, db } = mart;
    const mismatches = new Mismatches();
    const compare = (state: FilterState, what: string, browser: unknown, sql: unknown) => mismatches.compare({ state }, what, browser, sql);
    let nonEmpty = 0;
    for (const state of states) {
      const rows = matchingRows(table, engine, state);
      if (rows.length) nonEmpty++;
      compare(state, 'totals', totals(table, rows, engine.measures), await carsTotals(db, state));
      for (const column of ['body', 'condition_band', 'week', 'age_years']) {
        const browser = groupBy(table, rows, [column], engine.measures).map((g) => ({ key: g.keys[0]!, figures: g.figures }));
        compare(state, `by ${column}`, byKey(browser), byKey(await carsGroups(db, state, column)));
      }
    }
    mismatches.expectNone(2);
    expect(nonEmpty).toBeGreaterThan(STATES * 0.4);
    expect(nonEmpty).toBeLessThan(STATES);
  });

  it('a drill chart of median price shows the next level down, ranked, as SQL', async () => {
    const { table, engine, db } = mart;
    const state: FilterState = { ...emptyState(), drill: { vehicle: ['Ford'] } };
    const data = chartData({ kind: 'drill', id: 'd', title: 'd', measure: 'median_price', dimension: 'vehicle' }, table, matchingRows(table, engine, state), engine, state);
    const sql = await db.rows<{ key: string; value: number }>(`select model as key, median(selling_price)::DOUBLE as value from mart where make = 'Ford' group by 1 order by value desc, key`);
    expect(data.level!.column).toBe('model');
    expect(data.rows).toEqual(sql.map((r) => ({ key: r.key, value: r.value })));
  });
});

describe('cars: SQL medians in the slices', () => {
  const slice = (name: string) => `read_parquet('${join(mart.outDir, 'data', 'cars', `${name}.parquet`)}')`;

  it('cube_condition: every band and the total equal median() over the mart', async () => {
    const { db } = mart;
    const shown = await db.rows(`select depth, condition_band, median_price, median_mmr, median_spread, share_above_mmr from ${slice('cube_condition')} order by depth, condition_band`);
    const expected = await db.rows(`
      select (1 - grouping(condition_band))::INTEGER as depth, condition_band, median(selling_price)::DOUBLE as median_price, median(mmr)::DOUBLE as median_mmr,
        median(spread)::DOUBLE as median_spread, round(count(*) filter (where selling_price > mmr) / count(*), 4)::DOUBLE as share_above_mmr
      from mart group by rollup (condition_band) order by depth, condition_band`);
    expect(shown).toEqual(expected);
    expect(shown).toHaveLength(7);
  });

  it('cube_vehicle__odometer: make × odometer band medians equal median() over the mart', async () => {
    const { db } = mart;
    const shown = await db.rows(`select make, odometer_band, median_price, median_spread from ${slice('cube_vehicle__odometer')}
      where depth_vehicle = 1 and depth_odometer = 1 order by make, odometer_band`);
    const expected = await db.rows(`select make, odometer_band, median(selling_price)::DOUBLE as median_price, median(spread)::DOUBLE as median_spread
      from mart group by all order by make, odometer_band`);
    expect(shown.length).toBeGreaterThan(50);
    expect(shown).toEqual(expected);
  });
});

describe('cars: every median of every slice', () => {
  it('equals median() over the mart, in every slice and pair slice, at every depth (value counts or median(), as the cube picked)', async () => {
    const { db, outDir } = mart;
    const { spec } = loadDataset('cars');
    const medians = spec.measures.filter((m) => m.agg === 'median').map((m) => [m.name, (m as { column: string }).column] as const);
    const files = readdirSync(join(outDir, 'data', 'cars')).filter((f) => /^cube_.*\.parquet$/.test(f));
    expect(files.length).toBe(spec.dimensions.length + slicePairs(spec).length);
    let compared = 0;
    for (const file of files) {
      const names = file.replace(/^cube_|\.parquet$/g, '').split('__');
      const dimensions = names.map((n) => spec.dimensions.find((d) => d.name === n)!);
      const depthColumn = (i: number) => (names.length === 1 ? 'depth' : `depth_${names[i]}`);
      const from = `read_parquet('${join(outDir, 'data', 'cars', file)}')`;
      const depths = await db.rows<{ d: number[] }>(`select distinct [${names.map((_, i) => depthColumn(i)).join(', ')}] as d from ${from}`);
      for (const { d } of depths) {
        const set = dimensions.flatMap((dim, i) => dim.levels.slice(0, d[i]).map((l) => `"${l.column}"`));
        const keys = set.map((c) => `${c}, `).join('');
        const where = names.map((_, i) => `${depthColumn(i)} = ${d[i]}`).join(' and ');
        const shown = await db.rows(`select ${keys}${medians.map(([name]) => `"${name}"`).join(', ')} from ${from} where ${where} order by all`);
        const expected = await db.rows(`select ${keys}${medians.map(([name, column]) => `round(median("${column}"::DOUBLE), 2) as "${name}"`).join(', ')} from mart group by all order by all`);
        expect(shown, `${file} at depths ${d.join(', ')}`).toEqual(expected);
        compared += shown.length;
      }
    }
    expect(compared).toBeGreaterThan(20_000);
  });
});

describe('cars: bands and weeks', () => {
  it('condition and odometer bands hold their values, and week labels are the ISO weeks the browser computes', async () => {
    const { db } = mart;
    const [bands] = await db.rows<{ bad_condition: number; bad_odometer: number }>(`select
      count(*) filter (where condition_band <> case when condition_grade is null then 'Unknown' when condition_grade = 5 then '5'
        else floor(condition_grade)::INTEGER || '–' || floor(condition_grade)::INTEGER || '.9' end)::INTEGER as bad_condition,
      count(*) filter (where odometer_band <> case when odometer is null then 'Unknown' when odometer < 25000 then '0–25k' when odometer < 50000 then '25–50k'
        when odometer < 100000 then '50–100k' when odometer < 150000 then '100–150k' else '150k+' end)::INTEGER as bad_odometer
      from mart`);
    expect(bands).toEqual({ bad_condition: 0, bad_odometer: 0 });
    const weeks = await db.rows<{ day: Date; week: string }>('select distinct sale_date as day, week from mart order by day');
    expect(weeks.map((w) => isoWeekLabel(w.day))).toEqual(weeks.map((w) => w.week));
    for (const w of weeks) expect(periodStart(w.week).getTime()).toBeLessThanOrEqual(w.day.getTime());
  });
});
