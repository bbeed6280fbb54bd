/**
 * Opening a page of a built site in Chromium as the browser tests do: console errors, uncaught exceptions and
 * Content-Security-Policy violations collected, and dashboards waited for until every figure shows the state.
 */
import type { Browser, Page } from 'playwright-core';

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
}

// Ready, and every chart (off-screen ones are redrawn in idle time) shows the current state.
export const ready = (page: Page) => page.waitForFunction(() => window.salescube?.ready === true && window.salescube.pending() === 0);

export async function openPage(browser: Browser, url: string, options: OpenOptions = {}): Promise<Opened> {
  const context = await browser.newContext({
    viewport: { width: options.width ?? 1280, height: 900 },
    javaScriptEnabled: options.javaScript ?? true,
    acceptDownloads: true,
    colorScheme: options.colorScheme ?? 'light',
  });
  const page = await context.newPage();
  await page.addInitScript(() => {
    const seen: string[] = [];
    (window as unknown as { cspViolations: string[] }).cspViolations = seen;
    document.addEventListener('securitypolicyviolation', (e) => seen.push(`${e.violatedDirective} ${e.blockedURI}`));
  });
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
