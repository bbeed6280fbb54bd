/**
 * The budgets of sources and batches, each measured against its reference in the same run (`npm run bench -- --sources`):
 * - a batch of 1% of the rows appended to a history (1M and 10M generated sales rows): the history is built, the batch
 *   file added to its folder and the rebuild timed, against a clean build of both files in new folders; every output
 *   of the two builds is compared byte for byte (but changes.json, which says what the rebuild changed);
 * - 1M rows read from PostgreSQL (a private server from Debian's binaries, the rows in a typed table) against the
 *   same rows as a CSV file: wall time and peak memory;
 * - a rebuild with nothing changed, from PostgreSQL (with --change-column) and from an HTTP endpoint (a local server
 *   answering with an ETag).
 * Inputs are generated into bench/cache/ and reused. Writes bench/sources.json and bench/sources.md.
 */
import { execFileSync } from 'node:child_process';
import { createReadStream, existsSync, readdirSync, statSync, symlinkSync } from 'node:fs';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import iconv from 'iconv-lite';
import { hashFile } from '../pipeline/cache.ts';
import { loadSalesTable, postgresBinaries, startPostgres } from '../tests/setup/postgres-server.ts';
import { cacheFile, generateFile, generatorFor } from './generators/index.ts';
import { measure, type Measured } from './measure.ts';

export const SOURCE_BUDGETS = {
  /** Appending 1% to the history, as a share of a clean build of both. */
  appendShare: 0.4,
  /** PostgreSQL against the same rows as a CSV file. */
  postgresRatio: 2,
  peakKb: 3e9 / 1024,
  noopMs: 2_000,
};

interface Timed {
  wallMs: number;
  peakKb: number;
  /** The pipeline's JSON line: stage ms and the stages skipped. */
  ms?: Record<string, number>;
  skipped?: string[];
}

interface Append {
  label: string;
  history: number;
  batch: number;
  historyBuild: Timed;
  append: Timed;
  clean: Timed;
  /** Output files that differ between the rebuild and the clean build (changes.json aside); empty when identical. */
  differing: string[];
  compared: number;
}

export interface SourcesResult {
  date: string;
  commit: string;
  seed: number;
  append: Append[];
  postgres?: { rows: number; csv: Timed; postgres: Timed; noop: Timed } | { error: string };
  http?: { rows: number; first: Timed; noop: Timed };
}

const ROOT = process.cwd();
const CACHE = join(ROOT, 'bench', 'cache');
const BIN = join(ROOT, 'node_modules', '.bin');
const NODE = join(BIN, 'node');
const env = { ...process.env, CI: 'true', PATH: `${BIN}:${process.env.PATH ?? ''}` };
const SIZES = [
  { label: '1M', rows: 1e6 },
  { label: '10M', rows: 1e7 },
];
const POSTGRES_ROWS = 1e6;
const log = (text: string) => process.stdout.write(`[sources] ${text}\n`);

/** One pipeline run (`node pipeline/cli.ts run`), stopped with an error when it fails. */
async function pipeline(args: string[], out: string, work: string): Promise<Timed> {
  const m: Measured = await measure(NODE, ['pipeline/cli.ts', 'run', '--dataset', 'sales', ...args, '--out', out, '--work', work], { env, timeoutMs: 900_000 });
  if (m.exitCode !== 0) throw new Error(`pipeline ${args.join(' ')}: exit ${m.exitCode}: ${m.stderr.trim().split('\n').slice(0, 3).join(' | ')}`);
  const json = JSON.parse(m.stdout.trim().split('\n').at(-1)!) as { ms: Record<string, number>; skipped: string[] };
  log(`  ${(m.wallMs / 1000).toFixed(2)} s, peak ${(m.peakKb / 2 ** 20).toFixed(2)} GiB, ${JSON.stringify(json.ms)}${json.skipped.length ? ` skipped ${json.skipped.join(',')}` : ''}`);
  return { wallMs: m.wallMs, peakKb: m.peakKb, ms: json.ms, skipped: json.skipped };
}

/** The generated sales file of `rows` rows in bench/cache/ (as `npm run bench` names it), generated when missing. */
async function salesFile(rows: number, seed: number): Promise<string> {
  const file = cacheFile('sales', rows, seed);
  if (!existsSync(file)) {
    log(`generating ${rows.toLocaleString('en-US')} sales rows → ${relative(ROOT, file)}`);
    await generateFile({ dataset: 'sales', rows, seed, out: file });
  }
  return file;
}

/** The header and `count` data rows after the first `skip` of a file, into `out`, unless already there. */
function linesOf(file: string, out: string, skip: number, count: number): string {
  if (!existsSync(out)) execFileSync('sh', ['-c', `{ head -n 1 "$0"; tail -n +${skip + 2} "$0" | head -n ${count}; } > "$1.partial" && mv "$1.partial" "$1"`, file, out]);
  return out;
}

/** Every file under a folder, by its path relative to it. */
function filesUnder(dir: string, at = ''): string[] {
  return readdirSync(join(dir, at), { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? filesUnder(dir, join(at, e.name)) : [join(at, e.name)]));
}

