/** The pipeline benchmark's results (bench/report.json) and their Markdown rendering (bench/report.md). */
import { readFileSync } from 'node:fs';

/** From the product brief. */
export const BUDGETS = {
  sampleMs: 2_000,
  buildMs: 20_000,
  pipelineMs: { '1M': 15_000, '10M': 90_000 } as Record<string, number>,
  /** 3 GB, taken as 3 × 10^9 bytes. */
  peakKb: 3e9 / 1024,
  /** Tighter peaks for a dataset's size (restated budgets, with the floor ratios). */
  peakKbAt: { 'sales 10M': 2e9 / 1024 } as Record<string, number>,
  /** Pipeline ÷ the bare DuckDB COPY of the same rows, per dataset: restated from 2× for both, since the pipeline
   *  also decodes, types, validates, models and slices what the COPY only reads, and cars build more slices. */
  floorRatio: { sales: 4, cars: 8 } as Record<string, number>,
  /** Sales' ingest stage ÷ the floor's COPY, both timed inside their process. */
  ingestRatio: 1.5,
  /** 250 KB, in the site benchmark's KB of 1,024 bytes. */
  pageGzipBytes: 250 * 1024,
  filterP95Ms: 16,
  /** The browser's files (page cells, details, slices, member records) as a share of the pipeline's wall time. */
  browserShare: 0.2,
  /** At every size (issue budgets for the pages at scale). */
  carsFilterP95Ms: 50,
  firstLoadBytes: 300_000,
  fetchP95Ms: 300,
  phoneMs: 2_500,
};

export interface Size {
  label: string;
  rows: number;
  /** The file the pipeline reads (in the sample's encoding). */
  input: string;
  /** The same rows in UTF-8, for the floor. */
  utf8: string;
  bytes: number;
  generation: { ms: number; rowsPerS: number } | 'cached' | 'bundled';
  /** 'input' when the input already is UTF-8 and the floor reads it as is. */
  utf8Copy: { ms: number } | 'cached' | 'input';
}

export interface Run {
  ok: boolean;
  timedOut: boolean;
  memoryGuard: boolean;
  wallMs: number;
  peakKb: number;
  timeMaxRssKb?: number;
  hwmSumKb: number;
  rssSumPeakKb: number;
  /** 1-minute load average when the run started. */
  load: number;
  /** CPU seconds of the process tree. */
  cpuS?: number;
  /** Cores' worth of CPU used by other processes on the machine during the run (bench/measure.ts). */
  otherCores?: number;
  /** The command's own JSON line, when it printed one. */
  json?: Record<string, any>;
  /** What the pipeline wrote for the browser (its manifest), for a pipeline run. */
  browser?: BrowserData;
  /** The site over a pipeline run's outputs, measured (the first run of each size). */
  site?: { results?: SiteResult[]; error?: string };
  error?: string;
}

/** The browser's data a pipeline run wrote: what a page fetches for its first filter, and a detail for one member. */
export interface BrowserData {
  /** Page → cells, and all its files gzipped (its first fetch). */
  pages: Record<string, { cells: number; gzip: number }>;
  /** Detail column → its members, and the largest member's file gzipped (a filter on or a drill into one member). */
  details: Record<string, { members: number; gzip: number }>;
}

export interface SiteResult {
  page: string;
  total: { raw: number; gzip: number };
  bytes: Record<string, { raw: number; gzip: number }>;
  latency: null | { onScreen: Latency; all: Latency; choice?: Latency; fetch?: Latency };
  /** On the phone profile: ms from navigation until the page answered a filter. */
  phone?: number | null;
}
interface Latency {
  updates: number;
  median: number;
  p95: number;
  max: number;
  /** Each run's p95, when the site benchmark ran more than once (median and p95 are then the runs' medians). */
  p95Runs?: number[];
}

const medianOf = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor((xs.length - 1) / 2)]!;

/**
 * Several runs of the site benchmark as one: a page's latency figures are the medians over the runs (a p95 over
 * 150 updates still moves by a few ms with what else the machine does), each run's p95 kept for the spread.
 */
export function mergeSiteRuns(runs: SiteResult[][]): SiteResult[] {
  return runs[0]!.map((first, i) => {
    const pages = runs.map((run) => run[i]!);
    const merge = (pick: (l: NonNullable<SiteResult['latency']>) => Latency | undefined): Latency | undefined => {
      const all = pages.map((p) => p.latency && pick(p.latency)).filter((l): l is Latency => !!l);
      if (!all.length) return undefined;
      return {
        updates: all.reduce((n, l) => n + l.updates, 0),
        median: medianOf(all.map((l) => l.median)),
        p95: medianOf(all.map((l) => l.p95)),
        max: Math.max(...all.map((l) => l.max)),
        ...(all.length > 1 ? { p95Runs: all.map((l) => l.p95) } : {}),
      };
    };
    const [choice, fetch] = [merge((l) => l.choice), merge((l) => l.fetch)];
    const phones = pages.map((p) => p.phone).filter((x): x is number => typeof x === 'number');
    return {
      ...first,
      latency: first.latency && { onScreen: merge((l) => l.onScreen)!, all: merge((l) => l.all)!, ...(choice ? { choice } : {}), ...(fetch ? { fetch } : {}) },
      phone: phones.length ? medianOf(phones) : null,
    };
  });
}

