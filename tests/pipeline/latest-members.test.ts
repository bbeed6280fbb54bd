/**
 * A customer's address and a product's line and list price come from its latest order line (by date, then
 * order and line number), so a customer who moved is shown where they are now. Checked against the sample
 * with one customer's and one product's latest line changed, and the same lines moved to the start of the
 * file: which line is latest is read from the data, never from the order of the file.
 */
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { dateParts, sampleRecords, toCsv } from '../helpers/csv.ts';
import { independentDb, run, tempFile } from '../helpers/pipeline.ts';
import { lit } from '../../pipeline/duckdb.ts';

const records = sampleRecords();
const header = records[0]!;
const col = (name: string) => header.indexOf(name);
const day = (value: string) => {
  const { y, m, d } = dateParts(value);
  return y * 10000 + m * 100 + d;
};
const sortKey = (r: string[]) => [day(r[col('ORDERDATE')]!), Number(r[col('ORDERNUMBER')]), Number(r[col('ORDERLINENUMBER')])];
const later = (a: string[], b: string[]) => {
  const [x, y] = [sortKey(a), sortKey(b)];
  for (let i = 0; i < x.length; i++) if (x[i] !== y[i]) return x[i]! > y[i]!;
  return false;
};
const latestLine = (column: string, value: string) =>
  records.slice(1).reduce<string[] | undefined>((best, r) => (r[col(column)] === value && (!best || later(r, best)) ? r : best), undefined)!;

const CUSTOMER = 'Euro Shopping Channel';
const PRODUCT = 'S18_3232';

function moved(firstLinesFirst: boolean): string[][] {
  const customerLine = latestLine('CUSTOMERNAME', CUSTOMER);
  const productLine = latestLine('PRODUCTCODE', PRODUCT);
  const changed = records.map((r) => {
    if (r === customerLine) return r.map((v, i) => (i === col('CITY') ? 'Valencia' : i === col('ADDRESSLINE1') ? 'Calle Nueva 1' : v));
    if (r === productLine) return r.map((v, i) => (i === col('MSRP') ? '199' : v));
    return r;
  });
  if (!firstLinesFirst) return changed;
  // The latest lines first in the file: a pick by file position would take them as the oldest.
  const latest = new Set([changed[records.indexOf(customerLine)]!, changed[records.indexOf(productLine)]!]);
  return [changed[0]!, ...latest, ...changed.slice(1).filter((r) => !latest.has(r))];
}

describe.each([false, true])('latest order line wins (latest lines moved to the top: %s)', (top) => {
  it('shows the customer at its new address and the product at its new list price', async () => {
    const r = await run([tempFile('moved.csv', toCsv(moved(top)))]);
    const db = await independentDb();
    const data = join(r.outDir, 'data/sales');
    const [customer] = await db.rows<{ city: string; address_line1: string }>(
      `select city, address_line1 from ${lit(join(data, 'dim_customer.parquet'))} where customer_name = ${lit(CUSTOMER)}`,
    );
    const [product] = await db.rows<{ msrp: number }>(`select msrp::DOUBLE as msrp from ${lit(join(data, 'dim_product.parquet'))} where product_code = ${lit(PRODUCT)}`);
    // The other lines keep the old values: only the latest one moved.
    const [older] = await db.rows<{ n: number }>(
      `select count(*) as n from ${lit(join(data, 'stg_sales.parquet'))} where customer_name = ${lit(CUSTOMER)} and city <> 'Valencia'`,
    );
    db.close();
    expect(customer).toEqual({ city: 'Valencia', address_line1: 'Calle Nueva 1' });
    expect(product).toEqual({ msrp: 199 });
    expect(older!.n).toBeGreaterThan(0);
  });
});
