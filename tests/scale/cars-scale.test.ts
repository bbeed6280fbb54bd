/**
 * The cars pipeline at the full public file's size: a generated 558,837-row file (bench/generators/cars.ts, a fixed
 * seed) goes through `run`. Every row read is loaded, rejected with one of the expected reasons, or an exact
 * duplicate; the rejects by rule and the KPIs equal independent SQL over the generated CSV with the dataset's rules
 * written out by hand. The site over those outputs keeps every page's first load light, and a filter on a column
 * the pages' cells leave out fetches that column's detail: its figures equal DuckDB over the mart.
 */
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { tableFromIPC } from 'apache-arrow';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateFile } from '../../bench/generators/index.ts';
import { loadDataset } from '../../pipeline/datasets/index.ts';
import type { Db } from '../../pipeline/duckdb.ts';
import { independentDb, manifestOf, readJson, run, tempDir, type Run } from '../helpers/pipeline.ts';
import { carsTotals, carsWhere, rawCarsKpisSql } from '../helpers/cars-mart.ts';
import { mulberry32 } from '../helpers/filter-states.ts';
import { clickMark, openPage, pick, ready } from '../helpers/page.ts';
import { servedSite, SHOTS, siteOver } from '../helpers/site.ts';
import { emptyState, type FilterState } from '../../src/lib/filter-state.ts';

const ROWS = 558_837;
const SEED = 558;
const dir = tempDir('salescube-cars-scale-');
const csv = join(dir, 'car_prices_558k.csv');

let result: Run;
let db: Db;

beforeAll(async () => {
  await generateFile({ dataset: 'cars', rows: ROWS, seed: SEED, out: csv });
  result = await run([csv], { dataset: loadDataset('cars') });
  // Line numbers added by hand, so that "the first row of a key is kept" can be said in SQL.
  const lines = readFileSync(csv, 'utf8').split('\r\n');
  if (lines.at(-1) === '') lines.pop();
  const numbered = join(dir, 'numbered.csv');
  writeFileSync(numbered, [`${lines[0]},line`, ...lines.slice(1).map((l, i) => `${l},${i + 2}`)].join('\n'));
  db = await independentDb();
  // The dataset's rules, each row classified by the first one it breaks, in the order the README gives them: the
  // VIN's form, then ranges (prices and MMR of at least 100, odometer ≥ 0), then the transmission row rule.
  await db.run(`create table classified as
    select *, strptime(substr(saledate, 5, 11), '%b %d %Y')::DATE as day, case
        when vin is null or not regexp_full_match(vin, '[A-Za-z0-9]{17}') then 'pattern'
        when mmr::DOUBLE < 100 or sellingprice::DOUBLE < 100 or odometer::DOUBLE < 0 then 'range'
        when transmission is not null and lower(transmission) not in ('automatic', 'manual') then 'transmission_known'
      end as broken
    from read_csv('${numbered}', header = true, all_varchar = true)`);
  // Of the rows that pass them, the first of each (VIN, day) is kept; a later one is an exact duplicate when
  // every cell is the same, a key conflict otherwise.
  const cells = 'list_value(year, make, model, trim, body, transmission, vin, state, condition, odometer, color, interior, seller, mmr, sellingprice, saledate)::VARCHAR';
  await db.run(`create table keyed as
    select *, row_number() over w as nth, first_value(${cells}) over w = ${cells} as same
    from classified where broken is null
    window w as (partition by vin, day order by line::INTEGER)`);
}, 240_000);

// About 1 GB of input, copies, outputs and the work folder: not left behind in the temp folder.
afterAll(() => {
  db?.close();
  for (const path of [dir, result?.outDir, result?.workDir]) if (path) rmSync(path, { recursive: true, force: true });
});

