import { readFileSync } from 'node:fs';
import { defineConfig } from 'vitest/config';

export default defineConfig({
  // The version the build puts in (src/cli/version.ts), for the sources the tests run.
  define: { __PMC_VERSION__: JSON.stringify(JSON.parse(readFileSync('package.json', 'utf8')).version) },
  test: {
    include: ['test/**/*.test.ts'],
    // A few seconds a test: one that needs more (a JVM, a process, a large input) says so itself.
    testTimeout: 10_000,
    hookTimeout: 60_000,
    // Two files at once even on two cores: most of the suite waits on a JVM, kubectl or a
    // child process (measured: 125 s with one worker, 99 s with two, on these 2-vCPU machines).
    maxWorkers: 2,
  },
});
