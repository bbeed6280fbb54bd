/** The pipeline benchmark's results (bench/report.json) and their Markdown rendering (bench/report.md). */

/** From the product brief. */
export const BUDGETS = {
  sampleMs: 2_000,
  buildMs: 20_000,
  pipelineMs: { '1M': 15_000, '10M': 90_000 } as Record<string, number>,
  /** 3 GB, taken as 3 × 10^9 bytes. */
  peakKb: 3e9 / 1024,
  floorRatio: 2,
  /** 250 KB, in the site benchmark's KB of 1,024 bytes. */
  pageGzipBytes: 250 * 1024,
  filterP95Ms: 16,
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
  utf8Copy: { ms: number } | 'cached';
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
  error?: string;
}

export interface SiteResult {
  page: string;
  total: { raw: number; gzip: number };
  bytes: Record<string, { raw: number; gzip: number }>;
  latency: null | { onScreen: Latency; all: Latency };
}
interface Latency {
  updates: number;
  median: number;
  p95: number;
  max: number;
}

export interface BenchResult {
  mode: 'quick' | 'full';
  date: string;
  commit: string;
  dirty: boolean;
  machine: { cpu: string; cores: number; memoryGiB: number; node: string; duckdb: string; gnuTime: boolean };
  settings: { dataset: string; seed: number; reps: number; timeLimitS: number; generatorVersion: number };
  elapsedS: number;
  budgets: typeof BUDGETS;
  sizes: (Size & { pipeline: Run[]; floor: Run[] })[];
  build: Run[];
  noopBuild: Run;
  site?: { results: SiteResult[]; table: string; wallMs: number; error?: string };
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
  const halted = runs.length ? undefined : unfinished(size.pipeline);
  return {
    wall,
    peak: stat(runs.map((r) => r.peakKb)),
    floorWall,
    floorCopy,
    floorPeak: stat(floor.map((r) => r.peakKb)),
    stages,
    stageTotal,
    ratio: wall && floorWall ? wall.median / floorWall.median : undefined,
    ratioInProcess: stageTotal && floorCopy ? stageTotal.median / floorCopy.median : undefined,
    stoppedAt: halted?.wallMs,
    stoppedPeakKb: halted?.peakKb,
    stoppedWhy: halted?.error,
  };
}

// ---------------------------------------------------------------------------------------------- markdown

