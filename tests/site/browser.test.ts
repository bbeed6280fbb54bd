/**
 * The built site in real Chromium, as a stakeholder uses it: every page loads cleanly at desktop and phone
 * width; filters set through the UI, chart clicks, drill-down, reload and the back button all give figures
 * equal to independent DuckDB queries over the clean table; the filtered CSV download matches too; and
 * without JavaScript the pages still show their charts and numbers.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'csv-parse/sync';
import type { Page } from 'playwright-core';
import { beforeAll, describe, expect, it } from 'vitest';
import type { Db } from '../../pipeline/duckdb.ts';
import { clickMark, expectCleanAtWidths, openPage, pick, ready, type OpenOptions } from '../helpers/page.ts';
import { independentDb } from '../helpers/pipeline.ts';
import { servedSite, SHOTS } from '../helpers/site.ts';

const served = servedSite();
let db: Db;

beforeAll(async () => {
  db = await independentDb();
  await db.run(`create view clean as select * from '${join(served.dir, 'data/sales/stg_sales.parquet')}'`);
});
/** Opens a page and collects console errors, uncaught exceptions and CSP violations. */
const open = (path: string, options: OpenOptions = {}) => openPage(served.browser, served.url + path, options);

interface Filters {
  from?: string;
  to?: string;
  members?: Record<string, string[]>;
}

