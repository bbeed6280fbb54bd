import { existsSync } from 'node:fs';
import { copyFile, mkdir, readdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { modelsInOrder, type DatasetSpec } from '../src/lib/contract/declaration.ts';
import type { TableKind } from '../src/lib/contract/manifest.ts';
import { stagingTable } from '../src/lib/contract/paths.ts';
import { ident, lit, type Db } from './duckdb.ts';
import { UserError } from './errors.ts';

/**
 * How every table is written as Parquet (here and by the export): zstd at its fastest level, which writes large
 * tables markedly faster than its default for files a few percent larger (see docs/performance.md).
 */
export const PARQUET = '(format parquet, compression zstd, compression_level 1)';

/** A table the pipeline writes, with what it is (the downloads list tables by kind). */
export interface KindedTable {
  name: string;
  kind: TableKind;
}

/** The staging table and every model with its declared layer, in build order. */
export const builtTables = (spec: DatasetSpec): KindedTable[] => [
  { name: stagingTable(spec.name), kind: 'staging' },
  ...modelsInOrder(spec).map(({ name, layer }) => ({ name, kind: layer })),
];

/**
 * Tables written once, as their own Parquet export in the folder of the data files, and read from there as views:
 * the staging table and every model but the mart. Held in memory they would have to be compressed for the stages
 * after to fit, then written out anyway. The mart stays in memory: the cube reads it tens of times.
 */
export const fileTables = (spec: DatasetSpec): KindedTable[] => builtTables(spec).filter((t) => t.name !== spec.mart);

const tableFile = (dataDir: string, table: string) => join(dataDir, `${table}.parquet`);

async function view(db: Db, table: KindedTable, dataDir: string): Promise<void> {
  const file = `read_parquet(${lit(tableFile(dataDir, table.name))})`;
  const encoded = table.kind === 'dimension' ? await dictionaryEncode(db, table.name, file) : [];
  await db.run(`create or replace view ${ident(table.name)} as select * ${encoded.length ? `replace (${encoded.join(', ')})` : ''} from ${file}`);
}

/**
 * A dimension's text columns are read as ENUMs, whose values are its distinct values in order: a table joined
 * from the dimensions (the mart) then holds one small integer per cell where it held a string, which makes
 * building the mart, compressing it and grouping it in the cube several times faster at scale. An ENUM sorts,
 * compares and prints as its text; its file keeps plain text.
 */
async function dictionaryEncode(db: Db, table: string, file: string): Promise<string[]> {
  const columns = await db.rows<{ column_name: string; column_type: string }>(`describe from ${file}`);
  const encoded: string[] = [];
  for (const { column_name: name } of columns.filter((c) => c.column_type === 'VARCHAR')) {
    const type = ident(`${table}.${name}`);
    await db.run(`drop type if exists ${type}`);
    await db.run(`create type ${type} as enum (select distinct ${ident(name)} from ${file} where ${ident(name)} is not null order by 1)`);
    encoded.push(`${ident(name)}::${type} as ${ident(name)}`);
  }
  return encoded;
}

/**
 * Refuses a query whose rows DuckDB would not keep in order. DuckDB keeps the order only for plans whose every step
 * keeps it (no join, unless the query sorts after it); any other plan writes in whatever order its threads finish, a
 * different file at every build of a large input. Such a query is refused here, where the bundled data already shows
 * it, rather than at scale.
 */
export async function assertKeepsOrder(db: Db, table: string, query: string): Promise<void> {
  // On its own line: a query may end with a comment.
  const [plan] = await db.rows<{ explain_value: string }>(`explain (format json) copy (\n${query}\n) to '/dev/null' (format parquet)`);
  if (JSON.parse(plan!.explain_value)[0].name !== 'BATCH_COPY_TO_FILE') {
    throw new UserError(`${table}: DuckDB would write its rows in no set order, so its file would change from build to build`, {}, 'end its query with an ORDER BY on its key');
  }
}

/** Writes a query's rows to the table's file, in the query's order, and makes the table a view of it. */
export async function writeTable(db: Db, table: KindedTable, query: string, dataDir: string): Promise<void> {
  await mkdir(dataDir, { recursive: true });
  await assertKeepsOrder(db, table.name, query);
  await db.run(`copy (\n${query}\n) to ${lit(tableFile(dataDir, table.name))} ${PARQUET}`);
  await view(db, table, dataDir);
}

/** A build that reuses a stage takes the last build's files of its tables. */
export async function reuseTables(db: Db, tables: KindedTable[], lastDataDir: string, dataDir: string): Promise<void> {
  await mkdir(dataDir, { recursive: true });
  for (const table of tables) {
    await copyFile(tableFile(lastDataDir, table.name), tableFile(dataDir, table.name));
    await view(db, table, dataDir);
  }
}

/**
 * The in-memory tables a build resumes from (the mart, the slices) are read back from their Parquet files, where an
 * ENUM column (a dimension's text, see dictionaryEncode) is plain text. Written again, or aggregated into a table that
 * is, text makes another file than a clean build's (Parquet takes an ENUM's dictionary as it is and chooses for text):
 * each ENUM column's type is kept by name beside the tables (ENUM_TYPES_FILE), and given back on loading.
 */
const ENUM_TYPES_FILE = 'enum-types.json';

/** The named ENUM types there are (the dimensions' text columns'). */
const enumTypes = async (db: Db) =>
  (await db.rows<{ name: string }>(`select type_name as name from duckdb_types() where logical_type = 'ENUM' and not internal order by 1`)).map((t) => t.name);

/** Which named ENUM type each ENUM column of the build's tables has, into `dir`. */
export async function saveEnumTypes(db: Db, dir: string): Promise<void> {
  const named = new Map<string, string>();
  for (const name of await enumTypes(db)) {
    const [{ type }] = (await db.rows<{ type: string }>(`select typeof(NULL::${ident(name)}) as type`)) as [{ type: string }];
    named.set(type, name);
  }
  const columns = await db.rows<{ table_name: string; column_name: string; data_type: string }>(`
    select c.table_name, c.column_name, c.data_type from duckdb_columns() c join duckdb_tables() t using (database_name, schema_name, table_name)
    where not t.temporary and c.data_type like 'ENUM(%' order by c.table_name, c.column_index`);
  const types: Record<string, Record<string, string>> = {};
  for (const c of columns) {
    const name = named.get(c.data_type);
    if (name) (types[c.table_name] ??= {})[c.column_name] = name;
  }
  await writeFile(join(dir, ENUM_TYPES_FILE), `${JSON.stringify(types, null, 2)}\n`);
}

/**
 * Every Parquet file in the folders as a table of its name (exports and internal tables alike), but those left out,
 * with the ENUM types of its columns given back where they exist (the dimensions' are made when their files are
 * reused, see reuseTables).
 */
export async function loadTables(db: Db, dirs: string[], leftOut: string[]): Promise<void> {
  const saved = dirs.map((d) => join(d, ENUM_TYPES_FILE)).find(existsSync);
  const types: Record<string, Record<string, string>> = saved ? JSON.parse(await readFile(saved, 'utf8')) : {};
  const existing = new Set(await enumTypes(db));
  for (const dir of dirs) {
    for (const file of (await readdir(dir)).filter((f) => f.endsWith('.parquet')).sort()) {
      const table = file.slice(0, -'.parquet'.length);
      if (leftOut.includes(table)) continue;
      const casts = Object.entries(types[table] ?? {}).filter(([, type]) => existing.has(type)).map(([column, type]) => `${ident(column)}::${ident(type)} as ${ident(column)}`);
      await db.run(`create or replace table ${ident(table)} as select * ${casts.length ? `replace (${casts.join(', ')})` : ''} from read_parquet(${lit(join(dir, file))})`);
    }
  }
}
