#!/usr/bin/env node
// `pmc krm` for orchestrators that run a path with no arguments (kustomize exec functions).
import { main } from '../dist/cli/main.js';

const io = { stdin: process.stdin, stdinIsTTY: process.stdin.isTTY, stdout: process.stdout, stderr: process.stderr, env: process.env, cwd: process.cwd() };
process.exitCode = await main(['krm', ...process.argv.slice(2)], io);
