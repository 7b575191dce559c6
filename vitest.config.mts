import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    setupFiles: ['test/support/quiet-logs.ts'],
    testTimeout: 30_000,
    hookTimeout: 30_000,
    // Two cores: run files in a small pool so timing-sensitive tests stay honest.
    pool: 'forks',
    maxWorkers: 2,
  },
});
