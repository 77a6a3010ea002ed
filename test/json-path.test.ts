// kubectl's `-o json` at JSON's speed (customizeJson): the same output, byte for byte, as the
// YAML path on the same input; and wherever something must be said about the manifest (a
// repeated key, an error, a warning about a document) the YAML path takes over and says it
// with its line.
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseAllDocuments } from 'yaml';
import { describe, expect, it } from 'vitest';
import { loadSettings } from '../src/cli/inputs.js';
import type { Io } from '../src/cli/io.js';
import { customize, customizeJson } from '../src/core/customize/customize.js';
import { formatOutput } from '../src/core/customize/output.js';
import { pulsarFunctionManifests } from './support/pulsar-generated.mjs';
import { runPmc } from './support/run.js';

const root = join(import.meta.dirname, '..');
const io: Io = { stdin: '', stdout: { write: () => true }, stderr: { write: () => true }, env: {}, cwd: root };
const list = (n: number) =>
  JSON.stringify({ apiVersion: 'v1', kind: 'List', items: Array.from({ length: n }, (_, i) => parseAllDocuments(pulsarFunctionManifests({ tenant: 'public', namespace: 'default', name: `fn-${i}` })).map((d) => d.toJS()).filter(Boolean)).flat(), metadata: { resourceVersion: '' } }, null, 4);

describe('the JSON path', () => {
  it.each([
    ['a List of 20 functions', () => list(20)],
    ["kubectl's JSON of one StatefulSet (captured)", () => readFileSync(join(root, 'fixtures', 'kubectl', 'get-sts.json'), 'utf8')],
  ])('%s: the same output and changes as the YAML path', async (_name, make) => {
    // A worker that labels: nothing to warn about a live object, so the JSON path keeps the run.
    const dir = mkdtempSync(join(tmpdir(), 'pmc-json-'));
    writeFileSync(join(dir, 'w.yml'), 'runtimeCustomizerClassName: org.apache.pulsar.functions.runtime.kubernetes.BasicKubernetesManifestCustomizer\nruntimeCustomizerConfig:\n  extraLabels: {team: data}\n  nodeSelectorLabels: {pool: functions}\n');
    const { settings } = await loadSettings({ workerConfig: join(dir, 'w.yml') }, io);
    const input = { ...settings, manifest: make(), source: 'in.json' };
    const fast = customizeJson(input);
    expect(fast).toBeDefined();
    const slow = customize(input);
    expect(formatOutput(fast!, input)).toBe(formatOutput(slow, input));
    expect(fast!.changes.map((c) => [c.document, c.path.join('.'), c.after])).toEqual(slow.changes.map((c) => [c.document, c.path.join('.'), c.after]));
    expect(fast!.places).toEqual(slow.places);
  });

  it('hands over to the YAML path where something must be said about the manifest', async () => {
    const { settings } = await loadSettings({ workerConfig: 'fixtures/functions_worker.yml' }, io);
    const one = readFileSync(join(root, 'fixtures', 'kubectl', 'get-sts.json'), 'utf8');
    expect(customizeJson({ ...settings, manifest: one.replace('"kind": "StatefulSet",', '"kind": "StatefulSet", "kind": "StatefulSet",'), source: 'in.json' })).toBeUndefined();
    expect(customizeJson({ ...settings, manifest: '{"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": "x"}}', source: 'in.json' })).toBeUndefined();
    expect(customizeJson({ ...settings, manifest: 'apiVersion: v1\nkind: List\nitems: []\n', source: 'in.yaml' })).toBeUndefined();
    // Through the CLI: the repeated key is refused at its line, as before.
    const r = await runPmc(['customize', '-w', 'fixtures/functions_worker.yml'], { cwd: root, stdin: one.replace('"kind": "StatefulSet",', '"kind": "StatefulSet",\n    "kind": "StatefulSet",') });
    expect(r.status).toBe(1);
    expect(r.stderr).toMatch(/^pmc: error: <stdin>:4:5: document 1: Map keys must be unique \[PMC_YAML_SYNTAX\]/);
    // A warning about a document: the YAML path, at its line.
    const live = await runPmc(['customize', 'fixtures/kubectl/get-sts.json', '-w', 'fixtures/functions_worker.yml'], { cwd: root });
    expect(live.stderr).toMatch(/get-sts\.json:1: document 1 StatefulSet\/pf-public-default-word-count: metadata\.namespace: this is a live object/);
  });
});
