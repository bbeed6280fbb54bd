/**
 * In the sample an order lists a product on one line only, and the cube counts a product's orders by counting its
 * lines once it has checked that on the data. Here one order lists the same product on two lines: that order
 * must count once in the product's orders, at every depth of every slice that groups by product.
 */
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { sampleRecords, toCsv } from '../helpers/csv.ts';
import { LEVELS, sampleMart, sliceRows, sortedRows, sqlSliceRows } from '../helpers/mart.ts';
import { tempFile } from '../helpers/pipeline.ts';

const records = sampleRecords();
const header = records[0]!;
const col = (name: string) => header.indexOf(name);

/** The first shipped order's second line, made to list the product of its first line. */
function productTwiceInOneOrder(): { csv: string; order: string; product: string } {
  const lines = records.slice(1).filter((r) => r[col('STATUS')] === 'Shipped');
  const first = lines[0]!;
  const second = lines.find((r) => r !== first && r[col('ORDERNUMBER')] === first[col('ORDERNUMBER')])!;
  const copied = new Set([col('PRODUCTCODE'), col('PRODUCTLINE'), col('MSRP')]);
  const changed = records.map((r) => (r === second ? r.map((v, i) => (copied.has(i) ? first[i]! : v)) : r));
  return { csv: toCsv(changed), order: first[col('ORDERNUMBER')]!, product: first[col('PRODUCTCODE')]! };
}

describe('an order listing one product on two lines', () => {
  it('counts once in that product’s orders, in every product slice at every depth', async () => {
    const variant = productTwiceInOneOrder();
    const mart = await sampleMart([tempFile('product-twice.csv', variant.csv)]);
    const dir = join(mart.outDir, 'data', 'sales');
    const [twice] = await mart.db.rows<{ n: number }>(
      `select count(*)::INTEGER as n from stg where order_number = ${variant.order} and product_code = '${variant.product}'`,
    );
    expect(twice!.n).toBe(2);

    const notCancelled = `status is distinct from 'Cancelled'`;
    const product = LEVELS.product!;
    for (let depth = 0; depth <= product.length; depth++) {
      const want = await sqlSliceRows(mart.db, product, product.slice(0, depth), notCancelled);
      expect({ depth, rows: sortedRows(await sliceRows(mart.db, join(dir, 'cube_product.parquet'), product, { depth })) }).toEqual({ depth, rows: sortedRows(want) });
    }
    for (const other of ['time', 'customer', 'status']) {
      const [a, b] = other === 'time' ? ['time', 'product'] : ['product', other];
      const columns = [...LEVELS[a!]!, ...LEVELS[b!]!];
      for (let da = 1; da <= LEVELS[a!]!.length; da++) {
        for (let db = 1; db <= LEVELS[b!]!.length; db++) {
          const grouped = [...LEVELS[a!]!.slice(0, da), ...LEVELS[b!]!.slice(0, db)];
          const want = await sqlSliceRows(mart.db, columns, grouped, other === 'status' ? 'true' : notCancelled);
          const got = await sliceRows(mart.db, join(dir, `cube_${a}__${b}.parquet`), columns, { [`depth_${a}`]: da, [`depth_${b}`]: db });
          expect({ slice: `${a}__${b}`, da, db, rows: sortedRows(got) }).toEqual({ slice: `${a}__${b}`, da, db, rows: sortedRows(want) });
        }
      }
    }
    // The product's own row: one order fewer than its lines.
    const [row] = await mart.db.rows<{ orders: number; lines: number }>(
      `select orders::INTEGER as orders, lines::INTEGER as lines from read_parquet('${join(dir, 'cube_product.parquet')}') where depth = 2 and product_code = '${variant.product}'`,
    );
    expect(row!.orders).toBe(row!.lines - 1);
    mart.db.close();
  });
});
