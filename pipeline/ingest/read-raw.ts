import { mkdir, rm, writeFile } from 'node:fs/promises';
import { basename, join } from 'node:path';
import type { DatasetSpec } from '../../src/lib/contract/declaration.ts';
import { ident, lit, type Db } from '../duckdb.ts';
import { UserError } from '../errors.ts';
import { decodeToUtf8 } from './decode.ts';
import { readLayout } from './preflight.ts';
import { lineStepSql, MAX_CASE_STEPS, type LineStep } from './line-steps.ts';
import { countLines, recordLines } from './record-lines.ts';
import type { SourceFormat } from './sources.ts';

export interface FileRead {
  file_id: number;
  /** The file's name (not its path, so that outputs do not depend on where the input was). */
  file: string;
  format: SourceFormat;
  /** CSV: the encoding found; JSON: utf-8; Parquet: none (its text is UTF-8 by definition). */
  encoding: string;
  /** CSV only. */
  delimiter: string;
  extra_columns: string[];
  missing_columns: string[];
  /** Records in the file: rows DuckDB parsed plus rows it could not parse (for a CSV file). */
  read: number;
}

// Longer lines are almost certainly a broken quote swallowing the rest of the file.
const MAX_LINE_BYTES = 16 << 20;
// DuckDB's buffers default to 16 lines of the maximum: 256 MB each would leave two threads a handful of buffers
// to share out, and large files read markedly slower than with buffers of two lines.
const BUFFER_BYTES = 2 * MAX_LINE_BYTES;

/** The tables every dataset's raw stage writes besides the raw text: the files read, and rejects with reasons. */
export async function createRawTables(db: Db): Promise<void> {
  await db.run(`
    create or replace table rejects (file_id INTEGER, file VARCHAR, line BIGINT, "column" VARCHAR, value VARCHAR, reason VARCHAR, rule VARCHAR);
    create or replace table files (file_id INTEGER, file VARCHAR, format VARCHAR, encoding VARCHAR, delimiter VARCHAR, extra_columns VARCHAR[], missing_columns VARCHAR[], "read" BIGINT);
  `);
}

/**
 * Loads one raw file as text into raw_<dataset>_<file id>, every cell VARCHAR (typing is the staging
 * model's job), with the line each row came from. Rows DuckDB cannot split into the header's columns go
 * to `rejects`. The copies it makes of the text (UTF-8, Parquet) go to rawDir.
 */
