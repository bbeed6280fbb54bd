/**
 * The cars dataset (Kaggle "Used Car Auction Prices"): the bundled 19,999 rows go through the real pipeline with
 * every row accounted for; each known quirk of the source, on crafted rows, is rejected with its reason or loaded
 * normalised; and the KPIs equal independent SQL over the raw CSV with the same exclusions.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { cars } from '../../pipeline/datasets/cars/dataset.ts';
import { defineDataset, loadDataset } from '../../pipeline/datasets/index.ts';
import type { Db } from '../../pipeline/duckdb.ts';
import { independentDb, readJson, run, sharedRun, tempDir, tempFile, type Run } from '../helpers/pipeline.ts';
import { rawCarsKpisSql } from '../helpers/cars-mart.ts';

const CSV = 'data/car_prices.csv';
const HEADER = 'year,make,model,trim,body,transmission,vin,state,condition,odometer,color,interior,seller,mmr,sellingprice,saledate';
const PST = 'Tue Dec 16 2014 12:30:00 GMT-0800 (PST)';

/** Crafted rows, one quirk each; `line` is the row's line in the file (the header is line 1). */
const CRAFTED = [
  `2015,Kia,Sorento,LX,SUV,automatic,5xyktca69fg566472,ca,5,16639,white,black,kia motors america  inc,20500,21500,${PST}`,
  // Shifted columns, as in the full file: the body in trim/transmission, 'automatic' where the VIN belongs.
  `2015,Kia,Sorento,,Navitgation,SUV,automatic,5xyktca69fg000001,ca,41,white,black,kia motors america inc,21000,21500,${PST}`,
  `2014,Ford,Fusion,SE,Sedan,Sedan,3fa6p0h72er000002,fl,35,20000,black,gray,ford motor credit company llc,13000,12900,${PST}`,
  `2002,Ford,F-350 Super Duty,XLT,Crew Cab,,1ftsw31f52e000003,ca,2,,white,gray,laa leasing,7850,1,Thu Feb 05 2015 04:00:00 GMT-0800 (PST)`,
  `2001,Chrysler,Sebring,LX,Convertible,automatic,1c3el45u71n000004,ca,1,223707,blue,gray,purple heart services inc,25,300,${PST}`,
  `2012,ford,Escape,XLT,suv,Automatic,1fmcu0d70cu000005,ON,35,51000,—,—,ford motor credit company llc,14000,14500,${PST}`,
  `2013,Ford,Escape,SE,SUV,manual,1fmcu0gx0du000006,Ca,4,30000,silver,black,kia motors america inc,15000,15600,Tue Jun 30 2015 20:30:00 GMT-0700 (PDT)`,
  `2013,Ford,Escape,SE,SUV,automatic,1fmcu0gx0du000007,xx,,30000,silver,black,kia motors   america inc,15000,15500,Tue Dec 16 2014 23:30:00 GMT-0800 (PST)`,
  // The same car sold again on another day: a second sale.
  `2013,Ford,Escape,SE,SUV,automatic,1fmcu0gx0du000007,xx,,30100,silver,black,kia motors america inc,15000,15300,Wed Jan 14 2015 10:00:00 GMT-0800 (PST)`,
  // The same car on the same day with other values: a conflict, the first row is kept.
  `2013,Ford,Escape,SE,SUV,automatic,1fmcu0gx0du000007,xx,,30000,silver,black,kia motors america inc,15000,9999,Tue Dec 16 2014 23:30:00 GMT-0800 (PST)`,
  `2011,Honda,Accord,EX,Sedan,automatic,1hgcp2f80ba000008,ca,3,-5,red,black,honda financial services,9000,9500,${PST}`,
];
const line = (vinEnd: string) => 2 + CRAFTED.findIndex((r) => r.includes(vinEnd));

let db: Db, bundled: Pick<Run, 'outDir' | 'quality'>, crafted: Run;
const mart = (r: Pick<Run, 'outDir'>) => `read_parquet('${join(r.outDir, 'data', 'cars', 'mart_sales.parquet')}')`;

beforeAll(async () => {
  db = await independentDb();
  bundled = sharedRun('cars');
  // A dozen crafted rows, half of them bad: the threshold is lifted so that the build goes on to the models.
  const lenient = defineDataset({ ...cars, thresholds: { maxRejectedPct: 100 } }, loadDataset('cars').modelsDir);
  crafted = await run([tempFile('cars.csv', `${[HEADER, ...CRAFTED].join('\r\n')}\r\n`)], { dataset: lenient });
}, 120_000);

