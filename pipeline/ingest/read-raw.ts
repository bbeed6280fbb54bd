import { basename, join } from 'node:path';
import type { DatasetSpec } from '../../src/lib/dataset-spec.ts';
import { ident, lit, type Db } from '../duckdb.ts';
import { decodeToUtf8 } from './decode.ts';
import { readLayout } from './preflight.ts';

export interface FileRead {
  file_id: number;
  /** The file's name (not its path, so that outputs do not depend on where the input was). */
  file: string;
  encoding: string;
  delimiter: string;
  extra_columns: string[];
  missing_columns: string[];
  /** Records in the file: rows DuckDB parsed plus rows it could not parse. */
  read: number;
}

// Longer lines are almost certainly a broken quote swallowing the rest of the file.
const MAX_LINE_BYTES = 16 << 20;

/** The tables every dataset's raw stage writes: raw text per declared column, and rejects with reasons. */
export async function createRawTables(db: Db, spec: DatasetSpec): Promise<void> {
  const columns = spec.columns.map((c) => `${ident(c.name)} VARCHAR`).join(', ');
  await db.run(`
    create or replace table raw_${spec.name} (file_id INTEGER, line BIGINT, ${columns});
    create or replace table rejects (file_id INTEGER, file VARCHAR, line BIGINT, "column" VARCHAR, value VARCHAR, reason VARCHAR, rule VARCHAR);
    create or replace table files (file_id INTEGER, file VARCHAR, encoding VARCHAR, delimiter VARCHAR, extra_columns VARCHAR[], missing_columns VARCHAR[], "read" BIGINT);
  `);
}

/**
 * Loads one raw file as text into raw_<dataset>, every cell VARCHAR (typing is the staging model's job),
 * with the line each row came from. Rows DuckDB cannot split into the header's columns go to `rejects`.
 */
export async function readRawFile(db: Db, spec: DatasetSpec, fileId: number, file: string, workDir: string): Promise<FileRead> {
  const decoded = await decodeToUtf8(file, spec.legacyEncodings, join(workDir, `input-${fileId}.utf8.csv`));
  const layout = await readLayout(file, decoded.path, spec.columns);
  const scan = `file_${fileId}`;
  const columnTypes = layout.headers.map((_, i) => `${lit(`c${i}`)}: 'VARCHAR'`).join(', ');

  await db.run(`
    create or replace temp table ${scan} as
    select * from read_csv(${lit(decoded.path)},
      header = true, auto_detect = false, delim = ${lit(layout.delimiter)}, quote = '"', escape = '"',
      columns = {${columnTypes}}, max_line_size = ${MAX_LINE_BYTES},
      store_rejects = true, rejects_scan = ${lit(`${scan}_scan`)}, rejects_table = ${lit(`${scan}_errors`)});
  `);

  // DuckDB keeps file order in rowid; it numbers rejected records by line. A kept record's line is its
  // ordinal plus the header plus the rejected records before it, found with an ASOF join on that count.
  const picks = spec.columns.map((c) => {
    const position = layout.positions.get(c.name);
    return `${position === undefined ? 'NULL' : `r.c${position}`} as ${ident(c.name)}`;
  });
  await db.run(`
    create or replace temp table ${scan}_bad as
    select line, first(error_type order by column_idx) as error_type, first(error_message order by column_idx) as message,
           first(csv_line) as csv_line, first(column_name order by column_idx) as column_name
    from ${scan}_errors group by line;
    create or replace temp table ${scan}_offsets as
    select max(line - 1 - n) as kept_before, max(n) as skipped
    from (select line, row_number() over (order by line) as n from ${scan}_bad)
    group by line - 1 - n;
    insert into raw_${spec.name}
    select ${fileId}, r.rowid + 2 + coalesce(o.skipped, 0), ${picks.join(', ')}
    from (select rowid, * from ${scan}) r
    asof left join ${scan}_offsets o on r.rowid + 1 > o.kept_before
    order by r.rowid;
    insert into rejects
    select ${fileId}, ${lit(basename(file))}, line,
      -- DuckDB names the columns c0, c1, …: report the file's own header instead.
      ([${layout.headers.map(lit).join(', ')}])[try_cast(substr(column_name, 2) as INTEGER) + 1],
      left(csv_line, 200),
      case error_type
        when 'TOO MANY COLUMNS' then 'too many fields: ' || message || ' (a value with the delimiter needs quotes)'
        when 'MISSING COLUMNS' then 'too few fields: ' || message
        when 'UNQUOTED VALUE' then 'a quote inside an unquoted value: ' || message
        when 'LINE SIZE OVER MAXIMUM' then 'line longer than ${MAX_LINE_BYTES >> 20} MB (an unclosed quote?)'
        when 'INVALID UNICODE' then 'bytes that are not valid text'
        else lower(error_type) || ': ' || message
      end, 'parse'
    from ${scan}_bad;
  `);

  const [counts] = await db.rows<{ kept: number; bad: number }>(
    `select (select count(*) from ${scan}) as kept, (select count(*) from ${scan}_bad) as bad`,
  );
  await db.run(`drop table ${scan}; drop table ${scan}_bad; drop table ${scan}_offsets; drop table ${scan}_errors; drop table ${scan}_scan;`);
  const read: FileRead = {
    file_id: fileId,
    file: basename(file),
    encoding: decoded.encoding,
    delimiter: layout.delimiter,
    extra_columns: layout.extra,
    missing_columns: layout.missingOptional,
    read: counts!.kept + counts!.bad,
  };
  await db.run(`insert into files values (${fileId}, ${lit(read.file)}, ${lit(read.encoding)}, ${lit(read.delimiter)},
    ${sqlList(read.extra_columns)}, ${sqlList(read.missing_columns)}, ${read.read})`);
  return read;
}

const sqlList = (values: string[]) => `[${values.map(lit).join(', ')}]::VARCHAR[]`;
