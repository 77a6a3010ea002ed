// pmc rbac: the worker's rights per namespace, derived from its settings (the auth provider,
// changeConfigMap, the customizer's jobNamespace and each function's), every object valid
// against its schema, every rule commented with the Pulsar calls that need it.
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Role, RoleBinding } from 'kubernetes-models/rbac.authorization.k8s.io/v1';
import { parseAllDocuments } from 'yaml';
import { describe, expect, it } from 'vitest';
import { runPmc } from './support/run.js';

const render = join(import.meta.dirname, '..', 'fixtures', 'render');
const dir = mkdtempSync(join(tmpdir(), 'pmc-rbac-'));
const objects = (stdout: string) => parseAllDocuments(stdout).map((d) => d.toJS()).filter(Boolean) as Record<string, any>[];
const rulesIn = (stdout: string, ns: string) => objects(stdout).find((o) => o.kind === 'Role' && o.metadata.namespace === ns)?.rules.map((r: any) => `${r.apiGroups[0] || 'core'}/${r.resources[0]}:${r.verbs.join(',')}`);

describe('pmc rbac', () => {
  it("a plain worker: statefulsets, services and pods in the factory's jobNamespace, bound to the given account, each rule commented", async () => {
    const r = await runPmc(['rbac', '-w', join(render, 'functions_worker.yml'), '--service-account', 'pulsar:functions-worker']);
    expect(r.status).toBe(0);
    expect(r.stderr).toBe('');
    expect(rulesIn(r.stdout, 'pulsar')).toEqual(['apps/statefulsets:create,delete,get', 'core/services:create,delete,get', 'core/pods:list']);
    const binding = objects(r.stdout).find((o) => o.kind === 'RoleBinding')!;
    expect(binding.subjects).toEqual([{ kind: 'ServiceAccount', name: 'functions-worker', namespace: 'pulsar' }]);
    expect(r.stdout).toContain('# KubernetesRuntime: createNamespacedStatefulSet (start), deleteNamespacedStatefulSet (stop)');
    for (const o of objects(r.stdout)) expect(() => (o.kind === 'Role' ? new Role(o as never) : new RoleBinding(o as never)).validate()).not.toThrow();
  });

  it("token auth adds the secrets the provider manages; the default account is the Helm chart's, said so", async () => {
    const r = await runPmc(['rbac', '-w', join(render, 'worker-auth-token.yml')]);
    expect(r.status).toBe(0);
    expect(rulesIn(r.stdout, 'pulsar')).toContain('core/secrets:create,delete,get,update');
    expect(r.stdout).toContain('KubernetesSecretsTokenAuthProvider: createNamespacedSecret');
    expect(r.stderr).toContain("bound to the Apache Pulsar Helm chart's broker service account pulsar:pulsar-broker-acct");
  });

  it("changeConfigMap: get on that one ConfigMap in its namespace; without its namespace, refused", async () => {
    const worker = readFileSync(join(render, 'functions_worker.yml'), 'utf8');
    writeFileSync(join(dir, 'cm.yml'), worker.replace('functionRuntimeFactoryConfigs:\n', 'functionRuntimeFactoryConfigs:\n  changeConfigMap: functions-worker-config\n  changeConfigMapNamespace: pulsar-system\n'));
    const r = await runPmc(['rbac', '-w', join(dir, 'cm.yml'), '--service-account', 'pulsar:w']);
    expect(r.status).toBe(0);
    const role = objects(r.stdout).find((o) => o.kind === 'Role' && o.metadata.namespace === 'pulsar-system')!;
    expect(role.rules).toEqual([{ apiGroups: [''], resources: ['configmaps'], verbs: ['get'], resourceNames: ['functions-worker-config'] }]);
    writeFileSync(join(dir, 'cm-no-ns.yml'), worker.replace('functionRuntimeFactoryConfigs:\n', 'functionRuntimeFactoryConfigs:\n  changeConfigMap: functions-worker-config\n'));
    const bad = await runPmc(['rbac', '-w', join(dir, 'cm-no-ns.yml'), '--service-account', 'pulsar:w']);
    expect(bad.status).toBe(1);
    expect(bad.stdout).toBe('');
    expect(bad.stderr).toContain('changeConfigMap is set but changeConfigMapNamespace is not');
  });

  it("the customizer's jobNamespace and each function's own: one Role and binding per namespace", async () => {
    writeFileSync(join(dir, 'basic.yml'), `${readFileSync(join(render, 'functions_worker.yml'), 'utf8')}runtimeCustomizerClassName: org.apache.pulsar.functions.runtime.kubernetes.BasicKubernetesManifestCustomizer\nruntimeCustomizerConfig:\n  jobNamespace: functions\n`);
    writeFileSync(join(dir, 'payments.yaml'), `tenant: payments\nnamespace: billing\nname: invoice\njar: f.jar\ninputs: [in]\ncustomRuntimeOptions: '{"jobNamespace": "fn-payments"}'\n`);
    writeFileSync(join(dir, 'plain.yaml'), 'name: plain\njar: f.jar\ninputs: [in]\n');
    const r = await runPmc(['rbac', '-w', join(dir, 'basic.yml'), '-c', join(dir, 'payments.yaml'), join(dir, 'plain.yaml'), '--service-account', 'pulsar:w']);
    expect(r.status).toBe(0);
    const roles = objects(r.stdout).filter((o) => o.kind === 'Role').map((o) => o.metadata.namespace);
    expect(roles).toEqual(['fn-payments', 'functions']);
    expect(r.stdout).toContain("# The functions worker's rights in fn-payments, where it deploys: payments/billing/invoice.");
    // Without the configs, pmc says functions may choose their own.
    const alone = await runPmc(['rbac', '-w', join(dir, 'basic.yml'), '--service-account', 'pulsar:w']);
    expect(alone.stderr).toContain("a function's customRuntimeOptions can name the namespace it runs in");
  });

  it('a bad --service-account and a worker without the Kubernetes runtime are refused', async () => {
    const sa = await runPmc(['rbac', '-w', join(render, 'functions_worker.yml'), '--service-account', 'worker']);
    expect(sa.status).toBe(2);
    expect(sa.stderr).toContain('--service-account takes NAMESPACE:NAME');
    const process = await runPmc(['rbac', '-w', join(render, 'worker-process.yml')]);
    expect(process.status).toBe(1);
    expect(process.stderr).toContain('KubernetesRuntimeFactory');
  });
});
