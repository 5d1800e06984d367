import { defineConfig } from 'vitest/config';

// End-to-end tests drive the built web host in Debian's Chromium; one file at a time
// because each starts its own host and browser.
export default defineConfig({
  test: {
    include: ['e2e/**/*.e2e.ts'],
    environment: 'node',
    testTimeout: 300_000,
    hookTimeout: 300_000,
    fileParallelism: false,
    pool: 'forks',
  },
});