async function append(size: (typeof SIZES)[number], seed: number, scratch: string): Promise<Append> {
  const batch = size.rows / 100;
  const whole = await salesFile(size.rows + batch, seed);
  const history = linesOf(whole, join(CACHE, `sales-append-${size.label}-history.csv`), 0, size.rows);
  const batchFile = linesOf(whole, join(CACHE, `sales-append-${size.label}-batch.csv`), size.rows, batch);
  const inputs = join(scratch, `append-${size.label}`);
  await mkdir(inputs);
  // Links in the folder (the pipeline reads a linked file as a batch file), named in the order of the batches.
  symlinkSync(history, join(inputs, '2026-01.csv'));
  const [out, work, cleanOut, cleanWork] = await Promise.all(['out', 'work', 'clean-out', 'clean-work'].map((d) => mkdtemp(join(scratch, `${size.label}-${d}-`))));
  log(`append ${size.label}: the history (${size.rows.toLocaleString('en-US')} rows)`);
  const historyBuild = await pipeline(['--input', inputs], out, work);
  symlinkSync(batchFile, join(inputs, '2026-02.csv'));
  log(`append ${size.label}: the batch (${batch.toLocaleString('en-US')} rows) added, rebuilt`);
  const appended = await pipeline(['--input', inputs], out, work);
  log(`append ${size.label}: both files, a clean build`);
  const clean = await pipeline(['--input', inputs], cleanOut, cleanWork);
  const files = filesUnder(cleanOut).filter((f) => !f.endsWith('changes.json'));
  const differing: string[] = [];
  for (const f of files) if (!existsSync(join(out, f)) || (await hashFile(join(out, f))) !== (await hashFile(join(cleanOut, f)))) differing.push(f);
  for (const dir of [out, work, cleanOut, cleanWork]) await rm(dir, { recursive: true, force: true });
  return { label: size.label, history: size.rows, batch, historyBuild, append: appended, clean, differing, compared: files.length };
}

async function postgres(seed: number, scratch: string): Promise<SourcesResult['postgres']> {
  const bin = postgresBinaries();
  if (!bin) return { error: 'PostgreSQL is not installed (apt-get install -y postgresql)' };
  const file = await salesFile(POSTGRES_ROWS, seed);
  const server = await startPostgres(bin, tmpdir());
  try {
    log(`PostgreSQL: loading ${POSTGRES_ROWS.toLocaleString('en-US')} rows`);
    await loadSalesTable(server.url, createReadStream(file).pipe(iconv.decodeStream(generatorFor('sales').encoding)));
    const dirs = () => Promise.all(['out', 'work'].map((d) => mkdtemp(join(scratch, `pg-${d}-`))));
    log('PostgreSQL: the same rows as a CSV file');
    const [csvOut, csvWork] = await dirs();
    const csv = await pipeline(['--input', file], csvOut!, csvWork!);
    log('PostgreSQL: from the query');
    const [out, work] = await dirs();
    const args = ['--input', server.url, '--query', 'select * from sales', '--change-column', 'orderdate'];
    const fromQuery = await pipeline(args, out!, work!);
    log('PostgreSQL: again, nothing changed');
    const noop = await pipeline(args, out!, work!);
    return { rows: POSTGRES_ROWS, csv, postgres: fromQuery, noop };
  } finally {
    server.stop();
  }
}

