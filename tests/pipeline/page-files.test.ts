/**
 * The pages' files: pages whose cells come out the same (columns, sums, counts, bins) read one file, written once and
 * cached once by a viewer going from one page to the other; pages whose cells differ never share.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { tableFromIPC } from 'apache-arrow';
import { describe, expect, inject, it } from 'vitest';
import { dataPath } from '../../src/lib/contract/paths.ts';
import { manifestOf } from '../helpers/pipeline.ts';

describe('page files', () => {
  it('Customers and Geography group the sales sample by the same columns: one file serves both', () => {
    const outDir = inject('outputs');
    const { pages } = manifestOf(outDir, 'sales');
    const page = (path: string) => pages.find((p) => p.page === path)!;
    expect(page('geography/').columns).toEqual(page('customers/').columns);
    expect(page('geography/').files).toEqual(page('customers/').files);
    // The file holds what either page needs: its columns and the cells' counts of every sale.
    const table = tableFromIPC(readFileSync(join(outDir, dataPath('sales', page('geography/').files[0]!.path))));
    expect(table.schema.fields.map((f) => f.name)).toEqual(expect.arrayContaining(page('geography/').columns));
    expect(table.numRows).toBe(page('geography/').cells);
    for (const a of pages) {
      for (const b of pages.filter((p) => JSON.stringify(p.columns) !== JSON.stringify(a.columns))) {
        expect(a.files.filter((f) => b.files.some((g) => g.path === f.path)), `${a.page} and ${b.page}`).toEqual([]);
      }
    }
  });
});
