// Loads pmc's bundle with the V8 code cache the build made, so a start skips compiling
// what the warm-up run compiled. A cache from another Node is rejected by V8 and pmc
// simply compiles as usual.
import { readFileSync } from 'node:fs';
import Module, { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import vm from 'node:vm';

export const BUNDLE = fileURLToPath(new URL('../dist/pmc.cjs', import.meta.url));
export const CODE_CACHE = fileURLToPath(new URL('../dist/pmc.cache', import.meta.url));

export function loadPmc({ useCache = true } = {}) {
  let cachedData;
  if (useCache) {
    try {
      cachedData = readFileSync(CODE_CACHE);
    } catch {
      // no cache: compile
    }
  }
  const script = new vm.Script(Module.wrap(readFileSync(BUNDLE, 'utf8')), { filename: BUNDLE, cachedData });
  const module = { exports: {} };
  script.runInThisContext()(module.exports, createRequire(BUNDLE), module, BUNDLE, fileURLToPath(new URL('../dist', import.meta.url)));
  return { pmc: module.exports, script };
}
