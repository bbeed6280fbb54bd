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
  /** Changes that needed a fetch first (the page's cells, a member's detail), to the figures drawn from it. */
  fetch: number[];
}

/** One first visit of a page: what it loaded until idle, its load timings, and the durations of the scripted updates. */
async function visit(path: string) {
  // A fresh context per visit: nothing cached.
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  // The functions handed to the page are compiled keeping their names, with a helper the page lacks.
  await context.addInitScript({ content: 'globalThis.__name = (f) => f;' });
  const page = await context.newPage();
  await page.goto(server.url + path, { waitUntil: 'networkidle' });
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
      const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
      // Between changes the deferred redraws finish, and the next change comes after a frame, as a click would: the
      // page is laid out and painted in between (and knows again which of its parts are on screen).
      const settle = async () => {
        while (window.salescube!.pending() > 0) await sleep(5);
        await new Promise((r) => requestAnimationFrame(() => setTimeout(r, 0)));
      };
      const fire = (target: EventTarget, event: Event) => (target.dispatchEvent(event), event);
      // A change is timed from its event to the end of the update that drew it: the synchronous handler (the form
      // read, the figures, the URL recorded) or, when the change needed data first, the redraw once it arrived. It
      // needed a fetch when the page requested a data file meanwhile (files read before are drawn from at once).
      const dataFiles = () => performance.getEntriesByType('resource').filter((e) => e.name.endsWith('.arrow')).length;
      const timed = async (change: () => Event) => {
        const requested = dataFiles();
        const count = (name: string) => performance.getEntriesByName(name).length;
        const end = (name: string, i: number) => {
          const e = performance.getEntriesByName(name)[i];
          return e ? e.startTime + e.duration : NaN;
        };
        const [drawn, all] = [count('filter-update'), count('filter-update-all')];
        const event = change();
        const handled = performance.now();
        while (count('filter-update') === drawn && performance.now() < handled + 60_000) await sleep(2);
        await settle();
        const fetched = dataFiles() > requested;
        return { onScreen: Math.max(handled, end('filter-update', drawn)) - event.timeStamp, all: Math.max(handled, end('filter-update-all', all)) - event.timeStamp, fetched };
      };
      const bar = document.querySelector<HTMLFormElement>('[data-filter-bar]')!;
      // The boxes of the dataset's first filter (sales: product lines; cars: makes).
      const column = window.salescube!.spec.filters[0]!;
      const boxes = [...bar.querySelectorAll<HTMLInputElement>(`[data-filter="${column}"] input`)];
      const from = bar.querySelector<HTMLInputElement>('[name=from]')!;
      const result: Latencies = { onScreen: [], all: [], choice: [], fetch: [] };
      // The first view's off-screen work finishes first.
      await settle();
      for (let i = 0; i < n; i++) {
        // Every third change moves the start of the date range, through each of the dataset's years in turn.
        const start = i % 3 === 0 ? `${years[(i / 3) % years.length]}-01-01` : '';
        const choice = choices !== null && i % span === 0;
        const t = await timed(() => {
          if (choice) {
            // A pivot choice, with the filters reset, as a shared link opens it (the back button takes the same path).
            const params = new URLSearchParams(choices![Math.floor(i / span) % choices!.length]);
            if (start) params.set('from', start);
            history.pushState(null, '', `?${params}`);
            return fire(window, new PopStateEvent('popstate'));
          }
          const line = boxes[i % boxes.length]!.value;
          for (const box of boxes) box.checked = box.value === line;
          from.value = start;
          return fire(boxes[0]!, new Event('change', { bubbles: true }));
        });
        if (t.fetched) result.fetch.push(t.onScreen);
        else if (choice) result.choice.push(t.onScreen);
        else {
          result.onScreen.push(t.onScreen);
          result.all.push(t.all);
        }
      }
      // A filter on one member of each column the page's cells leave out fetches that member's detail.
      const { details } = JSON.parse(document.querySelector<HTMLElement>('[data-dashboard]')!.dataset.cells!) as { details: { column: string }[] };
      for (const { column: detail } of details) {
        const group = bar.querySelector(`[data-filter="${detail}"]`);
        const box = group?.querySelector<HTMLInputElement>('input');
        if (!group || !box) continue;
        // That member alone in its group; every other group all ticked (no filter).
        for (const other of bar.querySelectorAll<HTMLInputElement>('input[type=checkbox]')) other.checked = !group.contains(other) || other === box;
        from.value = '';
        const t = await timed(() => fire(box, new Event('change', { bubbles: true })));
        if (t.fetched) result.fetch.push(t.onScreen);
      }
      return result;
    }, [updates, explorer ? CHOICES : null, CHOICE_SPAN, YEARS] as const);
  }
  await context.close();
  return { bytes, total, timing, latencies };
}

/**
 * A first visit on the phone profile (9 Mb/s, 150 ms round trip, CPU slowed 4×, files gzipped by the server): the
 * time from navigation until the page has answered a filter changed as soon as its script runs.
 */