describe('cars: the bundled file', () => {
  it('takes aliases only for a declared string column', () => {
    const declare = (aliases: Record<string, Record<string, string>>) => () => defineDataset({ ...cars, aliases }, loadDataset('cars').modelsDir);
    expect(declare({ odometer: { '0': '1' } })).toThrow(/aliases\.odometer: aliases apply to a declared string column, and "odometer" is an integer/);
    expect(declare({ brand: { vw: 'volkswagen' } })).toThrow(/"brand" is not declared/);
  });

  it('conforms the makes the source spells otherwise, and lists each alias with the rows it moved', async () => {
    const aliases = Object.entries(cars.aliases!.make!);
    // Independent SQL over the raw CSV: the rows of each alias (ignoring case); none of the seven rejects has one.
    const moved = await db.rows<{ alias: string; rows: number }>(`
      select lower(trim(make)) as alias, count(*)::INTEGER as rows from read_csv('${CSV}', all_varchar = true)
      where lower(trim(make)) in (${aliases.map(([a]) => `'${a}'`).join(', ')})
      group by 1 order by rows desc, alias`);
    expect(bundled.quality.aliases.map((a) => ({ alias: a.alias, rows: a.rows }))).toEqual(moved);
    expect(bundled.quality.aliases.map((a) => a.alias)).toEqual(['mercedes', 'landrover', 'dodge tk', 'gmc truck', 'mazda tk']);
    // The mart's makes are one per member: no alias is a make, and each member's sales count equals the CSV's
    // rows of its spellings, less the rejected lines (every record of the file is one line).
    const makes = await db.rows<{ make: string; n: number }>(`select lower(make) as make, count(*)::INTEGER as n from ${mart(bundled)} group by 1`);
    const byMake = new Map(makes.map((m) => [m.make, m.n]));
    for (const [alias] of aliases) expect(byMake.has(alias), alias).toBe(false);
    const raw = await db.rows<{ make: string; n: number }>(`
      select coalesce(${`case lower(trim(make)) ${aliases.map(([a, v]) => `when '${a}' then '${v}'`).join(' ')} end`}, lower(trim(make))) as make, count(*)::INTEGER as n
      from (select *, row_number() over () + 1 as line from read_csv('${CSV}', all_varchar = true))
      where lower(trim(make)) in ('land rover', 'landrover', 'mercedes', 'mercedes-benz', 'dodge', 'dodge tk', 'gmc', 'gmc truck', 'mazda', 'mazda tk')
        and line not in (select line from read_parquet('${join(bundled.outDir, 'data', 'cars', 'rejects.parquet')}'))
      group by 1`);
    for (const { make, n } of raw) expect(byMake.get(make), make).toBe(n);
  });

  it('loads through the real pipeline with every row accounted for', () => {
    const { totals, files, reasons, checks } = bundled.quality;
    expect(totals).toMatchObject({ read: 19_999, loaded: 19_992, rejected: 7, duplicates: 0 });
    for (const f of files) expect(f.read).toBe(f.loaded + f.rejected + f.duplicates);
    const byRule = Object.fromEntries(['range', 'unique_key'].map((rule) => [rule, reasons.filter((r) => r.rule === rule).reduce((n, r) => n + r.rows, 0)]));
    expect(byRule).toEqual({ range: 3, unique_key: 4 });
    expect(checks.every((c) => c.passed)).toBe(true);
    for (const file of ['pages/overview-0.arrow', 'pages/explorer-0.arrow', 'dim_state.parquet', 'cube_vehicle.parquet', 'cube_state.parquet', 'cube_vehicle.arrow']) {
      expect(existsSync(join(bundled.outDir, 'data', 'cars', file)), file).toBe(true);
    }
  });

  it('KPIs equal independent SQL over the raw CSV with the same exclusions', async () => {
    // Line numbers added by hand, so that "the first row of a key is kept" can be said in SQL.
    const text = readFileSync(CSV, 'utf8').split('\r\n').filter((l) => l !== '');
    const numbered = tempFile('numbered.csv', [`${text[0]},line`, ...text.slice(1).map((l, i) => `${l},${i + 2}`)].join('\n'));
    await db.run(`create table raw_cars as select * from read_csv('${numbered}', header = true, all_varchar = true)`);
    const [want] = await db.rows(`
      with valid as (
        select *, strptime(substr(saledate, 5, 11), '%b %d %Y')::DATE as day
        from raw_cars where sellingprice::DOUBLE >= 100 and mmr::DOUBLE >= 100
      ),
      kept as (select * from valid qualify row_number() over (partition by vin, day order by line::INTEGER) = 1)
      ${rawCarsKpisSql('kept')}`);
    const kpis = readJson(join(bundled.outDir, 'api', 'cars', 'kpis.json'));
    const { from, to, ...measures } = want!;
    expect(kpis.period).toEqual({ from, to });
    expect(kpis.measures).toEqual(measures);
    expect(kpis.unfiltered).toEqual(measures);
  });

  it('merges spellings, upper-cases states and collapses seller spaces', async () => {
    const [counts] = await db.rows(`select count(distinct make)::INTEGER as makes, count(distinct lower(make))::INTEGER as lower_makes,
      count(distinct body)::INTEGER as bodies, count(distinct lower(body))::INTEGER as lower_bodies,
      count(*) filter (where seller like '%  %')::INTEGER as doubled, count(*) filter (where state_code <> upper(state_code))::INTEGER as lower_states,
      count(*) filter (where condition_grade > 5 or condition_grade < 1)::INTEGER as off_scale
      from ${mart(bundled)}`);
    expect(counts).toMatchObject({ doubled: 0, lower_states: 0, off_scale: 0 });
    expect(counts!.makes).toBe(counts!.lower_makes);
    expect(counts!.bodies).toBe(counts!.lower_bodies);
    const states = await db.rows(`select state_code, state_name, region from read_parquet('${join(bundled.outDir, 'data', 'cars', 'dim_state.parquet')}')
      where state_code in ('CA', 'ON', 'PR') order by state_code`);
    expect(states).toEqual([
      { state_code: 'CA', state_name: 'California', region: 'West' },
      { state_code: 'ON', state_name: 'Ontario', region: 'Canada' },
      { state_code: 'PR', state_name: 'Puerto Rico', region: 'Puerto Rico' },
    ]);
  });
});

