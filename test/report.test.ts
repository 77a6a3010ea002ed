// pmc diff and pmc explain beyond their golden files: exit statuses, colour, provenance.
import { join } from 'node:path';
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseDocument } from 'yaml';
import { main } from '../src/cli/main.js';
import { pulsarFunctionManifests } from './support/pulsar-generated.mjs';
import { runPmc } from './support/run.js';

const fn = pulsarFunctionManifests({ tenant: 'public', namespace: 'default', name: 'f' });
const fixtures = join(import.meta.dirname, '..', 'fixtures');

async function runTTY(argv: string[], env: Record<string, string> = {}) {
  let stdout = '';
  const status = await main(argv, {
    stdin: fn,
    stdout: { write: (s: string) => (stdout += s), isTTY: true },
    stderr: { write: () => undefined },
    env,
    cwd: process.cwd(),
  });
  return { status, stdout };
}

describe('pmc diff', () => {
  it('exits 0 with nothing on stdout when nothing changes', async () => {
    const r = await runPmc(['diff', '--customizer', 'basic'], { stdin: fn });
    expect(r.status).toBe(0);
    expect(r.stdout).toBe('');
  });

  it('exits 3 when something changes, with one diff per changed document', async () => {
    const r = await runPmc(['diff', '-r', '{"extraLabels": {"team": "data"}}'], { stdin: fn });
    expect(r.status).toBe(3);
    expect(r.stdout.match(/^--- a\//gm)).toHaveLength(2);
    expect(r.stdout).toContain('+    team: data\n');
  });

  it('is coloured on a terminal, plain under NO_COLOR', async () => {
    const args = ['diff', '-r', '{"extraLabels": {"team": "data"}}'];
    const coloured = await runTTY(args, { FORCE_COLOR: '1' });
    expect(coloured.stdout).toContain('\u001b[32m+    team: data\u001b[39m');
    const plain = await runTTY(args, { NO_COLOR: '1' });
    expect(plain.stdout).not.toContain('\u001b[');
    expect(plain.stdout).toContain('+    team: data');
  });

  it('--check-pss fails the diff like customize', async () => {
    const r = await runPmc(['diff', '-r', '{"extraLabels": {"team": "data"}}', '--check-pss', 'restricted'], { stdin: fn });
    expect(r.status).toBe(1);
    expect(r.stdout).toBe('');
    expect(r.stderr).toContain('violates PodSecurity "restricted:latest"');
  });
});

describe('pmc explain', () => {
  it("names a preset as the source of the fields it set", async () => {
    const r = await runPmc(['explain', '-w', join(import.meta.dirname, 'support', 'preset-worker.yml'), '-r', '{"securityContext": {"runAsUser": 2000}}', '-o', 'json'], { stdin: fn });
    const rows = JSON.parse(r.stdout).changes as { path: string; source: string }[];
    const source = (p: string) => rows.find((c) => c.path === p)?.source;
    expect(source('spec.template.spec.securityContext.runAsUser')).toBe('worker (preset restricted), overridden by function');
    expect(source('spec.template.spec.securityContext.seccompProfile')).toBe('worker (preset restricted)');
    expect(source('spec.template.spec.containers[0].securityContext.capabilities')).toBe('worker (preset restricted)');
  });

  it('says which tolerations came from the worker and which from the function', async () => {
    const worker = join(fixtures, 'functions_worker.yml');
    const r = await runPmc(['explain', '-w', worker, '-r', '{"tolerations": [{"key": "gpu", "operator": "Exists"}]}', '-o', 'json'], { stdin: fn });
    const tol = (JSON.parse(r.stdout).changes as { path: string; source: string }[]).filter((c) => c.path.includes('tolerations'));
    expect(tol.map((t) => [t.path, t.source])).toEqual([
      ['spec.template.spec.tolerations[3]', 'worker'],
      ['spec.template.spec.tolerations[4]', 'function'],
    ]);
  });
});

describe('pmc krm --check-pss', () => {
  it('a violation becomes an error result', async () => {
    const r = await runPmc(['krm', '--check-pss', 'restricted'], { stdin: readFileSync(join(fixtures, 'krm', 'resource-list.yaml'), 'utf8') });
    expect(r.status).toBe(1);
    const results = parseDocument(r.stdout).toJS().results;
    expect(results).toEqual([
      expect.objectContaining({ severity: 'error', resourceRef: expect.objectContaining({ kind: 'StatefulSet' }), field: { path: 'spec.template.spec' } }),
    ]);
    expect(results[0].message).toContain('violates PodSecurity "restricted:latest"');
  });
});