async function phoneVisit(path: string): Promise<number> {
  const context = await browser.newContext({ viewport: { width: 390, height: 844 }, isMobile: true });
  const page = await context.newPage();
  const cdp = await context.newCDPSession(page);
  await cdp.send('Network.enable');
  await cdp.send('Network.emulateNetworkConditions', { offline: false, latency: 150, downloadThroughput: 9e6 / 8, uploadThroughput: 9e6 / 8 });
  await cdp.send('Emulation.setCPUThrottlingRate', { rate: 4 });
  // A browser that has drawn a page before, as a phone's has: a fresh renderer's first style and layout pass sets up
  // its fonts (it tripled the page's own, 0.6 s of a 1.8 s load). The page drawn is the server's 404, which caches
  // nothing the site uses.
  await page.goto(`${server.url}/not-a-page`);
  await page.goto(server.url + path, { waitUntil: 'commit' });
  await page.waitForFunction(() => window.salescube !== undefined, null, { polling: 10, timeout: 120_000 });
  const answered = await page.evaluate(async () => {
    const bar = document.querySelector<HTMLFormElement>('[data-filter-bar]')!;
    const box = bar.querySelector<HTMLInputElement>(`[data-filter="${window.salescube!.spec.filters[0]}"] input`)!;
    box.checked = !box.checked;
    box.dispatchEvent(new Event('change', { bubbles: true }));
    while (!performance.getEntriesByName('filter-update').length) await new Promise((r) => setTimeout(r, 10));
    const drawn = performance.getEntriesByName('filter-update')[0]!;
    return drawn.startTime + drawn.duration;
  });
  await context.close();
  return answered;
}

const server = await serve(resolve(root), { gzip: true });
const browser = await launchChromium();
const results = [];
for (const path of PAGES) {
  const measured: Awaited<ReturnType<typeof visit>>[] = [];
  for (let v = 0; v < visits; v++) measured.push(await visit(path));
  const median = (xs: (number | null)[]) => quantile(xs.filter((x): x is number => x !== null), 0.5);
  const pooled = (pick: (l: Latencies) => number[]) => measured.flatMap((m) => (m.latencies ? pick(m.latencies) : []));
  const stats = (xs: number[]) => ({ updates: xs.length, median: quantile(xs, 0.5), p95: quantile(xs, 0.95), max: Math.max(...xs) });
  const fetches = pooled((l) => l.fetch);
  results.push({
    page: path,
    visits,
    bytes: measured[0]!.bytes,
    total: measured[0]!.total,
    timing: { firstChart: median(measured.map((m) => m.timing.firstChart)), interactive: median(measured.map((m) => m.timing.interactive)) },
    latency: measured[0]!.latencies
      ? {
          onScreen: stats(pooled((l) => l.onScreen)),
          all: stats(pooled((l) => l.all)),
          ...(measured[0]!.latencies.choice.length ? { choice: stats(pooled((l) => l.choice)) } : {}),
          ...(fetches.length ? { fetch: stats(fetches) } : {}),
        }
      : null,
    // One first visit on the phone profile moved by half a second from run to run: the median of three.
    phone: measured[0]!.latencies ? quantile([await phoneVisit(path), await phoneVisit(path), await phoneVisit(path)], 0.5) : null,
  });
}
await browser.close();
await server.close();

const kb = (n: number) => (n / 1024).toFixed(1);
console.log('page | total gzip KB (raw) | html | js | css | data | first chart ms | interactive ms | filter on screen median / p95 ms | all charts median / p95 ms | pivot choice median / p95 ms | after a fetch median / p95 ms (fetches) | phone: answers a filter ms');
for (const r of results) {
  const g = (t: string) => kb(r.bytes[t]?.gzip ?? 0);
  console.log(
    `${r.page} | ${kb(r.total.gzip)} (${kb(r.total.raw)}) | ${g('html')} | ${g('js')} | ${g('css')} | ${g('data')} | ${r.timing.firstChart?.toFixed(0)} | ${r.timing.interactive?.toFixed(0)} | ${r.latency ? `${r.latency.onScreen.median.toFixed(1)} / ${r.latency.onScreen.p95.toFixed(1)} | ${r.latency.all.median.toFixed(1)} / ${r.latency.all.p95.toFixed(1)}` : '– | –'} | ${r.latency?.choice ? `${r.latency.choice.median.toFixed(1)} / ${r.latency.choice.p95.toFixed(1)}` : '–'} | ${r.latency?.fetch ? `${r.latency.fetch.median.toFixed(0)} / ${r.latency.fetch.p95.toFixed(0)} (${r.latency.fetch.updates})` : '–'} | ${r.phone?.toFixed(0) ?? '–'}`,
  );
}
if (values.out) writeFileSync(values.out, `${JSON.stringify(results, null, 2)}\n`);
