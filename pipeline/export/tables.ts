import { stat } from 'node:fs/promises';
import { join } from 'node:path';
import type { DatasetSpec } from '../../src/lib/contract/declaration.ts';
import type { FileEntry, TableEntry } from '../../src/lib/contract/manifest.ts';
import { FORMULA_START } from '../../src/lib/csv.ts';
import { hashFile } from '../cache.ts';
import { ident, lit, textType, type Db } from '../duckdb.ts';
import { PARQUET, type KindedTable } from '../file-tables.ts';

// The browser downloads' pattern: RE2 reads its source as JavaScript does (\- \t \r are escapes in both).
const FORMULA_START_SQL = lit(FORMULA_START.source);

/** Size and checksum, streamed: exports of large inputs run to gigabytes. */
export async function fileEntry(dir: string, path: string): Promise<FileEntry> {
  return { path, bytes: (await stat(join(dir, path))).size, sha256: await hashFile(join(dir, path)) };
}

/**
 * Tables longer than this are written as Parquet only. A CSV is for a spreadsheet or a quick look, and
 * spreadsheets stop at 1,048,576 rows (most slow down well before); past this size, writing the CSV would take
 * longer than everything else the export does.
 */
export const CSV_MAX_ROWS = 250_000;

/**
 * Writes a table as Parquet (raw values, typed; unless `written`, when it is a view of its own Parquet file
 * there already) and, up to CSV_MAX_ROWS rows, CSV (text cells neutralised against formula injection), both in
 * the table's own order, and describes it for the manifest and data dictionary.
 */
export async function exportTable(db: Db, spec: DatasetSpec, { name: table, kind }: KindedTable, dir: string, written = false): Promise<TableEntry> {
  const columns = (await db.rows<{ column_name: string; column_type: string }>(`describe ${ident(table)}`)).map((c) => ({ ...c, column_type: textType(c.column_type) }));
  const described = new Map(spec.columns.map((c) => [c.name, c.description]));
  const csvColumns = columns.map(({ column_name: name, column_type: type }) =>
    type === 'VARCHAR' ? `case when regexp_matches(${ident(name)}, ${FORMULA_START_SQL}) then '''' || ${ident(name)} else ${ident(name)} end as ${ident(name)}` : ident(name),
  );
  const [count] = await db.rows<{ n: number }>(`select count(*) as n from ${ident(table)}`);
  if (!written) await db.run(`copy ${ident(table)} to ${lit(join(dir, `${table}.parquet`))} ${PARQUET}`);
  const csv = count!.n <= CSV_MAX_ROWS;
  if (csv) await db.run(`copy (select ${csvColumns.join(', ')} from ${ident(table)}) to ${lit(join(dir, `${table}.csv`))} (header, delimiter ',')`);
  return {
    name: table,
    kind,
    rows: count!.n,
    columns: columns.map((c) => ({
      name: c.column_name,
      type: c.column_type,
      description: described.get(c.column_name) ?? spec.dictionary[c.column_name] ?? spec.measures.find((m) => m.name === c.column_name)?.label ?? '',
    })),
    files: { parquet: await fileEntry(dir, `${table}.parquet`), ...(csv ? { csv: await fileEntry(dir, `${table}.csv`) } : {}) },
  };
}
