import { availableParallelism } from 'node:os';
import { defineConfig } from 'vitest/config';

// The tests at scale (hundreds of thousands of generated rows, a minute or more each) run only when asked for:
// `npm run test:scale`, and `npm run bench`, set SALESCUBE_SCALE_TESTS.
const scale = process.env.SALESCUBE_SCALE_TESTS === '1';

export default defineConfig({
  test: {
    // Dates are computed in UTC everywhere; tests pin the zone so a developer's locale cannot change results.
    env: { TZ: 'UTC' },
    // Vitest's default leaves a core free, which on a two-core machine runs every file one after another; the
    // files mostly wait on DuckDB, Chromium and child processes, so one worker per core finishes far sooner.
    maxWorkers: Math.max(2, availableParallelism()),
    testTimeout: 120_000,
    hookTimeout: 300_000,
    projects: [
      // Pure functions and the pipeline on small inputs: `npm run test:unit`, no site is built.
      { extends: true, test: { name: 'unit', include: ['tests/unit/**/*.test.ts', 'tests/pipeline/**/*.test.ts'], globalSetup: ['tests/setup/temp-root.ts', 'tests/setup/outputs.ts', 'tests/setup/postgres.ts'] } },
      // The built site in Chromium, over one site built for the whole run.
      { extends: true, test: { name: 'site', include: ['tests/site/**/*.test.ts'], globalSetup: ['tests/setup/temp-root.ts', 'tests/setup/site.ts'] } },
      ...(scale ? [{ extends: true, test: { name: 'scale', include: ['tests/scale/**/*.test.ts'], globalSetup: ['tests/setup/temp-root.ts'] } }] : []),
    ],
  },
});
