/**
 * The bundled sample through the whole pipeline: every published figure equals an independent DuckDB
 * query over the raw file (read by DuckDB's own CSV sniffer), and the data README's reference figures.
 */
import { join } from 'node:path';
import { beforeAll, describe, expect, inject, it } from 'vitest';
import type { Db } from '../../pipeline/duckdb.ts';
import { independentDb, readJson, sampleText, tempFile } from '../helpers/pipeline.ts';

// The run's shared outputs: the pipeline over the bundled sample, as `npm run pipeline` writes it.
const result = { outDir: inject('outputs') };
let raw: Db;
const api = (file: string) => readJson(join(result.outDir, 'api', 'sales', file));

beforeAll(async () => {
  raw = await independentDb();
  // DuckDB cannot read cp850, so the test decodes it itself and lets DuckDB sniff everything else.
  await raw.run(`create table raw as select * from read_csv('${tempFile('sample-utf8.csv', sampleText())}')`);
  await raw.run(`create view kept as select * from raw where STATUS <> 'Cancelled'`);
});

const one = async (sql: string) => Object.values((await raw.rows(sql))[0]!)[0] as number;

describe('KPIs', () => {
  it('match the data README to the cent', () => {
    const k = api('kpis.json');
    expect(k.unfiltered.lines).toBe(2823);
    expect(k.measures.lines).toBe(2763);
    expect(k.unfiltered.revenue).toBe(10032628.85);
    expect(k.measures.revenue).toBe(9838141.37);
    expect(k.measures.orders).toBe(303);
    expect(k.unfiltered.orders).toBe(307);
    expect(k.measures.aov).toBe(32469.11);
    expect(k.measures.customers).toBe(92);
  });

  it('equal independent SQL over the raw file', async () => {
    const k = api('kpis.json');
    expect(k.measures.revenue).toBe(await one('select round(sum(SALES), 2) from kept'));
    expect(k.unfiltered.revenue).toBe(await one('select round(sum(SALES), 2) from raw'));
    expect(k.measures.orders).toBe(await one('select count(distinct ORDERNUMBER) from kept'));
    expect(k.measures.customers).toBe(await one('select count(distinct CUSTOMERNAME) from kept'));
    expect(k.measures.units).toBe(await one('select sum(QUANTITYORDERED) from kept'));
    expect(k.measures.aov).toBe(await one('select round(sum(SALES) / count(distinct ORDERNUMBER), 2) from kept'));
  });

  it('compare year to date with the same span a year earlier', async () => {
    const g = api('kpis.json').growth;
    expect(g.current).toMatchObject({ from: '2005-01-01', to: '2005-05-31' });
    expect(g.previous).toMatchObject({ from: '2004-01-01', to: '2004-05-31' });
    const span = (from: string, to: string) =>
      one(`select round(sum(SALES), 2) from kept where strptime(ORDERDATE, '%m/%d/%Y %H:%M')::DATE between '${from}' and '${to}'`);
    expect(g.current.measures.revenue).toBe(await span('2005-01-01', '2005-05-31'));
    expect(g.previous.measures.revenue).toBe(await span('2004-01-01', '2004-05-31'));
    expect(g.change.revenue).toBeCloseTo(g.current.measures.revenue / g.previous.measures.revenue - 1, 4);
  });
});

