/** Same inputs, byte-identical outputs: no timestamps, no random order, wherever the input or output lives. */
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { expect, it } from 'vitest';
import { run, SAMPLE, tempDir, tempFile } from '../helpers/pipeline.ts';

function checksums(root: string): Record<string, string> {
  const files = readdirSync(root, { recursive: true, withFileTypes: true }).filter((e) => e.isFile());
  return Object.fromEntries(
    files.map((e) => {
      const path = join(e.parentPath, e.name);
      return [relative(root, path), createHash('sha256').update(readFileSync(path)).digest('hex')];
    }),
  );
}

it('two runs over the same input write identical files', async () => {
  const first = await run([SAMPLE]);
  const copy = tempFile('sales_data_sample.csv', readFileSync(SAMPLE));
  const second = await run([copy], { workDir: tempDir() });
  const a = checksums(first.outDir);
  const b = checksums(second.outDir);
  expect(Object.keys(a).length).toBeGreaterThan(40);
  expect(b).toEqual(a);
});
