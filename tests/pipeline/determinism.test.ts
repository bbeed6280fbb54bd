/** Same inputs, byte-identical outputs: no timestamps, no random order, wherever the input or output lives. */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect, inject, it } from 'vitest';
import { checksums, independentDb, run, SAMPLE, tempDir, tempFile } from '../helpers/pipeline.ts';

it('two runs over the same input write identical files', async () => {
  // The run's shared outputs (another process, another work folder) against a run over a copy of the input.
  const first = join(inject('outputs'), 'data', 'sales');
  const copy = tempFile('sales_data_sample.csv', readFileSync(SAMPLE));
  const second = await run([copy], { workDir: tempDir() });
  const a = checksums(first);
  const b = checksums(join(second.outDir, 'data', 'sales'));
  expect(Object.keys(a).length).toBeGreaterThan(40);
  expect(b).toEqual(a);
  expect(checksums(join(second.outDir, 'api', 'sales'))).toEqual(checksums(join(inject('outputs'), 'api', 'sales')));
});

it('writes rejects in the order of the input, whatever order they were found in', async () => {
  // The bundled cars file has rejects of three kinds (a range, a missing value, a key already used), found by
  // different queries: the table lists them by file and line all the same.
  const outDir = inject('outputs');
  const db = await independentDb();
  const rows = await db.rows<{ line: number; rule: string }>(`select line, rule from '${join(outDir, 'data', 'cars', 'rejects.parquet')}'`);
  expect(new Set(rows.map((r) => r.rule)).size).toBeGreaterThan(1);
  expect(rows.map((r) => r.line)).toEqual(rows.map((r) => r.line).toSorted((x, y) => x - y));
  db.close();
});
