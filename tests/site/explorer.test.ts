/**
 * The cube explorer in Chromium: build a pivot through the controls, expand and collapse a member, switch the
 * chart, export the CSV and compare it with DuckDB, and reload the shared URL to get the same view.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'csv-parse/sync';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, expect, inject, it } from 'vitest';
import type { Db } from '../../pipeline/duckdb.ts';
import { launchChromium } from '../helpers/browser.ts';
import { independentDb } from '../helpers/pipeline.ts';
import { serve } from '../helpers/server.ts';

let server: Awaited<ReturnType<typeof serve>>;
let browser: Browser;
let db: Db;

beforeAll(async () => {
  const site = inject('site');
  server = await serve(site);
  browser = await launchChromium();
  db = await independentDb();
  await db.run(`create view clean as select *, year(order_date) as year from '${join(site, 'data/sales/stg_sales.parquet')}'`);
});
afterAll(async () => {
  await browser?.close();
  await server?.close();
});

async function open(path: string): Promise<{ page: Page; errors: string[] }> {
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 }, acceptDownloads: true });
  const page = await context.newPage();
  const errors: string[] = [];
  page.on('console', (m) => m.type() === 'error' && errors.push(m.text()));
  page.on('pageerror', (e) => errors.push(String(e)));
  await page.goto(`${server.url}${path}`);
  await drawn(page);
  return { page, errors };
}

/**
 * Every figure shows the state, drawn from the cells when the state is not the default the build drew, off-screen
 * ones (the table below the chart) included.
 */
const drawn = (page: Page) => page.waitForFunction(() => window.salescube?.ready === true && window.salescube.pending() === 0 && (location.search === '' || window.explorer !== undefined));

/** The table as shown: one [row label, …cells, total] per body row. */
const shownRows = (page: Page) =>
  page.$$eval('[data-pivot-table] tbody tr', (trs) => trs.map((tr) => [...tr.children].map((c) => c.textContent!.replace(/[▸▾]/g, '').trim())));

async function csvOf(page: Page): Promise<Record<string, string>[]> {
  const [download] = await Promise.all([page.waitForEvent('download'), page.locator('[data-export-csv]').click()]);
  return parse(readFileSync((await download.path())!, 'utf8'), { columns: true }) as Record<string, string>[];
}

it('builds a pivot through the controls, drills in place, exports, and restores from the URL', async () => {
  const { page, errors } = await open('/explorer/');
  // A first visit shows the default pivot the build drew: nothing is computed in the page until a choice changes.
  expect(await page.evaluate(() => window.explorer)).toBeUndefined();
  expect(await page.locator('[data-pivot-table] tbody tr').count()).toBeGreaterThan(0);
  await page.selectOption('[name=measure]', 'customers');
  await page.selectOption('[name=rows]', 'geography.territory');
  await page.selectOption('[name=cols]', 'time.year');
  await page.waitForURL(/measure=customers.*rows=geography\.territory.*cols=time\.year/);
  await drawn(page);
  expect(await page.evaluate(() => window.explorer!.chart)).toBe('heatmap');

  // Distinct customers per territory and year, and per territory overall: never the sum of the years.
  const expected = await db.rows<{ territory: string; year: number | null; n: number }>(`
    select territory, year, count(distinct customer_name) as n from clean where status <> 'Cancelled'
    group by grouping sets ((territory, year), (territory), (year), ()) order by all`);
  const cell = (t: string | null, y: number | null) => expected.find((e) => e.territory === t && e.year === y)!.n;
  const rows = await shownRows(page);
  expect(rows.map((r) => r[0])).toEqual(['APAC', 'EMEA', 'Japan', 'NA']);
  for (const [territory, y2003, y2004, y2005, total] of rows) {
    expect([y2003, y2004, y2005, total].map(Number)).toEqual([cell(territory!, 2003), cell(territory!, 2004), cell(territory!, 2005), cell(territory!, null)]);
  }
  expect(await page.locator('[data-pivot-table] tfoot td.total').textContent()).toBe(String(cell(null, null)));

  // Expand EMEA to its countries, in place, then collapse it again.
  await page.locator('[data-expand=\'["EMEA"]\']').click();
  await page.waitForURL(/expand=/);
  const countries = await db.rows<{ country: string; n: number }>(
    `select country, count(distinct customer_name) as n from clean where status <> 'Cancelled' and territory = 'EMEA' group by 1`,
  );
  const expandedRows = await shownRows(page);
  const emea = expandedRows.findIndex((r) => r[0] === 'EMEA');
  const children = expandedRows.slice(emea + 1, emea + 1 + countries.length);
  expect(children.map((r) => [r[0], Number(r.at(-1))]).sort()).toEqual(countries.map((c) => [c.country, c.n]).sort());
  expect(expandedRows[emea + 1 + countries.length]![0]).toBe('Japan');

  // Export what is shown, expanded rows included.
  const csv = await csvOf(page);
  expect(csv.length).toBe(expandedRows.length + 1);
  expect(csv.find((r) => r['Territory › Country › City'] === 'EMEA › France')!.Total).toBe(String(countries.find((c) => c.country === 'France')!.n));
  expect(csv.at(-1)!.Total).toBe(String(cell(null, null)));

  // The shared URL restores the exact view; the back button undoes the expansion.
  const url = page.url();
  const again = await open(url.slice(server.url.length));
  expect(await shownRows(again.page)).toEqual(expandedRows);
  expect(await again.page.locator('[name=cols]').inputValue()).toBe('time.year');
  await again.page.close();

  await page.locator('[data-expand=\'["EMEA"]\']').click();
  await page.waitForURL((u) => !u.search.includes('expand'));
  expect((await shownRows(page)).length).toBe(4);
  await page.goBack();
  await page.waitForURL(/expand=/);
  expect(await shownRows(page)).toEqual(expandedRows);

  // Switch the chart; the choice is part of the view.
  await page.selectOption('[name=chart]', 'bar');
  await page.waitForURL(/chart=bar/);
  expect(await page.evaluate(() => window.explorer!.chart)).toBe('bar');
  expect(await page.locator('[data-pivot-chart] g[aria-label="bar"] rect').count()).toBe(4);
  expect(errors).toEqual([]);
  await page.close();
});

