#!/usr/bin/env node
// `pmc krm` for orchestrators that run a path with no arguments (kustomize exec functions).
const path = require('node:path');
const { loadPmc, processIo } = require('./load.js');

loadPmc()
  .pmc.main(['krm', ...process.argv.slice(2)], processIo(path.join(__dirname, 'pmc.js')))
  .then((status) => (process.exitCode = status));
