#!/usr/bin/env node
import { main } from '../dist/cli/main.js';

const io = {
  stdin: process.stdin,
  stdinIsTTY: process.stdin.isTTY,
  stdout: process.stdout,
  stderr: process.stderr,
  env: process.env,
  cwd: process.cwd(),
};
process.exitCode = await main(process.argv.slice(2), io);
