import { readFileSync } from 'node:fs';
import { defineConfig } from 'vitest/config';

export default defineConfig({
  // The version the build puts in (src/cli/version.ts), for the sources the tests run.
  define: { __PMC_VERSION__: JSON.stringify(JSON.parse(readFileSync('package.json', 'utf8')).version) },
  test: {
    include: ['test/**/*.test.ts'],
    // CLI tests spawn node and kubectl; two cores are shared with everything else here.
    testTimeout: 60_000,
    hookTimeout: 60_000,
  },
});
