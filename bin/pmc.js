#!/usr/bin/env node
import { fileURLToPath } from 'node:url';
import { loadPmc } from './load.js';

const { main } = loadPmc().pmc;
const { stdin, stdout, stderr, env } = process;
const io = { stdin, stdinIsTTY: stdin.isTTY, stdout, stderr, env, cwd: process.cwd(), entry: fileURLToPath(import.meta.url) };
process.exitCode = await main(process.argv.slice(2), io);
