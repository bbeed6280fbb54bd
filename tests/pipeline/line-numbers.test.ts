/**
 * A row's line is its number in the file plus the lines above it that are no row (blank lines, rows DuckDB
 * cannot split): a step function, computed by CASE up to MAX_CASE_STEPS steps and by an ASOF join past it.
 * Both must give each clean row the line it starts on, keep the staging file in line order, and report each
 * broken row at its own line.
 */
import { describe, expect, it } from 'vitest';
import { loadDataset } from '../../pipeline/datasets/index.ts';
import { lineStepSql, MAX_CASE_STEPS, type LineStep } from '../../pipeline/ingest/line-steps.ts';
import { independentDb, run, sampleText, tempFile } from '../helpers/pipeline.ts';

describe('lineStepSql', () => {
  it.each([0, 1, 2, 7, 64])('%i steps: the extra of the last step at or before each row, 0 before the first', async (count) => {
    const steps: LineStep[] = Array.from({ length: count }, (_, i) => ({ start: 3 + i * 5 + (i % 3), extra: i * 2 + 1 }));
    const expected = (row: number) => steps.filter((s) => s.start <= row).at(-1)?.extra ?? 0;
    const db = await independentDb();
    try {
      const rows = await db.rows<{ row: number; extra: number }>(`select range as row, ${lineStepSql('range', steps)} as extra from range(0, 400) order by row`);
      expect(rows.map((r) => r.extra)).toEqual(rows.map((r) => expected(r.row)));
    } finally {
      db.close();
    }
  });
});

describe('line numbers past blank lines and broken rows', () => {
  const [header, ...rows] = sampleText().split('\n').filter((l) => l !== '');
  /** The sample with a blank line (or a row with a field too many) after every `every`-th row; where each row is. */
  function withGaps(every: number, gap: 'blank' | 'broken') {
    const lines = [header!];
    const rowLines: number[] = [];
    const gapLines: number[] = [];
    rows.forEach((row, i) => {
      lines.push(row);
      rowLines.push(lines.length);
      if (i % every === 0) {
        lines.push(gap === 'blank' ? '' : `${row},one field too many`);
        if (gap === 'broken') gapLines.push(lines.length);
      }
    });
    return { text: `${lines.join('\n')}\n`, rowLines, gapLines, steps: Math.ceil(rows.length / every) };
  }

  it.each([
    [50, 'blank'],
    [2, 'blank'],
    [50, 'broken'],
    [2, 'broken'],
  ] as const)('a %s-row gap pattern of %s lines', async (every, gap) => {
    const file = withGaps(every, gap);
    expect(file.steps > MAX_CASE_STEPS, 'the cases cover both ways of numbering').toBe(every === 2);
    const dataset = loadDataset('sales');
    dataset.spec.thresholds = { maxRejectedPct: 100 };
    const r = await run([tempFile('gaps.csv', file.text)], { dataset });
    const db = await independentDb();
    try {
      const rejects = await db.rows<{ line: number; reason: string }>(`select line, reason from '${r.outDir}/data/sales/rejects.parquet' order by line`);
      expect(rejects.map((x) => x.line)).toEqual(file.gapLines);
      for (const x of rejects) expect(x.reason).toMatch(/too many fields/);
      // As stored: the file's own order, which must be line order.
      const stored = await db.rows<{ line: number }>(`select line from '${r.outDir}/data/sales/stg_sales.parquet'`);
      expect(stored.map((x) => x.line)).toEqual(file.rowLines);
    } finally {
      db.close();
    }
  });
});
