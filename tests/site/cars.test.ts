/**
 * The cars pages of the built site in real Chromium: every page loads cleanly, with nothing axe-core finds against
 * WCAG 2.1 AA, at desktop and phone width (and in dark mode); filters set through the UI, a click on the states map,
 * a drill into a make and the sellers table give figures equal to independent DuckDB queries over the cars mart,
 * medians included; the nav switches datasets and leads to the price check; the quality page states the modelling
 * rules.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { beforeAll, describe, expect, it } from 'vitest';
import type { Db } from '../../pipeline/duckdb.ts';
import { emptyState, type FilterState } from '../../src/lib/filter-state.ts';
import { CAR_FIGURES_SQL, carsWhere } from '../helpers/cars-mart.ts';
import { clickMark, expectAccessible, expectCleanAtWidths, openPage, pick, ready, type OpenOptions } from '../helpers/page.ts';
import { independentDb } from '../helpers/pipeline.ts';
import { servedSite, SHOTS } from '../helpers/site.ts';

const served = servedSite();
let db: Db;

beforeAll(async () => {
  db = await independentDb();
  await db.run(`create view mart as select * from read_parquet('${join(served.dir, 'data/cars/mart_sales.parquet')}')`);
});
const open = (path: string, options: OpenOptions = {}) => openPage(served.browser, served.url + path, options);
const state = (members: Record<string, string[]> = {}, drill: Record<string, string[]> = {}): FilterState => ({ ...emptyState(), members, drill });

const TILES = ['units', 'revenue', 'median_price', 'median_spread', 'share_above_mmr'];

async function expectedFigures(s: FilterState, column?: string) {
  const rows = await db.rows<Record<string, number | string | null>>(
    `select ${column ? `${column}::VARCHAR as key, ` : ''}${CAR_FIGURES_SQL} from mart where ${carsWhere(s)}${column ? ' group by all' : ''}`,
  );
  return rows;
}

async function shownTiles(page: Page) {
  return page.$$eval('[data-tile] [data-raw]', (els) =>
    Object.fromEntries(els.map((e) => [e.closest('[data-tile]')!.getAttribute('data-tile'), e.getAttribute('data-raw') === 'null' ? null : Number(e.getAttribute('data-raw'))])),
  );
}

/** The tiles, and every unlimited bar chart by a column (each member's value), equal SQL for the state. */
async function expectFigures(page: Page, s: FilterState) {
  await ready(page);
  const [total] = await expectedFigures(s);
  expect(await shownTiles(page)).toEqual(Object.fromEntries(TILES.map((t) => [t, total![t]])));
  const panels = await page.evaluate(() => window.salescube!.panels.filter((p) => p.def.kind === 'bars').map((p) => ({ def: p.def, rows: p.data!.rows })));
  let compared = 0;
  for (const { def, rows } of panels) {
    if (def.kind !== 'bars' || def.limit) continue;
    const sql = await expectedFigures(s, def.column);
    expect(rows.map((r) => [r.key, r.value]).sort(), def.id).toEqual(sql.map((r) => [r.key, r[def.measure]]).sort());
    compared++;
  }
  return compared;
}

const PAGES = ['/cars/', '/cars/makes/', '/cars/price-drivers/', '/cars/regions/', '/cars/sellers/', '/cars/forecast/', '/cars/drivers/', '/cars/explorer/', '/cars/quality/', '/cars/downloads/', '/cars/about/'];

describe('every cars page', () => {
  it.each(PAGES)('%s loads cleanly and fits at desktop and phone width', async (path) => {
    const opened = await open(path, { axe: true });
    await expectCleanAtWidths(opened, path.replaceAll('/', '_'), { dataset: 'Used cars', current: path });
    await opened.page.close();
  });

  it.each(['/cars/', '/cars/regions/'])('%s in dark mode uses the dark theme, with enough contrast', async (path) => {
    const { page, errors } = await open(path, { colorScheme: 'dark', axe: true });
    await page.screenshot({ path: join(SHOTS, `${path.replaceAll('/', '_')}-dark.png`), fullPage: true });
    expect(errors).toEqual([]);
    expect(await page.evaluate(() => getComputedStyle(document.body).backgroundColor)).toBe('rgb(15, 19, 24)');
    await expectAccessible(page);
    await page.close();
  });
});

