// .ci/run checks the external tools test/support/tools.json lists before anything else, and
// fails naming the one that is missing (PMC_CI_CHECK_ONLY=1: the check alone, no install).
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync } from 'node:fs';
import { homedir, tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { TOOLS, fullTierFiles } from './support/tools.mjs';

const root = join(import.meta.dirname, '..');
const work = mkdtempSync(join(tmpdir(), 'pmc-ci-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

/** A PATH of one folder holding every command this PATH has, but `without`. */
function pathWithout(without: string): string {
  const bin = join(work, `bin-without-${without}`);
  mkdirSync(bin);
  for (const dir of (process.env.PATH ?? '').split(delimiter)) {
    if (!existsSync(dir)) continue;
    for (const name of readdirSync(dir)) {
      if (name === without || existsSync(join(bin, name))) continue;
      symlinkSync(join(dir, name), join(bin, name));
    }
  }
  return bin;
}

function checkOnly(env: Record<string, string>) {
  return spawnSync('bash', [join(root, '.ci', 'run')], {
    encoding: 'utf8',
    env: { ...process.env, PYENV_ROOT: process.env.PYENV_ROOT ?? join(homedir(), '.pyenv'), PMC_CI_CHECK_ONLY: '1', ...env },
  });
}

describe('.ci/run names the missing tool', () => {
  it('with every tool here, it passes the check', () => {
    const r = checkOnly({});
    expect(r.stderr).toBe('');
    expect(r.stdout).toContain('ci: every tool test/support/tools.json names is here');
    expect(r.status).toBe(0);
  }, 30_000);

  it.each(['kpt', 'python3', 'mvn'])('without %s, it fails naming it and what needs it', (tool) => {
    const r = checkOnly({ PATH: pathWithout(tool) });
    const entry = TOOLS.tools.find((t: { name: string }) => t.name === tool);
    expect(r.status).toBe(1);
    expect(r.stderr).toContain(`ci: ${tool} is missing: ${entry.why}`);
    expect(r.stderr).toContain('or run npm run test:quick');
  }, 30_000);

  it('without the Gson jar in the Maven repository, it fails naming it and how to fetch it', () => {
    const home = join(work, 'empty-home');
    mkdirSync(home);
    const r = checkOnly({ HOME: home });
    expect(r.status).toBe(1);
    expect(r.stderr).toContain('ci: gson 2.13.2 is missing: the Gson jar test/gson.test.ts reads customRuntimeOptions with (test/gson.test.ts); fetch it with: mvn -B -q dependency:get -Dartifact=com.google.code.gson:gson:2.13.2');
  }, 30_000);
});

describe('the two tiers', () => {
  const files = readdirSync(join(root, 'test')).filter((f) => f.endsWith('.test.ts'));
  const full = new Set(fullTierFiles());

  it('every file tools.json names exists', () => {
    expect([...full].filter((f) => !files.includes(f.slice('test/'.length)))).toEqual([]);
  });

  it("the quick tier's files start no process", () => {
    const quick = files.filter((f) => !full.has(`test/${f}`));
    expect(quick.length).toBeGreaterThan(10);
    expect(quick.filter((f) => /node:child_process|node:https/.test(readFileSync(join(root, 'test', f), 'utf8')))).toEqual([]);
  });
});
