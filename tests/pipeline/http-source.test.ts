/**
 * An HTTP(S) input against a server the test starts: CSV and JSON give the CSV file's KPIs to the cent, a server error
 * is retried, and a response that fails (a 500 every time, a 404, no answer in time, a body cut short, nothing
 * listening) stops the build naming the URL, with nothing read and nothing published.
 */
import { readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { UserError } from '../../pipeline/errors.ts';
import { sampleRecords, toCsv } from '../helpers/csv.ts';
import { failedRun, run, SAMPLE, sharedRun, tempDir } from '../helpers/pipeline.ts';

const csv = readFileSync(SAMPLE); // cp850, as the bundled file
const records = sampleRecords();
const json = JSON.stringify(records.slice(1).map((r) => Object.fromEntries(records[0]!.map((h, k) => [h, r[k]]))));
const withBadDate = toCsv(records.map((r, n) => (n === 3 ? r.map((c, k) => (records[0]![k] === 'ORDERDATE' ? 'soon' : c)) : r)));
const requests = new Map<string, number>();
/** What /etag.csv serves, and its version. */
const etag = { tag: '"v1"', body: csv as string | Buffer };
let server: Server;
let base = '';

beforeAll(async () => {
  server = createServer((req, res) => {
    const path = req.url ?? '/';
    const n = (requests.get(path) ?? 0) + 1;
    requests.set(path, n);
    const send = (status: number, type: string, body: string | Buffer) => res.writeHead(status, { 'content-type': type, 'content-length': Buffer.byteLength(body) }).end(body);
    if (path === '/sales.csv') return send(200, 'text/csv; charset=ibm850', csv);
    if (path === '/api/orders') return send(200, 'application/json', json);
    if (path === '/bad-date.csv') return send(200, 'text/csv', withBadDate);
    if (path === '/etag.csv') {
      if (req.headers['if-none-match'] === etag.tag) return void res.writeHead(304).end();
      res.setHeader('etag', etag.tag);
      return send(200, 'text/csv', etag.body);
    }
    if (path === '/login.html') return send(200, 'text/html', '<html><body>Please sign in</body></html>');
    if (path === '/flaky.csv') return n === 1 ? send(503, 'text/plain', 'busy') : send(200, 'text/csv', csv);
    if (path === '/broken.csv') return send(500, 'text/plain', 'oops');
    if (path === '/slow.csv') return void setTimeout(() => send(200, 'text/csv', csv), 2_000);
    if (path === '/cut.csv') {
      res.writeHead(200, { 'content-type': 'text/csv', 'content-length': csv.length });
      res.write(csv.subarray(0, csv.length >> 1));
      return void setTimeout(() => res.destroy(), 50);
    }
    send(404, 'text/plain', 'no such thing');
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  process.env.SALESCUBE_HTTP_TIMEOUT_MS = '1000';
  process.env.SALESCUBE_HTTP_ATTEMPTS = '2';
});
afterAll(async () => {
  delete process.env.SALESCUBE_HTTP_TIMEOUT_MS;
  delete process.env.SALESCUBE_HTTP_ATTEMPTS;
  await new Promise((r) => server.close(r));
});

describe('an HTTP input', () => {
  it('CSV and JSON endpoints give the CSV file’s KPIs, and a server error is tried again', async () => {
    const { kpis } = sharedRun('sales');
    for (const path of ['/sales.csv', '/api/orders', '/flaky.csv']) {
      const r = await run([base + path]);
      expect(r.kpis, path).toEqual(kpis);
      expect(r.quality.files.map((f) => [f.file, f.format, f.read, f.loaded])).toEqual([[base + path, path === '/api/orders' ? 'json' : 'csv', 2823, 2823]]);
    }
    expect(requests.get('/flaky.csv')).toBe(2);
  });

  it('is not downloaded again while the server says it has not changed (ETag), and is when it has', async () => {
    const [outDir, workDir] = [tempDir(), tempDir()];
    const first = await run([base + '/etag.csv'], { outDir, workDir });
    expect(first.skipped).toEqual([]);
    const again = await run([base + '/etag.csv'], { outDir, workDir });
    expect(again.skipped).toEqual(['ingest', 'clean', 'model', 'cube', 'export']);
    expect(requests.get('/etag.csv')).toBe(2);
    // A new version: downloaded and built.
    Object.assign(etag, { tag: '"v2"', body: withBadDate });
    const changed = await run([base + '/etag.csv'], { outDir, workDir });
    expect(changed.skipped).toEqual([]);
    expect(changed.quality.totals).toMatchObject({ read: 2823, rejected: 1 });
  });

  it('names its URL in the rejects', async () => {
    const r = await run([base + '/bad-date.csv']);
    expect(r.quality.rejects.map((x) => [x.file, x.line, x.column])).toEqual([[base + '/bad-date.csv', 4, 'ORDERDATE']]);
  });
});

describe('an HTTP input that fails stops the build naming it, publishing nothing', () => {
  // Said of the URL, whatever failed.
  async function failure(url: string): Promise<UserError> {
    const error = await failedRun(url);
    expect(error.where.file).toBe(url);
    return error;
  }

  it('a server error on every attempt', async () => {
    const e = await failure(base + '/broken.csv');
    expect(e.message).toBe('the server answered 500 Internal Server Error (2 attempts); nothing was read from it');
    expect(requests.get('/broken.csv')).toBe(2);
    expect(e.fix).toMatch(/server is up/);
  });

  it('a page that is not there, asked for once', async () => {
    const e = await failure(base + '/nothing.csv');
    expect(e.message).toBe('the server answered 404 Not Found; nothing was read from it');
    expect(requests.get('/nothing.csv')).toBe(1);
  });

  it('no answer in time', async () => {
    expect((await failure(base + '/slow.csv')).message).toBe('no complete answer within 1 s (2 attempts); nothing was read from it');
  });

  it('a body cut short', async () => {
    expect((await failure(base + '/cut.csv')).message).toMatch(/^the response was cut short after \d+ of \d+ bytes \(2 attempts\)/);
  });

  it('nothing listening', async () => {
    // A port that was free a moment ago.
    const closed = createServer();
    await new Promise<void>((r) => closed.listen(0, '127.0.0.1', r));
    const { port } = closed.address() as AddressInfo;
    await new Promise((r) => closed.close(r));
    expect((await failure(`http://127.0.0.1:${port}/orders.csv`)).message).toBe('cannot connect: ECONNREFUSED (2 attempts); nothing was read from it');
  });

  it('a body this dataset cannot read is said of the URL, not of its download', async () => {
    const e = await failure(base + '/login.html');
    expect(e.message).toMatch(/not a header this dataset knows/);
  });
});