describe('navigation', () => {
  it('the dataset switch leads from sales to cars and back, and the cars nav links the price check', async () => {
    const { page } = await open('/');
    expect(await page.locator('.dataset-switch [aria-current="true"]').textContent()).toBe('Sales');
    await page.locator('.dataset-switch a', { hasText: 'Used cars' }).click();
    await page.waitForURL(/\/cars\/$/);
    await ready(page);
    expect(await page.locator('h1').textContent()).toBe('Used-car auctions overview');
    expect(await page.locator('.site-nav a', { hasText: 'Price check' }).getAttribute('href')).toBe('/cars/price/');
    await page.locator('.dataset-switch a', { hasText: 'Sales' }).click();
    await page.waitForURL((url) => url.pathname === '/');
    await page.close();
  });
});

describe('cars filters', () => {
  it('body and transmission through the filter bar: tiles (medians too) and charts equal SQL; reload restores them', async () => {
    const { page, errors } = await open('/cars/');
    await pick(page, 'body', ['SUV', 'Sedan']);
    await pick(page, 'transmission', ['manual']);
    await page.waitForURL(/transmission=manual/);
    const s = state({ body: ['SUV', 'Sedan'], transmission: ['manual'] });
    expect(await expectFigures(page, s)).toBeGreaterThanOrEqual(2);
    await page.reload();
    await ready(page);
    expect(await expectFigures(page, s)).toBeGreaterThanOrEqual(2);
    expect(await page.locator('[data-filter="transmission"] [data-summary]').textContent()).toBe('manual');
    expect(errors).toEqual([]);
    await page.close();
  });

  it('a date range and a condition band on the price drivers page; bands in their own order', async () => {
    const { page } = await open('/cars/price-drivers/');
    await page.locator('[name=from]').fill('2015-01-01');
    await page.locator('[name=to]').fill('2015-01-31');
    await page.locator('[name=to]').dispatchEvent('change');
    await pick(page, 'condition_band', ['3–3.9', '4–4.9']);
    await page.waitForURL(/condition_band=/);
    const s = { ...state({ condition_band: ['3–3.9', '4–4.9'] }), from: '2015-01-01', to: '2015-01-31' };
    expect(await expectFigures(page, s)).toBeGreaterThanOrEqual(3);
    const bands = await page.evaluate(() => window.salescube!.panels.find((p) => p.def.id === 'price-by-odometer')!.data!.rows.map((r) => r.key));
    expect(bands).toEqual(['0–25k', '25–50k', '50–100k', '100–150k', '150k+', 'Unknown'].filter((b) => bands.includes(b)));
    await page.close();
  });

  it('clicking a state on the map filters every figure on it; the back button undoes it', async () => {
    const { page, errors } = await open('/cars/regions/');
    const texas = page.locator('[data-chart*="\\"id\\":\\"state-map\\""] [data-member="Texas"]');
    await texas.click();
    await page.waitForURL(/state_name=Texas/);
    const s = state({ state_name: ['Texas'] });
    expect(await expectFigures(page, s)).toBeGreaterThanOrEqual(1);
    // The map is recoloured for the filter: only Texas has cars left.
    const fills = await page.$$eval('[data-chart*="state-map"] g.countries > path', (paths) => new Set(paths.map((p) => p.getAttribute('fill'))).size);
    expect(fills).toBe(2);
    expect(await page.locator('[data-chips]').textContent()).toContain('State: Texas');
    await page.goBack();
    await page.waitForURL((url) => !url.search.includes('state_name'));
    expect(await expectFigures(page, state())).toBeGreaterThanOrEqual(1);
    expect(errors).toEqual([]);
    await page.close();
  });
});

