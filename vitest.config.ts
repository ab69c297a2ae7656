import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    // tfjs backends are process-global; forks keep test files isolated from each other.
    pool: 'forks',
    testTimeout: 30_000,
  },
});
