// The external tools of tools.json: which are missing, for .ci/run (node test/support/tools.mjs
// [--files]) and the tests; and the test files the quick tier leaves out.
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
export const TOOLS = JSON.parse(readFileSync(join(here, 'tools.json'), 'utf8'));

const expand = (p) => p.replace(/^~(?=\/)/, homedir());

/** Whether one entry is there: its command runs, or its file exists. */
export function present(tool) {
  if (tool.file) return existsSync(expand(tool.file));
  const r = spawnSync(tool.command[0], tool.command.slice(1), { stdio: 'ignore' });
  return (!r.error && r.status === 0) || (tool.orFile !== undefined && existsSync(tool.orFile));
}

/** The entries missing; `kind` picks the commands or the files (fetched by .ci/run in between). */
export function missing(kind = 'all') {
  return TOOLS.tools.filter((t) => (kind === 'all' || (kind === 'files') === !!t.file) && !present(t));
}

/** The sentence that names a missing tool, what needs it and how to go on without it. */
export function missingMessage(tool) {
  const how = tool.fetch ? `fetch it with: ${tool.fetch}` : 'install it';
  return `${tool.name} is missing: ${tool.why} (test/${tool.tests.join('.test.ts, test/')}.test.ts); ${how}, or run npm run test:quick, which needs no external tool`;
}

/** The test files the quick tier leaves out: every file a tool or a process is named for. */
export function fullTierFiles() {
  const names = new Set([...TOOLS.tools.flatMap((t) => t.tests), ...TOOLS.processes.tests]);
  return [...names].sort().map((n) => `test/${n}.test.ts`);
}

/** For a test file: throws naming the tool when one it needs is missing. */
export function requireTools(...names) {
  for (const name of names) {
    const tool = TOOLS.tools.find((t) => t.name === name);
    if (!tool) throw new Error(`tools.json names no tool ${name}`);
    if (!present(tool)) throw new Error(missingMessage(tool));
  }
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const kind = process.argv.includes('--files') ? 'files' : process.argv.includes('--commands') ? 'commands' : 'all';
  const gone = missing(kind);
  for (const t of gone) console.error(`ci: ${missingMessage(t)}`);
  process.exit(gone.length ? 1 : 0);
}