export async function readRawFile(db: Db, spec: DatasetSpec, fileId: number, file: string, rawDir: string, name = basename(file)): Promise<FileRead> {
  await mkdir(rawDir, { recursive: true });
  const decoded = await decodeToUtf8(file, spec.legacyEncodings, join(rawDir, `input-${fileId}.utf8.csv`));
  const layout = await readLayout(file, decoded.path, spec.columns);
  const scan = `file_${fileId}`;
  const columnTypes = layout.headers.map((_, i) => `${lit(`c${i}`)}: 'VARCHAR'`).join(', ');
  const csv = `read_csv(${lit(decoded.path)},
        header = true, auto_detect = false, delim = ${lit(layout.delimiter)}, quote = '"', escape = '"',
        columns = {${columnTypes}}, max_line_size = ${MAX_LINE_BYTES}, buffer_size = ${BUFFER_BYTES},
        store_rejects = true, rejects_scan = ${lit(`${scan}_scan`)}, rejects_table = ${lit(`${scan}_errors`)})`;
  // The text goes to Parquet in the work folder (in file order) and is read from there: held in memory as a
  // table it takes about twice the file's size, and the stages after read it slower. Uncompressed: Parquet's own
  // encodings already shrink the text several times, it lives only until staged, and it writes and reads faster
  // than compressed. `${scan}`: the rows in file order, numbered from 0 in row_no.
  try {
    const parquet = join(rawDir, `input-${fileId}.parquet`);
    await db.run(`copy (from ${csv}) to ${lit(parquet)} (format parquet, compression uncompressed)`);
    await db.run(`create or replace temp view ${scan} as select file_row_number as row_no, * exclude (file_row_number) from read_parquet(${lit(parquet)}, file_row_number = true)`);
  } catch (error) {
    // DuckDB gives up on some broken files as a whole (e.g. a lone \n in a \r\n file): say so, not a stack trace.
    const message = String((error as Error).message ?? error).split('\n')[0]!.replace(/^Invalid Input Error: /, '');
    throw new UserError(
      `the file cannot be split into rows: ${message}`,
      { file },
      'check that every line ends the same way (all \\r\\n or all \\n) and that quotes are balanced, then export the file again',
    );
  }

  // DuckDB keeps file order (row_no) and numbers rejected records by record, not by line. Each record's own
  // line comes from a scan of the file (a quoted value may span lines, blank lines are skipped), used when it
  // splits the file into the same records as DuckDB did.
  const picks = spec.columns.map((c) => {
    const position = layout.positions.get(c.name);
    return `${position === undefined ? 'NULL::VARCHAR' : `r.c${position}`} as ${ident(c.name)}`;
  });
  await db.run(`
    create or replace temp table ${scan}_bad as
    select line, first(error_type order by column_idx) as error_type, first(error_message order by column_idx) as message,
           first(csv_line) as csv_line, first(column_name order by column_idx) as column_name,
           -- where the record starts: its line's start, past the blank lines DuckDB counts as part of it
           first(line_byte_position + strlen(csv_line) - strlen(ltrim(csv_line, chr(10) || chr(13)))) as start
    from ${scan}_errors group by line;
  `);
  // Rows DuckDB kept, and records it rejected (one per line it reports).
  const [counts] = await db.rows<{ kept: number; bad: number }>(`select (select count(*) from ${scan}) as kept, (select count(*) from ${scan}_bad) as bad`);
  const { kept, bad } = counts!;
  // When every record is one line (no value spans lines, no blank lines) the record numbers are the lines;
  // only otherwise is the file scanned for where each record starts.
  const oneLinePerRecord = (decoded.lines ?? (await countLines(decoded.path))) === kept + bad + 1;
  // A row's line is its number plus 2 (the header, and numbers from 0) plus the lines above it that are no row:
  // a step function of the row number, `${scan}_steps`.
  const numberedByScan = !oneLinePerRecord && (await lineStepsByScan(db, scan, decoded.path, layout.delimiter, rawDir));
  if (!numberedByScan && bad > 0) {
    // The rejected records: exact when each record is one line (and the fallback when the scan and DuckDB
    // split the file differently). After each run of rejected records, rows move down by all rejected so far.
    await db.run(`
      create or replace temp table ${scan}_steps as
      select max(line - 1 - n) as start, max(n) as extra
      from (select line, row_number() over (order by line) as n from ${scan}_bad)
      group by line - 1 - n;`);
  }
  // One step more than a CASE takes is enough to know it cannot.
  const steps = numberedByScan || bad > 0 ? await db.rows<LineStep>(`select start, extra from ${scan}_steps order by start limit ${MAX_CASE_STEPS + 1}`) : [];
  // A few steps are a CASE over the row number; more are looked up with a join.
  const byCase = steps.length <= MAX_CASE_STEPS;
  const line = byCase ? lineStepSql('r.row_no', steps) : 'coalesce(s.extra, 0)';
  // A view over the Parquet copy: the text is not held.
  await db.run(`
    create or replace temp view ${rawRelation(spec, fileId)} as
    select ${fileId}::INTEGER as file_id, r.row_no + 2 + ${line} as line, ${picks.join(', ')}
    from ${scan} r ${byCase ? '' : `asof left join ${scan}_steps s on r.row_no >= s.start`}`);
  await db.run(`
    insert into rejects
    select ${fileId}, ${lit(name)}, line,
      -- DuckDB names the columns c0, c1, …: report the file's own header instead.
      ([${layout.headers.map(lit).join(', ')}])[try_cast(substr(column_name, 2) as INTEGER) + 1],
      left(csv_line, 200),
      case error_type
        when 'TOO MANY COLUMNS' then 'too many fields: ' || message || ' (a value with the delimiter needs quotes)'
        when 'MISSING COLUMNS' then 'too few fields: ' || message
        when 'UNQUOTED VALUE' then case when message ilike '%unterminated quote%'
          then 'an unclosed quote: the value runs to the end of the file, taking ' ||
            (1 + length(rtrim(csv_line, chr(10) || chr(13))) - length(replace(rtrim(csv_line, chr(10) || chr(13)), chr(10), ''))) || ' line(s) into this row'
          else 'a quote inside an unquoted value: ' || message end
        when 'LINE SIZE OVER MAXIMUM' then 'line longer than ${MAX_LINE_BYTES >> 20} MB (an unclosed quote?)'
        when 'INVALID UNICODE' then 'bytes that are not valid text'
        else lower(error_type) || ': ' || message
      end, 'parse'
    from ${scan}_bad;
  `);

  await db.run(`drop table ${scan}_bad; drop table ${scan}_errors; drop table ${scan}_scan;`);
  const read: FileRead = {
    file_id: fileId,
    file: name,
    format: 'csv',
    encoding: decoded.encoding,
    delimiter: layout.delimiter,
    extra_columns: layout.extra,
    missing_columns: layout.missingOptional,
    read: kept + bad,
  };
  await recordFile(db, read);
  return read;
}