describe('API files', () => {
  it('revenue by year, quarter and month equals SQL over the raw file', async () => {
    const yearly = api('sales-over-time-yearly.json').rows;
    expect(yearly.map((r: any) => [r.year, r.revenue])).toEqual([
      [2003, 3468268.62],
      [2004, 4578386.04],
      [2005, 1791486.71],
    ]);
    for (const [file, key] of [
      ['sales-over-time-quarterly.json', `YEAR_ID || '-Q' || QTR_ID`],
      ['sales-over-time-monthly.json', `YEAR_ID || '-' || lpad(MONTH_ID::VARCHAR, 2, '0')`],
    ]) {
      const expected = await raw.rows(`select ${key} as k, round(sum(SALES), 2) as revenue, count(distinct ORDERNUMBER) as orders from kept group by 1 order by 1`);
      const rows = api(file!).rows;
      expect(rows.map((r: any) => [file!.includes('monthly') ? r.month : r.quarter, r.revenue, r.orders])).toEqual(expected.map((e) => [e.k, e.revenue, e.orders]));
    }
  });

  it('by product line, country and top customers equal SQL and are ranked by revenue', async () => {
    const byLine = api('sales-by-category.json').rows;
    expect(byLine[0]).toMatchObject({ product_line: 'Classic Cars', revenue: 3860372.85 });
    const lines = await raw.rows(`select PRODUCTLINE as k, round(sum(SALES), 2) as revenue, count(distinct CUSTOMERNAME) as customers from kept group by 1 order by 2 desc`);
    expect(byLine.map((r: any) => [r.product_line, r.revenue, r.customers])).toEqual(lines.map((e) => [e.k, e.revenue, e.customers]));

    const countries = await raw.rows(`select COUNTRY as k, round(sum(SALES), 2) as revenue from kept group by 1 order by 2 desc`);
    expect(api('sales-by-country.json').rows.map((r: any) => [r.country, r.revenue])).toEqual(countries.map((e) => [e.k, e.revenue]));
    expect(countries).toHaveLength(19);

    const top = api('top-customers.json').rows;
    expect(top).toHaveLength(20);
    expect(top[0]).toMatchObject({ customer_name: 'Euro Shopping Channel', revenue: 862283.46 });
    const customers = await raw.rows(`select CUSTOMERNAME as k, round(sum(SALES), 2) as revenue from kept group by 1 order by 2 desc limit 20`);
    expect(top.map((r: any) => [r.customer_name, r.revenue])).toEqual(customers.map((e) => [e.k, e.revenue]));
  });

  it('monthly trends compare each month with the one before and a year before', async () => {
    const rows = api('monthly-trends.json').rows;
    const byMonth = new Map(rows.map((r: any) => [r.month, r]));
    const march2004: any = byMonth.get('2004-03');
    expect(march2004.previous_month).toBe((byMonth.get('2004-02') as any).revenue);
    expect(march2004.previous_year).toBe((byMonth.get('2003-03') as any).revenue);
    expect(march2004.year_over_year).toBeCloseTo(march2004.revenue / march2004.previous_year - 1, 4);
  });
});

describe('cleaning the sample', () => {
  it('decodes cp850 names', async () => {
    const { rows } = api('top-customers.json');
    expect(rows.length).toBeGreaterThan(0);
    const db = await independentDb();
    const names = await db.rows<{ v: string }>(
      `select distinct unnest([address_line1, contact_first_name, state]) as v from '${join(result.outDir, 'data/sales/stg_sales.parquet')}'`,
    );
    const values = names.map((n) => n.v);
    expect(values).toContain('Berguvsvägen  8');
    expect(values).toContain('Martín');
    expect(values).toContain('Rambla de Cataluña, 23');
    expect(values.join(' ')).not.toMatch(/[„¡¤]/);
  });

  it('keeps TERRITORY "NA" as North America, not missing', async () => {
    expect(await one(`select count(*) from raw where TERRITORY = 'NA'`)).toBe(1074);
    const db = await independentDb();
    const [row] = await db.rows<{ n: number }>(`select count(*) as n from '${join(result.outDir, 'data/sales/stg_sales.parquet')}' where territory = 'NA'`);
    expect(row!.n).toBe(1074);
  });

  it('loads every row and passes every model check', () => {
    const q = api('quality.json');
    expect(q.totals).toMatchObject({ read: 2823, loaded: 2823, rejected: 0, duplicates: 0 });
    expect(q.files[0]).toMatchObject({ file: 'sales_data_sample.csv', encoding: 'cp850', delimiter: ',' });
    expect(q.checks.length).toBeGreaterThan(10);
    expect(q.checks.filter((c: any) => !c.passed)).toEqual([]);
  });
});
