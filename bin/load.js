// Loads pmc's bundle with the V8 code cache the build made, so a start skips compiling
// what the warm-up run compiled. A cache from another Node is rejected by V8 and pmc
// simply compiles as usual.
const { readFileSync } = require('node:fs');
const Module = require('node:module');
const path = require('node:path');
const vm = require('node:vm');

const DIST = path.join(__dirname, '..', 'dist');
const BUNDLE = path.join(DIST, 'pmc.cjs');
const CODE_CACHE = path.join(DIST, 'pmc.cache');

function loadPmc({ useCache = true } = {}) {
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
  script.runInThisContext()(module.exports, Module.createRequire(BUNDLE), module, BUNDLE, DIST);
  return { pmc: module.exports, script };
}

module.exports = { loadPmc, BUNDLE, CODE_CACHE };
