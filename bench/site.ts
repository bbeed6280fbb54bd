/**
 * Site benchmark: serves dist/, and per page measures the bytes transferred by type (raw and gzip), the time
 * to the first chart, and the latency of filter updates (performance marks written by the page itself). Each
 * page is visited --visits times, each time as a first visit: the updates of all visits are pooled (one visit's
 * p95 over 50 updates moved by half from run to run) and the load timings are their medians.
 * Usage: npm run bench:site [-- --dataset cars --dist DIR --updates 50 --visits 3 --out bench/site.json]
 * (--dist: the built site to serve, default dist/, e.g. a 558k cars build made with --out)
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { gzipSync } from 'node:zlib';
import { launchChromium } from '../tests/helpers/browser.ts';
import { serve } from '../tests/helpers/server.ts';

const { values } = parseArgs({ options: { dataset: { type: 'string', default: 'sales' }, dist: { type: 'string', default: 'dist' }, updates: { type: 'string', default: '50' }, visits: { type: 'string', default: '3' }, out: { type: 'string' } } });
const root = values.dist;
const updates = Number(values.updates);
const visits = Number(values.visits);
/** Per dataset: its pages, and the years the scripted date ranges start in. */
const DATASETS: Record<string, { pages: string[]; years: number[] }> = {
  sales: { pages: ['/', '/products/', '/customers/', '/geography/', '/orders/', '/explorer/', '/quality/', '/downloads/', '/about/', '/customers/euro-shopping-channel/'], years: [2003, 2004, 2005] },
  cars: { pages: ['/cars/', '/cars/makes/', '/cars/price-drivers/', '/cars/regions/', '/cars/sellers/', '/cars/explorer/'], years: [2014, 2015, 2015] },
};
const { pages: PAGES, years: YEARS } = DATASETS[values.dataset] ?? DATASETS.sales!;

/**
 * The explorer's scripted pivot choices (measure, rows, columns). Each is held for CHOICE_SPAN updates: the first
 * changes the choice, the rest change filters as on the dashboards. The budget is for filter changes; a choice
 * change draws another kind of chart and table, often for the first time, and is reported on its own.
 */
const CHOICE_SPAN = 8;
const CHOICES = [
  'measure=revenue&rows=time.year',
  'measure=customers&rows=geography.territory&cols=time.year',
  'measure=aov&rows=product.product_line&cols=deal_size.deal_size',
  'measure=orders&rows=time.month&cols=product.product_line',
  'measure=units&rows=geography.country&product_line=Ships',
  'measure=revenue&rows=customer.customer&cols=status.status',
];

const kind = (url: string) => (/\.js$/.test(url) ? 'js' : /\.css$/.test(url) ? 'css' : /\.(arrow|json|parquet|csv)$/.test(url) ? 'data' : /\.svg$/.test(url) ? 'image' : 'html');
const quantile = (xs: number[], q: number) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length ? s[Math.min(s.length - 1, Math.floor(q * s.length))]! : NaN;
};

interface Latencies {
  onScreen: number[];
  all: number[];
  /** The explorer's pivot-choice changes (on screen); empty elsewhere. */
  choice: number[];
}

