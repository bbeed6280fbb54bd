import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { DatasetSpec } from '../../src/lib/dataset-spec.ts';
import { ident, type Db } from '../duckdb.ts';
import { writeTable } from '../file-tables.ts';
import { checksFile, compileCheck, type CompiledCheck } from './checks.ts';

export interface CheckResult {
  model: string;
  name: string;
  type: string;
  failing: number;
  passed: boolean;
}

/**
 * Builds each model of the star schema in declared order: models/<name>.sql becomes table <name>, the mart in
 * memory and the others as their own export in `dataDir` (see file-tables.ts).
 */
export async function runModels(db: Db, spec: DatasetSpec, modelsDir: string, dataDir: string): Promise<void> {
  for (const model of spec.models) {
    const sql = await readFile(join(modelsDir, `${model}.sql`), 'utf8');
    if (model === spec.mart) await db.run(`create or replace table ${ident(model)} as\n${sql}`);
    else await writeTable(db, model, sql, dataDir);
  }
}

/** The checks that sit beside each model (models/<name>.checks.json), compiled. */
export async function modelChecks(spec: DatasetSpec, modelsDir: string): Promise<CompiledCheck[]> {
  const compiled: CompiledCheck[] = [];
  for (const model of spec.models) {
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
