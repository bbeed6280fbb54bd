/**
 * A third dataset gets its pages from its declaration alone (tests/fixtures/loans/dataset.ts): the shared site holds
 * it beside sales and cars, and in Chromium every page of it loads cleanly at desktop and phone width, its tiles and
 * charts equal DuckDB over its CSV before and after a filter, its records table and member pages list what SQL
 * lists, and it reads in its own words (currency, value labels, nouns).
 */
import type { Page } from 'playwright-core';
import { beforeAll, describe, expect, it } from 'vitest';
import type { Db } from '../../pipeline/duckdb.ts';
import { clickMark, expectCleanAtWidths, loaded, openPage, pick, ready, type OpenOptions } from '../helpers/page.ts';
import { independentDb } from '../helpers/pipeline.ts';
import { servedSite } from '../helpers/site.ts';

const served = servedSite();
let db: Db;
const open = (path: string, options: OpenOptions = {}) => openPage(served.browser, served.url + path, options);

beforeAll(async () => {
  db = await independentDb();
  await db.run(`create view loans as select * from read_csv('tests/fixtures/loans/loans.csv', header = true,
    columns = {'loan_id': 'INTEGER', 'loan_date': 'DATE', 'branch': 'VARCHAR', 'region': 'VARCHAR', 'genre': 'VARCHAR', 'title': 'VARCHAR', 'member_id': 'INTEGER', 'fee': 'DECIMAL(18,2)'})`);
});

/** Every tile's figure for a condition, written here from the CSV, not taken from the pipeline. */
const TILES_SQL = `coalesce(round(sum(fee), 2), 0)::DOUBLE as fees, count(*)::DOUBLE as loans, count(distinct member_id)::DOUBLE as members,
  round(coalesce(sum(fee), 0) / nullif(count(distinct member_id), 0), 2)::DOUBLE as fees_per_member`;
const tilesWhere = async (where: string) => (await db.rows<Record<string, number>>(`select ${TILES_SQL} from loans where ${where}`))[0]!;

const shownTiles = (page: Page) =>
  page.$$eval('[data-tile] [data-raw]', (els) => Object.fromEntries(els.map((e) => [e.closest('[data-tile]')!.getAttribute('data-tile'), Number(e.getAttribute('data-raw'))])));
const barsOf = (page: Page, id: string) => page.evaluate((chart) => window.salescube!.panels.find((p) => p.def.id === chart)!.data!.rows.map((r) => [r.key, r.value]), id);

const PAGES = ['/loans/', '/loans/members/', '/loans/branches/oakdale/', '/loans/explorer/', '/loans/quality/', '/loans/downloads/', '/loans/about/'];

describe('the fixture dataset, from its declaration alone', () => {
  it.each(PAGES)('%s loads cleanly and fits at desktop and phone width', async (path) => {
    const opened = await open(path, { axe: true });
    // The branch pages' folder has no nav entry of its own: nothing is marked current there.
    const current = path.startsWith('/loans/branches/') ? null : path;
    await expectCleanAtWidths(opened, path.replaceAll('/', '_'), { dataset: 'Library loans', current });
    await opened.page.close();
  });

  it('tiles and charts equal SQL over its CSV, by default, through the filter bar and by a bar click', async () => {
    const { page, errors } = await open('/loans/');
    // The default filter leaves reference-desk loans out; its label and the declared currency show.
    expect(await page.locator('[data-chips]').textContent()).toBe('Reference-desk loans excluded.');
    expect(await page.locator('[data-tile="fees"] [data-value]').textContent()).toMatch(/^€/);
    expect(await shownTiles(page)).toEqual(await tilesWhere(`genre <> 'Reference'`));
    // The page opens on its build-time figures; the same state drawn from its cells shows the same.
    await loaded(page);
    expect(await shownTiles(page)).toEqual(await tilesWhere(`genre <> 'Reference'`));
    const byBranch = await db.rows<{ branch: string; loans: number }>(`select branch, count(*)::DOUBLE as loans from loans where genre <> 'Reference' group by 1 order by 2 desc, 1`);
    expect(await barsOf(page, 'by-branch')).toEqual(byBranch.map((r) => [r.branch, r.loans]));

    // The value label the declaration gives a region reads beside it in the filter bar.
    await page.locator('[data-filter="region"] summary').click();
    expect(await page.locator('[data-filter="region"] label:has(input[value="North"])').textContent()).toContain('North (Oakdale and Millbrook)');
    await page.locator('[data-filter="region"] summary').click();
    await pick(page, 'region', ['South']);
    await ready(page);
    expect(await shownTiles(page)).toEqual(await tilesWhere(`genre <> 'Reference' and region = 'South'`));

    // A bar click filters every figure on its member.
    await clickMark(page.locator('section:has(#by-branch-title) svg g[aria-label="bar"] rect').first());
    await ready(page);
    const [top] = (await barsOf(page, 'by-branch')) as [string, number][];
    await page.waitForURL((url) => url.searchParams.get('branch') === top![0]);
    expect(await shownTiles(page)).toEqual(await tilesWhere(`genre <> 'Reference' and region = 'South' and branch = '${top![0]}'`));
    expect(errors).toEqual([]);
    await page.close();
  });

  it('the records table and a member page list what SQL lists, a missing fee left out of its sum', async () => {
    const { page } = await open('/loans/members/');
    const shown = await page.locator('[data-records-body] tr').evaluateAll((trs) => trs.map((tr) => [...tr.children].map((td) => td.textContent)));
    const members = await db.rows<{ member_id: number; loans: number; fees: number | null }>(`select member_id, count(*)::INTEGER as loans, sum(fee)::DOUBLE as fees
      from loans where genre <> 'Reference' group by 1 order by fees desc nulls last, member_id`);
    const euro = (v: number | null) => (v == null ? '–' : new Intl.NumberFormat('en-US', { style: 'currency', currency: 'EUR' }).format(v));
    expect(shown.map((r) => [Number(r[0]), Number(r[2]), r[3]])).toEqual(members.map((m) => [m.member_id, m.loans, euro(m.fees)]));
    // Each branch has a page, linked from the members page.
    const branches = await page.locator('section:has(h2:text("Branch pages")) a').evaluateAll((as) => as.map((a) => a.textContent));
    expect(branches).toEqual(['Harbor', 'Millbrook', 'Oakdale', 'Riverside']);
    await page.close();

    const member = (await open('/loans/branches/oakdale/')).page;
    const records = await member.locator('table tbody tr').count();
    const [oakdale] = await db.rows<{ n: number }>(`select count(distinct member_id)::INTEGER as n from loans where branch = 'Oakdale'`);
    expect(records).toBe(oakdale!.n);
    await member.close();
  });
});
