// --in-place replaces the file atomically: whichever step fails (or the process dies at), the
// file is either the original or the whole new content, never a part of either. Each step of
// the writer is failed in turn by injection; one run as a process checks the whole path.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import * as fs from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { pulsarFunctionManifests } from './support/pulsar-generated.mjs';
import { runPmc } from './support/run.js';
import { PmcError } from '../src/core/base/diagnostics.js';
import { replaceFileAtomically, type WriteFs } from '../src/cli/write.js';

const bin = join(import.meta.dirname, '..', 'bin', 'pmc.js');
const options = '{"extraLabels": {"team": "data"}, "securityContext": {"runAsNonRoot": true, "runAsUser": 10000}}';
let dir: string;
// A few functions' worth of manifests.
const original = Array.from({ length: 8 }, (_, i) => pulsarFunctionManifests({ tenant: 'public', namespace: 'default', name: `fn-${i}` })).join('');

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'pmc-inplace-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

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

  it('run as a process on a file, replaces it with exactly what stdout would have had', async () => {
    const file = join(dir, 'process.yaml');
    const small = pulsarFunctionManifests({ tenant: 't', namespace: 'n', name: 'p' });
    writeFileSync(file, small);
    const expected = (await runPmc(['customize', '--all', '-r', options], { stdin: small })).stdout;
    const r = spawnSync(process.execPath, [bin, 'customize', '--in-place', file, '--all', '-r', options], { encoding: 'utf8' });
    expect([r.status, r.stdout, r.stderr]).toEqual([0, '', '']);
    expect(readFileSync(file, 'utf8')).toBe(expected);
  });
});

describe('the atomic replacement, each of its steps failing', () => {
  /** The real file system, with `step` throwing (the file handle's writeFile, sync and close included). */
  function failing(step: string): WriteFs {
    const boom = async () => {
      throw Object.assign(new Error(`${step}: injected failure`), { code: 'EIO' });
    };
    const handleSteps = new Set(['writeFile', 'sync', 'close']);
    return {
      ...fs,
      ...(handleSteps.has(step) || step === 'open' ? {} : { [step]: boom }),
      open: (async (...args: Parameters<typeof fs.open>) => {
        if (step === 'open') return boom();
        const handle = await fs.open(...args);
        if (!handleSteps.has(step)) return handle;
        return new Proxy(handle, {
          get: (target, key) => {
            if (key === step) {
              // The real close still runs, so that nothing is left open.
              return async () => {
                if (step === 'close') await target.close();
                return boom();
              };
            }
            const v = Reflect.get(target, key);
            return typeof v === 'function' ? v.bind(target) : v;
          },
        });
      }) as WriteFs['open'],
    } as WriteFs;
  }

  it.each(['stat', 'open', 'writeFile', 'sync', 'close', 'chmod', 'rename'])('%s fails: the original is intact, no temporary file is left, the error names the file', async (step) => {
    const file = join(dir, `fault-${step}.yaml`);
    writeFileSync(file, 'original\n');
    const err = await replaceFileAtomically(file, 'new content\n', failing(step)).catch((e) => e);
    expect(err).toBeInstanceOf(PmcError);
    expect(err.code).toBe('PMC_WRITE');
    expect(err.message).toBe(`cannot replace the file: ${step}: injected failure`);
    expect(err.location.source).toBe(file);
    expect(readFileSync(file, 'utf8')).toBe('original\n');
    expect(readdirSync(dir).filter((n) => n.startsWith(`.fault-${step}.yaml.pmc-`))).toEqual([]);
  });

  it('with no step failing, the file has the whole new content and keeps its mode', async () => {
    const file = join(dir, 'fault-none.yaml');
    writeFileSync(file, 'original\n', { mode: 0o640 });
    await replaceFileAtomically(file, 'new content\n', failing('none'));
    expect(readFileSync(file, 'utf8')).toBe('new content\n');
    expect(statSync(file).mode & 0o777).toBe(0o640);
  });
});
