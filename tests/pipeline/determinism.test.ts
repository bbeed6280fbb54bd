/** Same inputs, byte-identical outputs: no timestamps, no random order, wherever the input or output lives. */
import { readFileSync } from 'node:fs';
import { expect, it } from 'vitest';
import { checksums, run, SAMPLE, tempDir, tempFile } from '../helpers/pipeline.ts';


it('two runs over the same input write identical files', async () => {
  const first = await run([SAMPLE]);
  const copy = tempFile('sales_data_sample.csv', readFileSync(SAMPLE));
  const second = await run([copy], { workDir: tempDir() });
  const a = checksums(first.outDir);
  const b = checksums(second.outDir);
  expect(Object.keys(a).length).toBeGreaterThan(40);
  expect(b).toEqual(a);
});
