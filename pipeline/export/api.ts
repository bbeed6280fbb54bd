import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { DatasetSpec } from '../../src/lib/contract/declaration.ts';
import type { Db } from '../duckdb.ts';
import { endpointSql, monthlyTrendsSql } from '../cube/slices.ts';

/** Stable, readable JSON: the same data always gives the same bytes. */
export const writeJson = (path: string, value: unknown) => writeFile(path, `${JSON.stringify(value, null, 2)}\n`);

/** The static JSON API: one file per declared endpoint plus month-by-month trends, each saying which filter applies. */
export async function writeEndpoints(db: Db, spec: DatasetSpec, dir: string): Promise<string[]> {
  const filter = spec.defaultFilter?.label ?? 'all rows';
  const files: string[] = [];
  for (const endpoint of spec.endpoints) {
    await writeJson(join(dir, endpoint.file), { dataset: spec.name, filter, rows: await db.rows(endpointSql(spec, endpoint)) });
    files.push(endpoint.file);
  }
  await writeJson(join(dir, 'monthly-trends.json'), { dataset: spec.name, filter, measure: spec.primaryMeasure, rows: await db.rows(monthlyTrendsSql(spec)) });
  files.push('monthly-trends.json');
  return files;
}
