/**
 * The cars pages in cube mode, cheaply: the bundled cars file through the cars declaration with browserRows and the
 * cell count lowered (the same levels are left out as for the 558,837-row file: week, model year, age, state, model,
 * trim, seller), then the real Astro build over those outputs. Every dashboard page renders in Chromium with no
 * console error and states its precision; the tiles equal DuckDB over the mart (medians of values rounded to $100),
 * before and after a filter set through the filter bar; a chart of a level the cells left out shows the slice's
 * exact unfiltered figures (DuckDB over the whole mart) and says that filters do not apply.
 */
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cars } from '../../pipeline/datasets/cars/dataset.ts';
import { defineDataset, loadDataset } from '../../pipeline/datasets/index.ts';
import type { Db } from '../../pipeline/duckdb.ts';
import type { BrowserCube } from '../../src/lib/contract/manifest.ts';
import { emptyState, type FilterState } from '../../src/lib/filter-state.ts';
import { launchChromium } from '../helpers/browser.ts';
import { CAR_FIGURES_SQL, CARS_CSV, carsWhere } from '../helpers/cars-mart.ts';
import { openPage, pick, ready } from '../helpers/page.ts';
import { independentDb, readJson, run, tempDir } from '../helpers/pipeline.ts';
import { siteOver } from '../helpers/site.ts';
import { serve } from '../helpers/server.ts';

const RESOLUTION = 100;
// The cube's medians are of values rounded to the resolution; its dates are the sale's month.
const CUBE_FIGURES = CAR_FIGURES_SQL.replace(/median\((\w+)\)/g, `median(round($1 / ${RESOLUTION})::INTEGER * ${RESOLUTION})`);
const cubeWhere = (s: FilterState) => carsWhere(s).replace(/sale_date ([<>]=)/g, 'month_start $1');
const TILES = ['units', 'revenue', 'median_price', 'median_spread', 'share_above_mmr'];
const PAGES = ['/cars/', '/cars/makes/', '/cars/price-drivers/', '/cars/regions/', '/cars/sellers/', '/cars/explorer/'];

let site: string;
let cube: BrowserCube;
let server: Awaited<ReturnType<typeof serve>>;
let browser: Browser;
let db: Db;

beforeAll(async () => {
  const outDir = tempDir('salescube-cube-out-');
  const base = loadDataset('cars');
  const dataset = defineDataset({ ...cars, browserRows: 10_000, cube: { timeGrain: 'month', cells: 4_000, medianResolution: RESOLUTION } }, base.modelsDir);
  await run([CARS_CSV], { dataset, outDir });
  cube = readJson<{ browserCube: BrowserCube }>(join(outDir, 'data', 'cars', 'manifest.json')).browserCube;
  site = siteOver(outDir);
  server = await serve(site);
  browser = await launchChromium();
  db = await independentDb();
  await db.run(`create view mart as select *, date_trunc('month', sale_date)::DATE as month_start from read_parquet('${join(site, 'data/cars/mart_sales.parquet')}')`);
}, 120_000);
afterAll(async () => {
  await browser?.close();
  await server?.close();
});

const tiles = (page: Page) =>
  page.$$eval('[data-tile] [data-raw]', (els) =>
    Object.fromEntries(els.map((e) => [e.closest('[data-tile]')!.getAttribute('data-tile'), e.getAttribute('data-raw') === 'null' ? null : Number(e.getAttribute('data-raw'))])),
  );
const expected = async (s: FilterState) => {
  const [row] = await db.rows<Record<string, number | null>>(`select ${CUBE_FIGURES} from mart where ${cubeWhere(s)}`);
  return Object.fromEntries(TILES.map((t) => [t, row![t]]));
};

describe('cars pages on cube cells', () => {
  it('leaves out the levels the 558k build leaves out', () => {
    expect(cube.leftOut.map((l) => l.column).sort()).toEqual(['age_years', 'model', 'model_year', 'seller', 'state_name', 'trim', 'week']);
  });

  it.each(PAGES)('%s renders with no console error and states its precision', async (path) => {
    const { page, errors, violations } = await openPage(browser, server.url + path);
    expect(errors).toEqual([]);
    expect(await violations()).toEqual([]);
    const note = await page.locator('[data-scale-note="page"]').innerText();
    expect(note).toContain('dates to the month');
    expect(note).toContain('medians to the nearest $100');
    // No panel charts a left-out level from the cells.
    const live = await page.evaluate(() => window.salescube!.panels.map((p) => JSON.stringify(p.def)));
    for (const def of live) for (const { column } of cube.leftOut) expect(def).not.toContain(`"${column}"`);
    await page.close();
  });

  it('tiles equal DuckDB over the mart, unfiltered and for a make picked in the filter bar', async () => {
    const { page } = await openPage(browser, `${server.url}/cars/`);
    expect(await tiles(page)).toEqual(await expected(emptyState()));
    await pick(page, 'make', ['Ford', 'Toyota']);
    await ready(page);
    expect(await tiles(page)).toEqual(await expected({ ...emptyState(), members: { make: ['Ford', 'Toyota'] } }));
    await page.close();
  });

  it('the states chart comes from the state slice: every state over all cars, as DuckDB, marked unfiltered', async () => {
    const { page } = await openPage(browser, `${server.url}/cars/regions/`);
    const panel = page.locator('section:has(#by-state-title)');
    expect(await panel.getAttribute('data-chart-static')).toBe('slice');
    expect(await panel.locator('[data-scale-note]').innerText()).toContain('filters do not apply');
    const shown = await panel.locator('[data-chart-table] tbody tr').evaluateAll((trs) => trs.map((tr) => [tr.children[0]!.textContent, Number(tr.children[1]!.textContent!.replace(/,/g, ''))]));
    const sql = await db.rows<{ key: string; units: number }>(`select state_name as key, count(*)::INTEGER as units from mart group by all order by units desc, key`);
    expect(shown).toEqual(sql.map((r) => [r.key, r.units]));
    await page.close();
  });
});