/** One dataset's results from one benchmark run. */
export interface BenchResult {
  /** 'full' for every run but --quick (the command says which). */
  mode: 'quick' | 'full';
  date: string;
  commit: string;
  dirty: boolean;
  machine: { cpu: string; cores: number; memoryGiB: number; node: string; duckdb: string; gnuTime: boolean };
  settings: { dataset: string; seed: number; reps: number; timeLimitS: number; generatorVersion: number; command?: string };
  /** The whole benchmark run's minutes (0 for the later datasets of a run that measured several). */
  elapsedS: number;
  budgets: typeof BUDGETS;
  sizes: (Size & { pipeline: Run[]; floor: Run[] })[];
  /** The builds and the site benchmark, measured with sales. */
  build?: Run[];
  noopBuild?: Run;
  site?: { results: SiteResult[]; table: string; wallMs: number; error?: string };
}

const DATASET_ORDER = ['sales', 'cars'];
const byDataset = (a: BenchResult, b: BenchResult) => {
  const rank = (r: BenchResult) => (DATASET_ORDER.includes(r.settings.dataset) ? DATASET_ORDER.indexOf(r.settings.dataset) : DATASET_ORDER.length);
  return rank(a) - rank(b) || a.settings.dataset.localeCompare(b.settings.dataset);
};

/** bench/report.json: `{ results: [...] }`, one per dataset; an older file holding a single result reads as one. */
export function readResults(file: string): BenchResult[] {
  const saved = JSON.parse(readFileSync(file, 'utf8')) as { results?: BenchResult[] } & Partial<BenchResult>;
  return (saved.results ?? (saved.sizes ? [saved as BenchResult] : [])).sort(byDataset);
}

/** The fresh results replace those of the same dataset; the others are kept. */
export function mergeResults(saved: BenchResult[], fresh: BenchResult[]): BenchResult[] {
  const ran = new Set(fresh.map((r) => r.settings.dataset));
  // Builds and site come with sales: a sales run without them (impossible today) would keep the saved ones.
  return [...saved.filter((r) => !ran.has(r.settings.dataset)), ...fresh].sort(byDataset);
}

// ---------------------------------------------------------------------------------------------- figures

export interface Stat {
  median: number;
  min: number;
  max: number;
  n: number;
}

export function stat(xs: number[]): Stat | undefined {
  if (!xs.length) return undefined;
  const s = [...xs].sort((a, b) => a - b);
  const mid = Math.floor(s.length / 2);
  return { median: s.length % 2 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2, min: s[0]!, max: s[s.length - 1]!, n: s.length };
}

const ok = (runs: Run[]) => runs.filter((r) => r.ok);
const unfinished = (runs: Run[]) => runs.find((r) => !r.ok);
const sec = (ms: number) => (ms >= 100_000 ? (ms / 1000).toFixed(0) : ms >= 10_000 ? (ms / 1000).toFixed(1) : (ms / 1000).toFixed(2));
const gb = (kb: number) => (kb * 1024) / 1e9;
const fmtGb = (kb: number) => `${gb(kb).toFixed(2)} GB`;
const int = (n: number) => Math.round(n).toLocaleString('en-US');
/** A page's p95 as a Stat: the median of the site runs' p95s, with their spread. */
const p95Stat = (l: Latency): Stat => {
  const runs = l.p95Runs ?? [l.p95];
  return { median: l.p95, min: Math.min(...runs), max: Math.max(...runs), n: runs.length };
};
const spread = (s: Stat, f: (n: number) => string, unit = '') => (s.n > 1 ? `${f(s.median)}${unit} (${f(s.min)}–${f(s.max)}, ${s.n} runs)` : `${f(s.median)}${unit} (1 run)`);
const status = (within: boolean | undefined) => (within === undefined ? 'not measured' : within ? '✅ within' : '❌ over');

interface Figures {
  wall?: Stat;
  peak?: Stat;
  floorWall?: Stat;
  floorCopy?: Stat;
  floorPeak?: Stat;
  stages: Record<string, Stat>;
  stageTotal?: Stat;
  /** The export stage's browser files: ms, and as a share of the run's wall time. */
  browser?: Stat;
  browserShare?: Stat;
  ratio?: number;
  ratioInProcess?: number;
  /** When no run finished: how long the first one ran before it was stopped or failed (a lower bound)… */
  stoppedAt?: number;
  /** …its peak memory until then (a lower bound too)… */
  stoppedPeakKb?: number;
  /** …and why it ended. */
  stoppedWhy?: string;
}

