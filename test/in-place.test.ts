// --in-place replaces the file atomically: killed at any moment, the file is either the
// original or the whole new content, never a part of either.
import { spawn } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, watch, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { pulsarFunctionManifests } from './support/pulsar-generated.mjs';
import { runPmc } from './support/run.js';

const bin = join(import.meta.dirname, '..', 'bin', 'pmc.js');
const options = '{"extraLabels": {"team": "data"}, "securityContext": {"runAsNonRoot": true, "runAsUser": 10000}}';
let dir: string;
let original: string;
let customized: string;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'pmc-inplace-'));
  // Large enough (about 5 MB) that writing it takes a while.
  original = Array.from({ length: 1200 }, (_, i) => pulsarFunctionManifests({ tenant: 'public', namespace: 'default', name: `fn-${i}` })).join('');
  const r = await runPmc(['customize', '--all', '-r', options], { stdin: original });
  expect(r.status).toBe(0);
  customized = r.stdout;
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** Runs pmc --in-place and SIGKILLs it as soon as its temporary file appears. */
function killWhenTempAppears(file: string): Promise<{ killedWithTemp: boolean }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [bin, 'customize', '--in-place', file, '--all', '-r', options], { stdio: 'ignore' });
    let killedWithTemp = false;
    const watcher = watch(dir, (_event, name) => {
      if (name && name.startsWith('.big.yaml.pmc-') && !killedWithTemp) {
        killedWithTemp = true;
        child.kill('SIGKILL');
      }
    });
    child.on('exit', () => {
      watcher.close();
      resolve({ killedWithTemp });
    });
  });
}

describe('--in-place', () => {
  it('writes the customized stream over the file and prints nothing', async () => {
    const file = join(dir, 'small.yaml');
    writeFileSync(file, original.slice(0, original.indexOf('---', 10)) + pulsarFunctionManifests({ tenant: 't', namespace: 'n', name: 'f' }));
    const before = readFileSync(file, 'utf8');
    const r = await runPmc(['customize', '--in-place', file, '--all', '-r', options]);
    expect(r.status).toBe(0);
    expect(r.stdout).toBe('');
    const after = readFileSync(file, 'utf8');
    expect(after).not.toBe(before);
    expect(after).toContain('team: data');
    expect(readdirSync(dir).filter((n) => n.includes('.pmc-'))).toEqual([]);
  });

  it('a failed run leaves the file untouched', async () => {
    const file = join(dir, 'fail.yaml');
    writeFileSync(file, original.slice(0, 20000));
    const before = readFileSync(file, 'utf8');
    const r = await runPmc(['customize', '--in-place', file, '--all', '-r', '{"securityContext": {"runAsNonRoot": "yes"}}']);
    expect(r.status).toBe(1);
    expect(readFileSync(file, 'utf8')).toBe(before);
  });

  it('killed with SIGKILL while writing, the original is intact', async () => {
    const file = join(dir, 'big.yaml');
    let caught = 0;
    for (let attempt = 0; attempt < 3; attempt++) {
      writeFileSync(file, original);
      const { killedWithTemp } = await killWhenTempAppears(file);
      const now = readFileSync(file, 'utf8');
      if (killedWithTemp) {
        caught++;
        expect(now === original).toBe(true);
      } else {
        // The run finished before the kill: then it must be the whole new content.
        expect(now === customized).toBe(true);
      }
    }
    expect(caught).toBeGreaterThan(0);
  });
});
