import { describe, expect, it } from 'vitest';
import { createHash } from 'node:crypto';
import { customJobName, defaultJobName, jobNameProblem, toValidLabelName, toValidPodName } from '../src/core/base/naming.js';

// Pulsar's KubernetesRuntimeTest uses tenant "tenant" and namespace "namespace".
const id = (name: string) => ({ tenant: 'tenant', namespace: 'namespace', name });

describe('job names (pulsar-semantics.md section 4, worked examples)', () => {
  it.each([
    ['container', 'custom-name', 'custom-name-2deb2c2b'],
    ['container', 'custom-name-overwrite', 'custom-name-overwrite-7757f1ff'],
    ['clazz.testfunction', 'custom-k8s-pod-name', 'custom-k8s-pod-name-dedfc7cf'],
  ])('function %s with jobName %s is named %s', (fn, jobName, expected) => {
    expect(customJobName(jobName, id(fn))).toBe(expected);
    expect(jobNameProblem(expected)).toBeUndefined();
  });

  it('hashes the raw jobName with tenant, namespace and name', () => {
    const raw = 'My_Job';
    const hash = createHash('sha1').update('My_Job-tenant-namespace-container').digest('hex').slice(0, 8);
    expect(customJobName(raw, id('container'))).toBe(`my-job-${hash}`);
  });

  it('default names: unchanged when valid, hashed when toValidPodName changes them', () => {
    expect(defaultJobName(id('UpperCaseFunction'))).toBe('pf-tenant-namespace-uppercasefunction-f0c5ca9a');
    expect(defaultJobName(id('clazz.testfunction'))).toBe('pf-tenant-namespace-clazz.testfunction');
  });

  it('refuses a job name over 53 characters, as Pulsar does', () => {
    const name = customJobName('custom-k8s-pod-name-over-kuberenetes-max-character-limit-123456789', id('clazz.testfunction'));
    expect(jobNameProblem(name)).toMatch(/at most 53/);
  });

  it('refuses upper case and characters outside the pod name pattern', () => {
    expect(jobNameProblem('Abc')).toMatch(/upper case/);
    expect(jobNameProblem('-abc')).toMatch(/only admits/);
    expect(jobNameProblem('a..b')).toMatch(/only admits/);
  });

  it('toValidPodName keeps [a-z0-9-.] and lower-cases', () => {
    expect(toValidPodName('A_b.C-d*e')).toBe('a-b.c-d-e');
  });

  it('toValidLabelName replaces leading and trailing non-alphanumerics with 0 and cuts to 63', () => {
    expect(toValidLabelName('-Hello World_')).toBe('0hello-world0');
    expect(toValidLabelName('x'.repeat(70))).toHaveLength(63);
  });
});