describe('cars at 558,837 rows', () => {
  it('accounts for every row read: loaded, rejected with a reason, or an exact duplicate', () => {
    const { totals, files } = result.quality;
    expect(totals.read).toBe(ROWS);
    expect(totals.read).toBe(totals.loaded + totals.rejected + totals.duplicates);
    expect(files).toHaveLength(1);
    for (const f of files) expect(f.read).toBe(f.loaded + f.rejected + f.duplicates);
    expect(result.quality.checks.every((c) => c.passed)).toBe(true);
  });

  it('rejects only for the expected reasons, as many as independent SQL finds', async () => {
    const byRule: Record<string, number> = {};
    for (const r of result.quality.reasons) byRule[`${r.rule} ${r.column}`] = (byRule[`${r.rule} ${r.column}`] ?? 0) + r.rows;
    const [want] = await db.rows(`
      select
        (select count(*) from classified where broken = 'pattern')::INTEGER as "pattern vin",
        (select count(*) from classified where broken = 'range' and mmr::DOUBLE < 100)::INTEGER as "range mmr",
        (select count(*) from classified where broken = 'range' and mmr::DOUBLE >= 100 and sellingprice::DOUBLE < 100)::INTEGER as "range sellingprice",
        (select count(*) from classified where broken = 'transmission_known')::INTEGER as "transmission_known transmission",
        (select count(*) from keyed where nth > 1 and not same)::INTEGER as "unique_key vin, saledate",
        (select count(*) from keyed where nth > 1 and same)::INTEGER as duplicates`);
    const { duplicates, ...rejects } = want!;
    expect(byRule).toEqual(rejects);
    expect(result.quality.totals.duplicates).toBe(duplicates);
    // Every quirk the generator adds is there to be rejected.
    for (const [rule, rows] of Object.entries(rejects)) expect(rows, rule).toBeGreaterThan(0);
  });

  it('KPIs equal independent SQL over the generated CSV with the same rules', async () => {
    const [want] = await db.rows(`
      with kept as (select * from keyed where nth = 1)
      ${rawCarsKpisSql('kept')}`);
    const kpis = readJson(join(result.outDir, 'api', 'cars', 'kpis.json'));
    const { from, to, ...measures } = want!;
    expect(measures.units).toBe(result.quality.totals.loaded);
    expect(kpis.period).toEqual({ from, to });
    expect(kpis.measures).toEqual(measures);
  });
});