export function figures(size: BenchResult['sizes'][number]): Figures {
  const runs = ok(size.pipeline);
  const floor = ok(size.floor);
  const stageNames = [...new Set(runs.flatMap((r) => Object.keys(r.json?.ms ?? {})))];
  const stages = Object.fromEntries(stageNames.map((name) => [name, stat(runs.map((r) => Number(r.json!.ms[name] ?? 0)))!]));
  const stageTotal = stat(runs.map((r) => Object.values<number>(r.json!.ms).reduce((a, b) => a + b, 0)));
  const wall = stat(runs.map((r) => r.wallMs));
  const floorWall = stat(floor.map((r) => r.wallMs));
  const floorCopy = stat(floor.map((r) => Number(r.json!.ms)));
  const browserRuns = runs.filter((r) => r.json?.parts?.['export.browser'] !== undefined);
  const halted = runs.length ? undefined : unfinished(size.pipeline);
  return {
    wall,
    peak: stat(runs.map((r) => r.peakKb)),
    floorWall,
    floorCopy,
    floorPeak: stat(floor.map((r) => r.peakKb)),
    stages,
    stageTotal,
    browser: stat(browserRuns.map((r) => Number(r.json!.parts['export.browser']))),
    browserShare: stat(browserRuns.map((r) => Number(r.json!.parts['export.browser']) / r.wallMs)),
    ratio: wall && floorWall ? wall.median / floorWall.median : undefined,
    ratioInProcess: stageTotal && floorCopy ? stageTotal.median / floorCopy.median : undefined,
    stoppedAt: halted?.wallMs,
    stoppedPeakKb: halted?.peakKb,
    stoppedWhy: halted?.error,
  };
}

// ---------------------------------------------------------------------------------------------- markdown

/** A build's skipped stages: one list per dataset (or one list, from a single-dataset build). */
function skippedStages(skipped: unknown): string {
  if (Array.isArray(skipped)) return skipped.join(', ') || 'none';
  return Object.entries(skipped as Record<string, string[]>).map(([dataset, stages]) => `${dataset}: ${stages.join(', ') || 'none'}`).join('; ');
}

