/**
 * Parquet and JSON inputs, loaded as raw text the way readRawFile loads a CSV file: raw_<dataset>_<file id> with each
 * declared column as VARCHAR (typing stays the staging model's job, so a Parquet number and a CSV cell are checked
 * by the same rules) and each record's number in the file, from 1, as its line.
 */
import { statSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import type { ColumnSpec, DatasetSpec } from '../../src/lib/contract/declaration.ts';
import { ident, lit, type Db } from '../duckdb.ts';
import { UserError } from '../errors.ts';
import { layoutOf } from './preflight.ts';
import { rawRelation, recordFile, type FileRead } from './read-raw.ts';
import { sourceName, type SourceFile } from './sources.ts';

/** DuckDB's types a declared column may come as, beside VARCHAR; anything else is the user's to fix. */
const NUMBER = /^(TINYINT|SMALLINT|INTEGER|BIGINT|HUGEINT|UTINYINT|USMALLINT|UINTEGER|UBIGINT|UHUGEINT|FLOAT|DOUBLE|DECIMAL\(\d+,\d+\))$/;
const TIME = /^(DATE|TIMESTAMP(_S|_MS|_NS)?|TIMESTAMP WITH TIME ZONE)$/;
const ACCEPTED: Record<ColumnSpec['type'], { test: (type: string) => boolean; name: string }> = {
  string: { test: (t) => NUMBER.test(t) || TIME.test(t) || t === 'BOOLEAN' || t === 'UUID', name: 'text' },
  integer: { test: (t) => NUMBER.test(t), name: 'a whole number' },
  decimal: { test: (t) => NUMBER.test(t), name: 'a number' },
  date: { test: (t) => TIME.test(t), name: 'a date' },
};

/** A value as the text a CSV file would hold: dates and times as ISO (what staging reads), a zone's time in UTC. */
function asText(column: string, type: string): string {
  if (type === 'VARCHAR') return column;
  if (type === 'TIMESTAMP WITH TIME ZONE') return `strftime(timezone('UTC', ${column}), '%Y-%m-%d %H:%M:%S')`;
  return `${column}::VARCHAR`;
}

/** The file's records as a relation: Parquet as it is; JSON as an array, one object per line, or an object's array. */
function recordsSql(source: SourceFile): string {
  if (source.format === 'parquet') return `read_parquet(${lit(source.path)}, file_row_number = true)`;
  // Every record is looked at for the columns' types (a number in a later record would otherwise fail the read);
  // an object holding the records is one value, as large as the file.
  const json = `read_json(${lit(source.path)}, format = 'auto', sample_size = -1${source.records ? `, maximum_object_size = ${statSync(source.path).size + 1}` : ''})`;
  return source.records ? `(select unnest(${ident(source.records)}) as record from ${json})` : json;
}

/** Reads a Parquet or JSON file into raw_<dataset>_<fileId> (through a Parquet copy in rawDir for JSON). */
export async function readTableFile(db: Db, spec: DatasetSpec, fileId: number, source: SourceFile, rawDir: string): Promise<FileRead> {
  const file = source.path;
  const records = recordsSql(source);
  const fields = source.records ? 'record.*' : '*';
  const described = await db.rows<{ column_name: string; column_type: string }>(`describe select ${fields} from ${records}`).catch((error: Error) => {
    throw unreadable(source, error);
  });
  const columns = described.filter((c) => c.column_name !== 'file_row_number');
  const types = new Map(columns.map((c) => [c.column_name, c.column_type]));
  if (source.format === 'json' && !source.records) notRecords(source, columns, spec.columns);
  const layout = layoutOf(
    columns.map((c) => c.column_name),
    spec.columns,
    file,
  );
  const picks = spec.columns.map((c) => {
    const position = layout.positions.get(c.name);
    if (position === undefined) return `NULL::VARCHAR as ${ident(c.name)}`;
    const name = layout.headers[position]!;
    const type = types.get(name)!;
    if (type !== 'VARCHAR' && !ACCEPTED[c.type].test(type)) {
      throw new UserError(
        `the column "${name}" holds ${type} values, where the dataset expects ${ACCEPTED[c.type].name}`,
        { file, column: name },
        `write ${name} as ${ACCEPTED[c.type].name} (or as text) in the file, or correct its type in the declaration`,
      );
    }
    return `${asText(ident(name), type)} as ${ident(c.name)}`;
  });
  const numbered = source.format === 'parquet' ? 'file_row_number + 1' : 'row_number() over ()';
  const rows = `select ${numbered} as line, ${picks.join(', ')} from (select ${fields}${source.format === 'parquet' ? ', file_row_number' : ''} from ${records})`;
  let relation = `(${rows})`;
  if (source.format === 'json') {
    // Parsed once: the stages after read the copy.
    await mkdir(rawDir, { recursive: true });
    const copy = join(rawDir, `input-${fileId}.parquet`);
    await db.run(`copy (${rows} order by line) to ${lit(copy)} (format parquet, compression uncompressed)`).catch((error: Error) => {
      throw unreadable(source, error);
    });
    relation = `read_parquet(${lit(copy)})`;
  }
  await db.run(`create or replace temp view ${rawRelation(spec, fileId)} as select ${fileId}::INTEGER as file_id, line, * exclude (line) from ${relation}`);
  const [{ n }] = (await db.rows<{ n: number }>(`select count(*) as n from ${rawRelation(spec, fileId)}`)) as [{ n: number }];
  const read: FileRead = {
    file_id: fileId,
    file: sourceName(source),
    format: source.format,
    encoding: source.format === 'json' ? 'utf-8' : '',
    delimiter: '',
    extra_columns: layout.extra,
    missing_columns: layout.missingOptional,
    read: Number(n),
  };
  await recordFile(db, read);
  return read;
}

/** A JSON file whose top level is one object (or a value), not records: said with the keys it has. */
function notRecords(source: SourceFile, columns: { column_name: string; column_type: string }[], declared: ColumnSpec[]) {
  const known = new Set(declared.map((c) => c.source.toLowerCase()));
  if (columns.some((c) => known.has(c.column_name.toLowerCase()))) return;
  const lists = columns.filter((c) => c.column_type.endsWith('[]')).map((c) => c.column_name);
  throw new UserError(
    `the file is not an array of records: its top level ${lists.length ? `is an object with ${columns.map((c) => `"${c.column_name}"`).join(', ')}` : 'holds no record with the dataset\'s columns'}`,
    { file: source.path },
    lists.length
      ? `declare the input as { path: '${source.path}', records: '${lists[0]}' } to read the records under "${lists[0]}"`
      : 'give a JSON array of objects (or one object per line), each with the dataset\'s columns as keys',
  );
}

/** DuckDB's own reason a file cannot be read, with the file named and what to do. */
function unreadable(source: SourceFile, error: Error): UserError {
  const message = String(error.message ?? error).split('\n')[0]!.replace(/^[A-Za-z ]+ Error: /, '');
  if (source.records && /not found|does not have|Binder/i.test(message)) {
    return new UserError(`the file has no list of records under "${source.records}": ${message}`, { file: source.path }, 'check the declared records key against the file\'s top-level keys');
  }
  return new UserError(
    `the file cannot be read as ${source.format === 'json' ? 'JSON' : 'Parquet'}: ${message}`,
    { file: source.path },
    source.format === 'json' ? 'check that the file is complete, valid JSON (an array of objects, or one object per line)' : 'check that the file is a complete Parquet file (export it again)',
  );
}
