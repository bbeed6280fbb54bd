/**
 * Tables written to their own Parquet file and read back as views (pipeline/file-tables.ts): the file keeps the
 * query's order, and a dimension's text is read as ENUMs that behave as the text itself.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { tableFromIPC, tableToIPC } from 'apache-arrow';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openDb, rowsOf, type Db, type NumberLists } from '../../pipeline/duckdb.ts';
import { UserError } from '../../pipeline/errors.ts';
import { writeTable } from '../../pipeline/file-tables.ts';
import { runModels } from '../../pipeline/model/run-models.ts';
import type { DatasetSpec } from '../../src/lib/contract/declaration.ts';
import { arrowTable } from '../../pipeline/export/arrow.ts';
import { factTableFromArrow } from '../../src/lib/fact-table.ts';

let db: Db;
let dir: string;
beforeEach(async () => {
  db = await openDb();
  dir = mkdtempSync(join(tmpdir(), 'salescube-tables-'));
});
afterEach(() => db.close());

const types = async (table: string) => Object.fromEntries((await db.rows<{ column_name: string; column_type: string }>(`describe ${table}`)).map((c) => [c.column_name, c.column_type]));

describe('a dimension read from its file', () => {
  beforeEach(async () => {
    await writeTable(db, { name: 'dim_city', kind: 'dimension' }, `select * from (values (1, 'Paris', 'EMEA', NULL), (2, 'Boston', 'NA', 'x'), (3, 'Zürich', 'EMEA', NULL), (4, NULL, 'NA', NULL)) t(city_key, city, territory, note) order by city_key`, dir);
  });

  it('holds its text as ENUMs of its distinct values, in text order, and NULL as NULL', async () => {
    expect(await types('dim_city')).toEqual({ city_key: 'INTEGER', city: "ENUM('Boston', 'Paris', 'Zürich')", territory: "ENUM('EMEA', 'NA')", note: "ENUM('x')" });
    expect(await db.rows('select city from dim_city order by city nulls last')).toEqual([{ city: 'Boston' }, { city: 'Paris' }, { city: 'Zürich' }, { city: null }]);
    // Its file keeps plain text.
    expect(await db.rows(`select typeof(city) as t from read_parquet('${join(dir, 'dim_city.parquet')}') limit 1`)).toEqual([{ t: 'VARCHAR' }]);
  });

  it('compares, joins and groups as text, and reports its columns as text', async () => {
    await db.run(`create table sales as select * from (values (1, 10), (2, 5), (3, 7), (9, 1)) t(city_key, amount)`);
    const mart = `select s.amount, c.city, c.territory from sales s join dim_city c using (city_key)`;
    expect(await db.rows(`select territory, sum(amount)::INTEGER as amount from (${mart}) where territory <> 'LATAM' and city <> 'Nowhere' group by all order by territory`)).toEqual([
      { territory: 'EMEA', amount: 17 },
      { territory: 'NA', amount: 5 },
    ]);
    expect(await db.rows(`select count(*)::INTEGER as n from (values ('Paris'), ('Lyon')) v(city) join dim_city using (city)`)).toEqual([{ n: 1 }]);
    expect((await db.columns(`select city, city_key from dim_city`)).types).toEqual(['VARCHAR', 'INTEGER']);
  });

  it("is read as codes into its values, and written to Arrow as the same dictionary as its text", async () => {
    const sql = `select city, territory, city_key from dim_city order by city_key desc`;
    const coded = await db.codedColumns(sql);
    expect(coded.values[0]).toEqual({ codes: Int32Array.from([-1, 2, 0, 1]), values: ['Boston', 'Paris', 'Zürich'] });
    expect(coded.values[2]).toEqual(Float64Array.from([4, 3, 2, 1]));
    // The Arrow file is byte for byte the one written from the strings: keys in order of first occurrence.
    const text = await db.columns(sql);
    expect(coded.types).toEqual(text.types);
    expect(tableToIPC(arrowTable(coded))).toEqual(tableToIPC(arrowTable(text)));
  });

  it('is read as codes over every chunk of a long result', async () => {
    const sql = `select city, i from dim_city, range(3000) r(i) order by i, city_key`;
    const coded = await db.codedColumns(sql);
    const text = await db.columns(sql);
    expect(coded.values[1]).toHaveLength(12_000);
    const { codes, values } = coded.values[0] as { codes: Int32Array; values: string[] };
    expect(Array.from(codes, (c) => (c < 0 ? null : values[c]))).toEqual(text.values[0]);
  });

  it('is read as text in a table of any other kind', async () => {
    await writeTable(db, { name: 'fct_city', kind: 'fact' }, 'select city_key, city from dim_city order by city_key', dir);
    expect(await types('fct_city')).toEqual({ city_key: 'INTEGER', city: 'VARCHAR' });
  });
});

describe('writing a table', () => {
  it('refuses a query whose rows DuckDB would write in no set order', async () => {
    await db.run(`create table t as select range as i, (range % 9)::VARCHAR as s from range(1000)`);
    // A CASE over a list of five or more values is planned as a join.
    const query = `select i, case when s in ('1', '2', '3', '4', '5') then 'low' end as band from t`;
    await expect(writeTable(db, { name: 'band', kind: 'model' }, query, dir)).rejects.toThrow(UserError);
    await expect(writeTable(db, { name: 'band', kind: 'model' }, query, dir)).rejects.toThrow(/no set order/);
    await writeTable(db, { name: 'band', kind: 'model' }, `${query} order by i`, dir);
    expect(await db.rows('select count(*)::INTEGER as n, count(band)::INTEGER as low from band')).toEqual([{ n: 1000, low: 555 }]);
  });
});

describe('the mart', () => {
  // A fact in its own order (by day, then id) and a dimension keyed from 1; the mart is built in memory.
  const spec = { name: 'shop', mart: 'mart_shop', models: { fact: ['fct_shop'], mart: ['mart_shop'] } } as unknown as DatasetSpec;
  const build = async (martSql: string, rows = 1000) => {
    writeFileSync(join(dir, 'fct_shop.sql'), `select (1000 - i) // 7 as day, i as id, i % 5 + 1 as city_key from range(${rows}) t(i) order by day, id`);
    writeFileSync(join(dir, 'mart_shop.sql'), martSql);
    await db.run(`create or replace table dim_city as select i + 1 as city_key, 'city ' || i as city from range(5) t(i)`);
    await runModels(db, spec, dir, join(dir, 'data'));
  };

  it('is refused when DuckDB would hold its rows in no set order (a join without ORDER BY)', async () => {
    await expect(build('select f.day, f.id, c.city from fct_shop f join dim_city c using (city_key)')).rejects.toThrow(/mart_shop: .*no set order/);
  });

  // Of a few rows too, where DuckDB would otherwise take the fact for the smaller side of the cross product.
  it.each([1000, 3, 1, 0])("keeps the fact's order when its dimensions are looked up from lists by key (%s rows)", async (rows) => {
    await build(`with lookups as materialized (select list(city order by city_key) as cities from dim_city)
      select f.day, f.id, l.cities[f.city_key] as city from fct_shop f, lookups l`, rows);
    const joined = await db.rows('select f.day, f.id, c.city from fct_shop f join dim_city c using (city_key) order by f.day, f.id');
    expect(await db.rows('from mart_shop')).toEqual(joined);
    expect(joined).toHaveLength(rows);
  });
});

describe('lists of numbers (histograms)', () => {
  it('are read flat over every chunk, and a slice of rows is written as the same lists', async () => {
    const db = await openDb();
    const sql = `select case when i % 7 = 0 then null when i % 5 = 0 then []::BIGINT[] else [i, -i, i * 1000]::BIGINT[] end as l from range(3000) r(i) order by i`;
    const coded = await db.codedColumns(sql);
    const { values: [expected] } = await db.columns(sql);
    const lists = coded.values[0] as NumberLists;
    const row = (i: number) => Array.from(lists.values.subarray(lists.offsets[i], lists.offsets[i + 1]));
    expect(Array.from({ length: 3000 }, (_, i) => row(i))).toEqual(expected!.map((l) => (l as bigint[] | null)?.map(Number) ?? []));
    const part = arrowTable({ ...coded, values: [rowsOf(lists, 1000, 2500)] }).getChild('l')!;
    expect(part.length).toBe(1500);
    expect(Array.from({ length: 1500 }, (_, i) => Array.from(part.get(i)!.toArray() as Int32Array))).toEqual(Array.from({ length: 1500 }, (_, i) => row(1000 + i)));
    db.close();
  });
});

describe('numbers in Arrow', () => {
  it('writes whole numbers (sums of integers too) as the narrowest integers, money as cents, and past 32 bits as exact doubles', async () => {
    const db = await openDb();
    const columns = await db.columns(`select sum(n) as small, sum(n * 1000) as wide, sum(n) * 3000000000 as huge, sum(price) as money
      from (values (1, 1.25::DECIMAL(10,2)), (2, 2.5), (-1, 0.01)) v(n, price)`);
    const table = arrowTable(columns);
    expect(columns.types).toEqual(['HUGEINT', 'HUGEINT', 'HUGEINT', 'DECIMAL(38,2)']);
    expect(table.schema.fields.map((f) => String(f.type))).toEqual(['Int8', 'Int16', 'Float64', 'Int16']);
    expect(table.toArray().map((r) => r.toJSON())).toEqual([{ small: 2, wide: 2000, huge: 6_000_000_000, money: 376 }]);
    db.close();
  });

  it('reads money past 32 bits of cents back as dollars: its doubles carry the scale too', async () => {
    const db = await openDb();
    // A month's sales of a make at scale: $30,000,000.07 is 3,000,000,007 cents, past an Int32.
    const coded = await db.codedColumns(`select 'Ford' as make, DATE '2015-01-01' as day, 1::INTEGER as __rows, 30000000.07::DECIMAL(38,2) as revenue, 12.5::DECIMAL(38,2) as small`);
    const table = tableFromIPC(tableToIPC(arrowTable(coded)));
    expect(table.schema.fields.map((f) => [f.name, String(f.type), f.metadata.get('scale')])).toEqual([
      ['make', 'Dictionary<Int8, Utf8>', undefined],
      ['day', 'Date32<DAY>', undefined],
      ['__rows', 'Int8', undefined],
      ['revenue', 'Float64', '2'],
      ['small', 'Int16', '2'],
    ]);
    const facts = factTableFromArrow(table, 'day');
    expect([facts.numbers.revenue![0], facts.numbers.small![0]]).toEqual([30000000.07, 12.5]);
    db.close();
  });

  it("are read from DuckDB's own bytes, to the same file as from its values: every integer width, decimals, dates, missing values", async () => {
    const db = await openDb();
    // Over several chunks; each kind with negatives and missing values, the wide ones past 32 bits, and past 2^53.
    const sql = `select (i % 200 - 100)::TINYINT as tiny, (i * 7 - 9000)::SMALLINT as small, (i * 100003 - 2^30)::INTEGER as int, (i * 3000000007 - 2^40)::BIGINT as big,
        case when i % 3 = 0 then null else (i - 2500)::HUGEINT * 100000000007 end as huge, (2::HUGEINT ^ 60 + i)::HUGEINT as past53, -(2::HUGEINT ^ 100)::HUGEINT as hugest,
        case when i % 4 = 0 then null else (i - 2000) / 8 end::DECIMAL(4,1) as d2, ((i - 2500) * 1.01)::DECIMAL(9,2) as d4, ((i - 2500) * 1000003.01)::DECIMAL(18,2) as d8,
        ((i - 2500) * 1000003.01)::DECIMAL(38,2) as d16, case when i % 5 = 0 then null else DATE '1969-12-25' + i::INTEGER end as day
      from range(5000) r(i) order by i`;
    const coded = await db.codedColumns(sql);
    const plain = await db.columns(sql);
    expect(coded.values.every((v) => v instanceof Float64Array)).toBe(true);
    expect(Array.from(coded.values[4] as Float64Array).slice(0, 3)).toEqual([NaN, -2499 * 100000000007, -2498 * 100000000007]);
    expect(Array.from((coded.values[7] as Float64Array).slice(0, 2))).toEqual([NaN, -2499]);
    expect((coded.values[11] as Float64Array)[1]).toBe(-6);
    expect(tableToIPC(arrowTable(coded))).toEqual(tableToIPC(arrowTable(plain)));
    db.close();
  });
});
