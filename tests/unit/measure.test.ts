/**
 * How the pages' cells are sized before they are built (pipeline/export/page-data.ts, measure): cells and bins
 * counted exactly for a small mart, and for a large one within a few percent of the exact counts.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DatasetSpec } from '../../src/lib/contract/declaration.ts';
import { openDb, type Db } from '../../pipeline/duckdb.ts';
import { measure, type CellPlan } from '../../pipeline/export/page-data.ts';

let db: Db;
beforeAll(async () => {
  db = await openDb();
  // 400,000 rows over two years: a of 1,000 values, b of 50, a price of 5,000.
  await db.run(`create table mart as select DATE '2020-01-01' + (hash(i, 1) % 730)::INTEGER as day, (hash(i, 2) % 1000)::INTEGER as a,
    (hash(i, 3) % 50)::INTEGER as b, (hash(i, 4) % 5000)::INTEGER as price from range(400000) r(i)`);
});
afterAll(() => db.close());

const spec = { mart: 'mart', timeColumn: 'day' } as DatasetSpec;
const source = { table: 'mart', bins: {} };
const plans: CellPlan[] = [
  { grain: 'day', columns: ['a', 'b'], leftOut: [], bins: { price: { exact: true, width: 1 } } },
  { grain: 'month', columns: ['a', 'b'], leftOut: [], bins: { price: { exact: true, width: 1 } } },
  { grain: 'month', columns: ['a'], leftOut: [], bins: {} },
  { grain: 'month', columns: ['b'], leftOut: [], bins: {} },
];
/** Each plan's cells and (month, a, b, price) pairs, counted by DuckDB. */
async function exact(where = 'true') {
  const [row] = await db.rows<Record<string, number>>(`select count(distinct (day, a, b))::INTEGER as c0, count(distinct (day, a, b, price))::INTEGER as p0,
      count(distinct (date_trunc('month', day), a, b))::INTEGER as c1, count(distinct (date_trunc('month', day), a, b, price))::INTEGER as p1,
      count(distinct (date_trunc('month', day), a))::INTEGER as c2, count(distinct (date_trunc('month', day), b))::INTEGER as c3
    from mart where ${where}`);
  return [
    { cells: row!.c0!, pairs: { price: row!.p0! } },
    { cells: row!.c1!, pairs: { price: row!.p1! } },
    { cells: row!.c2!, pairs: {} },
    { cells: row!.c3!, pairs: {} },
  ];
}

describe('measuring cells', () => {
  it('counts exactly in a mart of up to 131,072 rows', async () => {
    await db.run('create or replace view small as select * from mart where a < 300');
    const [sizes] = await measure(db, { ...spec, mart: 'small' }, { table: 'small', bins: {} }, plans, 120_000);
    expect(sizes).toEqual(await exact('a < 300'));
  });

  it('counts within 3% in a larger mart, where the exact counts are large enough to matter', async () => {
    const [sizes] = await measure(db, spec, source, plans, 400_000);
    const counts = await exact();
    sizes!.forEach((size, i) => {
      for (const [got, want] of [[size.cells, counts[i]!.cells], [size.pairs.price, counts[i]!.pairs.price]] as const) {
        if (want === undefined || want < 20_000) continue;
        expect(Math.abs(got! - want) / want, `plan ${i}: ${got} for ${want}`).toBeLessThan(0.03);
      }
    });
  });

  it("measures each member of a column by itself: its largest member's", async () => {
    const [byB] = await measure(db, spec, source, plans.slice(2, 3), 400_000, ['b']);
    const [{ most }] = (await db.rows<{ most: number }>(`select max(n)::INTEGER as most from (select count(distinct (date_trunc('month', day), a)) as n from mart group by b)`)) as [{ most: number }];
    expect(Math.abs(byB![0]!.cells - most) / most).toBeLessThan(0.1);
  });
});
