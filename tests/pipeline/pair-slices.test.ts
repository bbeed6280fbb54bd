/**
 * The pipeline's pre-built cube slices (what the explorer offers as full-slice downloads): every row of each
 * `cube_<a>__<b>.parquet` equals an independent GROUP BY over the clean staging table at its depth pair, and every
 * `cube_<d>.parquet` at its depth. Cancelled orders are left out unless the slice includes the status dimension.
 */
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { slicePairs } from '../../pipeline/cube/slices.ts';
import { loadDataset } from '../../pipeline/datasets/index.ts';
import { LEVELS, sampleMart, sliceRows, sortedRows, sqlSliceRows, type SampleMart } from '../helpers/mart.ts';

const DIMENSIONS = Object.keys(LEVELS);
const PAIRS = DIMENSIONS.flatMap((a, i) => DIMENSIONS.slice(i + 1).map((b) => [a, b]));

let mart: SampleMart;
beforeAll(async () => {
  mart = await sampleMart();
});

const filterFor = (dimensions: string[]) => (dimensions.includes('status') ? 'true' : `status is distinct from 'Cancelled'`);

describe('pre-built cube slices equal DuckDB over the clean data', () => {
  it(`every row of the ${PAIRS.length} pair slices, at every depth pair`, async () => {
    const dir = join(mart.outDir, 'data', 'sales');
    let checked = 0;
    for (const [a, b] of PAIRS as [string, string][]) {
      const file = join(dir, `cube_${a}__${b}.parquet`);
      const columns = [...LEVELS[a]!, ...LEVELS[b]!];
      let expectedRows = 0;
      for (let da = 0; da <= LEVELS[a]!.length; da++) {
        for (let db = 0; db <= LEVELS[b]!.length; db++) {
          const grouped = [...LEVELS[a]!.slice(0, da), ...LEVELS[b]!.slice(0, db)];
          const want = await sqlSliceRows(mart.db, columns, grouped, filterFor([a, b]));
          const got = await sliceRows(mart.db, file, columns, { [`depth_${a}`]: da, [`depth_${b}`]: db });
          expect({ slice: `${a}__${b}`, da, db, rows: sortedRows(got) }).toEqual({ slice: `${a}__${b}`, da, db, rows: sortedRows(want) });
          expectedRows += want.length;
          checked += got.length;
        }
      }
      // Nothing at any other depth pair.
      const [count] = await mart.db.rows<{ n: number }>(`select count(*)::INTEGER as n from read_parquet('${file}')`);
      expect({ slice: `${a}__${b}`, rows: count!.n }).toEqual({ slice: `${a}__${b}`, rows: expectedRows });
    }
    expect(checked).toBeGreaterThan(10_000);
  });

  it('every row of each single-dimension slice, at every depth', async () => {
    const dir = join(mart.outDir, 'data', 'sales');
    for (const d of DIMENSIONS) {
      const file = join(dir, `cube_${d}.parquet`);
      const levels = LEVELS[d]!;
      for (let depth = 0; depth <= levels.length; depth++) {
        const want = await sqlSliceRows(mart.db, levels, levels.slice(0, depth), filterFor([d]));
        expect({ slice: d, depth, rows: sortedRows(await sliceRows(mart.db, file, levels, { depth })) }).toEqual({ slice: d, depth, rows: sortedRows(want) });
      }
    }
  });
});

describe('declared pairs', () => {
  const cars = loadDataset('cars').spec;

  it('materialises only the pairs a dataset lists, in declaration order whichever way round they are listed', () => {
    const names = slicePairs(cars).map(([a, b]) => `${a.name}__${b.name}`);
    expect(names).toHaveLength(cars.pairs!.length);
    expect(names).toContain('time__vehicle');
    expect(names).toContain('condition__odometer');
    expect(names).not.toContain('seller__odometer');
    expect(slicePairs({ ...cars, pairs: [['odometer', 'condition']] }).map(([a, b]) => `${a.name}__${b.name}`)).toEqual(['condition__odometer']);
  });

  it('refuses a pair naming no dimension', () => {
    expect(() => slicePairs({ ...cars, pairs: [['time', 'colour']] })).toThrow(/colour/);
  });
});
