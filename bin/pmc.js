#!/usr/bin/env node
// CommonJS (bin/package.json): an ES module entry would start Node's ESM loader for nothing.
const { main } = require('./load.js').loadPmc().pmc;

const { stdin, stdout, stderr, env } = process;
const io = { stdin, stdinIsTTY: stdin.isTTY, stdout, stderr, env, cwd: process.cwd(), entry: __filename };
main(process.argv.slice(2), io).then((status) => (process.exitCode = status));
