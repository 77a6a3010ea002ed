/**
 * pmc's version: package.json's, put in at build time (build.mjs) and when the tests run the
 * sources (vitest.config.ts), so that the CLI, the webhook's stamp and log, the image and
 * deploy/ name one version (test/package.test.ts checks deploy/ against it).
 */
declare const __PMC_VERSION__: string;

export const VERSION: string = __PMC_VERSION__;
