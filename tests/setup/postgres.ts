/**
 * Vitest global setup: a private PostgreSQL server for the tests of the PostgreSQL input (tests/setup/postgres-server.ts),
 * stopped when the run ends. The tests get its URL; without the binaries they get the reason instead, and fail with it.
 */
import { tmpdir } from 'node:os';
import { dirname } from 'node:path';
import type { TestProject } from 'vitest/node';
import { postgresBinaries, startPostgres } from './postgres-server.ts';

export interface Postgres {
  /** postgresql://salescube:PASSWORD@127.0.0.1:PORT/postgres, or null with the reason. */
  url: string | null;
  reason?: string;
}

export default async function setup(project: TestProject): Promise<(() => void) | undefined> {
  const bin = postgresBinaries();
  if (!bin) {
    project.provide('postgres', { url: null, reason: 'PostgreSQL is not installed (apt-get install -y postgresql)' } satisfies Postgres);
    return undefined;
  }
  // Beside the run's temp folder, not in it: that one may be removed before this setup's teardown stops the server.
  const server = await startPostgres(bin, process.env.SALESCUBE_TEST_ROOT ? dirname(process.env.SALESCUBE_TEST_ROOT) : tmpdir());
  project.provide('postgres', { url: server.url } satisfies Postgres);
  return () => server.stop();
}

declare module 'vitest' {
  export interface ProvidedContext {
    postgres: Postgres;
  }
}
