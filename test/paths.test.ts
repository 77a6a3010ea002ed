// Paths, one module (src/core/base/paths.ts) and one quoting rule for every place that shows
// one: messages, explain's field and option, KRM results.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { formatPath, pathFromPointer, toPointer, valueAt } from '../src/core/base/paths.js';
import { runPmc } from './support/run.js';
import { runs } from './support/runs.js';

describe('paths', () => {
  it.each([
    [['metadata', 'labels', 'team'], '', 'metadata.labels.team'],
    [['metadata', 'labels', 'app.kubernetes.io/name'], '', 'metadata.labels["app.kubernetes.io/name"]'],
    [['tolerations', 0, 'effect'], 'customRuntimeOptions', 'customRuntimeOptions.tolerations[0].effect'],
    [['limits', 'ephemeral-storage'], '', 'limits.ephemeral-storage'],
    [['a b', '0x', ''], '', '["a b"]["0x"][""]'],
  ] as const)('%j under %j is %s', (path, root, text) => {
    expect(formatPath(path, root)).toBe(text);
  });

  it('a JSON Pointer and back, escapes included', () => {
    expect(pathFromPointer('/spec/template/spec/tolerations/3/effect')).toEqual(['spec', 'template', 'spec', 'tolerations', 3, 'effect']);
    expect(toPointer(['metadata', 'annotations', 'a/b~c'])).toBe('/metadata/annotations/a~1b~0c');
    fc.assert(
      fc.property(fc.array(fc.oneof(fc.string().filter((s) => !/^\d+$/.test(s)), fc.nat())), (path) => {
        expect(pathFromPointer(toPointer(path))).toEqual(path);
      }),
      { numRuns: runs(300) },
    );
  });

  it('valueAt follows keys and indexes, undefined past the data', () => {
    const v = { a: [{ b: 1 }] };
    expect(valueAt(v, ['a', 0, 'b'])).toBe(1);
    expect(valueAt(v, ['a', 1, 'b'])).toBeUndefined();
    expect(valueAt(null, ['a'])).toBeUndefined();
  });

  it("explain writes a change's field and its option by the same rule", async () => {
    const r = await runPmc(['explain', 'fixtures/pulsar-function.yaml', '-o', 'json', '-r', '{"extraLabels": {"app.kubernetes.io/name": "x"}}']);
    const change = JSON.parse(r.stdout).changes.find((c: { path: string }) => c.path === 'metadata.labels["app.kubernetes.io/name"]');
    expect(change.option).toBe('extraLabels["app.kubernetes.io/name"]');
  });

  it('a message names an option by the same rule', async () => {
    const r = await runPmc(['customize', 'fixtures/pulsar-function.yaml', '-r', '{"extraLabels": {"app.kubernetes.io/name": 1}}']);
    expect(r.stderr).toContain('customRuntimeOptions.extraLabels["app.kubernetes.io/name"]: 1 is not a string');
  });
});
