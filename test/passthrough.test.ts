import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseChunk, splitDocuments } from '../src/core/base/stream.js';
import { printChunk, styleOf } from '../src/core/base/print.js';
import { parseDocument } from 'yaml';
import { runPmc } from './support/run.js';

const fixture = readFileSync(join(import.meta.dirname, '..', 'fixtures', 'pulsar-function.yaml'), 'utf8');

describe('what the customization does not touch keeps its bytes', () => {
  it('no options at all: the input comes back byte for byte', async () => {
    const r = await runPmc(['customize', '--customizer', 'basic'], { stdin: fixture });
    expect(r.status).toBe(0);
    expect(r.stdout).toBe(fixture);
  });

  it('an edited document keeps its comments, key order and quoting', async () => {
    const input = `# leading comment
apiVersion: apps/v1
kind: StatefulSet
metadata:
  name: fn   # trailing comment
  labels: {component: function, tenant: t, namespace: n, name: fn}
  annotations:
    keep: 'single quoted'
spec:
  serviceName: fn
  selector:
    matchLabels: {component: function}
  template:
    metadata:
      labels:
        component: function
    spec:
      # the instance
      containers:
        - name: pulsarfunction
          image: "apachepulsar/pulsar:3.3.9"
          args: ["a", 'b']
`;
    const r = await runPmc(['customize', '-r', '{"extraAnnotations": {"added": "yes"}}'], { stdin: input });
    expect(r.status).toBe(0);
    expect(r.stdout).toContain('# leading comment\n');
    expect(r.stdout).toContain('name: fn # trailing comment');
    // Flow collections keep the source's spacing, here none inside the braces.
    expect(r.stdout).toContain('  labels: {component: function, tenant: t, namespace: n, name: fn}\n');
    expect(r.stdout).toContain('args: ["a", \'b\']');
    expect(r.stdout).toContain("keep: 'single quoted'\n    added: yes\n");
    expect(r.stdout).toContain('image: "apachepulsar/pulsar:3.3.9"');
    expect(r.stdout).toContain('# the instance\n      containers:\n        - name: pulsarfunction');
    const order = [...r.stdout.matchAll(/^(\w+):/gm)].map((m) => m[1]);
    expect(order).toEqual(['apiVersion', 'kind', 'metadata', 'spec']);
  });

  it.each([
    ['no blank line before it', '\n# end of the stream\n# second line\n'],
    ['a blank line before it', '\n\n# end of the stream\n'],
    ['CRLF, no blank line', '\r\n# end of the stream\r\n'],
  ])("the stream's trailing comment after an edited document is kept as written: %s", async (_name, tail) => {
    const crlf = tail.includes('\r');
    const body = fixture.trimEnd();
    const input = (crlf ? body.replace(/\n/g, '\r\n') : body) + tail;
    const r = await runPmc(['customize', '-r', '{"extraAnnotations": {"added": "yes"}}'], { stdin: input });
    expect(r.status).toBe(0);
    expect(r.stdout).toContain('added: yes');
    expect(r.stdout.endsWith(tail)).toBe(true);
    const blankBefore = r.stdout.slice(0, r.stdout.length - tail.length).endsWith(crlf ? '\r\n' : '\n');
    expect(blankBefore).toBe(false);
  });

  it('an edited document keeps its explicit tags and %TAG directives', async () => {
    const input = `%TAG !k8s! tag:example.com,2026:
---
apiVersion: apps/v1
kind: StatefulSet
metadata:
  name: fn
  labels: {component: function, tenant: t, namespace: n, name: fn}
  annotations:
    port: !!str 9094
    owner: !k8s!team data
spec:
  serviceName: fn
  selector:
    matchLabels: {component: function}
  template:
    metadata:
      labels: {component: function}
    spec:
      containers:
      - name: pulsarfunction
        image: x
`;
    const r = await runPmc(['customize', '-r', '{"extraAnnotations": {"added": "yes"}}'], { stdin: input });
    expect(r.status).toBe(0);
    expect(r.stdout.startsWith('%TAG !k8s! tag:example.com,2026:\n---\n')).toBe(true);
    // yaml quotes a tagged plain scalar that would read as a number untagged; same value.
    expect(r.stdout).toContain('    port: !!str "9094"\n    owner: !k8s!team data\n    added: yes\n');
  });

  it('a document without tags prints as yaml prints it, without the walk for tags', () => {
    // printChunk skips yaml's tag walk when the source has no `!`: same output.
    for (const chunk of splitDocuments(fixture)) {
      const parsed = parseChunk(chunk, 'fixture');
      parsed.doc.setIn(['metadata', 'labels', 'added'], 'yes');
      const yamlOwn = parsed.doc.toString(styleOf(chunk.text)).replace(/\n+$/, '') + chunk.text.slice(chunk.text.trimEnd().length);
      expect(printChunk(parsed)).toBe(yamlOwn);
      expect(parsed.doc.directives?.tags).toEqual({ '!!': 'tag:yaml.org,2002:' });
    }
  });

  it('documents that are not Pulsar workloads pass through as text, in order', async () => {
    const other = "---\n# not ours\napiVersion: v1\nkind: ConfigMap\nmetadata: {name: cm}\ndata:\n  x: '1'\n";
    const input = other + fixture + other.replace('cm', 'cm2');
    const r = await runPmc(['customize', '-r', '{"extraLabels": {"a": "b"}}'], { stdin: input });
    expect(r.status).toBe(0);
    expect(r.stdout.startsWith(other)).toBe(true);
    expect(r.stdout.endsWith(other.replace('cm', 'cm2'))).toBe(true);
    expect(r.stdout).toContain('    a: b\n');
  });

  it('a stream without a Pulsar StatefulSet is unchanged, with a warning', async () => {
    const input = 'apiVersion: apps/v1\nkind: StatefulSet\nmetadata:\n  name: postgres\nspec:\n  template:\n    spec:\n      containers: [{name: db}]\n';
    const r = await runPmc(['customize', '-r', '{"extraLabels": {"a": "b"}}'], { stdin: input });
    expect(r.status).toBe(0);
    expect(r.stdout).toBe(input);
    expect(r.stderr).toMatch(/no Pulsar function StatefulSet.*\[PMC_NO_WORKLOAD\]/);
  });
});

