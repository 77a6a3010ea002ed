#!/usr/bin/env node
// `pmc krm` for orchestrators that run a path with no arguments (kustomize exec functions).
const path = require('node:path');

require('./load.js').run(['krm', ...process.argv.slice(2)], path.join(__dirname, 'pmc.js'));
