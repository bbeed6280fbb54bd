/**
 * The static pages (Data quality, Downloads, About) of a site built by the real CLI: the figures they show are
 * the pipeline's, every download link resolves to a file whose SHA-256 is the one printed beside it.
 */
import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseHTML } from 'linkedom';
import { beforeAll, describe, expect, inject, it } from 'vitest';
import type { Changes } from '../../src/lib/contract/changes.ts';
import type { Manifest } from '../../src/lib/contract/manifest.ts';
import type { Quality } from '../../src/lib/contract/quality.ts';
import { loadDataset } from '../../pipeline/datasets/index.ts';
import { formatInteger } from '../../src/lib/format.ts';
import { readJson } from '../helpers/pipeline.ts';

let out = '';
const page = (path: string) => parseHTML(readFileSync(join(out, path, 'index.html'), 'utf8')).document;
const text = (node: Element | null | undefined) => (node?.textContent ?? '').replace(/\s+/g, ' ').trim();
/** A site-relative href (base "/") as a path under the output folder. */
const fileOf = (href: string) => join(out, decodeURI(href.replace(/^\//, '')));

beforeAll(() => {
  out = inject('site');
});

describe('data quality page', () => {
  it('shows the totals of quality.json and every check with its result in words', () => {
    const q = readJson<Quality>(join(out, 'api/sales/quality.json'));
    const doc = page('quality');
    for (const key of ['read', 'loaded', 'rejected', 'duplicates'] as const) {
      expect(text(doc.querySelector(`[data-total="${key}"]`))).toBe(formatInteger(q.totals[key]));
    }
    expect(text(doc.querySelector('.identity'))).toContain(
      `${formatInteger(q.totals.read)} read = ${formatInteger(q.totals.loaded)} loaded + ${formatInteger(q.totals.rejected)} rejected + ${formatInteger(q.totals.duplicates)} duplicates`,
    );
    const rows = [...doc.querySelectorAll('table.checks tbody tr')].map((tr) => [...tr.querySelectorAll('td')].map((td) => text(td)));
    expect(rows).toHaveLength(q.checks.length);
    q.checks.forEach((c, i) => {
      expect(rows[i]![0]).toBe(c.model);
      expect(rows[i]![1]).toBe(c.name);
      expect(rows[i]![4]).toBe(c.passed ? '✓ Passed' : '✗ Failed');
    });
    // The bundled sample rejects nothing: the empty state is said in words.
    if (q.totals.rejected === 0) expect(text(doc.querySelector('#rejects')?.parentElement)).toContain('No rows were rejected');
    const hrefs = [...doc.querySelectorAll('a[href]')].map((a) => a.getAttribute('href')!);
    for (const href of ['/data/sales/rejects.csv', '/api/sales/quality.json']) {
      expect(hrefs).toContain(href);
      expect(existsSync(fileOf(href))).toBe(true);
    }
  });
});

describe('data quality page: what changed, and conformed values', () => {
  it('says the shared build is a first one, each source new with its rows, as changes.json has them', () => {
    const changes = readJson<Changes>(join(out, 'api/sales/changes.json'));
    expect(changes.previous).toBe(false);
    const doc = page('quality');
    expect(text(doc.querySelector('#changes')?.parentElement)).toContain('This is the first build');
    const rows = [...doc.querySelectorAll('[data-changes] tbody tr')].map((tr) => [text(tr.querySelector('th')), ...[...tr.querySelectorAll('td')].map((td) => text(td))]);
    expect(rows).toEqual(changes.sources.map((s) => [s.source, 'added', ...(['read', 'loaded', 'rejected', 'duplicates'] as const).map((k) => `– → ${formatInteger(s.rows[k].after)}`)]));
  });

  it('lists the cars makes conformed, with the rows each moved', () => {
    const q = readJson<Quality>(join(out, 'api/cars/quality.json'));
    const rows = [...page('cars/quality').querySelectorAll('[data-aliases] tbody tr')].map((tr) => [...tr.children].map((cell) => text(cell)));
    expect(q.aliases.length).toBeGreaterThan(0);
    expect(rows).toEqual(q.aliases.map((a) => ['make', a.alias, a.value, formatInteger(a.rows)]));
  });
});

describe('downloads page', () => {
  it('lists every table with its rows, and links to files whose sha256 is the one shown', () => {
    const manifest = readJson<Manifest>(join(out, 'data/sales/manifest.json'));
    const doc = page('downloads');
    let links = 0;
    for (const table of manifest.tables) {
      const article = doc.querySelector(`[data-table="${table.name}"]`);
      expect(article, table.name).not.toBeNull();
      expect(text(article!.querySelector('[data-rows]'))).toBe(formatInteger(table.rows));
      const expected = Object.keys(table.files).length + (manifest.arrow[table.name] ? 1 : 0);
      const rows = article!.querySelectorAll('tr[data-file]');
      expect(rows).toHaveLength(expected);
      for (const row of rows) {
        const file = fileOf(row.querySelector('a')!.getAttribute('href')!);
        expect(existsSync(file), file).toBe(true);
        const sha = createHash('sha256').update(readFileSync(file)).digest('hex');
        expect(text(row.querySelector('code.sha256'))).toBe(sha);
        links += 1;
      }
      // The data dictionary names every column.
      const dictionary = [...article!.querySelectorAll('details th[scope="row"]')].map((th) => text(th));
      expect(dictionary).toEqual(table.columns.map((c) => c.name));
    }
    expect(links).toBeGreaterThanOrEqual(manifest.tables.length * 2);
    const apiLinks = [...doc.querySelectorAll('#api ~ ul a')].map((a) => a.getAttribute('href')!);
    for (const file of manifest.api) {
      expect(apiLinks).toContain(`/api/sales/${file}`);
      expect(existsSync(fileOf(`/api/sales/${file}`))).toBe(true);
    }
    for (const input of manifest.inputs) expect(text(doc.querySelector('#inputs ~ .table-wrap'))).toContain(input.sha256);
  });
});

describe('downloads page of cars', () => {
  it('lists each table under the kind its declaration gives it, whatever its name', () => {
    const manifest = readJson<Manifest>(join(out, 'data/cars/manifest.json'));
    const doc = page('cars/downloads');
    const listed = (kind: string) => [...doc.querySelectorAll(`section[aria-labelledby="kind-${kind}"] [data-table]`)].map((a) => a.getAttribute('data-table'));
    expect(listed('model')).toEqual(['price_sample', 'price_model', 'price_model_eval']);
    expect(listed('reference')).toEqual(['ref_state']);
    expect(listed('rejects')).toEqual(['rejects']);
    expect(listed('dimension')).toEqual(['dim_date', 'dim_vehicle', 'dim_state', 'dim_seller']);
    // Every table of the manifest is listed once, under its own kind.
    const kinds = new Map(manifest.tables.map((t) => [t.name, t.kind]));
    for (const kind of new Set(kinds.values())) expect(listed(kind)).toEqual(manifest.tables.filter((t) => t.kind === kind).map((t) => t.name));
  });
});

describe('about page', () => {
  it('defines every declared measure and hierarchy', () => {
    const { spec } = loadDataset('sales');
    const doc = page('about');
    const terms = [...doc.querySelectorAll('dl.definitions dt')].map((dt) => text(dt));
    expect(terms).toEqual(spec.measures.map((m) => m.label));
    for (const d of spec.dimensions) {
      expect(text(doc.querySelector(`[data-dimension="${d.name}"]`))).toBe(
        `${d.label}: ${d.levels.map((l) => l.label).join(' › ')}${d.levels.length === 1 ? ' (one level)' : ''}`,
      );
    }
    expect(text(doc.querySelector('main'))).toContain(spec.defaultFilter!.label);
  });
});

describe('what a dashboard page asks for from its head', () => {
  it('its script, every chunk that script imports, and its small cells, before the body', () => {
    const doc = page('');
    const head = doc.querySelector('head')!;
    const scripts = [...head.querySelectorAll('script[type="module"]')].map((s) => s.getAttribute('src')!);
    expect(scripts.some((src) => src.includes('DashboardHead'))).toBe(true);
    expect(doc.querySelector('body script')).toBeNull();
    // Each static import of each script is preloaded (read from the built files themselves).
    const preloaded = new Set([...head.querySelectorAll('link[rel="modulepreload"]')].map((l) => l.getAttribute('href')!));
    const importsOf = (src: string): string[] => [...readFileSync(fileOf(src), 'utf8').matchAll(/(?:^|;|\})\s*import\s*(?:[^'"`;]*?from\s*)?["']\.\/([^"']+\.js)["']/g)].map((m) => `/_astro/${m[1]}`);
    const wanted = new Set<string>();
    const walk = (src: string) => importsOf(src).forEach((dep) => !wanted.has(dep) && (wanted.add(dep), walk(dep)));
    scripts.forEach(walk);
    expect(wanted.size).toBeGreaterThan(0);
    expect([...wanted].filter((dep) => !preloaded.has(dep))).toEqual([]);
    const manifest = readJson<Manifest>(join(out, 'data/sales/manifest.json'));
    const overview = manifest.pages.find((p) => p.page === '')!;
    expect(overview.prefetch).toBe(true);
    expect([...head.querySelectorAll('link[rel="preload"][as="fetch"]')].map((l) => l.getAttribute('href'))).toEqual(overview.files.map((f) => `/data/sales/${f.path}`));
  });
});
