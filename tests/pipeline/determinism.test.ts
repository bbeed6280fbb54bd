/** Same inputs, byte-identical outputs: no timestamps, no random order, wherever the input or output lives. */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect, it } from 'vitest';
import { loadDataset } from '../../pipeline/datasets/index.ts';
import { checksums, independentDb, run, SAMPLE, tempDir, tempFile } from '../helpers/pipeline.ts';

it('two runs over the same input write identical files', async () => {
  const first = await run([SAMPLE]);
  const copy = tempFile('sales_data_sample.csv', readFileSync(SAMPLE));
  const second = await run([copy], { workDir: tempDir() });
  const a = checksums(first.outDir);
  const b = checksums(second.outDir);
  expect(Object.keys(a).length).toBeGreaterThan(40);
  expect(b).toEqual(a);
});

it('writes rejects in the order of the input, whatever order they were found in', async () => {
  // The bundled cars file has rejects of three kinds (a range, a missing value, a key already used), found by
  // different queries: the table lists them by file and line all the same.
  const cars = loadDataset('cars');
  const { outDir } = await run(cars.spec.inputs, { dataset: cars });
  const db = await independentDb();
  const rows = await db.rows<{ line: number; rule: string }>(`select line, rule from '${join(outDir, 'data', 'cars', 'rejects.parquet')}'`);
  expect(new Set(rows.map((r) => r.rule)).size).toBeGreaterThan(1);
  expect(rows.map((r) => r.line)).toEqual(rows.map((r) => r.line).toSorted((x, y) => x - y));
  db.close();
});
