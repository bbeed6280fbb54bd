/** The commands as users run them: clear output, exit codes, and never a stack trace for a user mistake. */
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { SAMPLE, tempDir, tempFile } from '../helpers/pipeline.ts';

const cli = (...args: string[]) => cliWith({}, ...args);
const cliWith = (env: Record<string, string>, ...args: string[]) => {
  const r = spawnSync(join('node_modules', '.bin', 'node'), ['pipeline/cli.ts', ...args], { encoding: 'utf8', env: { ...process.env, CI: 'true', ...env } });
  return { code: r.status, out: r.stdout, err: r.stderr };
};
const noStackTrace = (text: string) => expect(text).not.toMatch(/^\s+at .+:\d+:\d+\)?$/m);

describe('check', () => {
  it('prints the quality summary of a good file and exits 0', () => {
    const r = cli('check', SAMPLE);
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/read 2,823 rows, loaded 2,823, rejected 0/);
    expect(r.out).toMatch(/sales_data_sample\.csv: cp850/);
  });

  it('exits 1 with file, line and fix for an unusable file', () => {
    const r = cli('check', tempFile('empty.csv', ''));
    expect(r.code).toBe(1);
    expect(r.err).toMatch(/^error: .*empty\.csv, line 1: the file is empty/);
    expect(r.err).toMatch(/fix: /);
    noStackTrace(r.err);
  });

  it('exits 1 over a rejection threshold given on the command line', () => {
    const text = `ORDERNUMBER,QUANTITYORDERED,PRICEEACH,ORDERLINENUMBER,SALES,ORDERDATE,STATUS,PRODUCTLINE,PRODUCTCODE,CUSTOMERNAME,CITY,COUNTRY,TERRITORY,DEALSIZE
1,1,1,1,1,1/20/2003,Shipped,Ships,S1,Ann,Oslo,Norway,EMEA,Small
2,1,1,1,oops,1/20/2003,Shipped,Ships,S1,Ann,Oslo,Norway,EMEA,Small
`;
    expect(cli('check', tempFile('half.csv', text), '--max-rejected-pct', '60').code).toBe(0);
    const r = cli('check', tempFile('half.csv', text), '--max-rejected-pct', '10');
    expect(r.code).toBe(1);
    expect(r.err).toMatch(/too many rejected rows: 1 \(50%\)/);
    expect(r.err).toMatch(/SALES: not a number .*line 3/);
    noStackTrace(r.err);
  });

  it('names a missing file', () => {
    const r = cli('check', 'no/such.csv');
    expect(r.code).toBe(1);
    expect(r.err).toMatch(/no\/such\.csv: no such file/);
    noStackTrace(r.err);
  });

  it('explains an unknown option', () => {
    const r = cli('check', '--bogus');
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/usage:/);
    noStackTrace(r.err);
  });
});

describe('run', () => {
  it('writes data/ and api/ under --out and one JSON line in CI', () => {
    const out = tempDir();
    const r = cli('run', '--input', SAMPLE, '--out', out, '--work', tempDir());
    expect(r.code).toBe(0);
    const line = JSON.parse(r.out.trim());
    expect(line).toMatchObject({ command: 'run', dataset: 'sales', read: 2823, loaded: 2823, rejected: 0 });
    expect(Object.keys(line.ms)).toEqual(['ingest', 'clean', 'model', 'cube', 'export']);
    expect(existsSync(join(out, 'api/sales/kpis.json'))).toBe(true);
    expect(existsSync(join(out, 'data/sales/manifest.json'))).toBe(true);
  });

  it('leaves the previous output untouched when the input is bad', () => {
    const out = tempDir();
    const work = tempDir();
    expect(cli('run', '--out', out, '--work', work).code).toBe(0);
    const before = spawnSync('sha256sum', [join(out, 'api/sales/kpis.json')], { encoding: 'utf8' }).stdout;
    const r = cli('run', '--input', tempFile('empty.csv', ''), '--out', out, '--work', work);
    expect(r.code).toBe(1);
    expect(spawnSync('sha256sum', [join(out, 'api/sales/kpis.json')], { encoding: 'utf8' }).stdout).toBe(before);
  });

  it('says when the input needs more memory than DuckDB is allowed, and how to give it more', () => {
    const r = cliWith({ SALESCUBE_MEMORY_LIMIT: '8MB' }, 'run', '--dataset', 'cars', '--out', tempDir(), '--work', tempDir());
    expect(r.code).toBe(1);
    expect(r.err).toMatch(/car_prices\.csv: the build ran out of memory: DuckDB is capped at 8MB/);
    expect(r.err).toMatch(/fix: set SALESCUBE_MEMORY_LIMIT higher/);
    noStackTrace(r.err);
  });
});
