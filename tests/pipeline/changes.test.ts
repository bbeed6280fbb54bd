/**
 * A batch appended to a folder of batches, and what the build says changed (api/<dataset>/changes.json): a crafted
 * second month with one new row, one changed row (a key of the first month with another quantity), one rejected row
 * and one duplicate of the first month. The first build compares with nothing; the second names the new source, its
 * rows by where they went, and the KPIs before → after, which move by exactly the new row.
 */
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { changesMarkdown } from '../../pipeline/changes.ts';
import type { Changes } from '../../src/lib/contract/changes.ts';
import { apiPath, CHANGES_FILE } from '../../src/lib/contract/paths.ts';
import { sampleRecords, toCsv } from '../helpers/csv.ts';
import { independentDb, readJson, run, tempDir } from '../helpers/pipeline.ts';

const [header, ...rows] = sampleRecords() as [string[], ...string[][]];
const col = (name: string) => header.indexOf(name);
// Cancelled orders are left out of the KPIs: the new row must count, so it is one that is not.
const first = rows.slice(0, 2000);
const fresh = rows.slice(2000).find((r) => r[col('STATUS')] === 'Shipped')!;

describe('changes.json', () => {
  it('says what a second batch added, changed, rejected and repeated, and the KPIs before → after', async () => {
    const batches = join(tempDir(), 'sales');
    mkdirSync(batches);
    writeFileSync(join(batches, '2005-01.csv'), toCsv([header, ...first]));
    const [outDir, workDir] = [tempDir(), tempDir()];
    const changesOf = () => readJson<Changes>(join(outDir, apiPath('sales', CHANGES_FILE)));

    const one = await run([batches], { outDir, workDir });
    const initial = changesOf();
    expect(initial.previous).toBe(false);
    expect(initial.sources).toEqual([
      { source: '2005-01.csv', status: 'added', sha256: { before: null, after: expect.stringMatching(/^[0-9a-f]{64}$/) }, rows: { read: { before: null, after: 2000 }, loaded: { before: null, after: 2000 }, rejected: { before: null, after: 0 }, duplicates: { before: null, after: 0 } } },
    ]);
    expect(initial.measures.find((m) => m.measure === 'revenue')).toEqual({ measure: 'revenue', before: null, after: one.kpis!.measures.revenue });

    const changed = first[10]!.map((v, k) => (k === col('QUANTITYORDERED') ? String(Number(v) + 5) : v));
    const rejected = first[20]!.map((v, k) => (k === col('ORDERDATE') ? 'next week' : k === col('ORDERNUMBER') ? '99999' : v));
    writeFileSync(join(batches, '2005-02.csv'), toCsv([header, fresh, changed, rejected, first[30]!]));
    const two = await run([batches], { outDir, workDir });
    const second = changesOf();
    expect(second.previous).toBe(true);
    expect(second.sources.map((s) => [s.source, s.status, s.rows.read, s.rows.loaded, s.rows.rejected, s.rows.duplicates])).toEqual([
      ['2005-01.csv', 'unchanged', { before: 2000, after: 2000 }, { before: 2000, after: 2000 }, { before: 0, after: 0 }, { before: 0, after: 0 }],
      ['2005-02.csv', 'added', { before: null, after: 4 }, { before: null, after: 1 }, { before: null, after: 2 }, { before: null, after: 1 }],
    ]);
    expect(second.totals).toEqual({ read: { before: 2000, after: 2004 }, loaded: { before: 2000, after: 2001 }, rejected: { before: 0, after: 2 }, duplicates: { before: 0, after: 1 } });
    // The reasons name both sources of the changed row.
    expect(two.quality.rejects.map((r) => [r.file, r.line, r.reason.replace(/ such as .*/, '')])).toEqual([
      ['2005-02.csv', 3, 'duplicate key: line 12 of 2005-01.csv has the same ORDERNUMBER, ORDERLINENUMBER with other values'],
      ['2005-02.csv', 4, 'not a date'],
    ]);
    // Revenue moves by the new row's sales, to the cent; the figures before are the first build's.
    const revenue = second.measures.find((m) => m.measure === 'revenue')!;
    expect(revenue.before).toBe(one.kpis!.measures.revenue);
    expect(revenue.after).toBe(two.kpis!.measures.revenue);
    const db = await independentDb();
    const [{ cents }] = (await db.rows<{ cents: number }>(`select (${fresh[col('SALES')]}::DECIMAL(18, 2) * 100)::BIGINT as cents`)) as [{ cents: number }];
    db.close();
    expect(Math.round(revenue.after! * 100) - Math.round(revenue.before! * 100)).toBe(Number(cents));

    // The same, as the CI job's summary shows it.
    const markdown = changesMarkdown(second, 'Sales');
    expect(markdown).toContain('| 2005-01.csv | unchanged | 2,000 | 2,000 | 0 | 0 |');
    expect(markdown).toContain('| 2005-02.csv | added | – → 4 | – → 1 | – → 2 | – → 1 |');
    expect(markdown).toContain(`| revenue | ${revenue.before} | ${revenue.after} |`);

    // A batch taken away is said to be removed, and the figures go back.
    rmSync(join(batches, '2005-02.csv'));
    await run([batches], { outDir, workDir });
    const third = changesOf();
    expect(third.sources.map((s) => [s.source, s.status, s.rows.read])).toEqual([
      ['2005-01.csv', 'unchanged', { before: 2000, after: 2000 }],
      ['2005-02.csv', 'removed', { before: 4, after: null }],
    ]);
    expect(third.measures.find((m) => m.measure === 'revenue')).toEqual({ measure: 'revenue', before: two.kpis!.measures.revenue, after: one.kpis!.measures.revenue });
  });
});