export function renderReport(results: BenchResult[]): string {
  const out: string[] = [];
  const line = (text = '') => out.push(text);
  const table = (head: string[], rows: string[][]) => {
    line(`| ${head.join(' | ')} |`);
    line(`|${head.map(() => '---').join('|')}|`);
    for (const row of rows) line(`| ${row.join(' | ')} |`);
    line();
  };
  const first = results[0];
  if (!first) return '# Benchmark report\n\nNo results yet: run `npm run bench`.\n';
  // Judged against today's budgets: a saved result keeps the ones of its day in `budgets`, for the record.
  const b = BUDGETS;
  // Every size of every dataset, in report order.
  const all = results.flatMap((r) => r.sizes.map((s) => ({ dataset: r.settings.dataset, size: s, f: figures(s) })));
  const named = (e: { dataset: string; size: { label: string } }) => `${e.dataset} ${e.size.label}`;
  const withSite = results.find((r) => r.build?.length || r.site);
  const builds = withSite?.build ?? [];
  const noopBuild = withSite?.noopBuild;

  line('# Benchmark report');
  line();
  line(`${first.machine.cores} × ${first.machine.cpu}, ${first.machine.memoryGiB} GiB; Node ${first.machine.node}, DuckDB node-api ${first.machine.duckdb}. Each dataset's figures come from the run named beside it:`);
  line();
  for (const r of results) {
    const command = r.settings.command ?? (r.mode === 'quick' ? 'npm run bench -- --quick' : 'npm run bench');
    line(
      `- **${r.settings.dataset}**: \`${command}\`, ${r.date.slice(0, 16).replace('T', ' ')} UTC, commit \`${r.commit}\`${r.dirty ? ' with uncommitted changes' : ''}; ` +
        `seed ${r.settings.seed}, up to ${r.settings.reps} runs per figure${r.elapsedS ? `, whole benchmark ${(r.elapsedS / 60).toFixed(1)} min (limit ${(r.settings.timeLimitS / 60).toFixed(1)} min)` : ''}.`,
    );
  }
  const others = [...results.flatMap((r) => r.sizes.flatMap((s) => [...s.pipeline, ...s.floor])), ...builds].flatMap((x) => (x.otherCores === undefined ? [] : [x.otherCores]));
  if (others.length) {
    const o = stat(others)!;
    line();
    line(
      `Other processes on the machine used ${o.median.toFixed(2)} cores (median over runs; ${o.min.toFixed(2)}–${o.max.toFixed(2)}) of ${first.machine.cores} while the benchmarks ran` +
        (o.max > 0.25 ? ': the machine was shared, so the runs beside that work are slower than on a quiet machine (see "others" per run below).' : '.'),
    );
  }
  line();

  // Budgets
  line('## Budgets');
  line();
  const rows: string[][] = [];
  const timeRow = (label: string, e: (typeof all)[number], budgetMs: number) => {
    const { f } = e;
    if (f.wall) rows.push([label, spread(f.wall, sec, ' s'), `< ${budgetMs / 1000} s`, status(f.wall.median < budgetMs)]);
    else if (f.stoppedAt !== undefined) rows.push([label, `> ${sec(f.stoppedAt)} s, did not finish: ${f.stoppedWhy}`, `< ${budgetMs / 1000} s`, status(f.stoppedAt >= budgetMs ? false : undefined)]);
    else rows.push([label, 'not measured', `< ${budgetMs / 1000} s`, status(undefined)]);
  };
  const sample = all.find((e) => e.dataset === 'sales' && e.size.label === 'sample');
  if (sample) timeRow('Pipeline, bundled sales sample (wall)', sample, b.sampleMs);
  if (withSite) {
    const build = stat(ok(builds).map((x) => x.wallMs));
    rows.push(['`npm run build -- --force`, end to end (wall)', build ? spread(build, sec, ' s') : failure(builds), `< ${b.buildMs / 1000} s`, status(build && build.median < b.buildMs)]);
  }
  // Time budgets exist for sales' 1M and 10M; memory and the floor ratio apply to every generated size.
  for (const e of all.filter((x) => x.size.label !== 'sample')) {
    const { f } = e;
    const what = `${e.dataset}, ${int(e.size.rows)} rows`;
    const budgetMs = e.dataset === 'sales' ? b.pipelineMs[e.size.label] : undefined;
    if (budgetMs !== undefined) timeRow(`Pipeline, ${what} (wall)`, e, budgetMs);
    const peakKb = b.peakKbAt[named(e)] ?? b.peakKb;
    const peakBudget = `< ${gb(peakKb).toFixed(0)} GB`;
    if (f.peak) rows.push([`Peak memory, ${what} (process tree)`, spread(f.peak, (kb) => gb(kb).toFixed(2), ' GB'), peakBudget, status(f.peak.median < peakKb)]);
    else if (f.stoppedPeakKb !== undefined) {
      rows.push([`Peak memory, ${what} (process tree)`, `≥ ${fmtGb(f.stoppedPeakKb)} before the run ended`, peakBudget, status(f.stoppedPeakKb >= peakKb ? false : undefined)]);
    } else rows.push([`Peak memory, ${what} (process tree)`, 'not measured', peakBudget, status(undefined)]);
    const floorRatio = b.floorRatio[e.dataset] ?? Math.min(...Object.values(b.floorRatio));
    const ratio = f.ratio ?? (f.stoppedAt !== undefined && f.floorWall ? f.stoppedAt / f.floorWall.median : undefined);
    rows.push([
      `Pipeline ÷ bare DuckDB COPY, ${what} (wall ÷ wall)`,
      ratio === undefined ? 'not measured' : `${f.ratio === undefined ? '> ' : ''}${ratio.toFixed(1)}×${f.ratioInProcess ? ` (in-process ${f.ratioInProcess.toFixed(1)}×)` : ''}`,
      `≤ ${floorRatio}×`,
      status(ratio === undefined ? undefined : f.ratio === undefined ? (ratio > floorRatio ? false : undefined) : ratio <= floorRatio),
    ]);
    const ingest = f.stages.ingest;
    if (e.dataset === 'sales' && ingest && f.floorCopy) {
      const r = ingest.median / f.floorCopy.median;
      rows.push([`Ingest stage ÷ bare DuckDB COPY, ${what} (in process)`, `${r.toFixed(2)}×`, `≤ ${b.ingestRatio}×`, status(r <= b.ingestRatio)]);
    }
    if (f.browserShare) {
      const pct = (x: number) => (x * 100).toFixed(0);
      rows.push([`Browser files ÷ pipeline, ${what} (export's page cells, details, slices ÷ wall)`, spread(f.browserShare, pct, '%'), `≤ ${pct(b.browserShare)}%`, status(f.browserShare.median <= b.browserShare)]);
    }
  }
  const dashboards = (withSite?.site?.results ?? []).filter((p) => p.latency);
  if (dashboards.length) {
    const heaviest = dashboards.reduce((a, p) => (p.total.gzip > a.total.gzip ? p : a));
    rows.push([`Heaviest dashboard page, gzip (${heaviest.page})`, `${(heaviest.total.gzip / 1024).toFixed(1)} KB`, `≤ ${b.pageGzipBytes / 1024} KB`, status(heaviest.total.gzip <= b.pageGzipBytes)]);
    const slowest = dashboards.reduce((a, p) => (p.latency!.onScreen.p95 > a.latency!.onScreen.p95 ? p : a));
    rows.push([`Filter update p95, slowest dashboard (${slowest.page})`, spread(p95Stat(slowest.latency!.onScreen), (n) => n.toFixed(1), ' ms'), `≤ ${b.filterP95Ms} ms`, status(slowest.latency!.onScreen.p95 <= b.filterP95Ms)]);
    for (const p of dashboards.filter((d) => d.latency!.choice)) {
      const choice = p.latency!.choice!;
      rows.push([`Pivot choice change p95 (${p.page}; not a filter change)`, spread(p95Stat(choice), (n) => n.toFixed(1), ' ms'), 'none set', choice.p95 <= b.filterP95Ms ? `within ${b.filterP95Ms} ms` : `over ${b.filterP95Ms} ms`]);
    }
  } else if (withSite) rows.push(['Site benchmark', withSite.site?.error ? `failed: ${withSite.site.error.split('\n')[0]}` : 'not run', '', status(undefined)]);
  table(['figure', 'measured: median (min–max)', 'budget', ''], rows);
  line('Status is judged on the median. Memory is the peak of the whole process tree (see Method). The brief sets time budgets for the sales sample, 1M and 10M rows; the cars sizes are held to the memory and floor budgets only. The floor ratios (sales 4×, cars 8×), sales\' ingest (1.5× the COPY) and sales 10M\'s memory (2 GB) are the restated budgets of 2026-12 (the brief\'s 2× floor could not hold for a pipeline that also types, validates, models and slices).');
  line();

  // Pipeline vs floor
  line('## Pipeline and floor');
  line();
  line('The floor is DuckDB alone: `COPY (FROM read_csv(file)) TO file.parquet` on the same rows in UTF-8 (bench/floor.ts), as a child process started the same way (Node, which runs the TypeScript as it is). For cars, rows read = loaded + rejected + duplicates is checked on every run; the rejects are the quirks the generator copies from the source.');
  line();
  table(
    ['dataset', 'size', 'rows', 'input MB', 'pipeline wall s', 'rows/s', 'peak memory GB', 'floor wall s', 'floor COPY s (in process)', 'floor peak GB', 'pipeline ÷ floor (wall)', 'stages ÷ COPY (in process)', 'loaded / rejected / duplicates'],
    all.map((e) => {
      const { f, size: s } = e;
      const json = ok(s.pipeline)[0]?.json;
      return [
        e.dataset,
        s.label,
        int(s.rows),
        (s.bytes / 1e6).toFixed(1),
        f.wall ? spread(f.wall, sec) : f.stoppedAt !== undefined ? `> ${sec(f.stoppedAt)} (did not finish)` : 'not measured',
        f.wall ? int(s.rows / (f.wall.median / 1000)) : '–',
        f.peak ? spread(f.peak, (kb) => gb(kb).toFixed(2)) : f.stoppedPeakKb !== undefined ? `≥ ${gb(f.stoppedPeakKb).toFixed(2)}` : '–',
        f.floorWall ? spread(f.floorWall, sec) : failure(s.floor),
        f.floorCopy ? spread(f.floorCopy, sec) : '–',
        f.floorPeak ? spread(f.floorPeak, (kb) => gb(kb).toFixed(2)) : '–',
        f.ratio ? `${f.ratio.toFixed(1)}×` : f.stoppedAt !== undefined && f.floorWall ? `> ${(f.stoppedAt / f.floorWall.median).toFixed(1)}×` : '–',
        f.ratioInProcess ? `${f.ratioInProcess.toFixed(1)}×` : '–',
        json && json.loaded !== undefined ? `${int(json.loaded)} / ${int(json.rejected ?? 0)} / ${int(json.duplicates ?? 0)}` : '–',
      ];
    }),
  );

  // The browser's data against the rows
  const browser = all.flatMap((e) => {
    const data = ok(e.size.pipeline)[0]?.browser;
    return data ? [{ e, data }] : [];
  });
  if (browser.length) {
    line('## Browser data against rows');
    line();
    line(
      "What a dashboard fetches beyond its first load (its HTML, styles and scripts, and small cells: see Pages against rows). A page's first filter fetches its cells; a filter on, or a drill into, a member of a column the cells leave out fetches that member's detail. From the first pipeline run of each size (pipeline/export/page-data.ts, detail-data.ts).",
    );
    line();
    const heaviest = <T extends { gzip: number }>(xs: Record<string, T>) => Object.entries(xs).reduce<[string, T] | undefined>((a, x) => (!a || x[1].gzip > a[1].gzip ? x : a), undefined);
    table(
      ['dataset', 'size', 'rows', 'cells per page', 'first filter fetch, heaviest page, gzip KB', 'budget', 'details (members)', 'one member, heaviest, gzip KB', 'budget'],
      browser.map(({ e, data }) => {
        const page = heaviest(data.pages)!;
        const member = heaviest(data.details);
        const cells = Object.values(data.pages).map((p) => p.cells);
        return [
          e.dataset,
          e.size.label,
          int(e.size.rows),
          Math.min(...cells) === Math.max(...cells) ? int(cells[0]!) : `${int(Math.min(...cells))}–${int(Math.max(...cells))}`,
          `${(page[1].gzip / 1000).toFixed(1)} (${page[0] || 'overview'})`,
          `≤ 500 ${status(page[1].gzip <= 500_000)}`,
          Object.entries(data.details).map(([c, d]) => `${c} (${d.members})`).join(', ') || 'none',
          member ? `${(member[1].gzip / 1000).toFixed(1)} (${member[0]})` : '–',
          member ? `≤ 500 ${status(member[1].gzip <= 500_000)}` : '',
        ];
      }),
    );
  }

  // The pages against the rows
  const sites = all.flatMap((e) => {
    const site = e.size.pipeline.find((r) => r.site)?.site;
    return site ? [{ e, site }] : [];
  });
  if (sites.length) {
    line('## Pages against rows');
    line();
    line(
      `Each size's site, built over its first pipeline run's outputs and measured by bench/site.ts in one first visit per page (60 filter changes timed from their event, then a filter on one member of each column the page's cells leave out; 20 changes until 2026-12-03, whose p95 is their second largest: the first change after loading, whose code has not run before, set it). First load: every byte the page fetches until the network is idle, gzip, in KB of 1,000 bytes. After a fetch: a change that needed data the page did not have (its cells, a member's detail), from the event to the figures drawn (localhost, no throttling; the server gzips the site's pages, scripts and data files once before the first request, as a CDN keeps compressed responses, since 47a94e7: before, it compressed each response as it sent it, which took up to a third of a fetch of a 1.4 MB file). Phone: a first visit at 9 Mb/s, 150 ms round trip, CPU slowed 4×, files gzipped, from navigation until the page has answered a filter changed as soon as its script runs (the median of three visits).`,
    );
    line();
    for (const dataset of [...new Set(sites.map((x) => x.e.dataset))]) {
      const ofDataset = sites.filter((x) => x.e.dataset === dataset);
      const pages = [...new Set(ofDataset.flatMap((x) => (x.site.results ?? []).filter((r) => r.latency).map((r) => r.page)))];
      const kb = (r: SiteResult | undefined) => (r ? (r.total.gzip / 1000).toFixed(1) : '–');
      table(
        [`${dataset}: first load, gzip KB`, ...ofDataset.map((x) => `${x.e.size.label} (${int(x.e.size.rows)} rows)`)],
        pages.map((page) => [page, ...ofDataset.map((x) => (x.site.error ? x.site.error : kb(x.site.results?.find((r) => r.page === page))))]),
      );
    }
    const worst = (results: SiteResult[], pick: (r: SiteResult) => number | undefined | null) => {
      const xs = results.map((r) => [r.page, pick(r)] as const).filter((x): x is readonly [string, number] => typeof x[1] === 'number' && !Number.isNaN(x[1]));
      return xs.length ? xs.reduce((a, x) => (x[1] > a[1] ? x : a)) : undefined;
    };
    const shown = (x: readonly [string, number] | undefined, f: (n: number) => string, budget: number) => (x ? `${f(x[1])} (${x[0]}) ${status(x[1] <= budget)}` : '–');
    table(
      ['dataset', 'size', 'heaviest first load KB (≤ 300)', 'filter on screen p95 ms, slowest page', 'after a fetch p95 ms (≤ 300)', 'phone: answers a filter s (≤ 2.5)'],
      sites.map(({ e, site }) => {
        const results = (site.results ?? []).filter((r) => r.latency);
        const filterBudget = e.dataset === 'sales' ? b.filterP95Ms : b.carsFilterP95Ms;
        return [
          e.dataset,
          e.size.label,
          shown(worst(results, (r) => r.total.gzip), (n) => (n / 1000).toFixed(1), b.firstLoadBytes),
          shown(worst(results, (r) => r.latency!.onScreen.p95), (n) => `${n.toFixed(1)} of ≤ ${filterBudget}`, filterBudget),
          shown(worst(results, (r) => r.latency!.fetch?.p95), (n) => n.toFixed(0), b.fetchP95Ms),
          shown(worst(results, (r) => r.phone), (n) => (n / 1000).toFixed(2), b.phoneMs),
        ];
      }),
    );
    const growth = (from: string, to: string) => {
      const [a, z] = [from, to].map((label) => sites.find((x) => x.e.dataset === 'cars' && x.e.size.label === label)?.site.results);
      if (!a || !z) return;
      const rise = Math.max(...z.filter((r) => r.latency).map((r) => r.total.gzip / (a.find((p) => p.page === r.page)?.total.gzip ?? Infinity)));
      line(`Cars first loads from ${from} to ${to} rows: largest growth of a page ${((rise - 1) * 100).toFixed(1)}% (budget < 10%) ${status(rise < 1.1)}.`);
      line();
    };
    growth('558k', '5M');
  }

  // Stages
  line('## Where the time goes');
  line();
  line("Per stage, from the pipeline's JSON line (median ms over the runs that finished; share of the stages' total); \"of which browser files\" is the part of export that writes what the pages fetch (page cells, details, slices' Arrow files, member records). `wall − stages` is process start-up, module loading, the incremental-build bookkeeping and publishing, which the stage timings do not cover.");
  line();
  const stageNames = [...new Set(all.flatMap((e) => Object.keys(e.f.stages)))];
  table(
    ['dataset', 'size', ...stageNames, 'of which browser files', 'stages total', 'wall', 'wall − stages', 'floor COPY'],
    all
      .filter((e) => e.f.stageTotal)
      .map((e) => {
        const { f } = e;
        const total = f.stageTotal!.median;
        return [
          e.dataset,
          e.size.label,
          ...stageNames.map((n) => (f.stages[n] ? `${int(f.stages[n].median)} (${Math.round((f.stages[n].median / total) * 100)}%)` : '–')),
          f.browser ? `${int(f.browser.median)} (${Math.round((f.browser.median / total) * 100)}%)` : '–',
          int(total),
          int(f.wall!.median),
          int(f.wall!.median - total),
          f.floorCopy ? int(f.floorCopy.median) : '–',
        ];
      }),
  );

  // Memory
  line('## Memory');
  line();
  table(
    ['dataset', 'size', 'tree peak GB (max over runs)', 'largest process (GNU time) GB', 'Σ VmHWM GB', 'largest Σ RSS sampled GB', 'floor tree peak GB'],
    all.map(({ dataset, size: s }) => {
      const runs = ok(s.pipeline).length ? ok(s.pipeline) : s.pipeline;
      const max = (pick: (x: Run) => number | undefined) => {
        const xs = runs.map(pick).filter((x): x is number => x !== undefined);
        return xs.length ? gb(Math.max(...xs)).toFixed(2) : '–';
      };
      const floor = ok(s.floor);
      return [dataset, s.label, max((x) => x.peakKb), max((x) => x.timeMaxRssKb), max((x) => x.hwmSumKb), max((x) => x.rssSumPeakKb), floor.length ? gb(Math.max(...floor.map((x) => x.peakKb))).toFixed(2) : '–'];
    }),
  );

  // Inputs
  line('## Inputs');
  line();
  table(
    ['dataset', 'size', 'file (pipeline input)', 'rows', 'MB', 'generated', 'UTF-8 file for the floor'],
    all.map(({ dataset, size: s }) => [
      dataset,
      s.label,
      `\`${s.input}\``,
      int(s.rows),
      (s.bytes / 1e6).toFixed(1),
      s.generation === 'bundled' ? 'bundled sample' : s.generation === 'cached' ? 'reused from bench/cache/' : `${sec(s.generation.ms)} s, ${int(s.generation.rowsPerS)} rows/s`,
      s.utf8Copy === 'input' ? 'the input itself (UTF-8)' : `\`${s.utf8}\`${s.utf8Copy === 'cached' ? ' (reused)' : ` (${sec(s.utf8Copy.ms)} s)`}`,
    ]),
  );

  // Build
  if (withSite) {
    line('## Build');
    line();
    const build = stat(ok(builds).map((x) => x.wallMs));
    const buildStages = ok(builds)[0]?.json?.ms as Record<string, number> | undefined;
    table(
      ['command', 'wall s', 'budget', '', 'stages (ms, first run)'],
      [
        ['`npm run build -- --force` (everything rebuilt)', build ? spread(build, sec) : failure(builds), `< ${b.buildMs / 1000} s`, status(build && build.median < b.buildMs), buildStages ? fmtStages(buildStages) : '–'],
        ...(noopBuild
          ? [['`npm run build` right after (nothing changed)', noopBuild.ok ? sec(noopBuild.wallMs) : failure([noopBuild]), '–', '', noopBuild.json?.skipped ? `skipped: ${skippedStages(noopBuild.json.skipped)}` : '–']]
          : []),
      ],
    );

    // Site
    line('## Site (bench/site.ts)');
    line();
    const site = withSite.site;
    if (site?.table) {
      line('The table of its first run, as printed (KB of 1,024 bytes):');
      line();
      line('```');
      line(site.table);
      line('```');
      line();
      table(
        ['page', 'gzip KB', `budget ≤ ${b.pageGzipBytes / 1024} KB (dashboards)`, 'filter update p95 on screen ms', `budget ≤ ${b.filterP95Ms} ms`, 'all charts redrawn p95 ms', 'pivot choice change p95 ms'],
        site.results.map((p) => [
          p.page,
          (p.total.gzip / 1024).toFixed(1),
          p.latency ? status(p.total.gzip <= b.pageGzipBytes) : 'not a dashboard',
          p.latency ? spread(p95Stat(p.latency.onScreen), (n) => n.toFixed(1)) : '–',
          p.latency ? status(p.latency.onScreen.p95 <= b.filterP95Ms) : '–',
          p.latency ? p.latency.all.p95.toFixed(1) : '–',
          p.latency?.choice ? spread(p95Stat(p.latency.choice), (n) => n.toFixed(1)) : '–',
        ]),
      );
    } else line(`Not measured${site?.error ? `: ${site.error}` : ''}.`);
  }

  // Runs
  line('## Every run');
  line();
  const runRows: string[][] = [];
  for (const e of all) {
    for (const [kind, runs] of [['pipeline', e.size.pipeline], ['floor', e.size.floor]] as const) {
      runs.forEach((x, i) =>
        runRows.push(
          runRow(
            `${kind} ${named(e)}`,
            i,
            x,
            kind === 'pipeline' && x.json?.ms ? `${fmtStages(x.json.ms)}${x.json.rejected ? `; ${int(x.json.rejected)} rejected` : ''}` : `${int(x.json?.rows ?? 0)} rows copied in ${int(x.json?.ms ?? 0)} ms`,
          ),
        ),
      );
    }
  }
  builds.forEach((x, i) => runRows.push(runRow('build --force', i, x, fmtStages(x.json?.ms ?? {}))));
  if (noopBuild) runRows.push(runRow('build, nothing changed', 0, noopBuild, `skipped: ${noopBuild.json?.skipped ? skippedStages(noopBuild.json.skipped) : '–'}`));
  table(['what', 'run', 'wall s', 'peak GB', 'CPU s', 'others (cores)', 'stages (ms) or error'], runRows);

  line('## Method');
  line();
  line(
    [
      '- **Inputs.** `sample` is each dataset\'s bundled file: `data/sales_data_sample.csv` (cp850) and `data/car_prices.csv` (the first 19,999 rows of the public cars file, UTF-8, CRLF). Larger sizes are generated once into `bench/cache/` by `npm run generate` (bench/generators/) and reused while dataset, rows, seed and generator version match. Sales: whole orders resampled with a seeded PRNG, new order numbers, dates moved by whole years and ±1 month, quantity and price jittered with SALES recomputed, in cp850 and the sample\'s date format, so the pipeline takes the same ingest path as for the real file. Cars: the sample\'s rows in shuffled passes with new unique VINs, odometer, MMR and price jittered (price moving with MMR), dates moved by whole weeks and written as JavaScript writes them in Pacific time, UTF-8 with CRLF like the public file (558,837 rows come to 88 MB, as the public file); the source\'s quirks at the sample\'s rates (condition scales, lower-case makes, `—`, prices under 100, same-day VIN conflicts), and resales, shifted columns and a body in the transmission column, which the head lacks but the full file has, at one per 19,999 rows.',
      '- **Pipeline.** `node_modules/.bin/node pipeline/cli.ts run --dataset D --input FILE --out TMP --work TMP2` with `CI=true`, in fresh temporary folders (so the incremental build skips nothing; the bench checks `skipped` is empty, that every row read is loaded, rejected or a duplicate, and for sales that every row loaded with 0 rejects). Wall time is measured around the child process and includes Node\'s start-up.',
      '- **Floor.** `node bench/floor.ts`: a new in-memory DuckDB (`autoinstall_known_extensions` false) runs `COPY (FROM read_csv(utf8 file)) TO x.parquet`. DuckDB cannot read cp850, so for sales the floor reads a **UTF-8 copy of the same rows** made once in `bench/cache/` and the pipeline pays for its own transcoding; the cars files are UTF-8 already and the floor reads them as they are. `pipeline ÷ floor` divides the median wall times; the in-process ratio divides the sum of the pipeline stages by the COPY alone (no start-up on either side).',
      `- **Memory.** Peak of the process tree: the larger of GNU time's maximum RSS${first.machine.gnuTime ? '' : ' (not available here)'} (the largest single process) and the sum of each process's VmHWM polled from /proc every 200 ms. 1 GB = 10^9 bytes. A run is stopped if the machine's available memory falls under 1 GiB.`,
      '- **Repetitions.** One run of each figure first (the samples\' floor and pipeline, the forced build, the no-op build, the site benchmark, then floor and pipeline for each larger size from the smallest), each with a time limit that keeps the time the later ones are expected to need; then more runs of each, up to `--reps` (3) or the size\'s own limit (one for cars 558k in the default run, and for 5M and 20M), while the longest run so far still fits in the whole benchmark\'s limit. The number of runs is given beside each figure; figures are medians with min–max. A run stopped at its limit counts as over budget when the limit was already past the budget.',
      '- **Build.** `npm run build -- --force` end to end (every dataset\'s pipeline on its bundled file plus the Astro site), then a plain `npm run build` with nothing changed, which the incremental build skips. Measured with sales.',
      '- **Site.** `node bench/site.ts` over the `dist/` the forced build wrote: bytes per page by type, first chart, and filter-update latency over 50 scripted changes in each of 3 first visits (made as a click makes them: the filter bar\'s boxes and start date are set and its change event fired), pooled (150 updates: the p95 of a single visit moved by half from run to run); load timings are medians over the visits. "Dashboard" pages are the ones with filter updates. On the sales explorer, each of six pivot choices (up to 92 customers × 6 statuses) is held for 8 updates: the first changes the choice (through the URL and the back-button path, as a shared link opens it), the other 7 change filters; the budget figure is the filter changes (129 of the 150), and the choice changes (21) are reported beside it, with no budget of their own in the brief. The site benchmark is repeated like the other figures; a page\'s figures are then the medians of its runs\' (p95 with the runs\' spread).',
      '- **Contention.** For each run, the CPU time the rest of the machine used meanwhile (busy time from /proc/stat minus the run\'s own user + system time from GNU time), in cores: near 0 means the run had the machine to itself.',
      '- **Merging.** `bench/report.json` holds one result per dataset; a run replaces the results of the datasets it measured and keeps the others, so `--dataset cars` leaves the sales figures (and the builds and site measured with them) as they were.',
      '- No timing is asserted in the tests; this report is the only place figures are compared with budgets.',
    ].join('\n'),
  );
  line();
  return `${out.join('\n')}`;
}

const runRow = (what: string, i: number, x: Run, detail: string) => [
  what,
  String(i + 1),
  sec(x.wallMs),
  gb(x.peakKb).toFixed(2),
  x.cpuS === undefined ? '–' : x.cpuS.toFixed(1),
  x.otherCores === undefined ? '–' : x.otherCores.toFixed(2),
  x.ok ? detail : `✗ ${x.error}`,
];

function failure(runs: Run[]): string {
  const bad = runs.find((x) => !x.ok);
  return bad ? `failed: ${bad.error}` : 'not measured';
}

const fmtStages = (ms: Record<string, number>) =>
  Object.entries(ms)
    .map(([k, v]) => `${k} ${int(v)}`)
    .join(', ');
