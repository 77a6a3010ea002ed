// kubectl's `-o json` at JSON's speed (customizeJson): the same output, byte for byte, as the
// YAML path on the same input; and wherever something must be said about the manifest (a
// repeated key, an error, a warning about a document) the YAML path takes over and says it
// with its line.
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseAllDocuments } from 'yaml';
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { visit } from 'jsonc-parser';
import { hasRepeatedKey } from '../src/core/base/json-source.js';
import { runs } from './support/runs.js';
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

/** The rule as a tokenizer states it: some object of the text has a key twice. */
function repeatedByTokens(text: string): boolean {
  const open: Set<string>[] = [];
  let repeated = false;
  visit(text, {
    onObjectBegin: () => void open.push(new Set()),
    onObjectEnd: () => void open.pop(),
    onObjectProperty: (key) => {
      const keys = open[open.length - 1]!;
      if (keys.has(key)) repeated = true;
      keys.add(key);
    },
  });
  return repeated;
}

describe('a repeated key in JSON (counted, not tokenized)', () => {
  // Keys that collide often, strings with quotes, backslashes and colons in them, any spacing
  // (written by JSON.stringify, so every text is JSON; \u0061 is a second spelling of "a").
  const key = fc.constantFrom('a', 'b', 'a\\', '"', 'x\\"y', ':', ' a').map((k) => JSON.stringify(k));
  const spelledKey = fc.oneof(key, fc.constant('"\\u0061"'));
  const json: fc.Arbitrary<string> = fc.letrec((tie) => ({
    value: fc.oneof({ depthSize: 'small' }, fc.constantFrom('1', 'true', 'null', ...['s:', '\\', 'a\\":', '"'].map((v) => JSON.stringify(v))), tie('object'), tie('array')),
    array: fc.array(tie('value'), { maxLength: 4 }).map((vs) => `[${vs.join(' , ')}]`),
    object: fc.array(fc.tuple(spelledKey, tie('value'), fc.constantFrom('', ' ', '\n  ')), { maxLength: 4 }).map((ps) => `{${ps.map(([k, v, sp]) => `${sp}${k}${sp}:${sp}${v}`).join(',')}}`),
  })).object as fc.Arbitrary<string>;

  it('agrees with a tokenizer on every text JSON.parse reads', () => {
    fc.assert(
      fc.property(json, (text) => {
        expect(hasRepeatedKey(text, JSON.parse(text))).toBe(repeatedByTokens(text));
      }),
      { numRuns: runs(3000) },
    );
  });

  it('finds one repeat in a List of 20 functions, at the last key', () => {
    const text = list(20);
    expect(hasRepeatedKey(text, JSON.parse(text))).toBe(false);
    const repeated = text.replace(/\n}\n?$/, ',\n    "kind": "List"\n}\n');
    expect(repeated).not.toBe(text);
    expect(hasRepeatedKey(repeated, JSON.parse(repeated))).toBe(true);
  });
});