describe('cars at 558,837 rows: the site', () => {
  let site: string;
  let mart: Db;
  beforeAll(async () => {
    site = siteOver(result.outDir);
    mart = await independentDb();
    await mart.run(`create view mart as select * from read_parquet('${join(result.outDir, 'data', 'cars', 'mart_sales.parquet')}')`);
  }, 300_000);
  afterAll(() => mart?.close());
  const served = servedSite(() => site);
  const details = () => manifestOf(result.outDir, 'cars').details;

  /** Every request's body, gzipped, from now on; and the cells files among them. */
  const watch = (page: Page) => {
    const bodies: Promise<number>[] = [];
    const cells: string[] = [];
    page.on('response', (r) => {
      if (r.url().includes('/pages/')) cells.push(r.url());
      bodies.push(r.body().then((b) => gzipSync(b).length, () => 0));
    });
    return { cells, gzip: async () => (await Promise.all(bodies)).reduce((a, b) => a + b, 0) };
  };

  it.each(['', 'makes/', 'price-drivers/', 'regions/', 'sellers/', 'forecast/', 'drivers/', 'explorer/'])('/cars/%s loads under 300 KB gzip, fetching no cells unless they are small', async (path) => {
    const { page, errors } = await openPage(served.browser, `${served.url}/cars/${path}`);
    const seen = watch(page);
    await page.reload({ waitUntil: 'networkidle' });
    expect(await seen.gzip()).toBeLessThanOrEqual(300_000);
    // Cells of 60 KB or less are fetched at load (a page whose filters and measure are few, as the Forecast page's).
    const data = manifestOf(result.outDir, 'cars').pages.find((p) => p.page === path)!;
    expect(seen.cells.map((url) => new URL(url).pathname)).toEqual(data.prefetch ? data.files.map((f) => `/data/cars/${f.path}`) : []);
    expect(errors).toEqual([]);
    await page.close();
  });

  it('leaves filter columns out of the pages\' cells and splits them into details by member', () => {
    // What this test is about: at this size the filter bar's columns do not all fit the pages' cells, nor a make's
    // models (a drill).
    expect(details().map((d) => d.column)).toEqual(expect.arrayContaining(['body', 'make']));
    for (const d of details()) for (const f of Object.values(d.members)) expect(f.gzip, f.path).toBeLessThanOrEqual(500_000);
  });

  /** The quantile bins a median column's cells count by (the detail's file metadata). */
  const edges = (column: string) => {
    const d = details()[0]!;
    const table = tableFromIPC(readFileSync(join(result.outDir, 'data', 'cars', Object.values(d.members)[0]!.path)));
    return JSON.parse(table.schema.fields.find((f) => f.name === `__hist_${column}`)!.metadata.get('edges')!) as number[];
  };
  /** The band an estimated median must lie in: from the bin of the lower middle value to the end of the upper's. */
  async function medianBand(state: FilterState, column: string): Promise<[number, number]> {
    const middles = await mart.rows<{ v: number }>(`select v from (select ${column}::DOUBLE as v, row_number() over (order by ${column}) as r, count(*) over () as n
      from mart where ${carsWhere(state)}) where r in ((n + 1) // 2, n // 2 + 1) order by v`);
    const e = edges(column);
    const bin = (v: number) => Math.max(0, Math.min(e.length - 2, e.findLastIndex((x) => x <= v)));
    return [e[bin(middles[0]!.v)]!, e[bin(middles.at(-1)!.v) + 1]!];
  }
  const tiles = (page: Page) =>
    page.$$eval('[data-tile] [data-raw]', (els) => Object.fromEntries(els.map((e) => [e.closest('[data-tile]')!.getAttribute('data-tile')!, Number(e.getAttribute('data-raw'))])));
  async function expectFigures(page: Page, state: FilterState) {
    const want = await carsTotals(mart, state);
    const shown = await tiles(page);
    for (const name of ['units', 'revenue', 'share_above_mmr']) expect(shown[name], name).toBe(want[name]);
    for (const [name, column] of [['median_price', 'selling_price'], ['median_spread', 'spread']] as const) {
      const [lo, hi] = await medianBand(state, column);
      expect(shown[name], `${name} ≈ within [${lo}, ${hi}]`).toBeGreaterThanOrEqual(lo - 0.005);
      expect(shown[name], `${name} ≈ within [${lo}, ${hi}]`).toBeLessThanOrEqual(hi + 0.005);
    }
    // A chart too: cars sold over time, at the grain it shows.
    const trend = await page.evaluate(() => {
      const panel = window.salescube!.panels.find((p) => p.def.kind === 'trend' && p.def.measure === 'units')!;
      return { grain: (panel.def as { grain: string }).grain, rows: panel.data!.rows };
    });
    const periods = await mart.rows<{ key: string; value: number }>(`select ${trend.grain} as key, count(*)::DOUBLE as value from mart where ${carsWhere(state)} group by 1 order by 1`);
    expect(trend.rows.filter((r) => r.value).map((r) => ({ key: r.key, value: r.value }))).toEqual(periods);
  }

  it('a filter on a left-out column, through the bar, fetches its members\' cells (under 500 KB) and shows figures equal to DuckDB', async () => {
    const random = mulberry32(SEED);
    const overview = manifestOf(result.outDir, 'cars').pages.find((p) => p.page === '')!;
    for (const [i, d] of details().filter((d) => !overview.columns.includes(d.column)).entries()) {
      const members = Object.keys(d.members);
      const member = members[Math.floor(random() * members.length)]!;
      const { page, errors } = await openPage(served.browser, `${served.url}/cars/`);
      const seen = watch(page);
      await pick(page, d.column, [member]);
      await ready(page);
      expect(await page.evaluate(() => window.salescube!.state.members)).toEqual({ [d.column]: [member] });
      // The member's file, or its lean variant when the page shows none of the columns only the full one has.
      const file = [d.lean?.members[member], d.members[member]!].find((f) => f && seen.cells.at(-1)!.endsWith(f.path));
      expect(file, `${d.column}: ${seen.cells.at(-1)}`).toBeDefined();
      expect(file!.gzip).toBeLessThanOrEqual(500_000);
      await expectFigures(page, { ...emptyState(), members: { [d.column]: [member] } });
      if (i === 0) {
        await page.screenshot({ path: join(SHOTS, 'cars-558k-detail-1280.png') });
        await page.setViewportSize({ width: 375, height: 800 });
        await page.screenshot({ path: join(SHOTS, 'cars-558k-detail-375.png') });
      }
      expect(errors).toEqual([]);
      await page.close();
    }
  });

  it('a click on a make drills into its models: the make\'s detail is fetched, and the models\' figures equal DuckDB', async () => {
    const { page, errors } = await openPage(served.browser, `${served.url}/cars/makes/`);
    const seen = watch(page);
    const bar = page.locator('[data-chart*="vehicle-units"] [data-member]').nth(2);
    const make = (await bar.getAttribute('data-member'))!;
    await clickMark(bar);
    await ready(page);
    const state = { ...emptyState(), drill: { vehicle: [make] } };
    expect(await page.evaluate(() => window.salescube!.state)).toEqual(state);
    const file = details().find((d) => d.column === 'make')!.members[make]!;
    expect(seen.cells).toEqual([expect.stringContaining(file.path)]);
    expect(file.gzip).toBeLessThanOrEqual(500_000);
    await expectFigures(page, state);
    const chart = await page.evaluate(() => window.salescube!.panels.find((p) => p.def.id === 'vehicle-units')!.data!);
    expect(chart.level!.column).toBe('model');
    const models = await mart.rows<{ key: string; value: number }>(`select model as key, count(*)::DOUBLE as value from mart where ${carsWhere(state)} and model is not null group by 1`);
    const units = new Map(models.map((m) => [m.key, m.value]));
    expect(chart.rows.length).toBe(Math.min(20, models.length));
    for (const row of chart.rows) expect(row.value, row.key).toBe(units.get(row.key));
    // The top 20: none left out has more.
    expect(Math.max(0, ...models.filter((m) => !chart.rows.some((r) => r.key === m.key)).map((m) => m.value))).toBeLessThanOrEqual(Math.min(...chart.rows.map((r) => r.value!)));
    await page.screenshot({ path: join(SHOTS, 'cars-558k-drill-1280.png') });
    expect(errors).toEqual([]);
    await page.close();
  });

  it('a shared link with a make and a left-out column shows that member\'s figures; one a detail cannot combine is said and dropped', async () => {
    const [first, second] = details();
    const member = Object.keys(first!.members)[0]!;
    const make = (await mart.rows<{ make: string }>(`select make from mart where ${first!.column}::VARCHAR = '${member.replaceAll("'", "''")}' group by 1 order by count(*) desc limit 1`))[0]!.make;
    const members: FilterState['members'] = { make: [make], [first!.column]: [member] };
    if (second && !first!.columns.includes(second.column)) members[second.column] = [Object.keys(second.members)[0]!];
    const params = new URLSearchParams(Object.entries(members).flatMap(([c, ms]) => ms.map((m) => [c, m])));
    const { page, errors } = await openPage(served.browser, `${served.url}/cars/?${params}`);
    await ready(page);
    const applied = { ...emptyState(), members: { make: [make], [first!.column]: [member] } };
    expect(await page.evaluate(() => window.salescube!.state)).toEqual(applied);
    await expectFigures(page, applied);
    if (members[second?.column ?? '']) expect(await page.locator('[data-status]').textContent()).toMatch(/not applied together with/);
    expect(errors).toEqual([]);
    await page.close();
  });
});
