// npm run test:quick, the edit loop: in-process tests only. Every file test/support/tools.json
// names (a JVM, kubectl, kpt, python3, openssl, or pmc started as a process) is the full
// tier's (npm test), and property tests run a few dozen cases each.
import { defineConfig, mergeConfig } from 'vitest/config';
import base from './vitest.config.ts';
import { fullTierFiles } from './test/support/tools.mjs';

export default mergeConfig(
  base,
  defineConfig({
    test: {
      exclude: fullTierFiles(),
      testTimeout: 5_000,
      env: { PMC_PROPERTY_RUNS: process.env.PMC_PROPERTY_RUNS ?? '25' },
    },
  }),
);
