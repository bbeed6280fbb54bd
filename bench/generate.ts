/**
 * Synthetic input of the real shape, for benchmarks and tests:
 *   npm run generate -- --dataset sales --rows 1000000 --seed 1 --out bench/cache/sales-1m.csv
 * The dataset's generator (bench/generators/<dataset>.ts) resamples its bundled sample with a seeded PRNG:
 * the same seed gives the same bytes.
 */
import { parseArgs } from 'node:util';
import { generateFile } from './generators/index.ts';

const { values } = parseArgs({
  options: {
    dataset: { type: 'string', default: 'sales' },
    rows: { type: 'string' },
    seed: { type: 'string', default: '1' },
    out: { type: 'string' },
  },
});
if (!values.rows || !values.out) {
  process.stderr.write('usage: npm run generate -- [--dataset sales] --rows N [--seed S] --out FILE\n');
  process.exit(2);
}
try {
  const result = await generateFile({ dataset: values.dataset, rows: Number(values.rows), seed: Number(values.seed), out: values.out });
  const seconds = result.ms / 1000;
  process.stdout.write(
    `${result.file}: ${result.rows.toLocaleString('en-US')} rows, ${(result.bytes / 1e6).toFixed(1)} MB in ${seconds.toFixed(1)} s (${Math.round(result.rows / seconds).toLocaleString('en-US')} rows/s)\n`,
  );
} catch (error) {
  process.stderr.write(`error: ${(error as Error).message}\n`);
  process.exit(1);
}
