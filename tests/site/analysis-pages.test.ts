/**
 * The analysis pages (Forecast, Segments, Drivers) of the site built by the real CLI: their charts are drawn before
 * any script runs, and the figures they show are the api files' (forecast.json, customer-segments.json,
 * contributions.json), which tests/pipeline/analysis.test.ts checks against SQL.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseHTML } from 'linkedom';
import { beforeAll, describe, expect, inject, it } from 'vitest';
import type { ContributionsFile, ForecastFile, SegmentsFile } from '../../src/lib/contract/analysis.ts';
import { loadDataset } from '../../pipeline/datasets/index.ts';
import { formatInteger, formatMeasure } from '../../src/lib/format.ts';
import { periodLabel } from '../../src/lib/periods.ts';
import { readJson } from '../helpers/pipeline.ts';

let out = '';
const page = (path: string) => parseHTML(readFileSync(join(out, path, 'index.html'), 'utf8')).document;
const text = (node: Element | null | undefined) => (node?.textContent ?? '').replace(/\s+/g, ' ').trim();
const spec = loadDataset('sales').spec;
const revenue = (v: number) => formatMeasure(spec.measures.find((m) => m.name === 'revenue')!, v);

beforeAll(() => {
  out = inject('site');
});

describe('forecast page', () => {
  it('says the history is too short to trust, and shows the overall forecast and backtest of forecast.json', () => {
    const file = readJson<ForecastFile>(join(out, 'api/sales/forecast.json'));
    const overall = file.series[0]!;
    const doc = page('forecast');
    expect(doc.querySelector('[data-trust]')!.getAttribute('data-trust')).toBe('untrusted');
    expect(text(doc.querySelector('[data-trust]'))).toBe(`⚠ ${overall.note}.`);
    const rows = [...doc.querySelectorAll('[data-forecast-table] tbody tr')].map((tr) => [...tr.children].map((c) => text(c)));
    expect(rows).toEqual(
      overall.forecast.map((f, i) => [
        `${periodLabel(file.future[i]!)}${i === 0 ? ` (so far ${revenue(overall.latestValue)})` : ''}`,
        revenue(f.point),
        `${revenue(f.lo80)} – ${revenue(f.hi80)}`,
        `${revenue(f.lo95)} – ${revenue(f.hi95)}`,
      ]),
    );
    const methods = [...doc.querySelectorAll('[data-backtest] tbody tr')].map((tr) => tr.getAttribute('data-method'));
    expect(methods).toEqual(Object.keys(overall.backtest!.byMethod));
    expect(doc.querySelector('[data-backtest] tr[aria-current="true"]')!.getAttribute('data-method')).toBe(overall.method);
    // Drawn at build time: the overall chart, the season index, the calendar and a small multiple per product line shown.
    expect(doc.querySelectorAll('svg.chart-plot').length).toBeGreaterThanOrEqual(4);
    expect([...doc.querySelectorAll('[data-members="product_line"] tbody th')].map((th) => text(th))).toEqual(file.series.slice(1).map((s) => s.member));
  });
});

describe('segments page', () => {
  it('lists the segments with the sizes of customer-segments.json, the first customers largest first, and downloads each segment and them all', () => {
    const file = readJson<SegmentsFile>(join(out, 'api/sales/customer-segments.json'));
    const doc = page('segments');
    const sizes = [...doc.querySelectorAll('[data-segments] tbody tr')].map((tr) => [tr.getAttribute('data-segment'), text(tr.querySelectorAll('td')[1])]);
    expect(sizes).toEqual(file.segments.map((s) => [s.segment, formatInteger(s.customers)]));
    // Without a choice, the list's first page: every segment's customers, largest value first.
    const listed = [...doc.querySelectorAll('[data-customers] tbody th')].map((th) => text(th));
    expect(listed).toEqual(file.customers.slice(0, 25).map((c) => c.customer));
    expect(text(doc.querySelector('[data-count]'))).toBe(`${formatInteger(file.customers.length)} customers`);
    const hrefs = [...doc.querySelectorAll('a[href]')].map((a) => a.getAttribute('href'));
    const segmentFiles = file.segments.flatMap((s) => ['csv', 'parquet'].map((format) => `/data/sales/customer_segments_${s.segment.replace(' ', '_')}.${format}`));
    for (const file of ['/data/sales/customer_segments.csv', '/data/sales/customer_segments.parquet', ...segmentFiles]) {
      expect(hrefs).toContain(file);
      expect(readFileSync(join(out, file)).length).toBeGreaterThan(0);
    }
    expect(doc.querySelectorAll('svg.chart-plot').length).toBeGreaterThanOrEqual(2);
  });
});

describe('drivers page', () => {
  it('states the total change, and each member’s as contributions.json has it; average order value split only where orders add up', () => {
    const file = readJson<ContributionsFile>(join(out, 'api/sales/contributions.json'));
    const doc = page('drivers');
    expect(text(doc.querySelector('[data-total-change]'))).toBe(`+${revenue(file.totals.revenue![2])}`);
    for (const by of file.by) {
      const rows = [...doc.querySelectorAll(`[data-contributions="${by.column}"] tbody tr`)].map((tr) => text(tr.querySelectorAll('td')[2]));
      expect(rows).toEqual(by.members.slice(0, 50).map((m) => `${m.values.revenue![2] > 0 ? '+' : m.values.revenue![2] < 0 ? '−' : ''}${revenue(Math.abs(m.values.revenue![2]))}`));
      const heads = [...doc.querySelectorAll(`[data-contributions="${by.column}"] thead th`)].map((th) => text(th));
      expect(heads.includes('Average order value: mix')).toBe(by.ratios.aov!.exact);
    }
    expect(text(doc.querySelector('[data-by="product_line"]'))).toContain('no exact split');
  });
});
