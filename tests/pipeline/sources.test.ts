/**
 * Inputs besides one CSV file: a folder of batch files, a glob, Parquet, JSON (an array, one object per line, or an
 * object's array). Each reads the bundled sample's rows and gives the same KPIs to the cent as the CSV file; each
 * file's rows are accounted for; and a source that cannot be read stops with its name and a fix, publishing nothing.
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { sampleRecords, toCsv } from '../helpers/csv.ts';
import { failedRun, independentDb, run, sharedRun, tempDir, type Run } from '../helpers/pipeline.ts';
import type { InputSpec } from '../../src/lib/contract/declaration.ts';

const records = sampleRecords();
const [header, ...rows] = records as [string[], ...string[][]];
const dir = tempDir('salescube-sources-');
const utf8 = join(dir, 'sample.utf8.csv');
writeFileSync(utf8, toCsv(records));

/** The sample's columns as a typed file would hold them: numbers as numbers, the order date as a DATE. */
const TYPED = `select ORDERNUMBER::INTEGER as ORDERNUMBER, QUANTITYORDERED::INTEGER as QUANTITYORDERED, PRICEEACH::DOUBLE as PRICEEACH,
    ORDERLINENUMBER::INTEGER as ORDERLINENUMBER, SALES::DECIMAL(12, 2) as SALES, strptime(ORDERDATE, '%m/%d/%Y %H:%M')::DATE as ORDERDATE,
    * exclude (ORDERNUMBER, QUANTITYORDERED, PRICEEACH, ORDERLINENUMBER, SALES, ORDERDATE)
  from read_csv('${utf8}', all_varchar = true)`;

const expectAccounted = (r: Run) => {
  for (const f of r.quality.files) expect(f.read, f.file).toBe(f.loaded + f.rejected + f.duplicates);
  expect(r.quality.totals.read).toBe(rows.length);
};

let csvKpis: unknown;
beforeAll(async () => {
  csvKpis = sharedRun('sales').kpis;
  const db = await independentDb();
  await db.run(`copy (${TYPED}) to '${join(dir, 'sample.parquet')}' (format parquet)`);
  await db.run(`copy (${TYPED}) to '${join(dir, 'sample.json')}' (format json, array true)`);
  await db.run(`copy (${TYPED}) to '${join(dir, 'sample.ndjson')}' (format json)`);
  db.close();
  writeFileSync(join(dir, 'nested.json'), JSON.stringify({ exported: '2005-06-01', orders: JSON.parse(readFileSync(join(dir, 'sample.json'), 'utf8')) }));
});