/** A file read, in the `files` table the quality report accounts for. */
export async function recordFile(db: Db, read: FileRead): Promise<void> {
  await db.run(`insert into files values (${read.file_id}, ${lit(read.file)}, ${lit(read.format)}, ${lit(read.encoding)}, ${lit(read.delimiter)},
    ${sqlList(read.extra_columns)}, ${sqlList(read.missing_columns)}, ${read.read})`);
}

export const rawRelation = (spec: DatasetSpec, fileId: number) => `raw_${spec.name}_${fileId}`;

/** Once staged, the raw text is not needed: its views and tables are dropped and its copies removed (a large input's take disk). */
export async function dropRaw(db: Db, spec: DatasetSpec, rawDir: string): Promise<void> {
  const pattern = lit(`raw_${spec.name}(_[0-9]+)?|file_[0-9]+(_.+)?`);
  const objects = await db.rows<{ name: string; kind: string }>(`
    select view_name as name, 'view' as kind from duckdb_views() where regexp_full_match(view_name, ${pattern})
    union all
    select table_name, 'table' from duckdb_tables() where regexp_full_match(table_name, ${pattern})
    order by kind desc, name desc`);
  for (const o of objects) await db.run(`drop ${o.kind} ${ident(o.name)}`);
  await rm(rawDir, { recursive: true, force: true });
}

const sqlList = (values: string[]) => `[${values.map(lit).join(', ')}]::VARCHAR[]`;

/**
 * Finds each record's line from a scan of the file, as steps (`${scan}_steps`); returns false (and makes no
 * steps) when the scan splits the file into other records than DuckDB did.
 */
async function lineStepsByScan(db: Db, scan: string, path: string, delimiter: string, rawDir: string): Promise<boolean> {
  const records = await recordLines(path, delimiter);
  const recordsCsv = join(rawDir, `${scan}-records.csv`);
  await writeFile(recordsCsv, records.starts.map((start, n) => `${n},${start},${records.lines[n]}\n`).join(''));
  await db.run(`
    create or replace temp table ${scan}_records as
    select * from read_csv(${lit(recordsCsv)}, header = false, auto_detect = false, delim = ',', columns = {'n': 'BIGINT', 'start': 'BIGINT', 'line': 'BIGINT'});
    create or replace temp table ${scan}_bad_lines as
    select b.line as duck_line, r.n, r.line from ${scan}_bad b left join ${scan}_records r on r.start = b.start and r.n > 0;
    create or replace temp table ${scan}_kept_lines as
    select row_number() over (order by n) - 1 as k, line from ${scan}_records
    where n > 0 and n not in (select n from ${scan}_bad_lines where n is not null);
  `);
  const [agree] = await db.rows<{ agree: boolean }>(`
    select (select count(*) from ${scan}_bad_lines where n is null) = 0
       and (select count(distinct n) from ${scan}_bad_lines) = (select count(*) from ${scan}_bad)
       and (select count(*) from ${scan}_kept_lines) = (select count(*) from ${scan}) as agree`);
  if (agree!.agree) {
    await db.run(`
      create or replace temp table ${scan}_steps as
      select k as start, extra from (select k, line - k - 2 as extra, lag(line - k - 2, 1, 0) over (order by k) as before from ${scan}_kept_lines)
      where extra <> before;
      update ${scan}_bad b set line = l.line from ${scan}_bad_lines l where l.duck_line = b.line;
    `);
  }
  await db.run(`drop table ${scan}_records; drop table ${scan}_bad_lines; drop table ${scan}_kept_lines;`);
  return agree!.agree;
}
