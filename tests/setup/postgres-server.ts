/**
 * A private PostgreSQL server from the machine's own binaries (Debian's postgresql package; `.ci/run` installs it):
 * a new cluster in a folder of its own, on a free port of 127.0.0.1, with a password for TCP connections. The tests
 * (tests/setup/postgres.ts) and the sources benchmark (bench/sources.ts) start one each.
 */
import { spawnSync } from 'node:child_process';
import { chownSync, existsSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { userInfo } from 'node:os';
import { join } from 'node:path';
import { pipeline } from 'node:stream/promises';
import pg from 'pg';
import { from as copyFrom } from 'pg-copy-streams';

export interface PostgresServer {
  /** postgresql://salescube:PASSWORD@127.0.0.1:PORT/postgres */
  url: string;
  stop(): void;
}

const PASSWORD = 'salescube-test';

/** The newest installed version's bin folder (Debian keeps them under /usr/lib/postgresql/<version>/bin). */
export function postgresBinaries(): string | undefined {
  const root = '/usr/lib/postgresql';
  const versions = existsSync(root) ? readdirSync(root).filter((v) => existsSync(join(root, v, 'bin', 'initdb'))) : [];
  return versions.length ? join(root, versions.sort((a, b) => Number(b) - Number(a))[0]!, 'bin') : undefined;
}

const freePort = () =>
  new Promise<number>((resolve) => {
    const server = createServer().listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });

/** A server whose cluster lives in a new folder under `parent`, removed when it stops. */
export async function startPostgres(bin: string, parent: string): Promise<PostgresServer> {
  // The server will not run as root: as root, it runs as the postgres user, which must reach its folder.
  const root = userInfo().uid === 0;
  const dir = mkdtempSync(join(parent, 'salescube-postgres-'));
  const as = (command: string, args: string[]) => {
    const run = root ? spawnSync('runuser', ['-u', 'postgres', '--', join(bin, command), ...args], { encoding: 'utf8' }) : spawnSync(join(bin, command), args, { encoding: 'utf8' });
    if (run.status !== 0) throw new Error(`${command} failed: ${run.stderr || run.stdout}`);
  };
  if (root) {
    const id = (flag: string) => Number(spawnSync('id', [flag, 'postgres'], { encoding: 'utf8' }).stdout.trim());
    chownSync(dir, id('-u'), id('-g'));
  }
  const pwfile = join(dir, 'password');
  writeFileSync(pwfile, PASSWORD, { mode: 0o644 });
  const data = join(dir, 'data');
  as('initdb', ['-D', data, '-U', 'salescube', `--pwfile=${pwfile}`, '--auth-host=scram-sha-256', '--auth-local=trust', '-E', 'UTF8', '--no-locale']);
  const port = await freePort();
  as('pg_ctl', ['-D', data, '-l', join(dir, 'server.log'), '-w', '-o', `-p ${port} -k ${dir} -c listen_addresses=127.0.0.1`, 'start']);
  return {
    url: `postgresql://salescube:${PASSWORD}@127.0.0.1:${port}/postgres`,
    stop() {
      as('pg_ctl', ['-D', data, '-m', 'fast', '-w', 'stop']);
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/**
 * The sales file's rows (CSV text with its header, UTF-8) as an order system would keep them: a typed table `sales`
 * (numeric, integer, timestamptz), its dates read as written ("2/24/2003 0:00", month first).
 */
export async function loadSalesTable(url: string, csv: NodeJS.ReadableStream): Promise<void> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    await client.query(`set datestyle = 'ISO, MDY'; set time zone 'UTC';
      drop table if exists sales;
      create table sales (ordernumber integer, quantityordered integer, priceeach numeric(10, 2), orderlinenumber integer,
        sales numeric(12, 2), orderdate timestamptz, status text, qtr_id integer, month_id integer, year_id integer, productline text,
        msrp integer, productcode text, customername text, phone text, addressline1 text, addressline2 text, city text, state text,
        postalcode text, country text, territory text, contactlastname text, contactfirstname text, dealsize text,
        primary key (ordernumber, orderlinenumber))`);
    await pipeline(csv, client.query(copyFrom('copy sales from stdin with (format csv, header true)')));
  } finally {
    await client.end();
  }
}
