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
    // Options given on the command line reach their namespace too.
    const r2 = await runPmc(['rbac', '-w', join(dir, 'basic.yml'), '-r', '{"jobNamespace": "fn-ops"}', '--service-account', 'pulsar:w']);
    expect(objects(r2.stdout).filter((o) => o.kind === 'Role').map((o) => o.metadata.namespace)).toEqual(['fn-ops', 'functions']);
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

describe('pmc rbac --check: the RBAC authorizer rules', async () => {
  const { missingRights, rbacObjects } = await import('../src/core/faces/rbac-check.js');
  const sa = { namespace: 'pulsar', name: 'worker' };
  const get = { namespace: 'fn', apiGroup: 'apps', resource: 'statefulsets', verb: 'get', why: '' };
  const listPods = { namespace: 'fn', apiGroup: '', resource: 'pods', verb: 'list', why: '' };
  const getCm = { namespace: 'fn', apiGroup: '', resource: 'configmaps', verb: 'get', resourceName: 'worker-config', why: '' };
  const rb = (ns: string, roleKind: string, role: string, subject: object) => ({ apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'RoleBinding', metadata: { name: 'b', namespace: ns }, roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: roleKind, name: role }, subjects: [subject] });
  const crb = (role: string, subject: object) => ({ apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'ClusterRoleBinding', metadata: { name: 'b' }, roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: role }, subjects: [subject] });
  const role = (ns: string, name: string, rules: object[]) => ({ apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'Role', metadata: { name, namespace: ns }, rules });
  const cr = (name: string, rules: object[], extra: object = {}) => ({ apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'ClusterRole', metadata: { name, ...extra }, rules });
  const saSubject = { kind: 'ServiceAccount', name: 'worker', namespace: 'pulsar' };
  it.each([
    ['a Role in the namespace, bound to the account', [role('fn', 'r', [{ apiGroups: ['apps'], resources: ['statefulsets'], verbs: ['get'] }]), rb('fn', 'Role', 'r', saSubject)], get, true],
    ['the same Role in another namespace', [role('other', 'r', [{ apiGroups: ['apps'], resources: ['statefulsets'], verbs: ['get'] }]), rb('other', 'Role', 'r', saSubject)], get, false],
    ['wildcards for group, resource and verb', [role('fn', 'r', [{ apiGroups: ['*'], resources: ['*'], verbs: ['*'] }]), rb('fn', 'Role', 'r', saSubject)], get, true],
    ['the core group is not apps', [role('fn', 'r', [{ apiGroups: [''], resources: ['statefulsets'], verbs: ['get'] }]), rb('fn', 'Role', 'r', saSubject)], get, false],
    ['resourceNames: the named ConfigMap', [role('fn', 'r', [{ apiGroups: [''], resources: ['configmaps'], verbs: ['get'], resourceNames: ['worker-config'] }]), rb('fn', 'Role', 'r', saSubject)], getCm, true],
    ['resourceNames never grant a list', [role('fn', 'r', [{ apiGroups: [''], resources: ['pods'], verbs: ['list'], resourceNames: ['p'] }]), rb('fn', 'Role', 'r', saSubject)], listPods, false],
    ['a RoleBinding to a ClusterRole grants it in its namespace', [cr('c', [{ apiGroups: ['apps'], resources: ['statefulsets'], verbs: ['get', 'list'] }]), rb('fn', 'ClusterRole', 'c', saSubject)], get, true],
    ['a ClusterRoleBinding grants everywhere', [cr('c', [{ apiGroups: ['apps'], resources: ['statefulsets'], verbs: ['get'] }]), crb('c', saSubject)], get, true],
    ['an aggregated ClusterRole has its selected roles\' rules', [cr('agg', [], { labels: {} }), cr('part', [{ apiGroups: ['apps'], resources: ['statefulsets'], verbs: ['get'] }], { labels: { 'pulsar.apache.org/aggregate-to-worker': 'true' } }), crb('agg', saSubject)].map((o, i) => (i === 0 ? { ...o, aggregationRule: { clusterRoleSelectors: [{ matchLabels: { 'pulsar.apache.org/aggregate-to-worker': 'true' } }] } } : o)), get, true],
    ['the group of every service account of its namespace', [role('fn', 'r', [{ apiGroups: ['apps'], resources: ['statefulsets'], verbs: ['get'] }]), rb('fn', 'Role', 'r', { kind: 'Group', name: 'system:serviceaccounts:pulsar' })], get, true],
    ["another namespace's group", [role('fn', 'r', [{ apiGroups: ['apps'], resources: ['statefulsets'], verbs: ['get'] }]), rb('fn', 'Role', 'r', { kind: 'Group', name: 'system:serviceaccounts:other' })], get, false],
    ['the account as a user name', [role('fn', 'r', [{ apiGroups: ['apps'], resources: ['statefulsets'], verbs: ['get'] }]), rb('fn', 'Role', 'r', { kind: 'User', name: 'system:serviceaccount:pulsar:worker' })], get, true],
    ['another account', [role('fn', 'r', [{ apiGroups: ['apps'], resources: ['statefulsets'], verbs: ['get'] }]), rb('fn', 'Role', 'r', { kind: 'ServiceAccount', name: 'other', namespace: 'pulsar' })], get, false],
    ['a binding to a Role that does not exist', [rb('fn', 'Role', 'missing', saSubject)], get, false],
  ])('%s', (_name, objects, right, allowed) => {
    expect(missingRights([right], rbacObjects([{ apiVersion: 'v1', kind: 'List', items: objects }]), sa)).toEqual(allowed ? [] : [right]);
  });

  it("through the CLI: what pmc writes passes; a cluster with less names each missing right, exit status 3", async () => {
    const gen = await runPmc(['rbac', '-w', join(render, 'worker-auth-token.yml'), '--service-account', 'pulsar:w']);
    writeFileSync(join(dir, 'gen.yaml'), gen.stdout);
    const ok = await runPmc(['rbac', '-w', join(render, 'worker-auth-token.yml'), '--service-account', 'pulsar:w', '--check', join(dir, 'gen.yaml')]);
    expect(ok.status).toBe(0);
    expect(ok.stdout).toBe('the service account pulsar:w has all 11 rights the worker needs, in pulsar\n');
    // The Helm chart's standalone worker Role leaves out Secrets while token auth is on.
    writeFileSync(join(dir, 'no-secrets.yaml'), gen.stdout.replace(/# KubernetesSecretsTokenAuthProvider[^\n]*\n- apiGroups:\n  - ""\n  resources:\n  - secrets\n  verbs:\n  - create\n  - delete\n  - get\n  - update\n/, ''));
    const short = await runPmc(['rbac', '-w', join(render, 'worker-auth-token.yml'), '--service-account', 'pulsar:w', '--check', join(dir, 'no-secrets.yaml')]);
    expect(short.status).toBe(3);
    expect(short.stdout.split('\n').filter((l) => l.startsWith('missing in pulsar: '))).toHaveLength(4);
    expect(short.stdout).toContain('missing in pulsar: create secrets, for KubernetesSecretsTokenAuthProvider');
  });
});
