/**
 * Each member page's records (a customer's orders): the mart rolled up in SQL to one row per member and record key,
 * with the key's first date, the texts of its first row, its row count and its sums, as the records tables show
 * them. Member pages are built from these, whatever the size of the data: the dashboards' cells may group the keys
 * away (order numbers at a million order lines).
 */
import { join } from 'node:path';
import type { DatasetSpec } from '../../src/lib/contract/declaration.ts';
import type { FileEntry } from '../../src/lib/contract/manifest.ts';
import { recordsTable, ROWS_COLUMN } from '../../src/lib/contract/paths.ts';
import type { MemberPage } from '../../src/lib/contract/site.ts';
import { ident, type Db } from '../duckdb.ts';
import { writeArrow } from './arrow.ts';
import { fileEntry } from './tables.ts';

export function memberRecordsSql(spec: DatasetSpec, page: MemberPage): string {
  const { column, records } = page;
  const time = ident(spec.timeColumn);
  const texts = [...new Set(records.text.map((t) => t.column))].filter((c) => c !== column && c !== records.key);
  const sums = [...new Set(records.sums.map((s) => s.column))];
  return `select ${ident(column)}, ${ident(records.key)}, min(${time})::DATE as ${time}${texts.map((c) => `, arg_min(${ident(c)}, ${time}) as ${ident(c)}`).join('')},
      count(*)::INTEGER as ${ROWS_COLUMN}${sums.map((c) => `, sum(${ident(c)}) as ${ident(c)}`).join('')}
    from ${ident(spec.mart)} where ${ident(column)} is not null group by all order by 1, 2`;
}

/** Writes every member page's records as Arrow under `dataDir`; returns their entries by table name. */
export async function writeMemberRecords(db: Db, spec: DatasetSpec, dataDir: string): Promise<Record<string, FileEntry>> {
  const entries: Record<string, FileEntry> = {};
  for (const page of spec.site.memberPages) {
    const name = recordsTable(page.column);
    await db.run(`create or replace temp table ${ident(name)} as ${memberRecordsSql(spec, page)}`);
    await writeArrow(db, name, '*', join(dataDir, `${name}.arrow`));
    await db.run(`drop table ${ident(name)}`);
    entries[name] = await fileEntry(dataDir, `${name}.arrow`);
  }
  return entries;
}
