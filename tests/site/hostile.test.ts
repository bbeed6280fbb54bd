/**
 * Hostile values in the data (customer, city and product names that are HTML, script, javascript: URLs,
 * bidi overrides, very long text) build into a site where nothing executes and every value reads as text.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { mapColumn, sampleRecords, toCsv } from '../helpers/csv.ts';
import { launchChromium } from '../helpers/browser.ts';
import { run, tempFile } from '../helpers/pipeline.ts';
import { ready } from '../helpers/page.ts';
import { serve } from '../helpers/server.ts';
import { siteOver } from '../helpers/site.ts';
import { slugMap } from '../../src/lib/slug.ts';

const HOSTILE = [
  '<script>alert(1)</script>',
  '"><img src=x onerror=alert(2)>',
  'javascript:alert(3)',
  '\u202Eevil\u202C Ltd',
  `=HYPERLINK("http://x","y") ${'long '.repeat(60)}`,
];

let site: string;
let customerNames: string[];
let server: Awaited<ReturnType<typeof serve>>;
let browser: Browser;

beforeAll(async () => {
  // The first customers and a city get hostile names; everything else is the sample.
  const records = sampleRecords();
  const names = new Map<string, string>();
  const renamed = mapColumn(records, 'CUSTOMERNAME', (v) => {
    if (!names.has(v) && names.size < HOSTILE.length) names.set(v, HOSTILE[names.size]!);
    return names.get(v) ?? v;
  });
  const hostileCity = mapColumn(renamed, 'CITY', (v) => (v === 'NYC' ? '<svg onload=alert(4)>' : v));
  customerNames = renamed.slice(1).map((r) => r[renamed[0]!.indexOf('CUSTOMERNAME')]!);
  const { outDir } = await run([tempFile('hostile.csv', toCsv(hostileCity))]);
  site = siteOver(outDir);
  server = await serve(site);
  browser = await launchChromium();
});
afterAll(async () => {
  await browser?.close();
  await server?.close();
});

it('no page runs injected script and the names show as text', async () => {
  const customerPages = readdirSync(join(site, 'customers'), { withFileTypes: true }).filter((e) => e.isDirectory()).map((e) => `/customers/${e.name}/`);
  // The pages of the customers with hostile names, found by their slugs.
  const hostilePages = [...slugMap(customerNames)].filter(([name]) => HOSTILE.includes(name)).map(([, slug]) => `/customers/${slug}/`);
  expect(hostilePages).toHaveLength(HOSTILE.length);
  for (const p of hostilePages) expect(customerPages).toContain(p);
  const pages = ['/', '/customers/', '/geography/?drill.geography=NA&drill.geography=USA', '/orders/', '/explorer/?rows=customer.customer', '/quality/', '/downloads/', ...hostilePages];
  for (const path of pages) {
    const page = await browser.newPage();
    const dialogs: string[] = [];
    const errors: string[] = [];
    page.on('dialog', async (d) => {
      dialogs.push(d.message());
      await d.dismiss();
    });
    page.on('console', (m) => m.type() === 'error' && errors.push(m.text()));
    page.on('pageerror', (e) => errors.push(String(e)));
    // The console names no URL for a failed request: the response does.
    page.on('response', (r) => r.status() >= 400 && errors.push(`${r.status()} ${r.url()}`));
    await page.goto(server.url + path);
    // A dashboard has drawn every figure from its data once ready; other pages are static.
    if (await page.locator('[data-dashboard]').count()) await ready(page);
    // Hover every bar so tooltips render the names too.
    for (const bar of (await page.locator('g[aria-label="bar"] rect').all()).slice(0, 8)) await bar.hover();
    expect(dialogs, path).toEqual([]);
    expect(errors, path).toEqual([]);
    expect(await page.locator('img[src="x"], script:not([src]), svg[onload]').count(), path).toBe(0);
    await page.close();
  }
  // The customers page lists them as text, and each has its own page with a safe slug.
  const page = await browser.newPage();
  await page.goto(`${server.url}/customers/`);
  await page.waitForFunction(() => window.salescube?.ready === true);
  for (const [name, word] of [[HOSTILE[0]!, 'script'], [HOSTILE[1]!, 'onerror'], [HOSTILE[2]!, 'javascript']] as const) {
    await page.locator('[data-search]').fill(word);
    expect(await page.locator('[data-records-body]').textContent()).toContain(name);
  }
  expect(customerPages.every((p) => /^\/customers\/[a-z0-9-]+\/$/.test(p))).toBe(true);
  await page.close();
});

it('CSV exports neutralise formulas; Parquet keeps the raw value', () => {
  const csv = readFileSync(join(site, 'data/sales/dim_customer.csv'), 'utf8');
  expect(csv).toContain(`"'=HYPERLINK(""http://x"",""y"")`);
  expect(csv).not.toMatch(/(^|,)"?=HYPERLINK/m);
});
