import { describe, expect, it } from 'vitest';
import { mergeRuntimeOpts } from '../src/core/customize/resolve.js';
import type { RuntimeOpts } from '../src/core/options/registry.js';

describe('mergeRuntimeOpts (pulsar-semantics.md section 3)', () => {
  it('jobName and jobNamespace: the function wins when non-empty, else the worker', () => {
    const worker = { jobName: 'w', jobNamespace: 'wns' };
    expect(mergeRuntimeOpts(worker, { jobName: 'f', jobNamespace: 'fns' })).toMatchObject({ jobName: 'f', jobNamespace: 'fns' });
    expect(mergeRuntimeOpts(worker, { jobName: '', jobNamespace: '' })).toMatchObject({ jobName: 'w', jobNamespace: 'wns' });
    expect(mergeRuntimeOpts(worker, {})).toMatchObject({ jobName: 'w', jobNamespace: 'wns' });
    expect(mergeRuntimeOpts({}, {}).jobName).toBeUndefined();
  });

  it.each(['extraLabels', 'extraAnnotations', 'nodeSelectorLabels'] as const)('%s: union, the function wins per key', (field) => {
    const merged = mergeRuntimeOpts({ [field]: { a: 'worker', b: 'worker' } }, { [field]: { b: 'function', c: 'function' } });
    expect(merged[field]).toEqual({ a: 'worker', b: 'function', c: 'function' });
  });

  it('tolerations: the worker list, then the function list, with no de-duplication', () => {
    const t = { key: 'dedicated', operator: 'Equal', value: 'pulsar', effect: 'NoSchedule' };
    const merged = mergeRuntimeOpts({ tolerations: [t] }, { tolerations: [t, { key: 'gpu', operator: 'Exists' }] });
    expect(merged.tolerations).toEqual([t, t, { key: 'gpu', operator: 'Exists' }]);
  });

  it('resourceRequirements: the function overrides cpu and memory only, per key', () => {
    const worker: RuntimeOpts = {
      resourceRequirements: { limits: { cpu: '2', memory: '4Gi', 'ephemeral-storage': '1Gi' }, requests: { cpu: '1' } },
    };
    const fn: RuntimeOpts = {
      resourceRequirements: { limits: { memory: '8Gi', 'nvidia.com/gpu': '1' }, requests: { memory: '2Gi' } },
    };
    expect(mergeRuntimeOpts(worker, fn).resourceRequirements).toEqual({
      limits: { cpu: '2', memory: '8Gi', 'ephemeral-storage': '1Gi' },
      requests: { cpu: '1', memory: '2Gi' },
    });
  });

  it('never writes into the worker options (Pulsar leaks the override into later functions)', () => {
    const worker: RuntimeOpts = {
      extraLabels: { a: '1' },
      tolerations: [{ key: 'k' }],
      resourceRequirements: { limits: { cpu: '1', memory: '1Gi' } },
      securityContext: { runAsUser: 1000, dropCapabilities: ['ALL'] },
    };
    const snapshot = structuredClone(worker);
    const first = mergeRuntimeOpts(worker, {
      extraLabels: { b: '2' },
      tolerations: [{ key: 'x' }],
      resourceRequirements: { limits: { cpu: '4', memory: '16Gi' } },
      securityContext: { runAsUser: 2000, dropCapabilities: ['NET_RAW'] },
    });
    expect(first.resourceRequirements?.limits).toEqual({ cpu: '4', memory: '16Gi' });
    expect(worker).toEqual(snapshot);
    const second = mergeRuntimeOpts(worker, {});
    expect(second.resourceRequirements?.limits).toEqual({ cpu: '1', memory: '1Gi' });
    expect(second.securityContext).toEqual({ runAsUser: 1000, dropCapabilities: ['ALL'] });
  });

  it('securityContext: the worker is the default, the function overrides field by field, lists replace', () => {
    const merged = mergeRuntimeOpts(
      { securityContext: { runAsUser: 10000, runAsNonRoot: true, dropCapabilities: ['ALL'], seccompProfile: { type: 'RuntimeDefault' } } },
      { securityContext: { runAsUser: 2000, dropCapabilities: ['NET_RAW'], seccompProfile: { type: 'Localhost', localhostProfile: 'p.json' } } },
    );
    expect(merged.securityContext).toEqual({
      runAsUser: 2000,
      runAsNonRoot: true,
      dropCapabilities: ['NET_RAW'],
      seccompProfile: { type: 'Localhost', localhostProfile: 'p.json' },
    });
  });
});

describe('securityContext.seccompProfile merges as one setting', () => {
  it("the function's profile replaces the worker's whole: no Localhost file beside RuntimeDefault", () => {
    const merged = mergeRuntimeOpts(
      { securityContext: { seccompProfile: { type: 'Localhost', localhostProfile: 'profiles/fn.json' } } },
      { securityContext: { seccompProfile: { type: 'RuntimeDefault' } } },
    );
    expect(merged.securityContext?.seccompProfile).toEqual({ type: 'RuntimeDefault' });
  });
});

describe('lint: the same toleration at both levels', () => {
  it('is a warning at the function\'s item (Pulsar appends both), and a toleration on one level only is not', async () => {
    const { mkdtempSync, writeFileSync } = await import('node:fs');
    const { tmpdir } = await import('node:os');
    const { join } = await import('node:path');
    const { runPmc } = await import('./support/run.js');
    const dir = mkdtempSync(join(tmpdir(), 'pmc-tol-'));
    writeFileSync(join(dir, 'w.yml'), 'runtimeCustomizerClassName: org.apache.pulsar.functions.runtime.kubernetes.BasicKubernetesManifestCustomizer\nruntimeCustomizerConfig:\n  tolerations:\n  - {key: dedicated, operator: Equal, value: pulsar, effect: NoSchedule}\n');
    const fn = join(import.meta.dirname, '..', 'fixtures', 'pulsar-function.yaml');
    const both = await runPmc(['customize', fn, '-w', join(dir, 'w.yml'), '-r', '{"tolerations": [{"key": "other", "operator": "Exists"}, {"key": "dedicated", "operator": "Equal", "value": "pulsar", "effect": "NoSchedule"}]}']);
    expect(both.status).toBe(0);
    expect(both.stderr).toContain("customRuntimeOptions.tolerations[1]: this toleration is also in the worker's runtimeCustomizerConfig.tolerations");
    expect(both.stderr).not.toContain('tolerations[0]: this toleration');
    expect(both.stdout.match(/key: dedicated/g)).toHaveLength(2);
    const once = await runPmc(['customize', fn, '-w', join(dir, 'w.yml'), '-r', '{"tolerations": [{"key": "other", "operator": "Exists"}]}']);
    expect(once.stderr).not.toContain('PMC_TOLERATION_REPEATED');
  });
});
