import type { DatasetSpec } from '../src/lib/contract/declaration.ts';
import { stagingTable } from '../src/lib/contract/paths.ts';
import type { CheckResult, FileAccount, Quality } from '../src/lib/contract/quality.ts';
import { ident, type Db } from './duckdb.ts';

const REJECT_SAMPLE = 200;

/** What was read, kept, rejected and why, per file; a profile of the clean columns; every named check. */
export async function buildQuality(db: Db, spec: DatasetSpec, checks: CheckResult[]): Promise<Quality> {
  const files = await db.rows<FileAccount>(`
    select f.file, f.format, f.encoding, f.delimiter, f.extra_columns, f.missing_columns, f.read,
      (select count(*) from ${ident(stagingTable(spec.name))} s where s.file_id = f.file_id) as loaded,
      (select count(*) from rejects r where r.file_id = f.file_id) as rejected,
      (select count(*) from duplicates d where d.file_id = f.file_id) as duplicates
    from files f order by f.file_id`);
  const sum = (key: 'read' | 'loaded' | 'rejected' | 'duplicates') => files.reduce((n, f) => n + f[key], 0);
  const totals = { read: sum('read'), loaded: sum('loaded'), rejected: sum('rejected'), duplicates: sum('duplicates'), rejected_pct: 0 };
  totals.rejected_pct = totals.read ? Math.round((totals.rejected / totals.read) * 10000) / 100 : 0;

  const reasons = await db.rows<Quality['reasons'][number]>(`
    select reason, "column", rule, count(*) as rows,
      arg_min(file, (file_id, line)) as example_file, min_by(line, (file_id, line)) as example_line
    from rejects group by all order by rows desc, reason`);
  const rejects = await db.rows<Quality['rejects'][number]>(
    `select file, line, "column", value, reason from rejects order by file_id, line limit ${REJECT_SAMPLE}`,
  );
  const aliases = await db.rows<Quality['aliases'][number]>('select column_name as "column", alias, value, "rows" from aliased order by column_name, "rows" desc, alias');
  const profile = await profileColumns(db, spec);
  const { maxRejected, maxRejectedPct } = spec.thresholds;
  const exceeded =
    (maxRejected !== undefined && totals.rejected > maxRejected) || (maxRejectedPct !== undefined && totals.rejected_pct > maxRejectedPct);
  return { dataset: spec.name, totals, files, reasons, rejects, aliases, profile, checks, threshold: { maxRejected, maxRejectedPct, exceeded } };
}

async function profileColumns(db: Db, spec: DatasetSpec): Promise<Quality['profile']> {
  const parts = spec.columns.map((c) => {
    const v = ident(c.name);
    return `select ${`'${c.name}'`} as "column", ${`'${c.type}'`} as type, count(*) - count(${v}) as nulls,
      count(distinct ${v}) as distinct, min(${v})::VARCHAR as min, max(${v})::VARCHAR as max from ${ident(stagingTable(spec.name))}`;
  });
  return db.rows(parts.join('\nunion all\n'));
}

/** A few lines for a terminal: totals, then the top reasons with an example line each. */
export function summarize(q: Quality, top = 5): string {
  const t = q.totals;
  const lines = [
    `${q.dataset}: read ${t.read.toLocaleString('en-US')} rows, loaded ${t.loaded.toLocaleString('en-US')}, rejected ${t.rejected.toLocaleString('en-US')} (${t.rejected_pct}%), exact duplicates removed ${t.duplicates.toLocaleString('en-US')}`,
  ];
  for (const f of q.files) {
    lines.push(`  ${f.file}: ${f.format === 'csv' ? `${f.encoding}, delimiter ${JSON.stringify(f.delimiter)}` : f.format === 'json' ? 'JSON' : 'Parquet'}, read ${f.read} = loaded ${f.loaded} + rejected ${f.rejected} + duplicates ${f.duplicates}`);
    if (f.extra_columns.length) lines.push(`    columns not used: ${f.extra_columns.join(', ')}`);
    if (f.missing_columns.length) lines.push(`    optional columns missing (loaded as empty): ${f.missing_columns.join(', ')}`);
  }
  for (const r of q.reasons.slice(0, top)) {
    lines.push(`  ${r.rows} × ${r.column ?? 'row'}: ${r.reason} (e.g. ${r.example_file} line ${r.example_line})`);
  }
  if (q.reasons.length > top) lines.push(`  … and ${q.reasons.length - top} more reasons (see quality.json)`);
  const failed = q.checks.filter((c) => !c.passed);
  if (q.checks.length) lines.push(`  checks: ${q.checks.length - failed.length}/${q.checks.length} passed`);
  for (const c of failed) lines.push(`    FAILED ${c.model}: ${c.name} (${c.failing} rows)`);
  return lines.join('\n');
}
