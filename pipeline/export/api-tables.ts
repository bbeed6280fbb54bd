import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { DatasetSpec } from '../../src/lib/contract/declaration.ts';
import { ident, type Db } from '../duckdb.ts';

/** A table as the API serves it: column names once, then one array of values per row, in the table's order. */
export interface ApiTable {
  dataset: string;
  table: string;
  columns: string[];
  rows: unknown[][];
}

/** Writes each declared api table (e.g. a fitted model the browser applies) whole, as compact JSON; returns the files. */
export async function writeApiTables(db: Db, spec: DatasetSpec, dir: string): Promise<string[]> {
  const files: string[] = [];
  for (const { table, file } of spec.apiTables) {
    const { names, values } = await db.columns(`select * from ${ident(table)}`);
    // Counts come back as bigint; every one the models produce fits a double exactly.
    const cell = (v: unknown) => (typeof v === 'bigint' ? Number(v) : v);
    const rows = (values[0] ?? []).map((_, i) => values.map((column) => cell(column[i])));
    await writeFile(join(dir, file), compactJson({ dataset: spec.name, table, columns: names, rows }));
    files.push(file);
  }
  return files;
}

/** One row per line: far smaller than indented JSON, still readable and diffable. Same data, same bytes. */
const compactJson = ({ rows, ...head }: ApiTable) =>
  `${JSON.stringify(head).slice(0, -1)},"rows":[\n${rows.map((row) => JSON.stringify(row)).join(',\n')}\n]}\n`;