describe('cars drill-down', () => {
  it('make › model: the median price of each model equals SQL, and the path goes back up', async () => {
    const { page } = await open('/cars/makes/');
    const panel = page.locator('[data-chart*="\\"id\\":\\"vehicle-units\\""]');
    await clickMark(panel.locator('g[aria-label="bar"] rect').first());
    await page.waitForURL(/drill\.vehicle=Ford/);
    await ready(page);
    const price = await page.evaluate(() => window.salescube!.panels.find((p) => p.def.id === 'vehicle-price')!.data!);
    expect(price.level!.column).toBe('model');
    const sql = await db.rows<{ key: string; value: number }>(`select model as key, median(selling_price)::DOUBLE as value from mart where make = 'Ford' group by 1 order by value desc, key limit 20`);
    expect(price.rows).toEqual(sql);
    const [tiles] = await expectedFigures(state({}, { vehicle: ['Ford'] }));
    expect((await shownTiles(page)).median_price).toBe(tiles!.median_price);
    await panel.locator('[data-crumbs] button', { hasText: 'All' }).click();
    await page.waitForURL((url) => !url.search.includes('drill'));
    await page.close();
  });
});

describe('sellers', () => {
  it('the ranked table follows the filters and ranks by the measure chosen, as SQL', async () => {
    const { page } = await open('/cars/sellers/?region=West');
    const table = () => page.evaluate(() => window.rankedTables!.sellers!.map((r) => [r.key, r.figures.units, r.figures.median_spread, r.figures.avg_spread]));
    const sql = async (order: string) =>
      (await db.rows<{ seller: string; units: number; median_spread: number; avg_spread: number }>(`
        select seller, count(*)::DOUBLE as units, median(spread)::DOUBLE as median_spread, round(round(sum(spread), 2) / count(*), 2)::DOUBLE as avg_spread
        from mart where region = 'West' group by 1 order by ${order}, seller limit 25`)).map((r) => [r.seller, r.units, r.median_spread, r.avg_spread]);
    expect(await table()).toEqual(await sql('units desc'));
    await page.selectOption('[data-rank-by]', 'median_spread');
    expect(await table()).toEqual(await sql('median_spread desc'));
    expect(await page.locator('[data-ranked-body] tr').count()).toBe(25);
    await page.close();
  });
});

describe('cars quality page', () => {
  it('states the duplicate-VIN and condition-scale rules as the declaration and models do', async () => {
    const { page } = await open('/cars/quality/');
    const fctComment = readFileSync('pipeline/datasets/cars/models/fct_sales.sql', 'utf8').split('\n').filter((l) => l.startsWith('--')).map((l) => l.replace(/^--\s?/, '').trim()).join(' ');
    expect((await page.locator('[data-model="fct_sales"] dd').textContent())!.trim()).toBe(fctComment);
    expect(fctComment).toMatch(/one row per \(VIN, sale date\)/);
    expect(fctComment).toMatch(/divided by 10/);
    expect(await page.locator('[data-rule="key"]').textContent()).toContain('vin, saledate');
    await page.close();
  });
});

describe('cars pages without JavaScript', () => {
  it.each(['/cars/', '/cars/makes/', '/cars/price-drivers/', '/cars/regions/', '/cars/sellers/'])('%s still shows its charts and figures', async (path) => {
    const { page } = await open(path, { javaScript: false });
    expect(await page.locator('svg.chart-plot').count()).toBeGreaterThan(0);
    const [total] = await expectedFigures(state());
    expect(await shownTiles(page)).toEqual(Object.fromEntries(TILES.map((t) => [t, total![t]])));
    expect(await page.locator('[data-tile="median_price"] [data-value]').textContent()).toBe(`$${(total!.median_price as number).toLocaleString('en-US')}`);
    await page.close();
  });
});