it('applies the filter bar to every cell and sorts by a column', async () => {
  const { page } = await open('/explorer/?measure=revenue&rows=product.product_line&country=France&sort=value&desc=1');
  const rows = await shownRows(page);
  const expected = await db.rows<{ product_line: string; revenue: number }>(
    `select product_line, round(sum(sales), 2)::DOUBLE as revenue from clean where status <> 'Cancelled' and country = 'France' group by 1 order by 2 desc`,
  );
  expect(rows.map((r) => [r[0], Number(r.at(-1)!.replace(/[$,]/g, ''))])).toEqual(expected.map((e) => [e.product_line, e.revenue]));
  expect(await page.evaluate(() => window.explorer!.chart)).toBe('bar');
  await page.locator('[data-pivot-table] thead button', { hasText: 'Product line' }).click();
  await page.waitForURL(/sort=label/);
  expect((await shownRows(page)).map((r) => r[0])).toEqual([...expected.map((e) => e.product_line)].sort());
  await page.close();
});

it('redraws a table below a tall chart right after the chart, with the filtered figures', async () => {
  const { page } = await open('/explorer/?measure=revenue&rows=customer.customer&cols=status.status');
  await page.waitForFunction(() => window.salescube!.pending() === 0);
  expect((await shownRows(page)).length).toBeGreaterThan(80);

  // A filter change through the URL, as the back button makes one: the heatmap on screen follows at once, and
  // the table, far below it, waits for idle time or for being scrolled to.
  const now = await page.evaluate(() => {
    history.pushState(null, '', `${location.search}&product_line=Ships`);
    dispatchEvent(new PopStateEvent('popstate'));
    return { ticks: document.querySelectorAll('[data-pivot-chart] g[aria-label="y-axis tick label"] text').length, waiting: window.salescube!.pending() };
  });
  const expected = await db.rows<{ customer_name: string; revenue: number }>(
    `select customer_name, round(sum(sales), 2)::DOUBLE as revenue from clean where status <> 'Cancelled' and product_line = 'Ships' group by 1 order by 1`,
  );
  expect(now).toEqual({ ticks: expected.length, waiting: 1 });

  await page.locator('[data-pivot]').scrollIntoViewIfNeeded();
  await page.waitForFunction(() => window.salescube!.pending() === 0);
  const rows = await shownRows(page);
  // (The table sorts names as people read them, DuckDB by bytes.)
  expect(rows.map((r) => [r[0], Number(r.at(-1)!.replace(/[$,]/g, ''))]).sort()).toEqual(expected.map((e) => [e.customer_name, e.revenue]).sort());
  await page.close();
});
