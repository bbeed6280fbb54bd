/**
 * Every source read and checked once: its checked rows (writeCheckedRows) are kept in the work folder under a key of
 * its bytes, how it is read, the parts of the declaration that type and check it, and the code that does; a build
 * reads and checks again only the sources whose key is new. Adding a batch file to a long history reads and checks
 * that file alone; staging then combines every source's rows (duplicates and keys are found across sources).
 */
import { createHash } from 'node:crypto';
import { existsSync, readdirSync } from 'node:fs';
import { mkdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { DatasetSpec } from '../src/lib/contract/declaration.ts';
import { CODE, declaredFor, hashFiles } from './cache.ts';
import { agreedDateOrders, detectDateOrders } from './clean/date-order.ts';
import type { DateOrder } from './clean/parse-sql.ts';
import { writeCheckedRows } from './clean/staging.ts';
import { lit, type Db } from './duckdb.ts';
import { rawRelation, readRawFile, recordFile, type FileRead } from './ingest/read-raw.ts';
import { readTableFile } from './ingest/read-table-file.ts';
import { sourceName, type SourceFile } from './ingest/sources.ts';

/** A source's checked rows, and what its reading found. */
export interface CheckedSource {
  fileId: number;
  /** Its checked rows (Parquet). */
  path: string;
  read: FileRead;
}

/**
 * Kept beside a source's checked rows: how it was read and its dates' order. Its rows rejected as they were read (a
 * file may have many) are kept as Parquet beside them.
 */
interface Checked {
  read: Omit<FileRead, 'file_id'>;
  orders: Record<string, DateOrder | null>;
}

/**
 * A source's key: its bytes (sha256), name and format, the parts of the declaration the ingest and clean stages read
 * (the same as their stage keys'), and their code.
 */
function sourceKey(spec: DatasetSpec, source: SourceFile, sha256: string, override: DateOrder | undefined, code: string): string {
  return createHash('sha256')
    .update(JSON.stringify([code, sha256, sourceName(source), source.format, source.records ?? null, declaredFor(spec, 'ingest'), declaredFor(spec, 'clean'), override ?? null]))
    .digest('hex');
}

/**
 * Each source's checked rows, from the work folder's `dir` where its key is there and read and checked otherwise
 * (its raw text in `rawDir` meanwhile); the `files` and `rejects` tables get every source's part. The keys used are
 * returned too: the others can go once the build has succeeded (removeUnused).
 */
export async function checkSources(db: Db, spec: DatasetSpec, sources: SourceFile[], hashes: string[], dir: string, rawDir: string, override?: DateOrder): Promise<{ checked: CheckedSource[]; keys: string[] }> {
  await mkdir(dir, { recursive: true });
  const code = hashFiles([...CODE.ingest, ...CODE.clean]);
  const checked: CheckedSource[] = [];
  const orders: Record<string, DateOrder | null>[] = [];
  const keys: string[] = [];
  for (const [fileId, source] of sources.entries()) {
    const key = sourceKey(spec, source, hashes[fileId]!, override, code);
    keys.push(key);
    const [rows, rejects, meta] = [join(dir, `${key}.parquet`), join(dir, `${key}.rejects.parquet`), join(dir, `${key}.json`)];
    let found: Checked;
    // The description is written last: with it, the source's other files are whole.
    if (existsSync(meta)) {
      found = JSON.parse(await readFile(meta, 'utf8')) as Checked;
      await recordFile(db, { ...found.read, file_id: fileId });
      await db.run(`insert into rejects select ${fileId}, ${lit(found.read.file)}, * from read_parquet(${lit(rejects)})`);
    } else {
      found = await check(db, spec, fileId, source, rawDir, rows, override);
      await db.run(`copy (select line, "column", value, reason, rule from rejects where file_id = ${fileId} order by line) to ${lit(rejects)} (format parquet)`);
      await writeFile(`${meta}.part`, JSON.stringify(found));
      await rename(`${meta}.part`, meta);
    }
    orders.push(found.orders);
    checked.push({ fileId, path: rows, read: { ...found.read, file_id: fileId } });
  }
  // Every source's dates in one order (each was typed in its own: they must agree).
  agreedDateOrders(spec, orders);
  return { checked, keys };
}

/** Reads one source as raw text and writes its checked rows to `rows`. */
async function check(db: Db, spec: DatasetSpec, fileId: number, source: SourceFile, rawDir: string, rows: string, override?: DateOrder): Promise<Checked> {
  const read = source.format === 'csv' ? await readRawFile(db, spec, fileId, source.path, rawDir, sourceName(source)) : await readTableFile(db, spec, fileId, source, rawDir);
  const relation = rawRelation(spec, fileId);
  const orders = await detectDateOrders(db, spec, relation, read.file, override);
  const typing = new Map(spec.columns.filter((c) => c.type === 'date').map((c) => [c.name, orders[c.name] ?? spec.dateOrder]));
  await writeCheckedRows(db, spec, relation, typing, `${rows}.part`);
  await rename(`${rows}.part`, rows);
  const { file_id: _, ...rest } = read;
  return { read: rest, orders };
}

/** Removes the checked rows of sources no longer read (a batch replaced, or another version of the code). */
export async function removeUnused(dir: string, keys: string[]): Promise<void> {
  if (!existsSync(dir)) return;
  const used = new Set(keys);
  for (const file of readdirSync(dir)) if (!used.has(file.replace(/(\.rejects)?\.(parquet|json)(\.part)?$/, ''))) await rm(join(dir, file), { force: true });
}