/** One first visit of a page: what it loaded, its load timings, and the durations of the scripted updates. */
async function visit(path: string) {
  // A fresh context per visit: nothing cached.
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  const page = await context.newPage();
  await page.goto(server.url + path, { waitUntil: 'load' });
  const dashboard = (await page.locator('[data-dashboard]').count()) > 0;
  if (dashboard) await page.waitForFunction(() => window.salescube?.ready === true);
  const timing = await page.evaluate(() => {
    const paint = performance.getEntriesByName('first-contentful-paint')[0]?.startTime ?? null;
    const nav = performance.getEntriesByType('navigation')[0] as PerformanceNavigationTiming;
    const interactive = performance.getEntriesByName('filter-update')[0];
    return { firstChart: paint, interactive: interactive ? interactive.startTime + interactive.duration : nav.domInteractive };
  });
  // What the page loaded, as the page itself records it (the document and every resource, fetches included).
  const loaded = await page.evaluate(() => [location.pathname, ...performance.getEntriesByType('resource').map((e) => new URL(e.name).pathname)]);
  const files = new Map(loaded.map((p) => [p, kind(p)]));
  const bytes: Record<string, { raw: number; gzip: number }> = {};
  for (const [file, type] of files) {
    let local = join(root, decodeURIComponent(file));
    if (file.endsWith('/')) local = join(local, 'index.html');
    // A request the site does not answer (the browser's own /favicon.ico) transfers none of its bytes.
    if (!existsSync(local)) continue;
    const content = readFileSync(local);
    bytes[type] ??= { raw: 0, gzip: 0 };
    bytes[type].raw += content.length;
    bytes[type].gzip += gzipSync(content, { level: 9 }).length;
  }
  const total = Object.values(bytes).reduce((a, b) => ({ raw: a.raw + b.raw, gzip: a.gzip + b.gzip }), { raw: 0, gzip: 0 });
  let latencies: Latencies | undefined;
  if (dashboard) {
    // Scripted filter changes, through the path a click takes: the filter bar's boxes and start date are set, and
    // the change event a click fires reaches the bar. They alternate product lines (cars: makes) and years.
    const explorer = path === '/explorer/' && values.dataset === 'sales';
    latencies = await page.evaluate(async ([n, choices, span, years]) => {
      // The first view's off-screen work finishes first: its measure would be counted as the first update's.
      while (window.salescube!.pending() > 0) await new Promise((r) => setTimeout(r, 5));
      performance.clearMeasures('filter-update');
      performance.clearMeasures('filter-update-all');
      // The boxes of the dataset's first filter (sales: product lines; cars: makes).
      const column = window.salescube!.spec.filters[0]!;
      const bar = document.querySelector<HTMLFormElement>('[data-filter-bar]')!;
      const boxes = [...bar.querySelectorAll<HTMLInputElement>(`[data-filter="${column}"] input`)];
      const from = bar.querySelector<HTMLInputElement>('[name=from]')!;
      // Which updates change the pivot choice. (No named functions in here: the page lacks the bundler's helper for them.)
      const choiceChanges: boolean[] = [];
      for (let i = 0; i < n; i++) {
        choiceChanges.push(choices !== null && i % span === 0);
        // Every third change moves the start of the date range, through each of the dataset's years in turn.
        const start = i % 3 === 0 ? `${years[(i / 3) % years.length]}-01-01` : '';
        if (choiceChanges[i]) {
          // A pivot choice, with the filters reset, as a shared link opens it (the back button takes the same path).
          const params = new URLSearchParams(choices![Math.floor(i / span) % choices!.length]);
          if (start) params.set('from', start);
          history.pushState(null, '', `?${params}`);
          dispatchEvent(new PopStateEvent('popstate'));
        } else {
          const line = boxes[i % boxes.length]!.value;
          for (const box of boxes) box.checked = box.value === line;
          from.value = start;
          boxes[0]!.dispatchEvent(new Event('change', { bubbles: true }));
        }
        while (window.salescube!.pending() > 0) await new Promise((r) => setTimeout(r, 5));
        // The next change comes after a frame, as a click would: the page is laid out and painted in between (and
        // knows again which of its parts are on screen).
        await new Promise((r) => requestAnimationFrame(() => setTimeout(r, 0)));
      }
      const [onScreen, all] = ['filter-update', 'filter-update-all'].map((name) => performance.getEntriesByName(name).map((e) => e.duration));
      return {
        onScreen: onScreen!.filter((_, i) => !choiceChanges[i]),
        all: all!.filter((_, i) => !choiceChanges[i]),
        choice: onScreen!.filter((_, i) => choiceChanges[i]),
      };
    }, [updates, explorer ? CHOICES : null, CHOICE_SPAN, YEARS] as const);
  }
  await context.close();
  return { bytes, total, timing, latencies };
}

const server = await serve(resolve(root));
const browser = await launchChromium();
const results = [];
for (const path of PAGES) {
  const measured: Awaited<ReturnType<typeof visit>>[] = [];
  for (let v = 0; v < visits; v++) measured.push(await visit(path));
  const median = (xs: (number | null)[]) => quantile(xs.filter((x): x is number => x !== null), 0.5);
  const pooled = (pick: (l: Latencies) => number[]) => measured.flatMap((m) => (m.latencies ? pick(m.latencies) : []));
  const stats = (xs: number[]) => ({ updates: xs.length, median: quantile(xs, 0.5), p95: quantile(xs, 0.95), max: Math.max(...xs) });
  results.push({
    page: path,
    visits,
    bytes: measured[0]!.bytes,
    total: measured[0]!.total,
    timing: { firstChart: median(measured.map((m) => m.timing.firstChart)), interactive: median(measured.map((m) => m.timing.interactive)) },
    latency: measured[0]!.latencies
      ? { onScreen: stats(pooled((l) => l.onScreen)), all: stats(pooled((l) => l.all)), ...(measured[0]!.latencies.choice.length ? { choice: stats(pooled((l) => l.choice)) } : {}) }
      : null,
  });
}
await browser.close();
await server.close();

const kb = (n: number) => (n / 1024).toFixed(1);
console.log('page | total gzip KB (raw) | html | js | css | data | first chart ms | interactive ms | filter on screen median / p95 ms | all charts median / p95 ms | pivot choice median / p95 ms');
for (const r of results) {
  const g = (t: string) => kb(r.bytes[t]?.gzip ?? 0);
  console.log(
    `${r.page} | ${kb(r.total.gzip)} (${kb(r.total.raw)}) | ${g('html')} | ${g('js')} | ${g('css')} | ${g('data')} | ${r.timing.firstChart?.toFixed(0)} | ${r.timing.interactive?.toFixed(0)} | ${r.latency ? `${r.latency.onScreen.median.toFixed(1)} / ${r.latency.onScreen.p95.toFixed(1)} | ${r.latency.all.median.toFixed(1)} / ${r.latency.all.p95.toFixed(1)}` : '– | –'} | ${r.latency?.choice ? `${r.latency.choice.median.toFixed(1)} / ${r.latency.choice.p95.toFixed(1)}` : '–'}`,
  );
}
if (values.out) writeFileSync(values.out, `${JSON.stringify(results, null, 2)}\n`);