/** The filter as SQL, written independently of the site's engine: absent status means "not Cancelled". */
function where(f: Filters): string {
  const parts = ['true'];
  if (f.from) parts.push(`order_date >= DATE '${f.from}'`);
  if (f.to) parts.push(`order_date <= DATE '${f.to}'`);
  for (const [column, members] of Object.entries(f.members ?? {})) {
    parts.push(members.length ? `${column} in (${members.map((m) => `'${m.replaceAll("'", "''")}'`).join(', ')})` : 'false');
  }
  if (!f.members?.status) parts.push(`status <> 'Cancelled'`);
  return parts.join(' and ');
}

async function expectedTiles(f: Filters) {
  const [row] = await db.rows<Record<string, number | null>>(`
    select coalesce(round(sum(sales), 2), 0)::DOUBLE as revenue, count(distinct order_number) as orders,
      round(sum(sales) / nullif(count(distinct order_number), 0), 2)::DOUBLE as aov,
      count(distinct customer_name) as customers, coalesce(sum(quantity), 0)::BIGINT as units, count(*) as lines
    from clean where ${where(f)}`);
  return row!;
}

async function shownTiles(page: Page) {
  return page.$$eval('[data-tile] [data-raw]', (els) =>
    Object.fromEntries(els.map((e) => [e.closest('[data-tile]')!.getAttribute('data-tile'), e.getAttribute('data-raw') === 'null' ? null : Number(e.getAttribute('data-raw'))])),
  );
}

async function expectFigures(page: Page, f: Filters) {
  await ready(page);
  expect(await shownTiles(page)).toEqual(await expectedTiles(f));
  // Every bar chart by a column: each member's revenue equals SQL.
  const panels = await page.evaluate(() => window.salescube!.panels.filter((p) => p.def.kind === 'bars').map((p) => ({ def: p.def, rows: p.data!.rows })));
  for (const { def, rows } of panels) {
    if (def.kind !== 'bars' || def.measure !== 'revenue' || def.limit) continue;
    const sql = await db.rows<{ key: string; value: number }>(`select ${def.column} as key, round(sum(sales), 2)::DOUBLE as value from clean where ${where(f)} group by 1`);
    expect(rows.map((r) => [r.key, r.value]).sort()).toEqual(sql.map((r) => [r.key, r.value]).sort());
  }
}

const PAGES = ['/', '/products/', '/customers/', '/geography/', '/orders/', '/forecast/', '/segments/', '/drivers/', '/quality/', '/downloads/', '/about/', '/customers/euro-shopping-channel/', '/products/classic-cars/'];

describe('every page', () => {
  it.each(PAGES)('%s loads cleanly and fits at desktop and phone width', async (path) => {
    const opened = await open(path, { axe: true });
    // A member's page is marked in the nav by the page that lists its members.
    const current = path.split('/').length > 3 ? `/${path.split('/')[1]}/` : path;
    await expectCleanAtWidths(opened, path.replaceAll('/', '_') || 'home', { dataset: 'Sales', current });
    await opened.page.close();
  });
});

describe('filters', () => {
  it.each<[string, Filters, (page: Page) => Promise<void>]>([
    ['product lines', { members: { product_line: ['Classic Cars', 'Ships'] } }, (p) => pick(p, 'product_line', ['Classic Cars', 'Ships'])],
    ['EMEA with Cancelled included', { members: { territory: ['EMEA'], status: ['Shipped', 'Cancelled', 'Resolved', 'On Hold', 'In Process', 'Disputed'] } }, async (p) => {
      await pick(p, 'territory', ['EMEA']);
      await p.locator('[data-filter="status"] summary').click();
      await p.locator('[data-filter="status"] input[value="Cancelled"]').check();
    }],
    ['the year 2004 and large deals', { from: '2004-01-01', to: '2004-12-31', members: { deal_size: ['Large'] } }, async (p) => {
      await p.locator('[data-preset]').selectOption('2004-01-01/2004-12-31');
      await pick(p, 'deal_size', ['Large']);
    }],
  ])('%s: tiles and charts equal SQL', async (_name, filters, act) => {
    const { page, errors } = await open('/');
    await act(page);
    await expectFigures(page, filters);
    expect(errors).toEqual([]);
    await page.close();
  });

  it("a chart's data table, opened after a filter change, lists that filter's figures", async () => {
    const { page, errors } = await open('/');
    await pick(page, 'product_line', ['Ships']);
    await ready(page);
    const panel = page.locator('section:has(#by-country-title)');
    const sql = await db.rows<{ key: string; value: number }>(`select country as key, round(sum(sales), 2)::DOUBLE as value from clean where ${where({ members: { product_line: ['Ships'] } })} group by 1`);
    await panel.locator('details.data-table summary').click();
    // The table is filled on the disclosure's toggle event, which the browser fires in a task after the click.
    const shown = () => panel.locator('[data-chart-table] tbody tr').evaluateAll((trs) => trs.map((tr) => [tr.children[0]!.textContent, Number(tr.children[1]!.textContent!.replace(/[$,]/g, ''))]));
    await expect.poll(async () => (await shown()).sort()).toEqual(sql.map((r) => [r.key, r.value]).sort());
    expect(errors).toEqual([]);
    await page.close();
  });

  it('a filter that matches nothing shows a clear empty state', async () => {
    const { page } = await open('/');
    await pick(page, 'deal_size', []);
    expect(await page.locator('[data-empty]:visible').count()).toBeGreaterThan(5);
    expect(await page.locator('[data-tile="revenue"] [data-value]').textContent()).toBe('$0');
    expect(await page.locator('[data-tile="aov"] [data-value]').textContent()).toBe('–');
    await page.waitForURL(/deal_size=/);
    await page.close();
  });

  it('a filter change redraws the figures before the URL records it', async () => {
    // A new history entry lays out the page and makes the browser work beside it: recorded before the redraw, or
    // inside the same handler, it made the slowest updates half as slow again.
    const { page } = await open('/');
    await page.evaluate(() => {
      const pushes: { url: string; revenue: string | null }[] = [];
      (window as unknown as { pushes: typeof pushes }).pushes = pushes;
      const push = history.pushState.bind(history);
      history.pushState = (data, unused, url) => {
        pushes.push({ url: String(url), revenue: document.querySelector('[data-tile="revenue"] [data-raw]')!.getAttribute('data-raw') });
        push(data, unused, url);
      };
    });
    await pick(page, 'product_line', ['Ships']);
    await page.waitForURL(/product_line=Ships/);
    const pushes = await page.evaluate(() => (window as unknown as { pushes: { url: string; revenue: string | null }[] }).pushes);
    expect(pushes.at(-1)!.url).toBe('?product_line=Ships');
    expect(Number(pushes.at(-1)!.revenue)).toBe((await expectedTiles({ members: { product_line: ['Ships'] } })).revenue);
    await page.close();
  });

  it('clicking a bar filters every figure; reload and back restore the state', async () => {
    const { page } = await open('/');
    await clickMark(page.locator('[data-chart*="\\"id\\":\\"by-line\\""] g[aria-label="bar"] rect').first());
    await page.waitForURL(/product_line=Classic\+Cars/);
    await expectFigures(page, { members: { product_line: ['Classic Cars'] } });
    await page.locator('[data-chart*="\\"id\\":\\"map\\""] [data-member="Germany"]').click();
    await page.waitForURL(/country=Germany/);
    const both = { members: { product_line: ['Classic Cars'], country: ['Germany'] } };
    await expectFigures(page, both);

    await page.reload();
    await ready(page);
    await expectFigures(page, both);
    expect(await page.locator('[data-filter="country"] [data-summary]').textContent()).toBe('Germany');

    await page.goBack();
    await page.waitForURL((url) => !url.search.includes('country'));
    await expectFigures(page, { members: { product_line: ['Classic Cars'] } });
    await page.locator('[data-reset]').click();
    await page.waitForURL((url) => url.search === '');
    await expectFigures(page, {});
    await page.close();
  });
});

describe('heatmap', () => {
  it('clicking a month narrows the dates to that month', async () => {
    const { page } = await open('/');
    const cell = page.locator('[data-chart*="\\"id\\":\\"heatmap\\""] g[aria-label="cell"] rect').first();
    await cell.scrollIntoViewIfNeeded();
    await ready(page);
    await clickMark(cell);
    await page.waitForURL(/from=\d{4}-\d{2}-01&to=\d{4}-\d{2}-\d{2}/);
    const params = new URL(page.url()).searchParams;
    const [from, to] = [params.get('from')!, params.get('to')!];
    expect(from.slice(0, 7)).toBe(to.slice(0, 7));
    await expectFigures(page, { from, to });
    await page.close();
  });
});

describe('drill-down', () => {
  it('product line › product, and back up by the path and the back button', async () => {
    const { page } = await open('/products/');
    const panel = page.locator('[data-chart*="\\"id\\":\\"product-revenue\\""]');
    await clickMark(panel.locator('g[aria-label="bar"] rect').first());
    await page.waitForURL(/drill\.product=Classic\+Cars/);
    await ready(page);
    const rows = await page.evaluate(() => window.salescube!.panels[0]!.data!.rows);
    const sql = await db.rows<{ key: string; value: number }>(
      `select product_code as key, round(sum(sales), 2)::DOUBLE as value from clean where product_line = 'Classic Cars' and status <> 'Cancelled' group by 1`,
    );
    expect(rows.map((r) => [r.key, r.value]).sort()).toEqual(sql.map((r) => [r.key, r.value]).sort());
    expect(await panel.locator('[data-crumbs]').textContent()).toContain('Classic Cars');

    await panel.locator('[data-crumbs] button', { hasText: 'All' }).click();
    await page.waitForURL((url) => !url.search.includes('drill'));
    await ready(page);
    expect(await page.evaluate(() => window.salescube!.panels[0]!.data!.rows.length)).toBe(7);
    await page.goBack();
    await page.waitForURL(/drill\.product=Classic\+Cars/);
    await ready(page);
    expect(await page.evaluate(() => window.salescube!.panels[0]!.data!.level!.column)).toBe('product_code');
    await page.close();
  });
});

describe('orders', () => {
  it('downloads exactly the filtered, searched view as CSV', async () => {
    const { page } = await open('/orders/?country=France');
    await page.locator('[data-search]').fill('gifts');
    await page.waitForFunction(() => document.querySelector('[data-count]')!.textContent !== '');
    const [download] = await Promise.all([page.waitForEvent('download'), page.locator('[data-download]').click()]);
    const rows = parse(readFileSync((await download.path())!, 'utf8'), { columns: true }) as Record<string, string>[];
    const sql = await db.rows<{ order_number: number; customer_name: string; revenue: number; lines: number }>(`
      select order_number, any_value(customer_name) as customer_name, round(sum(sales), 2)::DOUBLE as revenue, count(*) as lines
      from clean where country = 'France' and status <> 'Cancelled' group by 1
      having lower(any_value(customer_name)) like '%gifts%' order by 1`);
    expect(rows.length).toBeGreaterThan(0);
    expect(rows.map((r) => [Number(r.Order), r.Customer, Number(r.Revenue), Number(r.Lines)]).sort((a, b) => (a[0] as number) - (b[0] as number))).toEqual(
      sql.map((r) => [r.order_number, r.customer_name, r.revenue, r.lines]),
    );
    expect(await page.locator('[data-count]').textContent()).toBe(`${rows.length} records`);
    await page.close();
  });
});

describe('drivers of change', () => {
  /** Each product line's units in each period, and the whole's, from the clean table. */
  async function expectedUnits(f: Filters, previous: { from: string; to: string }, current: { from: string; to: string }) {
    const rows = await db.rows<{ member: string; before: number; after: number }>(`
      select product_line as member,
        coalesce(sum(quantity) filter (where order_date between DATE '${previous.from}' and DATE '${previous.to}'), 0)::DOUBLE as before,
        coalesce(sum(quantity) filter (where order_date between DATE '${current.from}' and DATE '${current.to}'), 0)::DOUBLE as after
      from clean where ${where(f)} group by 1 having count(*) filter (where order_date between DATE '${previous.from}' and DATE '${previous.to}' or order_date between DATE '${current.from}' and DATE '${current.to}') > 0`);
    return rows.map((r) => [r.member, [r.before, r.after, r.after - r.before]] as const).sort(([a], [b]) => a.localeCompare(b));
  }

  it('splits the change for the filters, measure and comparison picked; the URL keeps them; back and reload restore them', async () => {
    const { page } = await open('/drivers/');
    const f: Filters = { members: { country: ['USA', 'France'] } };
    await pick(page, 'country', ['USA', 'France']);
    await page.locator('[name="measure"]').selectOption('units');
    await page.locator('[name="vs"]').selectOption('before');
    await ready(page);
    await page.waitForFunction(() => window.drivers?.measure === 'units' && window.drivers.spans.previous.to === '2004-12-31');
    const shown = async () => page.evaluate(() => window.drivers!);
    const drivers = await shown();
    expect(await page.locator('[name="vs-from"]').isVisible()).toBe(false);
    // The year to date against the 151 days before it.
    expect(drivers.spans).toEqual({ current: { from: '2005-01-01', to: '2005-05-31' }, previous: { from: '2004-08-03', to: '2004-12-31' } });
    const byLine = drivers.result.by.find((b) => b.column === 'product_line')!;
    const units = byLine.members.map((m) => [m.member, m.values.units] as const).sort(([a], [b]) => String(a).localeCompare(String(b)));
    expect(units).toEqual(await expectedUnits(f, drivers.spans.previous, drivers.spans.current));
    // The page says it: the total change of units, and the table lists each line's, largest change of units first.
    const total = drivers.result.totals.units![2];
    expect(await page.locator('[data-total-change]').textContent()).toBe(`${total > 0 ? '+' : '−'}${Math.abs(total).toLocaleString('en-US')}`);
    const listed = await page.$$eval('[data-contributions="product_line"] tbody th', (ths) => ths.map((th) => th.textContent));
    const byUnits = units.toSorted(([a, x], [b, y]) => Math.abs(y![2]) - Math.abs(x![2]) || byLine.members.findIndex((m) => m.member === a) - byLine.members.findIndex((m) => m.member === b));
    expect(listed).toEqual(byUnits.map(([member]) => member));
    await page.waitForFunction(() => location.search.includes('vs=before'));
    expect(new URL(page.url()).searchParams.get('measure')).toBe('units');
    await page.locator('[name="measure"]').selectOption('lines');
    await page.waitForFunction(() => location.search.includes('measure=lines'));
    await page.goBack();
    await page.waitForFunction(() => window.drivers?.measure === 'units');
    expect(await page.locator('[name="measure"]').inputValue()).toBe('units');

    // Other dates: the earlier period is any span, in the URL as from/to.
    await page.locator('[name="vs"]').selectOption('custom');
    expect(await page.locator('[name="vs-from"]').isVisible()).toBe(true);
    await page.locator('[name="vs-from"]').fill('2003-01-01');
    await page.locator('[name="vs-to"]').fill('2003-05-31');
    await page.waitForFunction(() => window.drivers?.spans.previous.from === '2003-01-01' && window.drivers.spans.previous.to === '2003-05-31');
    const custom = await shown();
    const customLine = custom.result.by.find((b) => b.column === 'product_line')!;
    expect(customLine.members.map((m) => [m.member, m.values.units] as const).sort(([a], [b]) => String(a).localeCompare(String(b)))).toEqual(await expectedUnits(f, custom.spans.previous, custom.spans.current));
    await page.waitForFunction(() => location.search.includes('vs=2003-01-01%2F2003-05-31'));

    await page.reload();
    await ready(page);
    await page.waitForFunction(() => window.drivers?.spans.previous.from === '2003-01-01');
    expect(await page.locator('[name="vs"]').inputValue()).toBe('custom');
    expect(await page.locator('[name="vs-from"]').inputValue()).toBe('2003-01-01');
    await page.close();
  });
});

describe('forecast under a filter', () => {
  it('forecasts and indexes the months of the rows a filter keeps, and says what stays unfiltered', async () => {
    const { page } = await open('/forecast/');
    await pick(page, 'country', ['France']);
    await ready(page);
    await page.waitForFunction(() => window.forecast?.state.members.country?.[0] === 'France');
    const { series, seasons } = await page.evaluate(() => window.forecast!);
    const months = await page.evaluate(() => (JSON.parse(document.querySelector<HTMLElement>('[data-forecast]')!.dataset.forecast!) as { months: string[] }).months);
    const sql = await db.rows<{ month: string; revenue: number }>(`
      select strftime(order_date, '%Y-%m') as month, round(sum(sales), 2)::DOUBLE as revenue from clean where ${where({ members: { country: ['France'] } })} group by 1`);
    const byMonth = new Map(sql.map((r) => [r.month, r.revenue]));
    expect(series.history).toEqual(months.map((m) => byMonth.get(m) ?? 0));
    expect(seasons.growth.map((g) => g.value)).toEqual(series.history);
    // The page shows that series: its note, and its first forecast month.
    expect(await page.locator('[data-trust]').textContent()).toBe(`${series.trusted ? '✓ ' : '⚠ '}${series.note}.`);
    const first = await page.$$eval('[data-forecast-table] tbody tr:first-child td', (tds) => tds.map((td) => td.textContent));
    expect(first[0]).toBe(`$${Math.round(series.forecast[0]!.point).toLocaleString('en-US')}`);
    // The calendar and the forecasts per product line say they are of every row.
    expect(await page.locator('[data-default-note]:visible').count()).toBe(2);
    await page.locator('[data-reset]').click();
    await page.waitForFunction(() => !window.forecast?.state.members.country);
    expect(await page.locator('[data-default-note]:visible').count()).toBe(0);
    await page.close();
  });
});

describe('customer segments', () => {
  it('lists a segment’s customers matching a search, page by page, kept in the URL, and downloads the view', async () => {
    const { page } = await open('/segments/');
    await page.locator('[name="segment"]').selectOption('lost');
    await page.locator('[name="q"]').fill('co');
    await page.waitForFunction(() => window.customerList?.query.segment === 'lost' && window.customerList.query.search === 'co');
    const { customers } = await page.evaluate(() => window.customerList!);
    // Independently: the segment's customers in the download, by name, largest value first.
    const sql = await db.rows<{ customer: string }>(`select customer from '${join(served.dir, 'data/sales/customer_segments_lost.parquet')}' where customer ilike '%co%' order by monetary desc, customer`);
    expect(customers).toEqual(sql.map((r) => r.customer));
    expect(await page.$$eval('[data-customers] tbody th', (ths) => ths.map((th) => th.textContent))).toEqual(customers.slice(0, 25));
    expect(await page.locator('[data-parquet]').getAttribute('href')).toBe('/data/sales/customer_segments_lost.parquet');
    await page.waitForFunction(() => location.search === '?segment=lost&q=co');
    const [download] = await Promise.all([page.waitForEvent('download'), page.locator('[data-download]').click()]);
    const rows = parse(readFileSync((await download.path())!, 'utf8'), { columns: true }) as Record<string, string>[];
    expect(rows.map((r) => r.customer)).toEqual(customers);
    expect(new Set(rows.map((r) => r.segment))).toEqual(new Set(['lost']));
    // Every segment, a page at a time: the second page follows the first.
    await page.goto(`${served.url}/segments/?page=2`);
    await page.waitForFunction(() => window.customerList?.query.page === 1);
    const all = await db.rows<{ customer: string }>(`select customer from '${join(served.dir, 'data/sales/customer_segments.parquet')}'`);
    expect(await page.$$eval('[data-customers] tbody th', (ths) => ths.map((th) => th.textContent))).toEqual(all.slice(25, 50).map((r) => r.customer));
    await page.close();
  });
});

describe('without JavaScript', () => {
  it.each(['/', '/products/', '/customers/', '/geography/', '/orders/'])('%s still shows charts and figures', async (path) => {
    const { page } = await open(path, { javaScript: false });
    expect(await page.locator('svg.chart-plot').count()).toBeGreaterThan(0);
    const revenue = (await expectedTiles({})).revenue as number;
    expect(await page.locator('[data-tile="revenue"] [data-raw]').getAttribute('data-raw')).toBe(String(revenue));
    expect(await page.locator('[data-tile="revenue"] [data-value]').textContent()).toBe(`$${Math.round(revenue).toLocaleString('en-US')}`);
    await page.close();
  });
});
