/** What the pipeline does at the limits of the machine: compressing its tables past half the memory cap, and saying plainly when memory or disk ran out. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { byteSize, compactTables, openDb, type Db } from '../../pipeline/duckdb.ts';
import { resourceError } from '../../pipeline/run.ts';

describe('byteSize', () => {
  it('reads sizes as DuckDB settings take them', () => {
    expect(byteSize('1.2GB')).toBe(1.2e9);
    expect(byteSize('800MiB')).toBe(800 * 1024 ** 2);
    expect(byteSize('4 GiB')).toBe(4 * 1024 ** 3);
    expect(byteSize('500000')).toBe(500_000);
    expect(() => byteSize('lots')).toThrow(/not a size/);
  });
});

describe('compactTables', () => {
  let db: Db;
  const tableBytes = async () =>
    (await db.rows<{ b: number }>(`select sum(memory_usage_bytes)::DOUBLE as b from duckdb_memory() where tag = 'IN_MEMORY_TABLE'`))[0]!.b;
  beforeAll(async () => {
    db = await openDb();
    // Repetitive text, as raw sales rows are: a few distinct values per column.
    await db.run(`create table t as select 'Classic Cars ' || (i % 7) as line, 'Shipped' as status, i from range(300000) r(i)`);
  });
  afterAll(() => db.close());

  it('leaves tables alone while they take less than half the cap', async () => {
    const before = await tableBytes();
    await compactTables(db, '100GB');
    expect(await tableBytes()).toBe(before);
  });

  it('compresses them past half the cap, keeping every value', async () => {
    const before = await tableBytes();
    await compactTables(db, '2MB');
    expect(await tableBytes()).toBeLessThan(before / 2);
    expect(await db.rows(`select count(*) as n, count(distinct line) as lines, sum(i) as s from t`)).toEqual([{ n: 300000, lines: 7, s: (299999 * 300000) / 2 }]);
  });
});

describe('resourceError', () => {
  const at = { memoryLimit: '1.2GB', scratchDir: '/work/build/cars.tmp-1', file: 'cars-20M.csv' };

  it('says the disk is full, where, and what to change', () => {
    // The message DuckDB gave when a 20M-row build filled the disk.
    const duckdb = new Error('IO Error: Could not write file "/work/build/cars.tmp-1/spill/duckdb_temp_storage_S64K-1.tmp": No space left on device');
    const error = resourceError(duckdb, at)!;
    expect(error.format()).toMatch(/^cars-20M\.csv: the build ran out of disk space: .*work folder \(\/work\/build\/cars\.tmp-1\).*nothing was published/);
    expect(error.fix).toMatch(/--work DIR/);
    const node = Object.assign(new Error("ENOSPC: no space left on device, write"), { code: 'ENOSPC' });
    expect(resourceError(node, at)?.message).toMatch(/ran out of disk space/);
  });

  it('says memory ran out, and leaves other errors as they are', () => {
    expect(resourceError(new Error('Out of Memory Error: failed to allocate data of size 64 MiB'), at)?.fix).toMatch(/SALESCUBE_MEMORY_LIMIT higher/);
    expect(resourceError(new Error('Binder Error: column "x" not found'), at)).toBeUndefined();
  });
});
