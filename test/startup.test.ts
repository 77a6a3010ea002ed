// Regression guards for speed that are not timed: what start-up loads, and that documents
// which are not Pulsar's are never parsed.
import { spawnSync } from 'node:child_process';
import { readFileSync, writeFileSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { splitDocuments, mayHoldKind } from '../src/core/base/stream.js';
import { pulsarFunctionManifests } from './support/pulsar-generated.mjs';
import { runPmc } from './support/run.js';

const root = join(import.meta.dirname, '..');
const fn = pulsarFunctionManifests({ tenant: 'public', namespace: 'default', name: 'f' });

describe('pass-through documents are copied as text, never parsed', () => {
  it('a document that is not Pulsar\'s passes through even when it is not valid YAML', async () => {
    // Were it parsed, this would be a syntax error (exit 1).
    const notYaml = '---\napiVersion: v1\nkind: ConfigMap\nmetadata: {name: broken\ndata: [unclosed\n';
    const r = await runPmc(['customize', '-r', '{"extraLabels": {"team": "data"}}'], { stdin: notYaml + fn + notYaml });
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    expect(r.stdout.startsWith(notYaml)).toBe(true);
    expect(r.stdout.endsWith(notYaml)).toBe(true);
    expect(r.stdout).toContain('team: data');
  });

  it('only documents that name a StatefulSet or a Service are candidates', () => {
    const chunks = splitDocuments(`---\nkind: ConfigMap\n---\nkind: Deployment\n${fn}`);
    expect(chunks.map((c) => mayHoldKind(c, ['StatefulSet', 'Service']))).toEqual([false, false, true, true]);
  });
});

describe('the bundle: what start-up loads', () => {
  const meta = JSON.parse(readFileSync(join(root, 'dist', 'meta.json'), 'utf8')) as {
    inputs: Record<string, { imports: { path: string; kind: string; external?: boolean }[] }>;
  };

  /** Every input reachable from the entry without a dynamic import(). */
  function staticallyLoaded(): Set<string> {
    const seen = new Set<string>();
    const visit = (p: string) => {
      if (seen.has(p) || !meta.inputs[p]) return;
      seen.add(p);
      for (const i of meta.inputs[p].imports) if (i.kind !== 'dynamic-import' && !i.external) visit(i.path);
    };
    visit('src/cli/main.ts');
    return seen;
  }

  it('loads validators, colours, diffs and the other commands only when used', () => {
    const loaded = [...staticallyLoaded()];
    expect(loaded.length).toBeGreaterThan(20); // the walk did find the program
    for (const lazy of ['node_modules/kubernetes-models/', 'node_modules/@kubernetes-models/', 'node_modules/chalk/', 'node_modules/diff/', 'node_modules/ajv-i18n/', 'node_modules/ajv-formats/', 'src/core/customize/report.ts', 'src/core/faces/', 'src/core/app/render.ts', 'src/core/render/render.ts', 'src/cli/kustomize-plugin.ts', 'src/cli/webhook/', 'src/cli/write.ts']) {
      expect(loaded.filter((p) => p.startsWith(lazy))).toEqual([]);
    }
  });

  it('never bundles the full format set of @kubernetes-models/validate', () => {
    const all = Object.keys(meta.inputs);
    expect(all.filter((p) => /ajv-formats-draft2019|uri-js|smtp-address-parser|node_modules\/@kubernetes-models\/validate\//.test(p))).toEqual([]);
    expect(all).toContain('src/cli/k8s-formats.ts');
  });

  const dir = mkdtempSync(join(tmpdir(), 'pmc-startup-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  function builtinsLoaded(args: string[]): string[] {
    const hook = join(dir, 'modules.cjs');
    const out = join(dir, 'modules.json');
    writeFileSync(hook, `process.on('exit', () => require('fs').writeFileSync(${JSON.stringify(out)}, JSON.stringify({ builtins: process.moduleLoadList, files: Object.keys(require.cache) })));`);
    const r = spawnSync(process.execPath, ['-r', hook, join(root, 'bin', 'pmc.js'), ...args], { cwd: root, encoding: 'utf8' });
    expect(r.status).toBe(0);
    const { builtins, files } = JSON.parse(readFileSync(out, 'utf8'));
    // The only user-land files Node's module loader reads are the entry and its loader.
    expect(files.filter((f: string) => f !== hook).map((f: string) => f.slice(root.length))).toEqual(['/bin/pmc.js', '/bin/load.js']);
    return builtins;
  }

  it('a customize run loads no built-in it does not use', () => {
    const builtins = builtinsLoaded(['customize', 'fixtures/pulsar-function.yaml', '-r', '{"extraLabels": {"a": "b"}}', '--no-validate']);
    // stdout is written with fs.writeSync: no stream, socket or tty for it.
    for (const unused of ['NativeModule child_process', 'NativeModule crypto', 'NativeModule fs/promises', 'NativeModule http', 'NativeModule https', 'NativeModule zlib', 'NativeModule worker_threads', 'NativeModule stream', 'NativeModule net', 'NativeModule tty', 'NativeModule internal/fs/sync_write_stream']) {
      expect(builtins).not.toContain(unused);
    }
  });

  it('crypto loads when a jobName needs its hash', () => {
    const builtins = builtinsLoaded(['customize', 'fixtures/pulsar-function.yaml', '-r', '{"jobName": "x"}', '--no-validate']);
    expect(builtins).toContain('NativeModule crypto');
  });
});
