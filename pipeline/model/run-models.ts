import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { modelsInOrder, type DatasetSpec } from '../../src/lib/contract/declaration.ts';
import type { CheckResult } from '../../src/lib/contract/quality.ts';
import { ident, type Db } from '../duckdb.ts';
import { assertKeepsOrder, writeTable } from '../file-tables.ts';
import { checksFile, compileCheck, type CompiledCheck } from './checks.ts';

/**
 * Builds each model of the star schema in declared order: models/<name>.sql becomes table <name>, the mart in
 * memory and the others as their own export in `dataDir` (see file-tables.ts).
 */
export async function runModels(db: Db, spec: DatasetSpec, modelsDir: string, dataDir: string): Promise<void> {
  for (const { name: model, layer } of modelsInOrder(spec)) {
    const sql = await readFile(join(modelsDir, `${model}.sql`), 'utf8');
    if (model === spec.mart) {
      // Its rows' order is every export's from it (its Parquet file, ties in the browser's cells). A mart that looks its
      // dimensions up in one row of lists keeps the fact's order while the fact is the probe side of that cross
      // product: DuckDB swaps the sides of a fact of a few rows unless told not to.
      await db.run(`set disabled_optimizers = 'build_side_probe_side'`);
      try {
        await assertKeepsOrder(db, model, sql);
        await db.run(`create or replace table ${ident(model)} as\n${sql}`);
      } finally {
        await db.run('reset disabled_optimizers');
      }
    } else await writeTable(db, { name: model, kind: layer }, sql, dataDir);
  }
}

/** The checks that sit beside each model (models/<name>.checks.json), compiled. */
export async function modelChecks(spec: DatasetSpec, modelsDir: string): Promise<CompiledCheck[]> {
  const compiled: CompiledCheck[] = [];
  for (const { name: model } of modelsInOrder(spec)) {
    const path = join(modelsDir, `${model}.checks.json`);
    if (!existsSync(path)) continue;
    const checks = checksFile.parse(JSON.parse(await readFile(path, 'utf8')));
    compiled.push(...checks.map((c) => compileCheck(model, c)));
  }
  return compiled;
}

export async function runChecks(db: Db, checks: CompiledCheck[]): Promise<CheckResult[]> {
  const results: CheckResult[] = [];
  for (const c of checks) {
    const [row] = await db.rows<{ failing: number }>(c.sql);
    results.push({ model: c.model, name: c.name, type: c.type, failing: row!.failing, passed: row!.failing === 0 });
  }
  return results;
}

/** What each model does, in its own words: the leading `--` comment of its SQL, as one paragraph (models without one are left out). */
export async function modelNotes(spec: DatasetSpec, modelsDir: string): Promise<{ model: string; note: string }[]> {
  const notes = [];
  for (const { name: model } of modelsInOrder(spec)) {
    const note = leadingComment(await readFile(join(modelsDir, `${model}.sql`), 'utf8'));
    if (note) notes.push({ model, note });
  }
  return notes;
}

/** The leading `--` comment of a SQL text as one paragraph ('' when it has none). */
export function leadingComment(sql: string): string {
  const lines: string[] = [];
  for (const line of sql.split(/\r?\n/)) {
    if (!line.startsWith('--')) break;
    lines.push(line.replace(/^--\s?/, '').trim());
  }
  return lines.join(' ');
}
