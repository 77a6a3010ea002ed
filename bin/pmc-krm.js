#!/usr/bin/env node
// `pmc krm` for orchestrators that run a path with no arguments (kustomize exec functions).
import { fileURLToPath } from 'node:url';
import { loadPmc } from './load.js';

const { main } = loadPmc().pmc;
const { stdin, stdout, stderr, env } = process;
const io = { stdin, stdinIsTTY: stdin.isTTY, stdout, stderr, env, cwd: process.cwd(), entry: fileURLToPath(new URL('pmc.js', import.meta.url)) };
process.exitCode = await main(['krm', ...process.argv.slice(2)], io);