describe('every kind of input gives the CSV file’s figures', () => {
  it('a folder of monthly batches, taken in name order', async () => {
    const batches = join(dir, 'batches');
    mkdirSync(batches);
    // Three batches whose names sort otherwise than they were made: the order read is the names'.
    const parts = [rows.slice(0, 1000), rows.slice(1000, 2000), rows.slice(2000)];
    ['2004-02.csv', '2003-11.csv', '2004-10.csv'].forEach((name, i) => writeFileSync(join(batches, name), toCsv([header, ...parts[i]!])));
    writeFileSync(join(batches, 'README.md'), 'not a batch');
    const r = await run([batches]);
    expect(r.kpis).toEqual(csvKpis);
    expect(r.quality.files.map((f) => [f.file, f.read])).toEqual([
      ['2003-11.csv', 1000],
      ['2004-02.csv', 1000],
      ['2004-10.csv', rows.length - 2000],
    ]);
    expectAccounted(r);
    // A glob names the same files.
    const globbed = await run([join(batches, '2*.csv')]);
    expect(globbed.kpis).toEqual(csvKpis);
    expect(globbed.quality.files.map((f) => f.file)).toEqual(['2003-11.csv', '2004-02.csv', '2004-10.csv']);
  });

  const kinds: [string, InputSpec][] = [
    ['Parquet, with typed columns', join(dir, 'sample.parquet')],
    ['a JSON array', join(dir, 'sample.json')],
    ['JSON, one object per line', join(dir, 'sample.ndjson')],
    ['a JSON object holding the records', { path: join(dir, 'nested.json'), records: 'orders' }],
  ];
  for (const [name, input] of kinds) {
    it(name, async () => {
      const r = await run([input]);
      expect(r.kpis).toEqual(csvKpis);
      expect(r.quality.totals).toMatchObject({ loaded: rows.length, rejected: 0, duplicates: 0 });
      expectAccounted(r);
    });
  }

  it('rejects name their source and record, and a row in two sources with other values names both', async () => {
    const db = await independentDb();
    const batch = join(dir, 'batch.parquet');
    // 100 records; record 5 has a date that is no date.
    await db.run(`copy (select * exclude (n) replace (case when n = 5 then 'not a date' else ORDERDATE::VARCHAR end as ORDERDATE)
      from (select *, row_number() over () as n from (${TYPED}) limit 100) order by n) to '${batch}' (format parquet)`);
    db.close();
    // A later CSV batch: the Parquet file's first row again with another quantity (a conflict), and its second as it was.
    const later = join(dir, 'later.csv');
    const changed = rows[0]!.map((v, k) => (header[k] === 'QUANTITYORDERED' ? String(Number(v) + 1) : v));
    writeFileSync(later, toCsv([header, changed, rows[1]!]));
    const r = await run([batch, later]);
    expect(r.quality.files.map((f) => [f.file, f.format, f.read, f.loaded, f.rejected, f.duplicates])).toEqual([
      ['batch.parquet', 'parquet', 100, 99, 1, 0],
      ['later.csv', 'csv', 2, 0, 1, 1],
    ]);
    const reasons = r.quality.rejects.map((x) => [x.file, x.line, x.column, x.reason.replace(/ such as .*/, '')]);
    expect(reasons).toEqual([
      ['batch.parquet', 5, 'ORDERDATE', 'not a date'],
      ['later.csv', 2, 'ORDERNUMBER, ORDERLINENUMBER', 'duplicate key: line 1 of batch.parquet has the same ORDERNUMBER, ORDERLINENUMBER with other values'],
    ]);
  });
});

describe('a source that cannot be read stops with its name and a fix, and nothing is published', () => {
  it('JSON that is an object, not an array of records', async () => {
    const e = await failedRun(join(dir, 'nested.json'));
    expect(e.message).toMatch(/not an array of records: its top level is an object with "exported", "orders"/);
    expect(e.where.file).toMatch(/nested\.json$/);
    expect(e.fix).toMatch(/records: 'orders'/);
  });

  it('JSON records under a key the file does not have', async () => {
    const e = await failedRun({ path: join(dir, 'nested.json'), records: 'sales' });
    expect(e.message).toMatch(/no list of records under "sales"/);
  });

  it('JSON cut short', async () => {
    const path = join(dir, 'cut.json');
    writeFileSync(path, readFileSync(join(dir, 'sample.json'), 'utf8').slice(0, 5000));
    const e = await failedRun(path);
    expect(e.message).toMatch(/cannot be read as JSON/);
    expect(e.where.file).toBe(path);
  });

  it('a Parquet column of the wrong type', async () => {
    const db = await independentDb();
    const path = join(dir, 'wrong-type.parquet');
    await db.run(`copy (select * replace (SALES > 3000 as SALES) from (${TYPED})) to '${path}' (format parquet)`);
    db.close();
    const e = await failedRun(path);
    expect(e.message).toBe('the column "SALES" holds BOOLEAN values, where the dataset expects a number');
    expect(e.where).toMatchObject({ file: path, column: 'SALES' });
    expect(e.fix).toMatch(/write SALES as a number/);
  });

  it('a file that is not Parquet', async () => {
    const path = join(dir, 'not.parquet');
    writeFileSync(path, 'ORDERNUMBER,SALES\n1,2\n');
    const e = await failedRun(path);
    expect(e.message).toMatch(/cannot be read as Parquet/);
  });

  it('a glob that matches nothing, and a folder without batch files', async () => {
    expect((await failedRun(join(dir, 'none-*.csv'))).message).toBe('no file matches this pattern');
    const empty = join(dir, 'empty');
    mkdirSync(empty);
    expect((await failedRun(empty)).message).toMatch(/holds no CSV, Parquet or JSON file/);
  });

  it('a Parquet file missing a required column says which', async () => {
    const db = await independentDb();
    const path = join(dir, 'no-sales.parquet');
    await db.run(`copy (select * exclude (SALES) from (${TYPED})) to '${path}' (format parquet)`);
    db.close();
    const e = await failedRun(path);
    expect(e.message).toBe('required column missing from the header: SALES');
  });
});
