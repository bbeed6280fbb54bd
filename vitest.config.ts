import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['tests/**/*.test.ts'],
    globalSetup: ['tests/helpers/temp-root.ts'],
    // Dates are computed in UTC everywhere; tests pin the zone so a developer's locale cannot change results.
    env: { TZ: 'UTC' },
    testTimeout: 120_000,
    hookTimeout: 300_000,
  },
});
