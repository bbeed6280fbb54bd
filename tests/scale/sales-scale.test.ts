/**
 * The sales dashboards at a million generated order lines (bench/generators/sales.ts, a fixed seed), where the
 * pages' cells group dates by month and leave order numbers out: the build succeeds, every dashboard's first load
 * stays light and fetches no cells, the figures a filter fetches cells for equal DuckDB over the filtered rows
 * (orders counted exactly from first rows, or no figure where that cannot be exact), a failed fetch says so and
 * can be retried, and the pages that cannot list order by order say where the orders are.
 */
import { readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { tableFromIPC } from 'apache-arrow';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateFile } from '../../bench/generators/index.ts';
import type { ForecastFile } from '../../src/lib/contract/analysis.ts';
import { dataPath } from '../../src/lib/contract/paths.ts';
import { slugMap } from '../../src/lib/slug.ts';
import { emptyState, serializeState, snapRange, type FilterState } from '../../src/lib/filter-state.ts';
import { mulberry32, randomState, sampleUniverse } from '../helpers/filter-states.ts';
import { sampleMart, sqlGroups, sqlTotals, type SampleMart } from '../helpers/mart.ts';
import { clickMark, openPage, pick, ready } from '../helpers/page.ts';
import { manifestOf, readJson, tempDir } from '../helpers/pipeline.ts';
import { servedSite, SHOTS, siteOver } from '../helpers/site.ts';

const ROWS = 1_000_000;
const SEED = 1;
const dir = tempDir('salescube-sales-scale-');
let mart: SampleMart;
let site: string;

beforeAll(async () => {
  const csv = join(dir, 'sales-1m.csv');
  await generateFile({ dataset: 'sales', rows: ROWS, seed: SEED, out: csv });
  mart = await sampleMart([csv]);
  site = siteOver(mart.outDir);
}, 600_000);
const served = servedSite(() => site);

afterAll(() => {
  mart?.db.close();
  for (const path of [dir, mart?.outDir]) if (path) rmSync(path, { recursive: true, force: true });
});

const DASHBOARDS = ['/', '/products/', '/customers/', '/geography/', '/orders/', '/explorer/'];

/** The tiles as shown: each tile's raw figure (null where it shows none). */
const shownTiles = (page: Page) =>
  page.$$eval('[data-tile] [data-raw]', (els) =>
    Object.fromEntries(els.map((e) => [e.closest('[data-tile]')!.getAttribute('data-tile')!, e.getAttribute('data-raw') === 'null' ? null : Number(e.getAttribute('data-raw'))])),
  );

/**
 * Whether orders are counted exactly under a state: with no product line or deal size filter (the pages' cells), or
 * with one product line (by the filter or a drill, no product below it) or one deal size and not the other (that
 * member's detail; none kept is counted as none). Orders span product lines and deal sizes: under any other such
 * filter there is no exact route.
 */
function ordersExact(state: FilterState): boolean {
  const line = state.members.product_line ?? state.drill.product?.slice(0, 1);
  const deal = state.members.deal_size;
  if (!line && !deal) return true;
  return !state.drill.product?.[1] && ((line && line.length <= 1 && !deal) || (!line && deal && deal.length <= 1));
}

/** What SQL says of the tiles a page shows; orders (and so average order value) have no figure where not exact. */
async function expectedTiles(state: FilterState, shown: string[]): Promise<Record<string, number | null>> {
  const all = await sqlTotals(mart.db, state);
  return Object.fromEntries(shown.map((name) => [name, !ordersExact(state) && (name === 'orders' || name === 'aov') ? null : (all[name] ?? null)]));
}