async function http(seed: number, scratch: string): Promise<SourcesResult['http']> {
  const file = await salesFile(POSTGRES_ROWS, seed);
  const { size, mtimeMs } = statSync(file);
  const etag = `"${size}-${mtimeMs}"`;
  const server = createServer((req, res) => {
    if (req.headers['if-none-match'] === etag) return void res.writeHead(304, { etag }).end();
    res.writeHead(200, { 'content-type': 'text/csv', 'content-length': size, etag });
    createReadStream(file).pipe(res);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  try {
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/orders.csv`;
    const [out, work] = await Promise.all(['out', 'work'].map((d) => mkdtemp(join(scratch, `http-${d}-`))));
    log('HTTP: first build');
    const first = await pipeline(['--input', url], out, work);
    log('HTTP: again, nothing changed');
    const noop = await pipeline(['--input', url], out, work);
    return { rows: POSTGRES_ROWS, first, noop };
  } finally {
    server.close();
  }
}

export async function benchSources(options: { seed: number; sizes?: string[] }): Promise<SourcesResult> {
  await mkdir(CACHE, { recursive: true });
  const scratch = await mkdtemp(join(tmpdir(), 'salescube-bench-sources-'));
  try {
    const result: SourcesResult = {
      date: new Date().toISOString(),
      commit: execFileSync('git', ['rev-parse', '--short', 'HEAD'], { encoding: 'utf8' }).trim(),
      seed: options.seed,
      append: [],
    };
    for (const size of SIZES.filter((s) => !options.sizes || options.sizes.includes(s.label))) result.append.push(await append(size, options.seed, scratch));
    result.postgres = await postgres(options.seed, scratch);
    result.http = await http(options.seed, scratch);
    await writeFile(join(ROOT, 'bench', 'sources.json'), `${JSON.stringify(result, null, 2)}\n`);
    await writeFile(join(ROOT, 'bench', 'sources.md'), renderSources(result));
    return result;
  } finally {
    await rm(scratch, { recursive: true, force: true });
  }
}

const s = (ms: number) => (ms / 1000).toFixed(ms >= 10_000 ? 1 : 2);
const gb = (kb: number) => ((kb * 1024) / 1e9).toFixed(2);
const mark = (within: boolean) => (within ? '✅ within' : '❌ over');
const stages = (t: Timed) => (t.skipped?.length === 5 ? 'every stage skipped' : Object.entries(t.ms ?? {}).map(([k, v]) => `${k} ${s(v)}`).join(', '));

export function renderSources(r: SourcesResult): string {
  const b = SOURCE_BUDGETS;
  const rows: string[][] = [];
  for (const a of r.append) {
    const share = a.append.wallMs / a.clean.wallMs;
    rows.push([
      `append ${a.batch.toLocaleString('en-US')} rows to ${a.history.toLocaleString('en-US')}, rebuild ÷ clean build`,
      `${(share * 100).toFixed(0)}% (${s(a.append.wallMs)} s ÷ ${s(a.clean.wallMs)} s); ${a.differing.length ? `**${a.differing.length} of ${a.compared} outputs differ**: ${a.differing.slice(0, 5).join(', ')}` : `all ${a.compared} outputs identical`}`,
      `≤ ${b.appendShare * 100}%, identical`,
      mark(share <= b.appendShare && a.differing.length === 0),
    ]);
  }
  const pg = r.postgres;
  if (pg && 'error' in pg) rows.push(['PostgreSQL source', `not measured: ${pg.error}`, '', '']);
  else if (pg) {
    const ratio = pg.postgres.wallMs / pg.csv.wallMs;
    rows.push([`PostgreSQL, ${pg.rows.toLocaleString('en-US')} rows ÷ the same rows as CSV`, `${ratio.toFixed(2)}× (${s(pg.postgres.wallMs)} s ÷ ${s(pg.csv.wallMs)} s)`, `≤ ${b.postgresRatio}×`, mark(ratio <= b.postgresRatio)]);
    rows.push([`PostgreSQL, ${pg.rows.toLocaleString('en-US')} rows, peak memory`, `${gb(pg.postgres.peakKb)} GB (CSV ${gb(pg.csv.peakKb)} GB)`, '< 3 GB', mark(pg.postgres.peakKb < b.peakKb)]);
    rows.push(['no-op rebuild, PostgreSQL unchanged (--change-column)', `${s(pg.noop.wallMs)} s`, `< ${b.noopMs / 1000} s`, mark(pg.noop.wallMs < b.noopMs && pg.noop.skipped?.length === 5)]);
  }
  if (r.http) rows.push(['no-op rebuild, HTTP source unchanged (ETag)', `${s(r.http.noop.wallMs)} s`, `< ${b.noopMs / 1000} s`, mark(r.http.noop.wallMs < b.noopMs && r.http.noop.skipped?.length === 5)]);

  const runs: string[][] = [];
  for (const a of r.append) {
    runs.push([`append ${a.label}: history alone`, s(a.historyBuild.wallMs), gb(a.historyBuild.peakKb), stages(a.historyBuild)]);
    runs.push([`append ${a.label}: batch added`, s(a.append.wallMs), gb(a.append.peakKb), stages(a.append)]);
    runs.push([`append ${a.label}: clean build of both`, s(a.clean.wallMs), gb(a.clean.peakKb), stages(a.clean)]);
  }
  if (pg && !('error' in pg)) {
    runs.push(['PostgreSQL 1M: CSV file', s(pg.csv.wallMs), gb(pg.csv.peakKb), stages(pg.csv)]);
    runs.push(['PostgreSQL 1M: query', s(pg.postgres.wallMs), gb(pg.postgres.peakKb), stages(pg.postgres)]);
    runs.push(['PostgreSQL 1M: nothing changed', s(pg.noop.wallMs), gb(pg.noop.peakKb), stages(pg.noop)]);
  }
  if (r.http) {
    runs.push(['HTTP 1M: first build', s(r.http.first.wallMs), gb(r.http.first.peakKb), stages(r.http.first)]);
    runs.push(['HTTP 1M: nothing changed', s(r.http.noop.wallMs), gb(r.http.noop.peakKb), stages(r.http.noop)]);
  }
  const table = (head: string[], body: string[][]) => [`| ${head.join(' | ')} |`, `|${head.map(() => '---').join('|')}|`, ...body.map((row) => `| ${row.join(' | ')} |`)].join('\n');
  return `# Sources and batches

\`npm run bench -- --sources\`, ${r.date.slice(0, 16).replace('T', ' ')} UTC, commit \`${r.commit}\`, seed ${r.seed}; one run of each (bench/sources.ts says how).

${table(['figure', 'measured', 'budget', ''], rows)}

Each run (wall s, peak GB of the process tree, the pipeline's stage ms):

${table(['run', 'wall s', 'peak GB', 'stages s'], runs)}
`;
}
