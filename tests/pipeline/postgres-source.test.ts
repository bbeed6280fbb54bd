/**
 * A PostgreSQL query as an input, against the real server the run starts (tests/setup/postgres.ts): the bundled sample
 * loaded into a typed table and read back through the pipeline gives the CSV file's KPIs to the cent; wrong
 * credentials, a query that fails, an unset connection variable and a server that is not there each stop the build
 * naming the source and a fix, publishing nothing.
 */
import { spawnSync } from 'node:child_process';
import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { InputSpec } from '../../src/lib/contract/declaration.ts';
import { sampleRecords, toCsv } from '../helpers/csv.ts';
import { failedRun, run, sharedRun, tempDir } from '../helpers/pipeline.ts';
import { loadSalesTable } from '../setup/postgres-server.ts';

const server = inject('postgres');
const url = server.url!;
const QUERY = 'select * from sales order by ordernumber, orderlinenumber';

beforeAll(async () => {
  if (!url) throw new Error(server.reason);
  await loadSalesTable(url, Readable.from([toCsv(sampleRecords())]));
});

describe('a PostgreSQL query as an input', () => {
  beforeAll(() => {
    process.env.SALESCUBE_PG_URL = url;
  });
  afterAll(() => {
    delete process.env.SALESCUBE_PG_URL;
  });

  it('gives the CSV file’s KPIs to the cent, with the connection read from the environment', async () => {
    const r = await run([{ postgres: 'SALESCUBE_PG_URL', query: QUERY }]);
    expect(r.kpis).toEqual(sharedRun('sales').kpis);
    const source = r.quality.files[0]!;
    expect(source).toMatchObject({ format: 'csv', read: 2823, loaded: 2823, rejected: 0, duplicates: 0 });
    // Named by its connection without the password, and its query.
    expect(source.file).toBe(`${url.replace(/:[^:@/]+@/, '@')} ${QUERY}`);
    expect(source.file).not.toContain('salescube-test');
  });

  it('is not exported again while its change column and row count stay the same, and is when a row is added', async () => {
    const input: InputSpec = { postgres: 'SALESCUBE_PG_URL', query: QUERY, changeColumn: 'orderdate' };
    const [outDir, workDir] = [tempDir(), tempDir()];
    const first = await run([input], { outDir, workDir });
    const exported = join(workDir, 'sales.downloads', readdirSync(join(workDir, 'sales.downloads')).find((f) => f.endsWith('.csv'))!);
    const written = statSync(exported).mtimeMs;
    const again = await run([input], { outDir, workDir });
    expect(again.skipped).toEqual(['ingest', 'clean', 'model', 'cube', 'export']);
    expect(statSync(exported).mtimeMs).toBe(written);
    const client = new pg.Client({ connectionString: url });
    await client.connect();
    await client.query(`insert into sales select ordernumber + 100000, quantityordered, priceeach, orderlinenumber, sales, orderdate, status, qtr_id, month_id,
      year_id, productline, msrp, productcode, customername, phone, addressline1, addressline2, city, state, postalcode, country, territory,
      contactlastname, contactfirstname, dealsize from sales where ordernumber = 10107 and orderlinenumber = 2`);
    try {
      const changed = await run([input], { outDir, workDir });
      expect(changed.skipped).toEqual([]);
      expect(changed.quality.totals.loaded).toBe(first.quality.totals.loaded + 1);
    } finally {
      await client.query('delete from sales where ordernumber > 100000');
      await client.end();
    }
  });

  it('is tried from the command line with --query and --change-column, and not exported again while nothing changed', () => {
    const [out, work] = [tempDir(), tempDir()];
    const cli = () => {
      const r = spawnSync(join('node_modules', '.bin', 'node'), ['pipeline/cli.ts', 'run', '--input', url, '--query', QUERY, '--change-column', 'orderdate', '--out', out, '--work', work], {
        encoding: 'utf8',
        env: { ...process.env, CI: 'true' },
      });
      expect(r.stderr).toBe('');
      return JSON.parse(r.stdout.trim().split('\n').at(-1)!) as { loaded: number; skipped: string[] };
    };
    expect(cli()).toMatchObject({ loaded: 2823, skipped: [] });
    expect(cli().skipped).toEqual(['ingest', 'clean', 'model', 'cube', 'export']);
  });

  it('wrong credentials', async () => {
    const e = await failedRun({ postgres: url.replace('salescube-test', 'wrong'), query: QUERY });
    expect(e.message).toMatch(/^cannot connect to PostgreSQL: password authentication failed for user "salescube"/);
    expect(e.fix).toMatch(/user and password/);
    expect(e.where.file).not.toContain('wrong');
  });

  it('a query that fails', async () => {
    const e = await failedRun({ postgres: 'SALESCUBE_PG_URL', query: 'select * from orders' });
    expect(e.message).toBe('the query failed: relation "orders" does not exist');
    expect(e.where.file).toMatch(/ select \* from orders$/);
    expect(e.fix).toMatch(/psql/);
  });

  it('an unset connection variable', async () => {
    const e = await failedRun({ postgres: 'SALESCUBE_PG_URL_UNSET', query: QUERY });
    expect(e.message).toMatch(/SALESCUBE_PG_URL_UNSET, which the dataset reads its PostgreSQL connection from, is not set/);
    expect(e.fix).toMatch(/export SALESCUBE_PG_URL_UNSET=postgresql:\/\//);
  });

  it('a server that is not there', async () => {
    const e = await failedRun({ postgres: url.replace(/:(\d+)\//, ':1/'), query: QUERY });
    expect(e.message).toMatch(/^cannot connect to PostgreSQL: connect ECONNREFUSED 127\.0\.0\.1:1/);
    expect(e.fix).toMatch(/host, port and database/);
  });
});
