import { describe, expect, it } from 'vitest';
import { openDb } from '../../pipeline/duckdb.ts';
import { compileCheck, type Check } from '../../pipeline/model/checks.ts';

describe('model checks compile to counts of offending rows', async () => {
  const db = await openDb();
  await db.run(`create table parent as select * from (values (1), (2)) t(id);
    create table child as select * from (values (1, 'a', 1), (1, 'b', 2), (2, null, 3), (3, 'z', 9)) t(id, label, parent_id)`);
  it.each<[Check, number]>([
    [{ type: 'unique', columns: ['id'] }, 1],
    [{ type: 'unique', columns: ['id', 'label'] }, 0],
    [{ type: 'not_null', columns: ['label'] }, 1],
    [{ type: 'accepted_values', column: 'label', values: ['a', 'b'] }, 1],
    [{ type: 'relationships', column: 'parent_id', to: 'parent', field: 'id' }, 2],
    [{ type: 'expression', name: 'small_ids', sql: 'id < 3' }, 1],
  ])('%j fails on %i', async (check, failing) => {
    const [row] = await db.rows<{ failing: number }>(compileCheck('child', check).sql);
    expect(row!.failing).toBe(failing);
  });
});
