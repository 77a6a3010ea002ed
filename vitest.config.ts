import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    // CLI tests spawn node and kubectl; two cores are shared with everything else here.
    testTimeout: 60_000,
    hookTimeout: 60_000,
  },
});
