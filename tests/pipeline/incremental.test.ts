/**
 * Incremental builds: a stage runs again only when its inputs, the declaration or its code changed (by
 * content, never by mtime), and an incremental build writes exactly what a clean build writes.
 */
import { cpSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { defineDataset, loadDataset } from '../../pipeline/datasets/index.ts';
import { sales } from '../../pipeline/datasets/sales/dataset.ts';
import { checksums, readJson, run, SAMPLE, sampleText, tempDir, tempFile } from '../helpers/pipeline.ts';
import type { Changes } from '../../src/lib/contract/changes.ts';
import { apiPath, CHANGES_FILE } from '../../src/lib/contract/paths.ts';


/** A copy of the sales models that a test may edit. */
function editableModels(): string {
  const dir = join(tempDir(), 'models');
  cpSync(loadDataset('sales').modelsDir, dir, { recursive: true });
  return dir;
}

/** Every output but changes.json, which compares each build with the one before (and a clean build with none). */
function outputs(outDir: string): Record<string, string> {
  const { [apiPath('sales', CHANGES_FILE)]: _changes, ...rest } = checksums(outDir);
  return rest;
}

describe('incremental builds', () => {
  it('skip every stage when nothing changed, even if mtimes did', async () => {
    const input = tempFile('sales.csv', readFileSync(SAMPLE));
    const [outDir, workDir] = [tempDir(), tempDir()];
    const first = await run([input], { outDir, workDir });
    expect(first.skipped).toEqual([]);
    const before = checksums(outDir);
    utimesSync(input, new Date(), new Date(2001, 0, 1));
    const second = await run([input], { outDir, workDir });
    expect(second.skipped).toEqual(['ingest', 'clean', 'model', 'cube', 'export']);
    expect(second.timings).toEqual([]);
    expect(second.kpis).toEqual(first.kpis);
    expect(checksums(outDir)).toEqual(before);
  });

  it('read and check only a batch added to a folder, with the outputs of a clean build', async () => {
    const batches = join(tempDir(), 'batches');
    mkdirSync(batches);
    const [header, ...lines] = sampleText().split(/\r?\n/).filter(Boolean) as [string, ...string[]];
    // The first batch has a line that cannot be split into the header's columns: a reject found as it is read, which
    // a later build that reuses the batch's checked rows reports as well.
    writeFileSync(join(batches, '2005-01.csv'), `${[header, ...lines.slice(0, 2000), `${lines[0]},one field too many`].join('\n')}\n`);
    const [outDir, workDir] = [tempDir(), tempDir()];
    await run([batches], { outDir, workDir });
    const sources = join(workDir, 'sales.sources');
    const checkedBefore = Object.fromEntries(readdirSync(sources).map((f) => [f, statSync(join(sources, f)).mtimeMs]));
    expect(Object.keys(checkedBefore)).toHaveLength(3); // one source: its checked rows, its rows rejected as read, and what its reading found

    writeFileSync(join(batches, '2005-02.csv'), `${[header, ...lines.slice(2000)].join('\n')}\n`);
    const appended = await run([batches], { outDir, workDir });
    // The first batch's checked rows were read, not written again; the second's are new.
    const checkedAfter = Object.fromEntries(readdirSync(sources).map((f) => [f, statSync(join(sources, f)).mtimeMs]));
    expect(Object.keys(checkedAfter)).toHaveLength(6);
    for (const [file, mtime] of Object.entries(checkedBefore)) expect(checkedAfter[file], file).toBe(mtime);
    expect(appended.quality.totals).toMatchObject({ read: 2824, loaded: 2823, rejected: 1 });
    expect(appended.quality.rejects.map((r) => [r.file, r.line, r.reason.split(':')[0]])).toEqual([['2005-01.csv', 2002, 'too many fields']]);

    const clean = await run([batches]);
    expect(outputs(outDir)).toEqual(outputs(clean.outDir));
    // A batch taken away: its checked rows go with the build that no longer reads it.
    rmSync(join(batches, '2005-02.csv'));
    await run([batches], { outDir, workDir });
    expect(readdirSync(sources).sort()).toEqual(Object.keys(checkedBefore).sort());
  });

  it('re-run everything after a raw file changed', async () => {
    const [outDir, workDir] = [tempDir(), tempDir()];
    const input = tempFile('sales.csv', readFileSync(SAMPLE));
    await run([input], { outDir, workDir });
    writeFileSync(input, readFileSync(SAMPLE).subarray(0, 200_000).toString('latin1').replace(/\n[^\n]*$/, '\n'), 'latin1');
    const changed = await run([input], { outDir, workDir });
    expect(changed.skipped).toEqual([]);
    expect(changed.quality.totals.read).toBeLessThan(2823);
  });

  it('re-run only the models and what follows after a model changed, with the output of a clean build', async () => {
    const modelsDir = editableModels();
    const dataset = defineDataset(sales, modelsDir);
    const [outDir, workDir] = [tempDir(), tempDir()];
    await run([SAMPLE], { outDir, workDir, dataset });
    const file = join(modelsDir, 'dim_product.sql');
    writeFileSync(file, `${readFileSync(file, 'utf8')}\n-- a comment changes the model's content, not its result\n`);
    const incremental = await run([SAMPLE], { outDir, workDir, dataset });
    expect(incremental.skipped).toEqual(['ingest', 'clean']);
    expect(incremental.timings.map((t) => t.stage)).toEqual(['model', 'cube', 'export']);

    // The same data: the same outputs, changes.json included (it keeps saying what the last change to the data was).
    const clean = await run([SAMPLE], { dataset });
    expect(checksums(outDir)).toEqual(checksums(clean.outDir));
    expect(readJson<Changes>(join(outDir, apiPath('sales', CHANGES_FILE))).previous).toBe(false);
    expect(incremental.quality).toEqual(clean.quality);
  });

  it('re-run the slices and exports after a measure changed in the declaration', async () => {
    const [outDir, workDir] = [tempDir(), tempDir()];
    await run([SAMPLE], { outDir, workDir });
    const relabelled = defineDataset({ ...sales, measures: sales.measures.map((m) => (m.name === 'units' ? { ...m, label: 'Units sold' } : m)) }, loadDataset('sales').modelsDir);
    const again = await run([SAMPLE], { outDir, workDir, dataset: relabelled });
    expect(again.skipped).toEqual(['ingest', 'clean', 'model']);
    // The models' checks, kept from the last build, are reported as a clean build reports them, and the slices
    // computed from the mart as the last build left it are the files a clean build writes.
    const clean = await run([SAMPLE], { dataset: relabelled });
    expect(readFileSync(join(outDir, 'api/sales/quality.json'), 'utf8')).toBe(readFileSync(join(clean.outDir, 'api/sales/quality.json'), 'utf8'));
    expect(outputs(outDir)).toEqual(outputs(clean.outDir));
  });

  it('re-run only the exports after a title changed, with the files of a clean build', async () => {
    const [outDir, workDir] = [tempDir(), tempDir()];
    await run([SAMPLE], { outDir, workDir });
    const retitled = defineDataset({ ...sales, title: 'Sales, retitled' }, loadDataset('sales').modelsDir);
    const again = await run([SAMPLE], { outDir, workDir, dataset: retitled });
    expect(again.skipped).toEqual(['ingest', 'clean', 'model', 'cube']);
    const clean = await run([SAMPLE], { dataset: retitled });
    expect(outputs(outDir)).toEqual(outputs(clean.outDir));
  });

  it('never reuses outputs published elsewhere, and --force rebuilds', async () => {
    const workDir = tempDir();
    await run([SAMPLE], { outDir: tempDir(), workDir });
    expect((await run([SAMPLE], { outDir: tempDir(), workDir })).skipped).toEqual([]);
    const outDir = tempDir();
    await run([SAMPLE], { outDir, workDir });
    expect((await run([SAMPLE], { outDir, workDir, force: true })).skipped).toEqual([]);
  });
});
