#!/usr/bin/env node
// CommonJS (bin/package.json): an ES module entry would start Node's ESM loader for nothing.
require('./load.js').run(process.argv.slice(2), __filename);
