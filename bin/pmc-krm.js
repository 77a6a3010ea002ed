#!/usr/bin/env node
// `pmc krm` for orchestrators that run a path with no arguments (kustomize exec functions).
const path = require('node:path');
const { main } = require('./load.js').loadPmc().pmc;

const { stdin, stdout, stderr, env } = process;
const io = { stdin, stdinIsTTY: stdin.isTTY, stdout, stderr, env, cwd: process.cwd(), entry: path.join(__dirname, 'pmc.js') };
main(['krm', ...process.argv.slice(2)], io).then((status) => (process.exitCode = status));