export function renderReport(r: BenchResult): string {
  const b = r.budgets;
  const out: string[] = [];
  const line = (text = '') => out.push(text);
  const table = (head: string[], rows: string[][]) => {
    line(`| ${head.join(' | ')} |`);
    line(`|${head.map(() => '---').join('|')}|`);
    for (const row of rows) line(`| ${row.join(' | ')} |`);
    line();
  };
  const bySize = new Map(r.sizes.map((s) => [s.label, { size: s, f: figures(s) }]));

  line(`# Benchmark report (${r.mode === 'quick' ? '`npm run bench -- --quick`' : '`npm run bench`'})`);
  line();
  line(
    `${r.date.slice(0, 16).replace('T', ' ')} UTC, commit \`${r.commit}\`${r.dirty ? ' with uncommitted changes' : ''}; ${r.machine.cores} × ${r.machine.cpu}, ${r.machine.memoryGiB} GiB; Node ${r.machine.node}, DuckDB node-api ${r.machine.duckdb}. ` +
      `Dataset \`${r.settings.dataset}\`, seed ${r.settings.seed}, up to ${r.settings.reps} runs per figure, whole benchmark ${(r.elapsedS / 60).toFixed(1)} min (limit ${(r.settings.timeLimitS / 60).toFixed(1)} min).`,
  );
  const others = [...r.sizes.flatMap((s) => [...s.pipeline, ...s.floor]), ...r.build].flatMap((x) => (x.otherCores === undefined ? [] : [x.otherCores]));
  if (others.length) {
    const o = stat(others)!;
    line();
    line(
      `Other processes on the machine used ${o.median.toFixed(2)} cores (median over runs; ${o.min.toFixed(2)}–${o.max.toFixed(2)}) of ${r.machine.cores} while the benchmark ran` +
        (o.max > 0.25 ? ': the machine was shared, so the runs beside that work are slower than on a quiet machine (see "others" per run below).' : '.'),
    );
  }
  line();

  // Budgets
  line('## Budgets');
  line();
  const rows: string[][] = [];
  const timeRow = (label: string, size: string, budgetMs: number) => {
    const e = bySize.get(size);
    if (!e) return;
    const { f } = e;
    if (f.wall) rows.push([label, spread(f.wall, sec, ' s'), `< ${budgetMs / 1000} s`, status(f.wall.median < budgetMs)]);
    else if (f.stoppedAt !== undefined) rows.push([label, `> ${sec(f.stoppedAt)} s, did not finish: ${f.stoppedWhy}`, `< ${budgetMs / 1000} s`, status(f.stoppedAt >= budgetMs ? false : undefined)]);
    else rows.push([label, 'not measured', `< ${budgetMs / 1000} s`, status(undefined)]);
  };
  timeRow('Pipeline, bundled sample (wall)', 'sample', b.sampleMs);
  const build = stat(ok(r.build).map((x) => x.wallMs));
  rows.push(['`npm run build -- --force`, end to end (wall)', build ? spread(build, sec, ' s') : failure(r.build), `< ${b.buildMs / 1000} s`, status(build && build.median < b.buildMs)]);
  for (const size of ['1M', '10M']) {
    if (!bySize.has(size)) continue;
    timeRow(`Pipeline, ${size} rows (wall)`, size, b.pipelineMs[size]!);
    const { f } = bySize.get(size)!;
    if (f.peak) rows.push([`Peak memory, ${size} rows (process tree)`, spread(f.peak, (kb) => gb(kb).toFixed(2), ' GB'), `< ${gb(b.peakKb).toFixed(0)} GB`, status(f.peak.median < b.peakKb)]);
    else if (f.stoppedPeakKb !== undefined) {
      rows.push([`Peak memory, ${size} rows (process tree)`, `≥ ${fmtGb(f.stoppedPeakKb)} before the run ended`, `< ${gb(b.peakKb).toFixed(0)} GB`, status(f.stoppedPeakKb >= b.peakKb ? false : undefined)]);
    } else rows.push([`Peak memory, ${size} rows (process tree)`, 'not measured', `< ${gb(b.peakKb).toFixed(0)} GB`, status(undefined)]);
    const ratio = f.ratio ?? (f.stoppedAt !== undefined && f.floorWall ? f.stoppedAt / f.floorWall.median : undefined);
    rows.push([
      `Pipeline ÷ bare DuckDB COPY, ${size} rows (wall ÷ wall)`,
      ratio === undefined ? 'not measured' : `${f.ratio === undefined ? '> ' : ''}${ratio.toFixed(1)}×${f.ratioInProcess ? ` (in-process ${f.ratioInProcess.toFixed(1)}×)` : ''}`,
      `≤ ${b.floorRatio}×`,
      status(ratio === undefined ? undefined : f.ratio === undefined ? (ratio > b.floorRatio ? false : undefined) : ratio <= b.floorRatio),
    ]);
  }
  const dashboards = (r.site?.results ?? []).filter((p) => p.latency);
  if (dashboards.length) {
    const heaviest = dashboards.reduce((a, p) => (p.total.gzip > a.total.gzip ? p : a));
    rows.push([`Heaviest dashboard page, gzip (${heaviest.page})`, `${(heaviest.total.gzip / 1024).toFixed(1)} KB`, `≤ ${b.pageGzipBytes / 1024} KB`, status(heaviest.total.gzip <= b.pageGzipBytes)]);
    const slowest = dashboards.reduce((a, p) => (p.latency!.onScreen.p95 > a.latency!.onScreen.p95 ? p : a));
    rows.push([`Filter update p95, slowest dashboard (${slowest.page})`, `${slowest.latency!.onScreen.p95.toFixed(1)} ms`, `≤ ${b.filterP95Ms} ms`, status(slowest.latency!.onScreen.p95 <= b.filterP95Ms)]);
  } else rows.push(['Site benchmark', r.site?.error ? `failed: ${r.site.error.split('\n')[0]}` : 'not run', '', status(undefined)]);
  table(['figure', 'measured: median (min–max)', 'budget', ''], rows);
  line('Status is judged on the median. Memory is the peak of the whole process tree (see Method).');
  line();

  // Pipeline vs floor
  line('## Pipeline and floor');
  line();
  line('The floor is DuckDB alone: `COPY (FROM read_csv(file)) TO file.parquet` on a UTF-8 copy of the same rows (bench/floor.ts), as a child process started the same way (tsx).');
  line();
  table(
    ['size', 'rows', 'input MB', 'pipeline wall s', 'rows/s', 'peak memory GB', 'floor wall s', 'floor COPY s (in process)', 'floor peak GB', 'pipeline ÷ floor (wall)', 'stages ÷ COPY (in process)'],
    r.sizes.map((s) => {
      const { f } = bySize.get(s.label)!;
      return [
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
      ];
    }),
  );

  // Stages
  line('## Where the time goes');
  line();
  line("Per stage, from the pipeline's JSON line (median ms over the runs that finished; share of the stages' total). `wall − stages` is process start-up, module loading, the incremental-build bookkeeping and publishing, which the stage timings do not cover.");
  line();
  const stageNames = [...new Set(r.sizes.flatMap((s) => Object.keys(bySize.get(s.label)!.f.stages)))];
  table(
    ['size', ...stageNames, 'stages total', 'wall', 'wall − stages', 'floor COPY'],
    r.sizes
      .filter((s) => bySize.get(s.label)!.f.stageTotal)
      .map((s) => {
        const { f } = bySize.get(s.label)!;
        const total = f.stageTotal!.median;
        return [
          s.label,
          ...stageNames.map((n) => (f.stages[n] ? `${int(f.stages[n].median)} (${Math.round((f.stages[n].median / total) * 100)}%)` : '–')),
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
    ['size', 'tree peak GB (max over runs)', 'largest process (GNU time) GB', 'Σ VmHWM GB', 'largest Σ RSS sampled GB', 'floor tree peak GB'],
    r.sizes.map((s) => {
      const runs = ok(s.pipeline).length ? ok(s.pipeline) : s.pipeline;
      const max = (pick: (x: Run) => number | undefined) => {
        const xs = runs.map(pick).filter((x): x is number => x !== undefined);
        return xs.length ? gb(Math.max(...xs)).toFixed(2) : '–';
      };
      const floor = ok(s.floor);
      return [s.label, max((x) => x.peakKb), max((x) => x.timeMaxRssKb), max((x) => x.hwmSumKb), max((x) => x.rssSumPeakKb), floor.length ? gb(Math.max(...floor.map((x) => x.peakKb))).toFixed(2) : '–'];
    }),
  );

  // Inputs
  line('## Inputs');
  line();
  table(
    ['size', 'file (pipeline input)', 'rows', 'MB', 'generated', 'UTF-8 copy for the floor'],
    r.sizes.map((s) => [
      s.label,
      `\`${s.input}\``,
      int(s.rows),
      (s.bytes / 1e6).toFixed(1),
      s.generation === 'bundled' ? 'bundled sample (cp850)' : s.generation === 'cached' ? 'reused from bench/cache/' : `${sec(s.generation.ms)} s, ${int(s.generation.rowsPerS)} rows/s`,
      `\`${s.utf8}\`${s.utf8Copy === 'cached' ? ' (reused)' : ` (${sec(s.utf8Copy.ms)} s)`}`,
    ]),
  );

  // Build
  line('## Build');
  line();
  const buildStages = ok(r.build)[0]?.json?.ms as Record<string, number> | undefined;
  table(
    ['command', 'wall s', 'budget', '', 'stages (ms, first run)'],
    [
      ['`npm run build -- --force` (everything rebuilt)', build ? spread(build, sec) : failure(r.build), `< ${b.buildMs / 1000} s`, status(build && build.median < b.buildMs), buildStages ? fmtStages(buildStages) : '–'],
      ['`npm run build` right after (nothing changed)', r.noopBuild.ok ? sec(r.noopBuild.wallMs) : failure([r.noopBuild]), '–', '', r.noopBuild.json?.skipped ? `skipped: ${(r.noopBuild.json.skipped as string[]).join(', ') || 'none'}` : '–'],
    ],
  );

  // Site
  line('## Site (bench/site.ts)');
  line();
  if (r.site?.table) {
    line('Its table, as printed (KB of 1,024 bytes):');
    line();
    line('```');
    line(r.site.table);
    line('```');
    line();
    table(
      ['page', 'gzip KB', `budget ≤ ${b.pageGzipBytes / 1024} KB (dashboards)`, 'filter update p95 on screen ms', `budget ≤ ${b.filterP95Ms} ms`, 'all charts redrawn p95 ms'],
      r.site.results.map((p) => [
        p.page,
        (p.total.gzip / 1024).toFixed(1),
        p.latency ? status(p.total.gzip <= b.pageGzipBytes) : 'not a dashboard',
        p.latency ? p.latency.onScreen.p95.toFixed(1) : '–',
        p.latency ? status(p.latency.onScreen.p95 <= b.filterP95Ms) : '–',
        p.latency ? p.latency.all.p95.toFixed(1) : '–',
      ]),
    );
  } else line(`Not measured${r.site?.error ? `: ${r.site.error}` : ''}.`);

  // Runs
  line('## Every run');
  line();
  const runRows: string[][] = [];
  for (const s of r.sizes) {
    for (const [kind, runs] of [['pipeline', s.pipeline], ['floor', s.floor]] as const) {
      runs.forEach((x, i) => runRows.push(runRow(`${kind} ${s.label}`, i, x, kind === 'pipeline' && x.json?.ms ? fmtStages(x.json.ms) : `${int(x.json?.rows ?? 0)} rows copied in ${int(x.json?.ms ?? 0)} ms`)));
    }
  }
  r.build.forEach((x, i) => runRows.push(runRow('build --force', i, x, fmtStages(x.json?.ms ?? {}))));
  runRows.push(runRow('build, nothing changed', 0, r.noopBuild, `skipped: ${(r.noopBuild.json?.skipped as string[] | undefined)?.join(', ') ?? '–'}`));
  table(['what', 'run', 'wall s', 'peak GB', 'CPU s', 'others (cores)', 'stages (ms) or error'], runRows);

  line('## Method');
  line();
  line(
    [
      '- **Inputs.** `sample` is the bundled `data/sales_data_sample.csv` (cp850). Larger sizes are generated once into `bench/cache/` by `npm run generate` (bench/generators/: whole orders resampled from the sample with a seeded PRNG, new order numbers, dates moved by whole years and ±1 month, quantity and price jittered with SALES recomputed) in the same cp850 encoding and date format, so the pipeline takes the same ingest path as for the real file; they are reused while dataset, rows, seed and generator version match.',
      '- **Pipeline.** `node_modules/.bin/tsx pipeline/cli.ts run --input FILE --out TMP --work TMP2` with `CI=true`, in fresh temporary folders (so the incremental build skips nothing; the bench checks `skipped` is empty and that every row loaded with 0 rejects). Wall time is measured around the child process and includes Node/tsx start-up.',
      '- **Floor.** `tsx bench/floor.ts`: a new in-memory DuckDB (`autoinstall_known_extensions` false) runs `COPY (FROM read_csv(utf8 file)) TO x.parquet`. DuckDB cannot read cp850, so the floor reads a **UTF-8 copy of the same rows** made once in `bench/cache/`; the pipeline reads the cp850 file and pays for its own transcoding. `pipeline ÷ floor` divides the median wall times; the in-process ratio divides the sum of the pipeline stages by the COPY alone (no start-up on either side).',
      `- **Memory.** Peak of the process tree: the larger of GNU time's maximum RSS${r.machine.gnuTime ? '' : ' (not available here)'} (the largest single process) and the sum of each process's VmHWM polled from /proc every 200 ms. 1 GB = 10^9 bytes. A run is stopped if the machine's available memory falls under 1 GiB.`,
      `- **Repetitions.** One run of each figure first (the sample's floor and pipeline, the forced build, the no-op build, the site benchmark, then floor and pipeline for each larger size), each with a time limit that keeps the time the later ones are expected to need; then up to ${r.settings.reps} runs of each while the longest run so far still fits in the whole benchmark's limit. The number of runs is given beside each figure; figures are medians with min–max. A run stopped at its limit counts as over budget when the limit was already past the budget.`,
      '- **Build.** `npm run build -- --force` end to end (pipeline on the sample plus the Astro site), then a plain `npm run build` with nothing changed, which the incremental build skips.',
      '- **Site.** `tsx bench/site.ts` over the `dist/` the forced build wrote: bytes per page by type, first chart, and filter-update latency over 50 scripted changes. "Dashboard" pages are the ones with filter updates.',
      '- **Contention.** For each run, the CPU time the rest of the machine used meanwhile (busy time from /proc/stat minus the run\'s own user + system time from GNU time), in cores: near 0 means the run had the machine to itself.',
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