describe('splitDocuments', () => {
  it('cuts at --- and ... lines only, keeping every byte', () => {
    const text = 'a: 1\n---\nb: "---"\n...\n# between\n--- \nc: |\n  ---x\n';
    const chunks = splitDocuments(text);
    expect(chunks.map((c) => c.text).join('')).toBe(text);
    expect(chunks.map((c) => c.line)).toEqual([1, 2, 5, 6]);
    expect(chunks).toHaveLength(4);
  });

  it.each([
    [
      'directives to the document whose --- follows them, wherever they stand',
      '%YAML 1.2\n---\na: 1\n...\n%TAG !e! tag:example.com,2026:\n---\nb: !e!x 2\n',
      [
        [0, 1, '%YAML 1.2\n---\na: 1\n...\n'],
        [1, 5, '%TAG !e! tag:example.com,2026:\n---\nb: !e!x 2\n'],
      ],
    ],
    [
      'comments before the first --- to the document that follows',
      '# about this file\n\n---\na: 1\n---\nb: 2\n',
      [
        [0, 1, '# about this file\n\n---\na: 1\n'],
        [1, 5, '---\nb: 2\n'],
      ],
    ],
  ])('joins %s', (_what, text, expected) => {
    expect(splitDocuments(text).map((c) => [c.index, c.line, c.text])).toEqual(expected);
  });
});

describe('styleOf', () => {
  it.each([
    ['a:\n  b:\n  - x\n', { indent: 2, indentSeq: false }],
    ['a:\n    b:\n        - x\n', { indent: 4, indentSeq: true }],
    ['a:\n  - b: 1\n    c:\n      d: 2\n', { indent: 2, indentSeq: true }],
    ['a: {b: 1}\nc: [d, e]\n', { flowCollectionPadding: false }],
    ['a: { b: 1 }\nc: [ d, e ]\n', { flowCollectionPadding: true }],
    ['a: {}\nb:\n  - c: [x]\n', { flowCollectionPadding: false }],
    ['a: "{ not: flow }"\nb: 1\n', { flowCollectionPadding: true }],
  ])('reads the layout of %j', (text, expected) => {
    expect(styleOf(text)).toMatchObject(expected);
    expect(parseDocument(text).toString(styleOf(text))).toBe(text);
  });
});
