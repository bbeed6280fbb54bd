/**
 * A PostgreSQL query as an input: its rows exported by the server as CSV (`COPY (query) TO STDOUT`) and streamed into
 * a file, so memory stays flat at any size, then read as any CSV file is (columns matched by name). The connection
 * comes from an environment variable (or the command line), never from a committed file.
 */
import { createHash } from 'node:crypto';
import { createWriteStream, existsSync, readFileSync } from 'node:fs';
import { rename, rm, writeFile } from 'node:fs/promises';
import { pipeline } from 'node:stream/promises';
import pg from 'pg';
import { to as copyTo } from 'pg-copy-streams';
import { UserError } from '../errors.ts';

export const isPostgresUrl = (value: string) => /^postgres(ql)?:\/\//i.test(value);

/** The connection URL: given as one (the command line), or the value of the environment variable named. */
export function connectionUrl(postgres: string, env: NodeJS.ProcessEnv = process.env): string {
  if (isPostgresUrl(postgres)) return postgres;
  const url = env[postgres];
  if (!url) {
    throw new UserError(
      `the environment variable ${postgres}, which the dataset reads its PostgreSQL connection from, is not set`,
      {},
      `set it to the database's URL, e.g. export ${postgres}=postgresql://USER:PASSWORD@HOST:5432/DATABASE`,
    );
  }
  if (!isPostgresUrl(url)) throw new UserError(`${postgres} is not a PostgreSQL URL`, {}, `set it to postgresql://USER:PASSWORD@HOST:5432/DATABASE`);
  return url;
}

/** A column name as PostgreSQL quotes it. */
const ident = (name: string) => `"${name.replace(/"/g, '""')}"`;

/** What reports call the source: the connection without its password, and the query. */
export function queryName(url: string, query: string): string {
  const u = new URL(url);
  u.password = '';
  return `${u.toString().replace(/:@/, '@')} ${query.trim().replace(/\s+/g, ' ')}`;
}

/**
 * Exports the query's rows, with a header, into `dest` (whole, or not at all). With a change column, the greatest
 * value of it and the row count are the source's fingerprint: when they are the last export's, that export is kept.
 */
export async function exportQuery(url: string, query: string, dest: string, changeColumn?: string): Promise<{ sha256: string }> {
  const name = queryName(url, query);
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 15_000 });
  client.on('error', () => {}); // a connection lost mid-query fails the query below
  try {
    await client.connect();
  } catch (error) {
    const message = String((error as Error).message ?? error);
    const credentials = /password|authentication|role .* does not exist/i.test(message);
    throw new UserError(
      `cannot connect to PostgreSQL: ${message}`,
      { file: name },
      credentials ? 'check the user and password in the connection URL' : 'check the host, port and database in the connection URL, and that the server is up',
    );
  }
  const partial = `${dest}.part`;
  const fingerprintFile = `${dest}.fingerprint`;
  const rowsOf = query.trim().replace(/;+\s*$/, '');
  try {
    // The server writes the CSV (dates in ISO form, NULL as an empty field); the session's time zone is UTC so that a
    // time with a zone comes out the same wherever the build runs.
    await client.query("set time zone 'UTC'; set datestyle = 'ISO, MDY'");
    let fingerprint: string | undefined;
    if (changeColumn) {
      const { rows } = await client.query<{ latest: string | null; n: string }>(`select max(q.${ident(changeColumn)})::text as latest, count(*)::text as n from (${rowsOf}) q`);
      fingerprint = JSON.stringify([query, changeColumn, rows[0]!.latest, rows[0]!.n]);
      const kept = existsSync(dest) && existsSync(fingerprintFile) ? (JSON.parse(readFileSync(fingerprintFile, 'utf8')) as { fingerprint: string; sha256: string }) : undefined;
      if (kept?.fingerprint === fingerprint) return { sha256: kept.sha256 };
    }
    await rm(fingerprintFile, { force: true });
    // Hashed as it is written: the export's sha256 is the source's, kept with the fingerprint.
    const hash = createHash('sha256');
    const rows = client.query(copyTo(`copy (${rowsOf}) to stdout with (format csv, header true, encoding 'UTF8')`));
    await pipeline(
      rows,
      async function* (chunks: AsyncIterable<Buffer>) {
        for await (const chunk of chunks) {
          hash.update(chunk);
          yield chunk;
        }
      },
      createWriteStream(partial),
    );
    await rename(partial, dest);
    const sha256 = hash.digest('hex');
    if (fingerprint) await writeFile(fingerprintFile, JSON.stringify({ fingerprint, sha256 }));
    return { sha256 };
  } catch (error) {
    await rm(partial, { force: true });
    throw new UserError(`the query failed: ${String((error as Error).message ?? error)}`, { file: name }, 'run the query with psql against the same database to see why, then correct it');
  } finally {
    await client.end().catch(() => {});
  }
}