describe(`sales at ${ROWS.toLocaleString('en-US')} rows`, () => {
  it.each(DASHBOARDS)('%s loads under 300 KB gzip, fetching no cells', async (path) => {
    const { page, errors } = await openPage(served.browser, served.url + path);
    const bodies: Promise<number>[] = [];
    const urls: string[] = [];
    page.on('response', (r) => {
      urls.push(r.url());
      bodies.push(r.body().then((b) => gzipSync(b).length, () => 0));
    });
    await page.reload({ waitUntil: 'networkidle' });
    const gzip = (await Promise.all(bodies)).reduce((a, b) => a + b, 0);
    expect(gzip).toBeLessThanOrEqual(300_000);
    expect(urls.filter((u) => u.includes('/pages/'))).toEqual([]);
    // Ten-digit figures stay inside their tiles, on a desktop and on a phone.
    for (const width of [1280, 375]) {
      await page.setViewportSize({ width, height: 900 });
      expect(await page.$$eval('.tile .value', (els) => els.filter((e) => e.scrollWidth > e.clientWidth).map((e) => e.textContent)), `${width} px`).toEqual([]);
    }
    expect(errors).toEqual([]);
    await page.close();
  });

  it.each(['/forecast/', '/segments/', '/drivers/'])('%s (an analysis page) loads under 300 KB gzip, with no error', async (path) => {
    const { page, errors } = await openPage(served.browser, served.url + path);
    const bodies: Promise<number>[] = [];
    page.on('response', (r) => bodies.push(r.body().then((b) => gzipSync(b).length, () => 0)));
    await page.reload({ waitUntil: 'networkidle' });
    expect((await Promise.all(bodies)).reduce((a, b) => a + b, 0)).toBeLessThanOrEqual(300_000);
    expect(await page.locator('svg.chart-plot').count()).toBeGreaterThan(0);
    expect(errors).toEqual([]);
    await page.close();
  });

  it('/drivers/ splits the change under a filter from its monthly cells as DuckDB does; a column the cells leave out keeps the default comparison only', async () => {
    const { page, errors } = await openPage(served.browser, `${served.url}/drivers/?country=France`);
    await ready(page);
    await page.waitForFunction(() => !!window.drivers);
    const { spans, result } = await page.evaluate(() => window.drivers!);
    // Whole months: the latest year to date ends with the last whole month.
    expect(spans.current.from.endsWith('-01-01') && spans.previous.from.endsWith('-01-01')).toBe(true);
    const rows = await mart.db.rows<{ member: string; before: number; after: number }>(`
      select product_line as member,
        coalesce(round(sum(sales) filter (where order_date between DATE '${spans.previous.from}' and DATE '${spans.previous.to}'), 2), 0)::DOUBLE as before,
        coalesce(round(sum(sales) filter (where order_date between DATE '${spans.current.from}' and DATE '${spans.current.to}'), 2), 0)::DOUBLE as after
      from stg where country = 'France' and status <> 'Cancelled' group by 1`);
    const byLine = result.by.find((b) => b.column === 'product_line')!;
    const shown = byLine.members.map((m) => [m.member, m.values.revenue![0], m.values.revenue![1]]).sort();
    expect(shown).toEqual(rows.map((r) => [r.member, r.before, r.after]).sort());
    const leftOut = manifestOf(mart.outDir, 'sales').pages.find((p) => p.page === 'drivers/')!.leftOut.map((l) => l.column);
    for (const column of ['product_line', 'country', 'customer_name', 'deal_size']) {
      const section = page.locator(`[data-by="${column}"]`);
      expect(await section.locator('[data-by-body]').isVisible(), column).toBe(!leftOut.includes(column));
      expect(await section.locator('[data-default-only]').count(), column).toBe(leftOut.includes(column) ? 1 : 0);
    }
    expect(errors).toEqual([]);
    await page.close();
  });

  it('forecasts from every full month, long enough to trust, each month’s revenue as DuckDB sums it', async () => {
    const file = readJson<ForecastFile>(join(mart.outDir, 'api/sales/forecast.json'));
    const overall = file.series[0]!;
    expect(file.months.length).toBeGreaterThanOrEqual(36);
    expect(overall.trusted).toBe(true);
    expect(overall.backtest!.origins).toHaveLength(12);
    const months = await mart.db.rows<{ month: string; revenue: number }>(
      `select month, round(sum(sales), 2)::DOUBLE as revenue from stg where status <> 'Cancelled' and month < '${file.latest.month}' group by 1 order by 1`,
    );
    expect(file.months).toEqual(months.map((m) => m.month));
    expect(overall.history).toEqual(months.map((m) => m.revenue));
  });

  it('reads one file of cells on every page but the Forecast page: their cells are the same rows, grouped by columns that name each other', () => {
    const all = manifestOf(mart.outDir, 'sales').pages;
    // The Forecast page's cells are fewer: the primary measure by month and the filter bar's columns only.
    const forecast = all.find((p) => p.page === 'forecast/')!;
    const pages = all.filter((p) => p !== forecast);
    expect(forecast.cells).toBeLessThan(pages[0]!.cells);
    expect(forecast.files[0]!.gzip).toBeLessThan(pages[0]!.files[0]!.gzip);
    // A customer's city and country, a month's year: the pages' columns differ, their cells do not.
    expect(new Set(pages.map((p) => JSON.stringify(p.columns))).size).toBeGreaterThan(1);
    expect(new Set(pages.flatMap((p) => p.files.map((f) => f.path)))).toEqual(new Set([pages[0]!.files[0]!.path]));
    const file = tableFromIPC(readFileSync(join(mart.outDir, dataPath('sales', pages[0]!.files[0]!.path))));
    for (const page of pages) {
      expect(file.schema.fields.map((f) => f.name), page.page).toEqual(expect.arrayContaining(page.columns));
      expect(file.numRows, page.page).toBe(page.cells);
    }
  });

  it('figures for seeded random filter states, opened as shared links, equal DuckDB over the filtered rows', async () => {
    const universe = await sampleUniverse(mart);
    const random = mulberry32(SEED);
    for (let i = 0; i < 12; i++) {
      // What the page offers at this size: dates to the month.
      const state = snapRange(randomState(random, universe), 'month');
      for (const path of ['/', '/geography/']) {
        const link = `${path}?${serializeState(state)}`;
        const { page, errors } = await openPage(served.browser, served.url + link);
        await ready(page);
        // The overview has every level a link can name; another page applies the filters its cells can (a drill
        // into years is dropped where the cells have months only), and its figures are of the state it shows.
        const applied = await page.evaluate(() => window.salescube!.state);
        if (path === '/') expect(applied, link).toEqual(state);
        const shown = await shownTiles(page);
        expect(shown, link).toEqual(await expectedTiles(applied, Object.keys(shown)));
        expect(errors).toEqual([]);
        await page.close();
      }
    }
  });

  it("one product line's orders are counted exactly from its detail, and a drill into it shows its products as DuckDB does", async () => {
    const { page, errors } = await openPage(served.browser, served.url + '/products/');
    const cells: string[] = [];
    page.on('request', (r) => r.url().includes('/pages/') && cells.push(r.url()));
    const bar = page.locator('[data-chart*="product-revenue"] [data-member]').first();
    const line = (await bar.getAttribute('data-member'))!;
    await clickMark(bar);
    await ready(page);
    const state = { ...emptyState(), drill: { product: [line] } };
    expect(await page.evaluate(() => window.salescube!.state)).toEqual(state);
    expect(cells).toEqual([expect.stringMatching(/\/pages\/by-product_line\/\d+\.arrow$/)]);
    const shown = await shownTiles(page);
    expect(shown.orders).not.toBeNull();
    expect(shown).toEqual(await expectedTiles(state, Object.keys(shown)));
    const chart = await page.evaluate(() => window.salescube!.panels.find((p) => p.def.id === 'product-revenue')!.data!);
    expect(chart.level!.column).toBe('product_code');
    const products = await sqlGroups(mart.db, state, 'product_code');
    expect(chart.rows.map((r) => [r.key, r.value]).sort()).toEqual(products.map((p) => [p.key, p.figures.revenue]).sort());
    await page.screenshot({ path: join(SHOTS, 'sales-1m-drill-1280.png') });

    // Two product lines through the bar (the drill stays): the pages' cells again, and no exact count of orders
    // spanning them.
    const other = (await sqlGroups(mart.db, emptyState(), 'product_line')).map((g) => g.key).find((k) => k !== line)!;
    await pick(page, 'product_line', [line, other]);
    await ready(page);
    const two = await page.evaluate(() => window.salescube!.state);
    expect((await shownTiles(page)).orders).toBeNull();
    expect(await shownTiles(page)).toEqual(await expectedTiles(two, Object.keys(await shownTiles(page))));
    expect(errors).toEqual([]);
    await page.close();
  });

  it("a product line filter on a page that shows no product codes reads the line's lean detail, with the same figures", async () => {
    const { page, errors } = await openPage(served.browser, served.url + '/customers/');
    const cells: string[] = [];
    page.on('request', (r) => r.url().includes('/pages/') && cells.push(r.url()));
    const line = (await sqlGroups(mart.db, emptyState(), 'product_line'))[0]!.key;
    await pick(page, 'product_line', [line]);
    await ready(page);
    // Every file the clicks on the way fetched is a lean one, the last that line's.
    const lean = manifestOf(mart.outDir, 'sales').details.find((d) => d.column === 'product_line')!.lean!;
    expect(cells.every((url) => /\/pages\/by-product_line\/lean-\d+\.arrow$/.test(url)), cells.join(' ')).toBe(true);
    expect(cells.at(-1)).toMatch(new RegExp(`${lean.members[line]!.path}$`));
    const state = await page.evaluate(() => window.salescube!.state);
    expect(state.members).toEqual({ product_line: [line] });
    const shown = await shownTiles(page);
    expect(shown.orders).not.toBeNull();
    expect(shown).toEqual(await expectedTiles(state, Object.keys(shown)));
    expect(errors).toEqual([]);
    await page.close();
  });

  it('a failed fetch says so in the page, keeps the figures before, and a retry shows the filtered figures', async () => {
    const { page } = await openPage(served.browser, served.url + '/');
    await page.screenshot({ path: join(SHOTS, 'sales-1m-before-fetch-1280.png'), fullPage: false });
    const before = await shownTiles(page);
    await page.route('**/pages/**', (route) => route.fulfill({ status: 503, body: 'down' }));
    await pick(page, 'territory', ['EMEA']);
    const status = page.locator('[data-status]');
    await expect.poll(() => status.getAttribute('data-state')).toBe('failed');
    expect(await status.textContent()).toMatch(/could not be updated.*503/);
    expect(await shownTiles(page)).toEqual(before);
    await page.screenshot({ path: join(SHOTS, 'sales-1m-failed-fetch-1280.png'), fullPage: false });

    await page.unroute('**/pages/**');
    await page.locator('[data-retry]').click();
    await ready(page);
    expect(await status.isHidden()).toBe(true);
    const state = { ...emptyState(), members: { territory: ['EMEA'] } };
    const shown = await shownTiles(page);
    expect(shown).toEqual(await expectedTiles(state, Object.keys(shown)));
    await page.screenshot({ path: join(SHOTS, 'sales-1m-after-fetch-1280.png'), fullPage: false });
    await page.setViewportSize({ width: 375, height: 800 });
    await page.screenshot({ path: join(SHOTS, 'sales-1m-after-fetch-375.png'), fullPage: false });
    await page.close();
  });

  it('the Orders page says where the orders are; a customer page lists its newest 200 of all its orders', async () => {
    const orders = await openPage(served.browser, served.url + '/orders/');
    expect(await orders.page.locator('[data-records-left-out]').textContent()).toMatch(/cannot list them one by one.*downloads/s);
    await orders.page.close();

    const [top] = await mart.db.rows<{ customer: string; orders: number }>(
      `select customer_name as customer, count(distinct order_number)::INTEGER as orders from stg group by 1 order by 2 desc, 1 limit 1`,
    );
    // Member pages are named by slugs of every member, in the order the records list them (by name).
    const names = (await mart.db.rows<{ name: string }>(`select distinct customer_name as name from stg order by 1`)).map((r) => r.name);
    const { page } = await openPage(served.browser, `${served.url}/customers/${slugMap(names).get(top!.customer)}/`);
    expect(await page.locator('#member-records-title').textContent()).toBe(`The newest 200 of ${top!.orders.toLocaleString('en-US')} records`);
    expect(await page.locator('tbody tr').count()).toBe(200);
    await page.close();
  });
});