describe('cars: each quirk on crafted rows', () => {
  it('rejects a shifted row, a body as transmission, prices under 100, a negative odometer and a conflicting key', () => {
    const rejects = crafted.quality.rejects.map(({ line, column, value, reason }) => ({ line, column, value, reason }));
    expect(rejects).toEqual([
      { line: line('000001'), column: 'vin', value: 'automatic', reason: 'not a 17-character VIN' },
      { line: line('000002'), column: 'transmission', value: 'Sedan', reason: 'not an accepted value (expected automatic or manual, in any case)' },
      { line: line('000003'), column: 'sellingprice', value: '1', reason: 'below the minimum of 100' },
      { line: line('000004'), column: 'mmr', value: '25', reason: 'below the minimum of 100' },
      {
        line: line('000007') + 2,
        column: 'vin, saledate',
        value: '1fmcu0gx0du000007, 2014-12-16',
        reason: `duplicate key: line ${line('000007')} has the same vin, saledate with other values`,
      },
      { line: line('000008'), column: 'odometer', value: '-5', reason: 'below the minimum of 0' },
    ]);
    expect(crafted.quality.totals).toMatchObject({ read: 11, loaded: 5, rejected: 6, duplicates: 0 });
  });

  it('loads the rest normalised: dates as written, one condition scale, states, spellings, sellers, missing colors', async () => {
    const rows = await db.rows(`select vin, sale_date::VARCHAR as sale_date, make, body, transmission, state_code, state_name, region, seller,
        color, interior, condition_grade::DOUBLE as condition_grade, age_years, spread::DOUBLE as spread
      from ${mart(crafted)} order by vin, sale_date`);
    const kia = 'kia motors america inc';
    expect(rows).toEqual([
      { vin: '1fmcu0d70cu000005', sale_date: '2014-12-16', make: 'Ford', body: 'SUV', transmission: 'automatic', state_code: 'ON', state_name: 'Ontario', region: 'Canada', seller: 'ford motor credit company llc', color: null, interior: null, condition_grade: 3.5, age_years: 2, spread: 500 },
      // PDT, 20:30 on June 30: the local date, although it is July 1 in UTC.
      { vin: '1fmcu0gx0du000006', sale_date: '2015-06-30', make: 'Ford', body: 'SUV', transmission: 'manual', state_code: 'CA', state_name: 'California', region: 'West', seller: kia, color: 'silver', interior: 'black', condition_grade: 4, age_years: 2, spread: 600 },
      // PST, 23:30: still December 16. An unknown state code keeps its code.
      { vin: '1fmcu0gx0du000007', sale_date: '2014-12-16', make: 'Ford', body: 'SUV', transmission: 'automatic', state_code: 'XX', state_name: 'XX', region: 'Other', seller: kia, color: 'silver', interior: 'black', condition_grade: null, age_years: 1, spread: 500 },
      { vin: '1fmcu0gx0du000007', sale_date: '2015-01-14', make: 'Ford', body: 'SUV', transmission: 'automatic', state_code: 'XX', state_name: 'XX', region: 'Other', seller: kia, color: 'silver', interior: 'black', condition_grade: null, age_years: 2, spread: 300 },
      { vin: '5xyktca69fg566472', sale_date: '2014-12-16', make: 'Kia', body: 'SUV', transmission: 'automatic', state_code: 'CA', state_name: 'California', region: 'West', seller: kia, color: 'white', interior: 'black', condition_grade: 5, age_years: -1, spread: 1000 },
    ]);
    const sellers = await db.rows(`select seller from read_parquet('${join(crafted.outDir, 'data', 'cars', 'dim_seller.parquet')}') order by seller`);
    expect(sellers.map((s) => s.seller)).toEqual(['ford motor credit company llc', kia]);
  });
});

describe('cars: the command line', () => {
  it('`run --dataset cars` writes the outputs', () => {
    const out = tempDir('salescube-cars-cli-');
    const r = spawnSync(join('node_modules', '.bin', 'node'), ['pipeline/cli.ts', 'run', '--dataset', 'cars', '--out', out, '--work', tempDir()], {
      encoding: 'utf8',
      env: { ...process.env, CI: 'true' },
    });
    expect(r.status, r.stderr).toBe(0);
    expect(JSON.parse(r.stdout.trim().split('\n').pop()!)).toMatchObject({ dataset: 'cars', read: 19_999, loaded: 19_992, rejected: 7 });
    expect(existsSync(join(out, 'api', 'cars', 'kpis.json'))).toBe(true);
  }, 60_000);
});
