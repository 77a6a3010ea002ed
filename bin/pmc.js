#!/usr/bin/env node
// CommonJS (bin/package.json): an ES module entry would start Node's ESM loader for nothing.
const { loadPmc, processIo } = require('./load.js');

loadPmc()
  .pmc.main(process.argv.slice(2), processIo(__filename))
  .then((status) => (process.exitCode = status));
