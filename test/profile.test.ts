// A customizer of a team's own, described by a profile (fixtures/profile/): without it pmc
// says it does not know the class and previews nothing; with it, the class's own options are
// previewed beside Basic's, merged worker then function, checked by Kubernetes' schema, and
// explained; a profile that does not hold is refused at its key.
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseAllDocuments } from 'yaml';
import { describe, expect, it } from 'vitest';
import { runPmc } from './support/run.js';

const root = join(import.meta.dirname, '..');
const fn = join(root, 'fixtures', 'pulsar-function.yaml');
const worker = join(root, 'fixtures', 'profile', 'functions_worker.yml');
const profile = join(root, 'fixtures', 'profile', 'pod-security-customizer.yaml');
const sts = (stdout: string) => parseAllDocuments(stdout).map((d) => d.toJS()).find((o) => o?.kind === 'StatefulSet');

describe('a customizer profile', () => {
  it('without it: the class is unknown, nothing is previewed, and its options are not blamed on Pulsar', async () => {
    const r = await runPmc(['customize', fn, '-w', worker, '-r', '{"podSecurityContext": {"runAsUser": 20000}}']);
    expect(r.status).toBe(0);
    expect(r.stdout).toBe(readFileSync(fn, 'utf8'));
    expect(r.stderr).toContain('pmc does not know com.example.pulsar.PodSecurityCustomizer, so it previews none of the options');
    expect(r.stderr).toContain('--customizer-profile FILE');
    expect(r.stderr).not.toContain('Pulsar ignores');
  });

  it("with it: the class's options (worker, then function) beside Basic's, no unknown-key warning", async () => {
    const r = await runPmc(['customize', fn, '-w', worker, '--customizer-profile', profile, '-r', '{"podSecurityContext": {"runAsNonRoot": true, "runAsUser": 20000}, "containerSecurityContext": {"allowPrivilegeEscalation": false}}']);
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    const out = sts(r.stdout);
    expect(out.metadata.labels.team).toBe('data');
    expect(out.spec.template.spec.securityContext).toEqual({ runAsNonRoot: true, runAsUser: 20000 });
    expect(out.spec.template.spec.containers[0].securityContext).toEqual({ allowPrivilegeEscalation: false });
    // A key neither Pulsar's nor the profile's is said so, not blamed on Pulsar.
    const other = await runPmc(['customize', fn, '-w', worker, '--customizer-profile', profile, '-r', '{"podSecurityContex": {}}']);
    expect(other.stderr).toContain('customRuntimeOptions.podSecurityContex: unknown key "podSecurityContex" (neither one of Pulsar\'s options nor one the customizer profile declares, so pmc does not preview it); did you mean "podSecurityContext"?');
    // The worker's value alone, when the function sets none.
    const workerOnly = sts((await runPmc(['customize', fn, '-w', worker, '--customizer-profile', profile])).stdout);
    expect(workerOnly.spec.template.spec.securityContext).toEqual({ runAsNonRoot: true, runAsUser: 10000 });
  });

  it('explain names who set each field; the result is checked against the Kubernetes schema', async () => {
    const r = await runPmc(['explain', fn, '-w', worker, '--customizer-profile', profile, '-r', '{"podSecurityContext": {"runAsUser": 20000}}', '-o', 'json']);
    expect(r.status).toBe(0);
    const change = JSON.parse(r.stdout).changes.find((c: { path: string }) => c.path === 'spec.template.spec.securityContext');
    expect(change).toMatchObject({ value: { runAsUser: 20000 }, source: 'worker, overridden by function' });
    const bad = await runPmc(['customize', fn, '-w', worker, '--customizer-profile', profile, '-r', '{"podSecurityContext": {"runAsUser": "root"}}']);
    expect(bad.status).toBe(1);
    expect(bad.stdout).toBe('');
    expect(bad.stderr).toContain('spec.template.spec.securityContext.runAsUser: must be integer (Kubernetes StatefulSet schema) [PMC_SCHEMA]');
  });

  it('render takes it too', async () => {
    const r = await runPmc(['render', '-c', join(root, 'fixtures', 'render', 'word-count-java.yaml'), '-w', worker, '--customizer-profile', profile, '-r', '{"podSecurityContext": {"runAsUser": 20000}}']);
    expect(r.status).toBe(1);
    // The worker file is no Kubernetes runtime worker: render says so first; with the factory added it renders.
    const dir = mkdtempSync(join(tmpdir(), 'pmc-profile-'));
    writeFileSync(join(dir, 'worker.yml'), `functionRuntimeFactoryClassName: org.apache.pulsar.functions.runtime.kubernetes.KubernetesRuntimeFactory\npulsarServiceUrl: pulsar://localhost:6650\npulsarWebServiceUrl: http://localhost:8080\npulsarFunctionsCluster: standalone\n${readFileSync(worker, 'utf8')}`);
    const ok = await runPmc(['render', '-c', join(root, 'fixtures', 'render', 'word-count-java.yaml'), '-w', join(dir, 'worker.yml'), '--customizer-profile', profile, '-r', '{"podSecurityContext": {"runAsUser": 20000}}']);
    expect(ok.status).toBe(0);
    expect(sts(ok.stdout).spec.template.spec.securityContext).toEqual({ runAsUser: 20000 });
  });

  it.each([
    ['for another class than the worker runs', `spec:\n  className: com.example.Other\n  options:\n    a: {targets: [{kind: StatefulSet, path: spec.template.spec.securityContext}]}\n`, 'describes com.example.Other, and the worker runs com.example.pulsar.PodSecurityCustomizer'],
    ["naming one of Pulsar's own options", `spec:\n  className: com.example.pulsar.PodSecurityCustomizer\n  options:\n    tolerations: {targets: [{kind: StatefulSet, path: spec.template.spec.tolerations}]}\n`, "tolerations is one of Pulsar's own options"],
    ['writing where the worker finds its pods', `spec:\n  className: com.example.pulsar.PodSecurityCustomizer\n  options:\n    sel: {targets: [{kind: StatefulSet, path: spec.selector}]}\n`, 'StatefulSet spec.selector is not a place a customizer option may write'],
    ['with a write pmc has not', `spec:\n  className: com.example.pulsar.PodSecurityCustomizer\n  options:\n    a: {targets: [{kind: StatefulSet, path: spec.template.spec.securityContext}], write: patch}\n`, 'write must be value, entries, items'],
  ])('a profile %s is refused at its key', async (_name, body, message) => {
    const dir = mkdtempSync(join(tmpdir(), 'pmc-profile-bad-'));
    writeFileSync(join(dir, 'p.yaml'), `apiVersion: pmc.pulsar/v1alpha1\nkind: CustomizerProfile\nmetadata: {name: p}\n${body}`);
    const r = await runPmc(['customize', fn, '-w', worker, '--customizer-profile', join(dir, 'p.yaml')]);
    expect(r.status).toBe(1);
    expect(r.stdout).toBe('');
    expect(r.stderr).toContain(message);
    expect(r.stderr).toContain('[PMC_PROFILE]');
  });
});
