/**
 * The pages' files: pages whose cells are the same rows (perhaps by columns that name each other) read one file,
 * written once and cached once by a viewer going from one page to the other; pages whose cells differ never share. A cell of one row
 * carries its median columns' values once, as sums.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { tableFromIPC } from 'apache-arrow';
import { describe, expect, inject, it } from 'vitest';
import { dataPath, histogramColumn, ROWS_COLUMN } from '../../src/lib/contract/paths.ts';
import { binOf } from '../../src/lib/fact-table.ts';
import { binSql } from '../../pipeline/export/page-data.ts';
import { carsMart } from '../helpers/cars-mart.ts';
import { mulberry32 } from '../helpers/filter-states.ts';
import { expectFilesSharedOnlyWhenSame, manifestOf } from '../helpers/pipeline.ts';

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
    expectFilesSharedOnlyWhenSame(pages);
  });

  it("lists no bins for a cell of one row: the browser takes its value from the sum, and counts every value of the mart", async () => {
    const { table, db, outDir } = await carsMart();
    const explorer = manifestOf(outDir, 'cars').pages.find((p) => p.page === 'explorer/')!;
    for (const column of Object.keys(explorer.medians)) {
      // In the file: single rows with a value have empty lists, and they are most cells of the sample.
      const files = explorer.files.map((f) => tableFromIPC(readFileSync(join(outDir, dataPath('cars', f.path)))));
      let singles = 0;
      for (const file of files) {
        const [rows, sums, lists] = [ROWS_COLUMN, column, histogramColumn(column)].map((c) => file.getChild(c)!);
        for (let i = 0; i < file.numRows; i++) {
          if (rows!.get(i) !== 1 || sums!.get(i) === null) continue;
          expect(lists!.get(i)!.length, `${column}, cell ${i}`).toBe(0);
          singles++;
        }
      }
      expect(singles).toBeGreaterThan(explorer.cells / 2);
      // Decoded: every single row holds its value in its bin, and the bins count each value of the mart once.
      const { offsets, pairs, bins } = table.histograms[column]!;
      let counted = 0;
      for (let row = 0; row < table.length; row++) {
        for (let p = offsets[row]!; p < offsets[row + 1]!; p += 2) counted += pairs[p + 1]!;
        if (table.weights[row] === 1 && !Number.isNaN(table.numbers[column]![row]!)) {
          expect([...pairs.subarray(offsets[row]!, offsets[row + 1]!)]).toEqual([binOf(table.numbers[column]![row]!, bins), 1]);
        }
      }
      const [{ n }] = (await db.rows<{ n: number }>(`select count(${column})::INTEGER as n from mart`)) as [{ n: number }];
      expect(counted, column).toBe(n);
    }
  });

  it("lists each cell's bins in order, each once", async () => {
    const { table } = await carsMart();
    let lists = 0;
    for (const [column, { offsets, pairs }] of Object.entries(table.histograms)) {
      for (let row = 0; row < table.length; row++) {
        const bins = [...pairs.subarray(offsets[row]!, offsets[row + 1]!)].filter((_, k) => k % 2 === 0);
        expect(bins, `${column}, cell ${row}`).toEqual([...bins].sort((a, b) => a - b).filter((b, k, all) => k === 0 || b !== all[k - 1]));
        if (bins.length > 1) lists++;
      }
    }
    // The sample has cells of many rows, whose values fall in many bins.
    expect(lists).toBeGreaterThan(1000);
  });

  it('puts a value in the bin the pipeline puts it in, for quantile edges and for a precision', async () => {
    const { db } = await carsMart();
    const random = mulberry32(7);
    const values = [...Array.from({ length: 200 }, () => Math.round(random() * 4000 - 1000) / 4), 0, -0.25, 3, 1000.5];
    const cases = [
      { exact: true as const, width: 0.01 },
      { exact: false as const, edges: [-1000, -10, 0, 0.25, 250, 999.75] },
      { exact: false as const, edges: [3] },
      { exact: false as const, edges: [-2, 2] },
    ];
    for (const bins of cases) {
      const edges = bins.exact ? undefined : bins.edges;
      // Values below the first edge or above the last do not occur in the mart: the edges are its least and greatest.
      const inRange = values.filter((v) => !edges || (v >= edges[0]! && v <= edges.at(-1)!));
      const sql = await db.rows<{ v: number; bin: number }>(`select v, ${binSql('v', bins)}::INTEGER as bin from (values ${inRange.map((v) => `(${v}::DOUBLE)`).join(', ')}) t(v)`);
      for (const { v, bin } of sql) expect(binOf(v, bins.exact ? { width: bins.width } : { edges: edges! }), `${v} in ${JSON.stringify(bins)}`).toBe(bin);
    }
  });
});
