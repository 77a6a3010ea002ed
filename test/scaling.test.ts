// No quadratic path on cluster-sized inputs: `kubectl get sts,svc -o yaml|json` is one
// `kind: List`, and a List of n items must cost about n times one item. The cost is counted,
// not timed (these machines are shared): the characters that string-wide operations scan
// (replace, indexOf up to what it finds, search, match, split, includes) and every charCodeAt, summed while
// pmc customizes a List (YAML and JSON) and a multi-document stream of n and 4n functions.
import { parseAllDocuments, stringify } from 'yaml';
import { describe, expect, it } from 'vitest';
import { loadSettings } from '../src/cli/inputs.js';
import type { Io } from '../src/cli/io.js';
import { customize } from '../src/core/customize/customize.js';
import { pulsarFunctionManifests } from './support/pulsar-generated.mjs';
import { join } from 'node:path';

const root = join(import.meta.dirname, '..');

function items(n: number): object[] {
  const out: object[] = [];
  for (let i = 0; i < n; i++) out.push(...parseAllDocuments(pulsarFunctionManifests({ tenant: 'public', namespace: 'default', name: `fn-${i}` })).map((d) => d.toJS()).filter(Boolean));
  return out;
}

const inputs: Record<string, (n: number) => string> = {
  'YAML kind: List': (n) => stringify({ apiVersion: 'v1', kind: 'List', items: items(n), metadata: { resourceVersion: '' } }),
  'JSON kind: List': (n) => JSON.stringify({ apiVersion: 'v1', kind: 'List', items: items(n), metadata: { resourceVersion: '' } }, null, 4),
  'multi-document stream': (n) => Array.from({ length: n }, (_, i) => pulsarFunctionManifests({ tenant: 'public', namespace: 'default', name: `fn-${i}` })).join(''),
};

/** The characters string-wide operations scan while `run` runs. */
function counted(run: () => void): number {
  let scanned = 0;
  const proto = String.prototype as unknown as Record<string, (...a: unknown[]) => unknown>;
  // slice and substring are left out: V8 makes a long substring in constant time, without a copy.
  const wide = ['replace', 'replaceAll', 'indexOf', 'lastIndexOf', 'search', 'match', 'matchAll', 'split', 'includes', 'startsWith', 'endsWith'];
  const saved = Object.fromEntries([...wide, 'charCodeAt'].map((m) => [m, proto[m]!]));
  for (const m of wide) {
    proto[m] = function (this: string, ...args: unknown[]) {
      const from = m === 'indexOf' || m === 'includes' ? Number(args[1] ?? 0) : 0;
      const result = saved[m]!.apply(this, args);
      // indexOf stops where it finds: it scanned up to there.
      const until = m === 'indexOf' && typeof result === 'number' && result >= 0 ? result + String(args[0]).length : this.length;
      scanned += Math.max(0, until - from);
      return result;
    };
  }
  proto.charCodeAt = function (this: string, ...args: unknown[]) {
    scanned++;
    return saved.charCodeAt!.apply(this, args);
  };
  try {
    run();
  } finally {
    Object.assign(proto, saved);
  }
  return scanned;
}

describe('cost per item does not grow with the count', () => {
  const io: Io = { stdin: '', stdout: { write: () => true }, stderr: { write: () => true }, env: {}, cwd: root };
  it.each(Object.keys(inputs))('%s: 4 times the functions scan at most 5 times the characters', async (name) => {
    const { settings } = await loadSettings({ workerConfig: 'fixtures/functions_worker.yml' }, io);
    const cost = (n: number) => {
      const manifest = inputs[name]!(n);
      const result = customize({ ...settings, manifest, source: 'in' });
      expect(result.workloads).toBe(n);
      return counted(() => customize({ ...settings, manifest, source: 'in' }));
    };
    const small = cost(60);
    const large = cost(240);
    expect(large / small).toBeLessThan(5);
  }, 120_000);
});
