/**
 * The cars price check in real Chromium: the form, filled as a person would, shows exactly what the estimator
 * computes from the exported model (estimate, range, segment), the model and trim lists follow the make and model,
 * a model left unlisted gets its make's line, missing inputs are asked for, the page states the held-out accuracy of price-model-eval.json, and nothing
 * logs an error or breaks the Content-Security-Policy, at desktop and phone width.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { formatCurrency, formatInteger } from '../../src/lib/format.ts';
import { describeSegment, estimatePrice, priceCatalog, priceModelFromTable, roundPrice, type CarInput, type ModelTable, type PriceModel } from '../../src/lib/price-model.ts';
import { openPage, type Opened } from '../helpers/page.ts';
import { readJson } from '../helpers/pipeline.ts';
import { servedSite, SHOTS } from '../helpers/site.ts';

const served = servedSite();
let model: PriceModel;

beforeAll(async () => {
  const kpis = readJson(join(served.dir, 'api/cars/kpis.json'));
  model = priceModelFromTable(readJson<ModelTable>(join(served.dir, 'api/cars/price-model.json')), Number(kpis.period.to.slice(0, 4)));
});

/** Opens the page (console errors, uncaught exceptions and CSP violations collected), ready to estimate. */
async function open(width = 1280): Promise<Opened> {
  const opened = await openPage(served.browser, `${served.url}/cars/price/`, { width });
  await opened.page.waitForSelector('[data-submit]:not([disabled])');
  return opened;
}

async function fill(page: Page, car: CarInput): Promise<void> {
  await page.selectOption('select[name=make]', car.make);
  await page.selectOption('select[name=model]', car.model);
  if (car.trim) await page.selectOption('select[name=trim]', car.trim);
  if (car.body) await page.selectOption('select[name=body]', car.body);
  await page.fill('input[name=year]', String(car.year));
  await page.fill('input[name=odometer]', String(car.odometer));
  await page.fill('input[name=condition]', String(car.condition));
  await page.click('[data-submit]');
  await page.waitForSelector('[data-result]:not([hidden])');
}

const text = (page: Page, selector: string) => page.locator(selector).innerText();

describe('price check page', () => {
  // A trim with a line of its own, a model without a named trim, and a make's line for a model it does not list.
  const cars: [string, CarInput][] = [
    ['a named trim', { make: 'Ford', model: 'Fusion', trim: 'SE', year: 2012, odometer: 45_000, condition: 3.5 }],
    ['a model, any trim', { make: 'Nissan', model: 'Altima', year: 2010, odometer: 98_500, condition: 2.8 }],
    ['a model not listed, with a body type', { make: 'BMW', model: '', body: 'Sedan', year: 2007, odometer: 120_000, condition: 4 }],
  ];

  it.each([1280, 375])('shows what the estimator computes, with no errors or CSP violations (%i px)', async (width) => {
    const { page, errors, violations } = await open(width);
    for (const [name, car] of cars) {
      await fill(page, car);
      const want = estimatePrice(model, { ...car, trim: car.trim || undefined, body: car.body || undefined });
      expect(await text(page, '[data-estimate]'), name).toBe(formatCurrency(roundPrice(want.estimate)));
      expect(await text(page, '[data-low]'), name).toBe(formatCurrency(roundPrice(want.low)));
      expect(await text(page, '[data-high]'), name).toBe(formatCurrency(roundPrice(want.high)));
      expect(await text(page, '[data-segment]'), name).toBe(describeSegment(want.segment));
    }
    await page.screenshot({ path: join(SHOTS, `price-check-${width}.png`), fullPage: true });
    expect(errors).toEqual([]);
    expect(await violations()).toEqual([]);
  });

  it('offers the models of the chosen make, and the trims of the chosen model', async () => {
    const { page } = await open();
    const catalog = priceCatalog(model);
    const options = (name: string) => page.locator(`select[name=${name}] option`).evaluateAll((os) => os.map((o) => (o as HTMLOptionElement).value));
    expect(await options('make')).toEqual(['', ...catalog.makes]);
    await page.selectOption('select[name=make]', 'Toyota');
    expect(await options('model')).toEqual(['', ...catalog.models.Toyota!]);
    await page.selectOption('select[name=model]', 'Camry');
    expect(await options('trim')).toEqual(['', ...catalog.trims.Toyota!.Camry!]);
    await page.selectOption('select[name=make]', 'Honda');
    expect(await options('model')).toEqual(['', ...catalog.models.Honda!]);
    expect(await options('trim')).toEqual(['']);
  });

  it("uses a model's line when it lists no trims, the make's when the model is not listed, and asks for what is missing", async () => {
    const { page } = await open();
    // A model with a line of its own whose trims have too few sales for theirs.
    const catalog = priceCatalog(model);
    const [make, name] = Object.entries(catalog.models).flatMap(([mk, ms]) => ms.filter((m) => !catalog.trims[mk]?.[m]).map((m) => [mk, m] as const))[0]!;
    await fill(page, { make, model: name, year: 2011, odometer: 60_000, condition: 3 });
    expect(await text(page, '[data-segment]')).toBe(describeSegment(estimatePrice(model, { make, model: name, year: 2011, odometer: 60_000, condition: 3 }).segment));
    await page.selectOption('select[name=make]', 'Ford');
    await page.selectOption('select[name=model]', '');
    await page.click('[data-submit]');
    expect(await text(page, '[data-segment]')).toMatch(/^Ford \(make, [\d,]+ sales\)$/);
    await page.fill('input[name=condition]', '');
    await page.click('[data-submit]');
    expect(await text(page, '[data-error]')).toBe('To estimate a price, the condition must be between 1 and 5.');
    expect(await page.locator('[data-result]').isHidden()).toBe(true);
  });

  it('states the held-out accuracy of price-model-eval.json', async () => {
    const table = readJson<ModelTable>(join(served.dir, 'api/cars/price-model-eval.json'));
    type EvalRow = { level: string; held_out_rows: number; model_median_ape: number; mmr_median_ape: number; range_coverage: number };
    const rows = table.rows.map((r) => Object.fromEntries(table.columns.map((c, i) => [c, r[i]])) as EvalRow);
    const total = rows.find((r) => r.level === 'total')!;
    const share = new Intl.NumberFormat('en-US', { style: 'percent', minimumFractionDigits: 1, maximumFractionDigits: 1 });
    const html = readFileSync(join(served.dir, 'cars/price/index.html'), 'utf8');
    const { page } = await open();
    expect(html).toContain('data-model-error');
    expect(await text(page, '[data-held-out]')).toBe(formatInteger(total.held_out_rows));
    expect(await text(page, '[data-model-error]')).toBe(share.format(total.model_median_ape));
    expect(await text(page, '[data-mmr-error]')).toBe(share.format(total.mmr_median_ape));
    expect(await text(page, '[data-coverage]')).toBe(share.format(total.range_coverage));
    for (const r of rows) {
      const cells = await page.locator(`.accuracy-table tr[data-level="${r.level}"] td`).allInnerTexts();
      expect(cells).toEqual([formatInteger(r.held_out_rows), share.format(r.model_median_ape), share.format(r.mmr_median_ape), share.format(r.range_coverage)]);
    }
  });
});
