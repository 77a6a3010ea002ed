// A FunctionPolicy (--policy): what each tenant's functions may ask for, read with located
// errors, enforced on the options and on the customized pod at every face, each refusal naming
// the function, the key, the rule and where the rule is written.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseAllDocuments } from 'yaml';
import { afterAll, describe, expect, it } from 'vitest';
import { loadSettings } from '../src/cli/inputs.js';
import { reviewAdmission, type WebhookSettings } from '../src/core/faces/webhook.js';
import { expandTemplate } from '../src/core/customize/policy.js';
import { pulsarFunctionManifests } from './support/pulsar-generated.mjs';
import { runPmc } from './support/run.js';

const root = join(import.meta.dirname, '..');
const dir = mkdtempSync(join(tmpdir(), 'pmc-policy-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const write = (name: string, text: string) => (writeFileSync(join(dir, name), text), name);
const policy = join(root, 'fixtures', 'policy', 'policy.yaml');
const manifests = (tenant: string, namespace = 'default', name = 'fn') => pulsarFunctionManifests({ tenant, namespace, name });
const run = (tenant: string, options: object, more: string[] = [], namespace?: string) =>
  runPmc(['customize', '--policy', policy, '-r', JSON.stringify(options), ...more], { stdin: manifests(tenant, namespace), cwd: dir });

describe('the policy file', () => {
  it.each([
    ['a misspelt rule, at its key', 'default:\n  alowedOptions: [extraLabels]\n', 'p.yaml:4:3: default.alowedOptions: unknown rule "alowedOptions"; did you mean "allowedOptions"? [PMC_POLICY]'],
    ['an option pmc does not have', 'default:\n  allowedOptions: [extraLabel]\n', 'p.yaml:4:20: default.allowedOptions[0]: "extraLabel" is no option; did you mean "extraLabels"? [PMC_POLICY]'],
    ['a pattern that is no regular expression', 'default:\n  values:\n    jobName: {pattern: "("}\n', 'default.values.jobName.pattern: the pattern is not a regular expression'],
    ['a ceiling that is no quantity', 'tenants:\n  payments:\n    maxResources: {cpu: lots}\n', 'tenants.payments.maxResources.cpu: "lots" is not a Kubernetes quantity'],
    ['a Pod Security level pmc does not know', 'default:\n  podSecurity: strict\n', 'default.podSecurity:'],
  ])('%s', async (_name, body, message) => {
    const p = write('p.yaml', `apiVersion: pmc.pulsar/v1alpha1\nkind: FunctionPolicy\n${body}`);
    const r = await runPmc(['customize', '--policy', p, '-r', '{}'], { stdin: manifests('public'), cwd: dir });
    expect(r.status).toBe(1);
    expect(r.stdout).toBe('');
    expect(r.stderr).toContain(message);
  });
});

describe('each rule, allowed and denied', () => {
  it.each([
    ['allowedOptions: the default lets a tenant set labels', 'public', { extraLabels: { team: 'a' } }, 0, ''],
    ['allowedOptions: the default denies tolerations', 'public', { tolerations: [{ key: 'gpu', operator: 'Exists' }] }, 1, "customRuntimeOptions.tolerations: the function public/default/fn sets tolerations, which the policy's default.allowedOptions"],
    ['allowedOptions: payments may set tolerations', 'payments', { jobNamespace: 'fn-payments', tolerations: [{ key: 'gpu', operator: 'Exists' }] }, 0, ''],
    ['values: a template over the identity, met', 'payments', { jobNamespace: 'fn-payments' }, 0, ''],
    ['values: a template over the identity, broken', 'payments', { jobNamespace: 'kube-system', tolerations: [] }, 1, 'the function payments/default/fn: jobNamespace is "kube-system" and must be "fn-payments" ("fn-{tenant}"), as the policy\'s tenants.payments.values.jobNamespace'],
    ['values: not set where the policy wants one', 'payments', {}, 1, 'jobNamespace is not set and must be "fn-payments"'],
    ['deniedAnnotations', 'payments', { jobNamespace: 'fn-payments', extraAnnotations: { 'vault.hashicorp.com/role': 'admin' } }, 1, "writes the annotation vault.hashicorp.com/role, which the policy's tenants.payments.deniedAnnotations"],
    ['maxResources: within', 'payments', { jobNamespace: 'fn-payments', resourceRequirements: { limits: { cpu: '2', memory: '4Gi' } } }, 0, ''],
    ['maxResources: over', 'payments', { jobNamespace: 'fn-payments', resourceRequirements: { limits: { memory: '8Gi' } } }, 1, 'container "pulsarfunction" limits memory 8Gi is over 4Gi, the ceiling of the policy\'s tenants.payments.maxResources.memory'],
  ])('%s', async (_name, tenant, options, status, message) => {
    const r = await run(tenant, options);
    if (message) expect(r.stderr).toContain(message);
    if (status) expect(r.stderr).toContain('[PMC_POLICY]');
    expect(r.status).toBe(status);
  });

  it('images: a container outside the allowed prefixes is refused', async () => {
    const p = write('images.yaml', 'apiVersion: pmc.pulsar/v1alpha1\nkind: FunctionPolicy\ndefault:\n  images: ["registry.example.com/"]\n');
    const r = await runPmc(['customize', '--policy', p, '-r', '{}'], { stdin: manifests('public'), cwd: dir });
    expect(r.status).toBe(1);
    expect(r.stderr).toMatch(/spec\.template\.spec\.containers\[0\]\.image: the function public\/default\/fn: container "pulsarfunction" runs \S+, which the policy's default\.images/);
  });

  it('podSecurity: a pod its namespace would refuse (FailedCreate) is refused at the StatefulSet; meeting the level passes', async () => {
    const p = write('pss.yaml', 'apiVersion: pmc.pulsar/v1alpha1\nkind: FunctionPolicy\ndefault:\n  podSecurity: restricted\n');
    const refused = await runPmc(['customize', '--policy', p, '-r', '{}'], { stdin: manifests('public'), cwd: dir });
    expect(refused.status).toBe(1);
    expect(refused.stderr).toContain('its pods would not pass Pod Security "restricted:latest", the floor of the policy\'s default.podSecurity');
    const passed = await runPmc(['customize', '--policy', p, '-r', '{"securityContext": {"preset": "restricted"}}'], { stdin: manifests('public'), cwd: dir });
    expect(passed.stderr).not.toContain('PMC_POLICY');
    expect(passed.status).toBe(0);
  });

  it('a tenant/namespace rule wins over the tenant\'s, which wins over the default', async () => {
    const p = write('scopes.yaml', 'apiVersion: pmc.pulsar/v1alpha1\nkind: FunctionPolicy\ndefault:\n  allowedOptions: []\ntenants:\n  payments:\n    allowedOptions: [extraLabels]\n  payments/billing:\n    allowedOptions: [extraLabels, extraAnnotations]\n');
    const opts = JSON.stringify({ extraAnnotations: { a: 'b' } });
    const at = (tenant: string, namespace: string) => runPmc(['customize', '--policy', p, '-r', opts], { stdin: manifests(tenant, namespace), cwd: dir });
    expect((await at('payments', 'billing')).status).toBe(0);
    expect((await at('payments', 'default')).stderr).toContain("tenants.payments.allowedOptions");
    expect((await at('other', 'default')).stderr).toContain("default.allowedOptions");
  });

  it('maxTotalResources: the instances (spec.replicas, the parallelism) times the pod, within and over', async () => {
    const p = write('total.yaml', 'apiVersion: pmc.pulsar/v1alpha1\nkind: FunctionPolicy\ndefault:\n  maxTotalResources: {cpu: "4", memory: 8Gi}\n');
    const withReplicas = (n: number) => manifests('public').replace(/^  replicas: 1$/m, `  replicas: ${n}`);
    const opts = JSON.stringify({ resourceRequirements: { requests: { cpu: '1', memory: '2Gi' }, limits: { cpu: '1', memory: '2Gi' } } });
    expect(withReplicas(4)).toContain('  replicas: 4');
    const within = await runPmc(['customize', '--policy', p, '-r', opts], { stdin: withReplicas(4), cwd: dir });
    expect(within.stderr).not.toContain('PMC_POLICY');
    expect(within.status).toBe(0);
    const over = await runPmc(['customize', '--policy', p, '-r', opts], { stdin: withReplicas(5), cwd: dir });
    expect(over.status).toBe(1);
    expect(over.stderr).toContain("spec.replicas: the function public/default/fn: its 5 instances (spec.replicas, its parallelism) request cpu 5 in all, over 4, the ceiling of the policy's default.maxTotalResources.cpu");
    expect(over.stderr).toContain('request memory 10Gi in all, over 8Gi');
    expect(over.stderr).toContain('are limited to memory 10Gi in all');
  });

  it('templates expand as Pulsar writes the label values', () => {
    expect(expandTemplate('fn-{tenant}-{namespace}', { tenant: 'pay@ments', namespace: 'bill ing' })).toBe('fn-pay-ments-bill-ing');
  });
});

describe('at every face', () => {
  it('render', async () => {
    const r = await runPmc(['render', '-c', 'fixtures/render/word-count-java.yaml', '-w', 'fixtures/render/functions_worker.yml', '--customizer', 'basic', '--policy', policy, '-r', '{"tolerations": []}'], { cwd: root });
    expect(r.status).toBe(1);
    expect(r.stderr).toContain('the function public/default/word-count sets tolerations, which the policy\'s default.allowedOptions');
  });

  it('the webhook denies the review with the reason', async () => {
    const stream = pulsarFunctionManifests({ tenant: 'payments', namespace: 'default', name: 'fn', customRuntimeOptions: JSON.stringify({ jobNamespace: 'fn-payments', extraAnnotations: { 'vault.hashicorp.com/role': 'admin' } }) });
    const sts = parseAllDocuments(stream).map((d) => d.toJS()).find((o) => o?.kind === 'StatefulSet');
    const io = { stdin: '', stdout: { write: () => true }, stderr: { write: () => true }, env: {}, cwd: root };
    const { settings } = await loadSettings({ policy: 'fixtures/policy/policy.yaml' }, io);
    const r = reviewAdmission({ apiVersion: 'admission.k8s.io/v1', kind: 'AdmissionReview', request: { uid: 'u', kind: { group: 'apps', version: 'v1', kind: 'StatefulSet' }, operation: 'CREATE', object: sts } }, { ...settings, mode: 'webhook-only' } as WebhookSettings, 't');
    expect(r.review.response.allowed).toBe(false);
    expect(r.review.response.status.message).toContain('the function payments/default/fn writes the annotation vault.hashicorp.com/role');
  });
});

describe('in the kustomize plugin and the KRM function (spec.policyFile)', () => {
  const spec = (extra: string) => `apiVersion: pmc.pulsar/v1alpha1\nkind: PulsarManifestCustomizer\nmetadata: {name: p}\nspec:\n  policyFile: ${policy}\n  customRuntimeOptions: '{"tolerations": [{"key": "gpu", "operator": "Exists"}]}'\n${extra}`;
  it('the plugin refuses what the policy does not allow', async () => {
    const config = write('plugin.yaml', spec(''));
    const r = await runPmc([config], { stdin: manifests('public'), cwd: dir, env: { KUSTOMIZE_PLUGIN_CONFIG_ROOT: dir } });
    expect(r.status).toBe(1);
    expect(r.stderr).toContain("the function public/default/fn sets tolerations, which the policy's default.allowedOptions");
  });

  it('KRM reports it as an error result', async () => {
    const items = manifests('public').split(/^---\n/m).filter((d) => d.trim()).map((d) => `- ${d.trim().replace(/\n/g, '\n  ')}`).join('\n');
    const list = `apiVersion: config.kubernetes.io/v1\nkind: ResourceList\nitems:\n${items}\nfunctionConfig:\n${spec('').replace(/^/gm, '  ')}`;
    const r = await runPmc(['krm'], { stdin: list, cwd: dir });
    expect(r.status).toBe(1);
    expect(r.stdout).toContain('PMC_POLICY');
    expect(r.stdout).toContain('sets tolerations, which the policy');
  });
});

describe('pmc policy test', () => {
  const base = ['policy', 'test', '--policy', policy, '-w', 'fixtures/render/functions_worker.yml', '--customizer', 'basic'];
  it('a folder of configs: a table, allowed and denied with the reasons, exit 3', async () => {
    const r = await runPmc([...base, 'fixtures/policy/functions'], { cwd: root });
    expect(r.status).toBe(3);
    expect(r.stdout.split('\n')[0]).toBe('denied   fixtures/policy/functions/analytics-daily.yaml (analytics/reports/daily)');
    expect(r.stdout).toContain('customRuntimeOptions.tolerations: the function analytics/reports/daily sets tolerations');
    expect(r.stdout).toContain('allowed  fixtures/policy/functions/payments-invoices.yaml (payments/billing/invoices)');
  });

  it('-o json; all allowed is exit 0', async () => {
    const denied = await runPmc([...base, '-o', 'json', 'fixtures/policy/functions'], { cwd: root });
    const { verdicts } = JSON.parse(denied.stdout);
    expect(verdicts.map((v: { allowed: boolean; function: string }) => [v.function, v.allowed])).toEqual([['analytics/reports/daily', false], ['payments/billing/invoices', true]]);
    expect(verdicts[0].reasons[0]).toContain('[PMC_POLICY]');
    const allowed = await runPmc([...base, 'fixtures/policy/functions/payments-invoices.yaml'], { cwd: root });
    expect(allowed.status).toBe(0);
  });

  it("a policy's own mistake stops the run, located", async () => {
    const p = write('bad.yaml', 'apiVersion: pmc.pulsar/v1alpha1\nkind: FunctionPolicy\ndefault:\n  allowedOption: []\n');
    const r = await runPmc(['policy', 'test', '--policy', join(dir, p), '-w', 'fixtures/render/functions_worker.yml', 'fixtures/policy/functions'], { cwd: root });
    expect(r.status).toBe(1);
    expect(r.stderr).toContain('bad.yaml:4:3: default.allowedOption: unknown rule "allowedOption"; did you mean "allowedOptions"?');
  });
});

describe('defaults the policy supplies', () => {
  const defaults = write(
    'defaults.yaml',
    [
      'apiVersion: pmc.pulsar/v1alpha1',
      'kind: FunctionPolicy',
      'tenants:',
      '  payments:',
      '    defaults:',
      '      serviceAccountName: "fn-{tenant}"',
      '      nodeSelectorLabels: {pool: "{tenant}"}',
      '      tolerations: [{key: dedicated, operator: Equal, value: "{tenant}", effect: NoSchedule}]',
      '      extraLabels: {team: "{namespace}"}',
      '',
    ].join('\n'),
  );
  const worker = write('basic.yml', 'runtimeCustomizerClassName: org.apache.pulsar.functions.runtime.kubernetes.BasicKubernetesManifestCustomizer\nruntimeCustomizerConfig:\n  extraLabels: {owner: platform}\n');
  const objects = (stdout: string) => parseAllDocuments(stdout).map((d) => d.toJS());
  const customizeWith = (tenant: string, options: object, more: string[] = []) =>
    runPmc(['customize', '-w', worker, '--customizer', 'pod-policy', '--policy', defaults, '-r', JSON.stringify(options), ...more], { stdin: manifests(tenant, 'billing'), cwd: dir });

  it("a tenant's functions get them, templates expanded as Pulsar's labels are; a function's own options win", async () => {
    const r = await customizeWith('payments', { extraLabels: { team: 'mine' } });
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    const sts = objects(r.stdout).find((o) => o.kind === 'StatefulSet');
    const pod = sts.spec.template.spec;
    expect(pod.serviceAccountName).toBe('fn-payments');
    expect(pod.nodeSelector).toEqual({ pool: 'payments' });
    expect(pod.tolerations.at(-1)).toEqual({ key: 'dedicated', operator: 'Equal', value: 'payments', effect: 'NoSchedule' });
    // The worker's label, the policy's overridden by the function's.
    expect(sts.metadata.labels).toMatchObject({ owner: 'platform', team: 'mine' });
  });

  it('another tenant gets none of them', async () => {
    const r = await customizeWith('analytics', {});
    const sts = objects(r.stdout).find((o) => o.kind === 'StatefulSet');
    expect(sts.spec.template.spec.serviceAccountName).toBeUndefined();
    expect(sts.spec.template.spec.nodeSelector).toBeUndefined();
  });

  it('explain says the policy set them, between the worker and the function', async () => {
    const r = await runPmc(['explain', '-w', worker, '--customizer', 'pod-policy', '--policy', defaults, '-r', '{"extraLabels": {"team": "mine"}}'], { stdin: manifests('payments', 'billing'), cwd: dir });
    expect(r.stdout).toMatch(/spec\.template\.spec\.serviceAccountName +fn-payments +- +policy \(tenants\.payments\.defaults\)\n/);
    expect(r.stdout).toMatch(/metadata\.labels\.team +mine +- +policy \(tenants\.payments\.defaults\), overridden by function\n/);
    expect(r.stdout).toMatch(/metadata\.labels\.owner +platform +- +worker\n/);
    expect(r.stdout).toMatch(/spec\.template\.spec\.tolerations\[3\] .* policy \(tenants\.payments\.defaults\)\n/);
  });

  it('a default is read as the worker file is: an unknown key or a wrong type at its line', async () => {
    const bad = write('bad-defaults.yaml', 'apiVersion: pmc.pulsar/v1alpha1\nkind: FunctionPolicy\ndefault:\n  defaults:\n    nodeSelectorLabel: {pool: a}\n    tolerations: {key: x}\n');
    const r = await runPmc(['customize', '-w', worker, '--policy', bad, '-r', '{}'], { stdin: manifests('payments'), cwd: dir });
    expect(r.status).toBe(1);
    expect(r.stdout).toBe('');
    expect(r.stderr).toMatch(/bad-defaults\.yaml:5:5: default\.defaults\.nodeSelectorLabel: .*nodeSelectorLabels/);
    expect(r.stderr).toMatch(/bad-defaults\.yaml:6:18: default\.defaults\.tolerations: expected a list/);
  });

  it('the webhook applies them in webhook-only mode, and in hybrid mode says which it cannot (the worker applies Basic\'s options and never reads the policy)', async () => {
    const io = { stdin: '', stdout: { write: () => true }, stderr: { write: () => true }, env: {}, cwd: dir };
    const { settings } = await loadSettings({ policy: defaults }, io);
    const sts = objects(manifests('payments', 'billing')).find((o) => o?.kind === 'StatefulSet');
    const review = (mode: 'webhook-only' | 'hybrid') =>
      reviewAdmission({ apiVersion: 'admission.k8s.io/v1', kind: 'AdmissionReview', request: { uid: 'u', kind: { group: 'apps', version: 'v1', kind: 'StatefulSet' }, operation: 'CREATE', object: structuredClone(sts) } }, { ...settings, customizer: 'pod-policy', applies: 'pod-policy', mode } as WebhookSettings, 't');
    const only = review('webhook-only');
    expect(only.patch?.some((op) => op.path === '/spec/template/spec/serviceAccountName' && op.value === 'fn-payments')).toBe(true);
    expect(only.patch?.some((op) => op.path === '/spec/template/spec/nodeSelector')).toBe(true);
    const hybrid = review('hybrid');
    expect(hybrid.patch?.some((op) => op.path === '/spec/template/spec/serviceAccountName')).toBe(true);
    expect(hybrid.patch?.some((op) => op.path === '/spec/template/spec/nodeSelector')).toBe(false);
    expect(hybrid.review.response.warnings.join('\n')).toContain("nodeSelectorLabels: nodeSelectorLabels from the policy's tenants.payments.defaults is not applied: in hybrid mode the worker's customizer applies nodeSelectorLabels");
  });
});

describe('sandbox', () => {
  const sandbox = write('sandbox.yaml', 'apiVersion: pmc.pulsar/v1alpha1\nkind: FunctionPolicy\ntenants:\n  payments:\n    sandbox: true\n    values:\n      jobNamespace: "fn-{tenant}"\n');
  const worker = write('sandbox-worker.yml', 'runtimeCustomizerClassName: org.apache.pulsar.functions.runtime.kubernetes.BasicKubernetesManifestCustomizer\n');
  const sandboxed = (options: object, more: string[] = []) =>
    runPmc(['customize', '-w', worker, '--customizer', 'pod-policy', '--policy', sandbox, '-r', JSON.stringify({ jobNamespace: 'fn-payments', ...options }), ...more], { stdin: manifests('payments', 'billing'), cwd: dir });

  it('a sandboxed function: restricted, a read-only root with its emptyDirs, the tenant\'s own service account, no token; it passes restricted', async () => {
    const r = await sandboxed({}, ['--check-pss', 'restricted']);
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    const sts = parseAllDocuments(r.stdout).map((d) => d.toJS()).find((o) => o.kind === 'StatefulSet');
    const pod = sts.spec.template.spec;
    expect(pod.serviceAccountName).toBe('fn-payments');
    expect(pod.automountServiceAccountToken).toBe(false);
    expect(pod.securityContext).toMatchObject({ runAsNonRoot: true, seccompProfile: { type: 'RuntimeDefault' } });
    expect(pod.containers[0].securityContext).toMatchObject({ readOnlyRootFilesystem: true, allowPrivilegeEscalation: false, capabilities: { drop: ['ALL'] } });
    expect(pod.volumes.map((v: { name: string }) => v.name)).toEqual(expect.arrayContaining(['pmc-logs', 'pmc-download', 'pmc-tmp']));
  });

  it('a function cannot choose another service account, the token back, or a looser pod', async () => {
    const worker2 = write('sandbox-allowing.yml', 'runtimeCustomizerClassName: org.apache.pulsar.functions.runtime.kubernetes.BasicKubernetesManifestCustomizer\nruntimeCustomizerConfig:\n  allowedFunctionOptions: [serviceAccountName, automountServiceAccountToken]\n');
    const run2 = (options: object) => runPmc(['customize', '-w', worker2, '--customizer', 'pod-policy', '--policy', sandbox, '-r', JSON.stringify({ jobNamespace: 'fn-payments', ...options })], { stdin: manifests('payments', 'billing'), cwd: dir });
    const account = await run2({ serviceAccountName: 'admin' });
    expect(account.status).toBe(1);
    expect(account.stderr).toContain('serviceAccountName is "admin" and must be "fn-payments" ("fn-{tenant}"), as the policy\'s tenants.payments.values.serviceAccountName');
    const token = await run2({ automountServiceAccountToken: true });
    expect(token.status).toBe(1);
    expect(token.stderr).toContain('automountServiceAccountToken is true and must be one of "false"');
    const root = await sandboxed({ securityContext: { runAsNonRoot: false, runAsUser: 0 } });
    expect(root.status).toBe(1);
    expect(root.stderr).toContain('its pods would not pass Pod Security "restricted:latest", the floor of the policy\'s tenants.payments.podSecurity');
  });

  it("the scope's own defaults win over the sandbox's, and the pin follows them", async () => {
    const p = write('sandbox-own.yaml', 'apiVersion: pmc.pulsar/v1alpha1\nkind: FunctionPolicy\ntenants:\n  payments:\n    sandbox: {namespace: streaming, brokerLabels: {app: pulsar, component: broker}}\n    defaults: {serviceAccountName: payments-functions, jobNamespace: "fn-{tenant}"}\n');
    const r = await runPmc(['customize', '-w', worker, '--customizer', 'pod-policy', '--policy', p, '-r', '{}'], { stdin: manifests('payments', 'billing'), cwd: dir });
    expect(r.stderr).toBe('');
    const sts = parseAllDocuments(r.stdout).map((d) => d.toJS()).find((o) => o.kind === 'StatefulSet');
    expect(sts.spec.template.spec.serviceAccountName).toBe('payments-functions');
    expect(sts.metadata.namespace).toBe('fn-payments');
    const explained = await runPmc(['explain', '-w', worker, '--customizer', 'pod-policy', '--policy', p, '-r', '{}'], { stdin: manifests('payments', 'billing'), cwd: dir });
    expect(explained.stdout).toMatch(/spec\.template\.spec\.serviceAccountName +payments-functions +- +policy \(tenants\.payments\.sandbox and \.defaults\)/);
  });

  it('a sandbox file mistake is located', async () => {
    const p = write('sandbox-bad.yaml', 'apiVersion: pmc.pulsar/v1alpha1\nkind: FunctionPolicy\ndefault:\n  sandbox: {namespaces: pulsar}\n');
    const r = await runPmc(['customize', '-w', worker, '--policy', p, '-r', '{}'], { stdin: manifests('payments'), cwd: dir });
    expect(r.status).toBe(1);
    expect(r.stderr).toContain('sandbox-bad.yaml:4:13: default.sandbox.namespaces: unknown key "namespaces": a sandbox has namespace, brokerLabels and workerLabels [PMC_POLICY]');
  });
});
