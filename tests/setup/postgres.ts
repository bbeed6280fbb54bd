/**
 * Vitest global setup: a private PostgreSQL server for the tests of the PostgreSQL input, from the machine's own
 * binaries (Debian's postgresql package; `.ci/run` installs it): a new cluster in a temp folder of its own, on a free
 * port of 127.0.0.1, with a password for TCP connections, stopped when the run ends. The tests get its URL; without
 * the binaries they get the reason instead, and fail with it.
 */
import { spawnSync } from 'node:child_process';
import { chownSync, existsSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir, userInfo } from 'node:os';
import { dirname, join } from 'node:path';
import type { TestProject } from 'vitest/node';

export interface Postgres {
  /** postgresql://salescube:PASSWORD@127.0.0.1:PORT/postgres, or null with the reason. */
  url: string | null;
  reason?: string;
}

const PASSWORD = 'salescube-test';

/** The newest installed version's bin folder (Debian keeps them under /usr/lib/postgresql/<version>/bin). */
function binaries(): string | undefined {
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

export default async function setup(project: TestProject): Promise<(() => void) | undefined> {
  const bin = binaries();
  if (!bin) {
    project.provide('postgres', { url: null, reason: 'PostgreSQL is not installed (apt-get install -y postgresql)' } satisfies Postgres);
    return undefined;
  }
  // The server will not run as root: as root, it runs as the postgres user, which must reach its folder. The folder is
  // beside the run's temp folder, not in it: that one may be removed before this setup's teardown stops the server.
  const root = userInfo().uid === 0;
  const dir = mkdtempSync(join(process.env.SALESCUBE_TEST_ROOT ? dirname(process.env.SALESCUBE_TEST_ROOT) : tmpdir(), 'salescube-postgres-'));
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
  project.provide('postgres', { url: `postgresql://salescube:${PASSWORD}@127.0.0.1:${port}/postgres` } satisfies Postgres);
  return () => {
    as('pg_ctl', ['-D', data, '-m', 'fast', '-w', 'stop']);
    rmSync(dir, { recursive: true, force: true });
  };
}

declare module 'vitest' {
  export interface ProvidedContext {
    postgres: Postgres;
  }
}
