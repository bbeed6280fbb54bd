/**
 * Opening a page of a built site in Chromium as the browser tests do: console errors, uncaught exceptions and
 * Content-Security-Policy violations collected, and dashboards waited for until every figure shows the state.
 */
import axe from 'axe-core';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { join } from 'node:path';
import { expect } from 'vitest';
import { SHOTS } from './site.ts';

export interface Opened {
  page: Page;
  errors: string[];
  /** CSP violations, as the page itself saw them. */
  violations: () => Promise<string[]>;
}

export interface OpenOptions {
  width?: number;
  javaScript?: boolean;
  colorScheme?: 'light' | 'dark';
  /** axe-core already in the page for expectAccessible: loaded once per context rather than sent with every check. */
  axe?: boolean;
}

// Ready, and every chart (off-screen ones are redrawn in idle time) shows the current state.
export const ready = (page: Page) => page.waitForFunction(() => window.salescube?.ready === true && window.salescube.pending() === 0);

/**
 * One context per browser and set of options, shared by the pages a test file opens: a context costs a browser
 * process's worth of start-up, a page in an existing one much less. Tests close their pages; the contexts close
 * with the browser. Nothing the site stores (its theme choice) is set by a test.
 */
const contexts = new WeakMap<Browser, Map<string, Promise<BrowserContext>>>();
function contextFor(browser: Browser, options: OpenOptions): Promise<BrowserContext> {
  const key = JSON.stringify([options.width ?? 1280, options.javaScript ?? true, options.colorScheme ?? 'light', options.axe ?? false]);
  const ofBrowser = contexts.get(browser) ?? new Map<string, Promise<BrowserContext>>();
  contexts.set(browser, ofBrowser);
  let context = ofBrowser.get(key);
  if (!context) {
    context = (async () => {
      const made = await browser.newContext({
        viewport: { width: options.width ?? 1280, height: 900 },
        javaScriptEnabled: options.javaScript ?? true,
        acceptDownloads: true,
        colorScheme: options.colorScheme ?? 'light',
      });
      // As an init script it is compiled with the page, a fraction of what evaluating its source in each page costs.
      if (options.axe) await made.addInitScript({ content: axe.source });
      await made.addInitScript(() => {
        const seen: string[] = [];
        (window as unknown as { cspViolations: string[] }).cspViolations = seen;
        document.addEventListener('securitypolicyviolation', (e) => seen.push(`${e.violatedDirective} ${e.blockedURI}`));
      });
      return made;
    })();
    ofBrowser.set(key, context);
  }
  return context;
}

export async function openPage(browser: Browser, url: string, options: OpenOptions = {}): Promise<Opened> {
  const page = await (await contextFor(browser, options)).newPage();
  const errors: string[] = [];
  page.on('console', (m) => m.type() === 'error' && errors.push(m.text()));
  page.on('pageerror', (e) => errors.push(String(e)));
  await page.goto(url);
  if (options.javaScript !== false && (await page.locator('[data-dashboard]').count())) await ready(page);
  return { page, errors, violations: () => page.evaluate(() => (window as unknown as { cspViolations: string[] }).cspViolations) };
}

/** Plot tracks the pointer to know which mark a click is on: move there first, as a person would. */
export async function clickMark(mark: ReturnType<Page['locator']>): Promise<void> {
  await mark.hover();
  await mark.click();
}

/** Ticks exactly these members of a filter-bar group, through its checkboxes. */
export async function pick(page: Page, column: string, members: string[]): Promise<void> {
  const group = page.locator(`[data-filter="${column}"]`);
  await group.locator('summary').click();
  await group.locator('[data-select="none"]').click();
  for (const m of members) await group.locator(`input[value="${m}"]`).check();
  await group.locator('summary').click();
}

/** The WCAG 2.1 A and AA rules axe-core checks. */
const WCAG = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'];

/**
 * No WCAG 2.1 A or AA violation axe-core can find on the page as it stands. axe is evaluated through the DevTools
 * protocol rather than added as a <script>, so the page's Content-Security-Policy stays in force.
 */
export async function expectAccessible(page: Page): Promise<void> {
  if (!(await page.evaluate(() => 'axe' in window))) await page.evaluate(axe.source);
  const violations = await page.evaluate(async (tags) => {
    const { axe: run } = window as unknown as { axe: typeof axe };
    const results = await run.run(document, { runOnly: { type: 'tag', values: tags }, resultTypes: ['violations'] });
    return results.violations.map((v) => `${v.id}: ${v.help} (${v.nodes.length}: ${v.nodes.slice(0, 3).map((n) => n.target.join(' ')).join(', ')})`);
  }, WCAG);
  expect(violations).toEqual([]);
}

/**
 * What every page must be, checked after a screenshot (tests/.output/screenshots/<shot>.jpg, to be looked at): no console error,
 * exception or CSP violation, a strict policy in force, one h1, nothing wider than the window, the dataset switch
 * and the navigation marking where it is, and nothing axe-core reports against WCAG 2.1 AA.
 */
export async function expectCleanPage({ page, errors, violations }: Opened, shot: string, nav: { dataset: string; current: string | null }): Promise<void> {
  await page.screenshot({ path: join(SHOTS, `${shot}.jpg`), fullPage: true, quality: 80 });
  expect(errors).toEqual([]);
  expect(await violations()).toEqual([]);
  const csp = await page.locator('meta[http-equiv="content-security-policy"]').getAttribute('content');
  expect(csp).toMatch(/script-src 'self'/);
  expect(csp).not.toMatch(/unsafe-inline|unsafe-eval/);
  expect(await page.locator('h1').count()).toBe(1);
  expect(await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth)).toBeLessThanOrEqual(0);
  expect(await page.locator('.dataset-switch [aria-current="true"]').textContent()).toBe(nav.dataset);
  if (nav.current === null) expect(await page.locator('.site-nav [aria-current="page"]').count()).toBe(0);
  else expect(await page.locator('.site-nav [aria-current="page"]').getAttribute('href')).toBe(nav.current);
  await expectAccessible(page);
}

/** The widths every page is checked at: a desktop window and a phone. */
export const WIDTHS = [1280, 375] as const;

/**
 * expectCleanPage at each of WIDTHS, in one page opened at the first: the window is resized between checks, as a
 * phone turned or a window narrowed would, and the charts redraw for their new width (src/scripts/width.ts).
 * Screenshots are <shot>-<width>.jpg.
 */
export async function expectCleanAtWidths(opened: Opened, shot: string, nav: { dataset: string; current: string | null }): Promise<void> {
  for (const width of WIDTHS) {
    await opened.page.setViewportSize({ width, height: 900 });
    // Two frames: the resize observers run, then what they redrew is laid out.
    await opened.page.evaluate(() => new Promise((done) => requestAnimationFrame(() => requestAnimationFrame(done))));
    await expectCleanPage(opened, `${shot}-${width}`, nav);
  }
}

/** A dashboard's cells loaded and the state drawn from them: what the page does at a filter's first change. */
export async function loaded(page: Page): Promise<void> {
  await page.evaluate(() => window.salescube!.load());
  await ready(page);
}
