import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    setupFiles: ['test/support/quiet-logs.ts'],
    // Sized for a busy 2-core machine (CI proves the suite under a background CPU load): a test's
    // own waits fail first with a message saying what they waited for; these only catch hangs.
    testTimeout: 120_000,
    hookTimeout: 120_000,
    // Two cores: run files in a small pool so timing-sensitive tests stay honest.
    pool: 'forks',
    maxWorkers: 2,
  },
});
