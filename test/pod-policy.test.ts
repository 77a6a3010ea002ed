// pmc's pod-policy customizer: the pod settings beyond Basic and the SecurityContext extension,
// each one registry entry; the keys that grant an identity or reach the node refused from a
// function unless the worker allows them, at every face; the webhook's patch equal, through
// the real kubectl, to what customize prints.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseAllDocuments } from 'yaml';
import { afterAll, describe, expect, it } from 'vitest';
import { loadSettings } from '../src/cli/inputs.js';
import { reviewAdmission, type WebhookSettings } from '../src/core/faces/webhook.js';
import { runPmc } from './support/run.js';
import { pulsarFunctionManifests } from './support/pulsar-generated.mjs';

type Obj = Record<string, any>;
const root = join(import.meta.dirname, '..');
const fn = join(root, 'fixtures', 'pulsar-function.yaml');
const dir = mkdtempSync(join(tmpdir(), 'pmc-pod-policy-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const write = (name: string, text: string) => (writeFileSync(join(dir, name), text), name);
const BASIC = 'org.apache.pulsar.functions.runtime.kubernetes.BasicKubernetesManifestCustomizer';
const worker = (config: Obj) => write(`worker-${Math.random().toString(36).slice(2)}.yml`, `runtimeCustomizerClassName: ${BASIC}\nruntimeCustomizerConfig: ${JSON.stringify(config)}\n`);
const podSpec = (stdout: string): Obj => parseAllDocuments(stdout).map((d) => d.toJS()).find((o) => o?.kind === 'StatefulSet').spec.template.spec;
const customize = (args: string[]) => runPmc(['customize', fn, '--customizer', 'pod-policy', ...args], { cwd: dir });

const AFFINITY = { nodeAffinity: { requiredDuringSchedulingIgnoredDuringExecution: { nodeSelectorTerms: [{ matchExpressions: [{ key: 'pool', operator: 'In', values: ['functions'] }] }] } } };
const SPREAD = { maxSkew: 1, topologyKey: 'topology.kubernetes.io/zone', whenUnsatisfiable: 'ScheduleAnyway', labelSelector: { matchLabels: { component: 'function' } } };

describe('each option: written, merged, refused, explained', () => {
  const rows: [string, unknown, unknown, (spec: Obj) => unknown][] = [
    ['serviceAccountName', 'fn-sa', 'fn-sa', (s) => s.serviceAccountName],
    ['automountServiceAccountToken', false, false, (s) => s.automountServiceAccountToken],
    ['imagePullSecrets', [{ name: 'regcred' }], [{ name: 'regcred' }], (s) => s.imagePullSecrets],
    ['priorityClassName', 'functions-high', 'functions-high', (s) => s.priorityClassName],
    ['runtimeClassName', 'gvisor', 'gvisor', (s) => s.runtimeClassName],
    ['terminationGracePeriodSeconds', 30, 30, (s) => s.terminationGracePeriodSeconds],
    ['affinity', AFFINITY, AFFINITY, (s) => s.affinity],
    ['topologySpreadConstraints', [SPREAD], [SPREAD], (s) => s.topologySpreadConstraints],
    ['extraEnv', [{ name: 'LOG_LEVEL', value: 'debug' }], { name: 'LOG_LEVEL', value: 'debug' }, (s) => s.containers[0].env.at(-1)],
    ['extraEnvFrom', [{ configMapRef: { name: 'fn-config' } }], [{ configMapRef: { name: 'fn-config' } }], (s) => s.containers[0].envFrom],
    ['extraVolumes', [{ name: 'cfg', configMap: { name: 'fn-config' } }], { name: 'cfg', configMap: { name: 'fn-config' } }, (s) => s.volumes.at(-1)],
    ['extraInitContainers', [{ name: 'warm', image: 'busybox:1.36', command: ['true'] }], [{ name: 'warm', image: 'busybox:1.36', command: ['true'] }], (s) => s.initContainers],
  ];
  it.each(rows)('%s from the worker is written', async (key, value, written, read) => {
    const r = await customize(['-w', worker({ [key]: value })]);
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    expect(read(podSpec(r.stdout))).toEqual(written);
  });

  it.each(rows)('%s from the function, once the worker allows it (or it needs no allowance), is written and explained', async (key, value, written, read) => {
    const w = worker({ allowedFunctionOptions: ['serviceAccountName', 'automountServiceAccountToken', 'imagePullSecrets', 'priorityClassName', 'runtimeClassName', 'extraVolumes', 'extraInitContainers'] });
    const r = await customize(['-w', w, '-r', JSON.stringify({ [key]: value })]);
    expect(r.stderr).toBe('');
    expect(read(podSpec(r.stdout))).toEqual(written);
    const explained = JSON.parse((await runPmc(['explain', fn, '--customizer', 'pod-policy', '-w', w, '-o', 'json', '-r', JSON.stringify({ [key]: value })], { cwd: dir })).stdout);
    const change = explained.changes.find((c: { option: string }) => c.option === key || c.option.startsWith(`${key}[`));
    expect(change).toMatchObject({ source: 'function' });
    const field = ({ extraEnv: 'containers[0].env', extraEnvFrom: 'containers[0].envFrom', extraVolumes: 'volumes', extraInitContainers: 'initContainers' } as Record<string, string>)[key] ?? key;
    expect(change.path.startsWith(`spec.template.spec.${field}`)).toBe(true);
  });

  it('merged: a scalar the function gives wins; lists are the worker\'s, then the function\'s', async () => {
    const w = worker({ terminationGracePeriodSeconds: 10, topologySpreadConstraints: [SPREAD], imagePullSecrets: [{ name: 'worker-cred' }], allowedFunctionOptions: ['imagePullSecrets'] });
    const r = await customize(['-w', w, '-r', JSON.stringify({ terminationGracePeriodSeconds: 45, imagePullSecrets: [{ name: 'fn-cred' }] })]);
    const s = podSpec(r.stdout);
    expect(s.terminationGracePeriodSeconds).toBe(45);
    expect(s.imagePullSecrets).toEqual([{ name: 'worker-cred' }, { name: 'fn-cred' }]);
    expect(s.topologySpreadConstraints).toEqual([SPREAD]);
  });

  it.each([
    ['a service account name Kubernetes refuses', { serviceAccountName: 'Not_A_Name' }, 'runtimeCustomizerConfig.serviceAccountName: "Not_A_Name" is not a service account name'],
    ['a negative grace period', { terminationGracePeriodSeconds: -1 }, 'runtimeCustomizerConfig.terminationGracePeriodSeconds'],
    ['an image pull secret without a name', { imagePullSecrets: [{}] }, 'runtimeCustomizerConfig.imagePullSecrets[0]: an image pull secret needs the name of a Secret'],
    ['affinity that is no object', { affinity: 'zone-a' }, 'runtimeCustomizerConfig.affinity: expected an Affinity object'],
    ['affinity the Kubernetes schema refuses', { affinity: { nodeAffinity: { requiredDuringSchedulingIgnoredDuringExecution: { nodeSelectorTerms: 'x' } } } }, 'spec.template.spec.affinity.nodeAffinity.requiredDuringSchedulingIgnoredDuringExecution.nodeSelectorTerms'],
  ])('refused: %s, at its JSON path', async (_name, config, message) => {
    const r = await customize(['-w', worker(config)]);
    expect(r.status).toBe(1);
    expect(r.stdout).toBe('');
    expect(r.stderr).toContain(message);
  });

  it.each([
    ["an environment variable Pulsar's container has (the instance reads POD_NAME)", { extraEnv: [{ name: 'POD_NAME', value: 'x' }] }, 'runtimeCustomizerConfig.extraEnv[0].name: extraEnv: "POD_NAME" is a name Pulsar\'s StatefulSet already uses'],
    ["a volume named as the auth provider's", { extraVolumes: [{ name: 'function-auth', emptyDir: {} }] }, "\"function-auth\" is the name of Pulsar's function auth provider's volume"],
    ['a volume given twice', { extraVolumes: [{ name: 'a', emptyDir: {} }, { name: 'b', emptyDir: {} }], extraInitContainers: [{ name: 'x', image: 'i' }, { name: 'x', image: 'j' }] }, 'extraInitContainers: "x" is given twice'],
    ['a mount of a volume the pod does not have', { extraVolumeMounts: [{ name: 'nope', mountPath: '/etc/nope' }] }, 'mounts "nope", a volume the pod does not have: the API server refuses it (the pod\'s volumes: none) [PMC_VOLUME_MOUNT]'],
    ['a relative mount path', { extraVolumes: [{ name: 'v', emptyDir: {} }], extraVolumeMounts: [{ name: 'v', mountPath: 'tmp' }] }, 'a volume mount needs an absolute mountPath, got "tmp"'],
    ['an init container the Kubernetes schema refuses', { extraInitContainers: [{ name: 'x', image: 'i', command: 'true' }] }, 'spec.template.spec.initContainers[0].command'],
  ])('refused: %s', async (_name, config, message) => {
    const r = await customize(['-w', worker(config)]);
    expect(r.status).toBe(1);
    expect(r.stdout).toBe('');
    expect(r.stderr).toContain(message);
  });

  it('a function may add emptyDir, configMap, secret and projected volumes; any other type needs the worker\'s allowance', async () => {
    const safe = await customize(['-r', JSON.stringify({ extraVolumes: [{ name: 'scratch', emptyDir: {} }, { name: 'cfg', configMap: { name: 'c' } }], extraVolumeMounts: [{ name: 'scratch', mountPath: '/scratch' }] })]);
    expect(safe.stderr).toBe('');
    expect(podSpec(safe.stdout).containers[0].volumeMounts).toContainEqual({ name: 'scratch', mountPath: '/scratch' });
    const host = JSON.stringify({ extraVolumes: [{ name: 'host', hostPath: { path: '/var/run' } }] });
    const refused = await customize(['-r', host]);
    expect(refused.status).toBe(1);
    expect(refused.stderr).toContain('sets extraVolumes, which a function may not set unless the worker allows it (a hostPath volume reaches beyond the pod; only emptyDir, configMap, secret, projected ones do not)');
    expect((await customize(['-w', worker({ allowedFunctionOptions: ['extraVolumes'] }), '-r', host])).status).toBe(0);
  });

  it("with token auth, the auth provider's volume stays and the added one is beside it", async () => {
    const rendered = await runPmc(['render', '-c', 'fixtures/render/word-count-java.yaml', '-w', 'fixtures/render/worker-auth-token.yml', '--function-auth-secret-id', 'abc', '--customizer', 'none'], { cwd: root });
    expect(rendered.status).toBe(0);
    const stream = write('token.yaml', rendered.stdout);
    const r = await runPmc(['customize', stream, '--customizer', 'pod-policy', '-w', worker({ extraVolumes: [{ name: 'cfg', configMap: { name: 'c' } }], extraVolumeMounts: [{ name: 'cfg', mountPath: '/etc/fn' }] })], { cwd: dir });
    expect(r.status).toBe(0);
    expect(r.stderr).not.toContain('error');
    const s = podSpec(r.stdout);
    expect(s.volumes.map((v: Obj) => v.name)).toEqual(['function-auth', 'cfg']);
    expect(s.containers[0].volumeMounts.map((m: Obj) => m.mountPath)).toEqual(['/etc/auth', '/etc/fn']);
  });

  it('a typo of a new key is caught', async () => {
    const r = await customize(['-r', '{"serviceAcountName": "x"}']);
    expect(r.stderr).toContain('did you mean "serviceAccountName"?');
  });

  it('another customizer does not read them, and says so (Pulsar drops them silently)', async () => {
    const r = await runPmc(['customize', fn, '--customizer', 'security-context', '-r', '{"terminationGracePeriodSeconds": 30}'], { cwd: dir });
    expect(r.status).toBe(0);
    expect(r.stderr).toContain('terminationGracePeriodSeconds is ignored');
    expect(r.stderr).toContain('[PMC_POD_POLICY_IGNORED]');
    expect(podSpec(r.stdout).terminationGracePeriodSeconds).toBe(0);
  });
});

describe('safe by default: what a function may not set unless the worker allows it', () => {
  const message = 'the function public/default/my-function sets serviceAccountName, which a function may not set unless the worker allows it (it gives the pods an identity, and the rights bound to it): add serviceAccountName to allowedFunctionOptions';
  const options = '{"serviceAccountName": "payments-admin"}';

  it('customize refuses it, naming the function and the key; the worker allowing it lets it through', async () => {
    const refused = await customize(['-r', options]);
    expect(refused.status).toBe(1);
    expect(refused.stdout).toBe('');
    expect(refused.stderr).toContain(`customRuntimeOptions.serviceAccountName: ${message}`);
    expect(refused.stderr).toContain('[PMC_OPTION_NOT_ALLOWED]');
    // --no-validate does not lift a boundary.
    expect((await customize(['-r', options, '--no-validate'])).status).toBe(1);
    const allowed = await customize(['-w', worker({ allowedFunctionOptions: ['serviceAccountName'] }), '-r', options]);
    expect(allowed.status).toBe(0);
    expect(podSpec(allowed.stdout).serviceAccountName).toBe('payments-admin');
  });

  it('a function cannot allow itself', async () => {
    const r = await customize(['-r', '{"allowedFunctionOptions": ["serviceAccountName"], "serviceAccountName": "x"}']);
    expect(r.status).toBe(1);
    expect(r.stderr).toContain("sets allowedFunctionOptions, which only the worker's runtimeCustomizerConfig may set");
  });

  it('render refuses it too', async () => {
    const r = await runPmc(['render', '-c', 'fixtures/render/word-count-java.yaml', '-w', 'fixtures/render/functions_worker.yml', '--customizer', 'pod-policy', '-r', options], { cwd: root });
    expect(r.status).toBe(1);
    expect(r.stderr).toContain('sets serviceAccountName, which a function may not set unless the worker allows it');
  });

  it('KRM reports it as an error result', async () => {
    const list = `apiVersion: config.kubernetes.io/v1\nkind: ResourceList\nitems:\n${readFileSync(fn, 'utf8').split(/^---\n/m).filter((d) => d.trim()).map((d) => `- ${d.trim().replace(/\n/g, '\n  ')}`).join('\n')}\nfunctionConfig:\n  apiVersion: pmc.pulsar/v1alpha1\n  kind: PulsarManifestCustomizer\n  metadata: {name: p}\n  spec:\n    customizer: pod-policy\n    customRuntimeOptions: '${options}'\n`;
    const r = await runPmc(['krm'], { stdin: list, cwd: dir });
    expect(r.status).toBe(1);
    expect(r.stdout).toContain('PMC_OPTION_NOT_ALLOWED');
    expect(r.stdout).toContain('sets serviceAccountName, which a function may not set unless the worker allows it');
  });

  it('the webhook denies the review with the reason; allowed, it patches', async () => {
    // The function's own options reach admission in its embedded details.
    const manifests = pulsarFunctionManifests({ tenant: 'public', namespace: 'default', name: 'my-function', customRuntimeOptions: options });
    const sts = parseAllDocuments(manifests).map((d) => d.toJS()).find((o) => o?.kind === 'StatefulSet');
    const review = { apiVersion: 'admission.k8s.io/v1', kind: 'AdmissionReview', request: { uid: 'u', kind: { group: 'apps', version: 'v1', kind: 'StatefulSet' }, operation: 'CREATE', object: sts } };
    const io = { stdin: '', stdout: { write: () => true }, stderr: { write: () => true }, env: {}, cwd: dir };
    const denied = reviewAdmission(structuredClone(review), { ...(await loadSettings({}, io)).settings, mode: 'webhook-only', applies: 'pod-policy' } as WebhookSettings, 't');
    expect(denied.review.response.allowed).toBe(false);
    expect(denied.review.response.status.message).toContain('customRuntimeOptions.serviceAccountName: the function public/default/my-function sets serviceAccountName');
    const allowedSettings = { ...(await loadSettings({ workerConfig: worker({ allowedFunctionOptions: ['serviceAccountName'] }) }, io)).settings, mode: 'webhook-only', applies: 'pod-policy' } as WebhookSettings;
    const patched = reviewAdmission(structuredClone(review), allowedSettings, 't');
    expect(patched.review.response.allowed).toBe(true);
    expect(patched.patch).toContainEqual({ op: 'add', path: '/spec/template/spec/serviceAccountName', value: 'payments-admin' });
  });
});

describe('the webhook applies them as customize does, through the real kubectl', () => {
  const KUBECTL_DIR = '/usr/lib/google-cloud-sdk/bin';
  const KUBECTLS = ['kubectl.1.27', 'kubectl.1.33'].map((k) => (existsSync(join(KUBECTL_DIR, k)) ? join(KUBECTL_DIR, k) : k));
  const config = { serviceAccountName: 'fn-sa', automountServiceAccountToken: false, imagePullSecrets: [{ name: 'regcred' }], priorityClassName: 'high', runtimeClassName: 'gvisor', terminationGracePeriodSeconds: 30, affinity: AFFINITY, topologySpreadConstraints: [SPREAD], extraEnv: [{ name: 'LOG_LEVEL', value: 'debug' }], extraEnvFrom: [{ secretRef: { name: 's' } }], extraVolumes: [{ name: 'cfg', configMap: { name: 'c' } }], extraVolumeMounts: [{ name: 'cfg', mountPath: '/etc/fn' }], extraInitContainers: [{ name: 'warm', image: 'busybox:1.36' }], startupProbe: { preset: 'grpc' }, livenessProbe: { preset: 'metrics' } };
  // Where each option lands in the pod spec, to compare customize's with the patched one.
  const FIELDS = ['serviceAccountName', 'automountServiceAccountToken', 'imagePullSecrets', 'priorityClassName', 'runtimeClassName', 'terminationGracePeriodSeconds', 'affinity', 'topologySpreadConstraints', 'volumes', 'initContainers', 'containers'];

  it.each(['hybrid', 'webhook-only'] as const)('%s mode', async (mode) => {
    const w = worker(config);
    const printed = podSpec((await customize(['-w', w])).stdout);
    const io = { stdin: '', stdout: { write: () => true }, stderr: { write: () => true }, env: {}, cwd: dir };
    const settings = { ...(await loadSettings({ workerConfig: w }, io)).settings, mode, applies: 'pod-policy' } as WebhookSettings;
    const sts = parseAllDocuments(readFileSync(fn, 'utf8')).map((d) => d.toJS()).find((o) => o?.kind === 'StatefulSet');
    const r = reviewAdmission({ apiVersion: 'admission.k8s.io/v1', kind: 'AdmissionReview', request: { uid: 'u', kind: { group: 'apps', version: 'v1', kind: 'StatefulSet' }, operation: 'CREATE', object: sts } }, settings, 't');
    for (const kubectl of KUBECTLS) {
      const file = write(`sts-${mode}.json`, JSON.stringify(sts));
      const out = spawnSync(kubectl, ['patch', '--local', '-f', join(dir, file), '--type=json', '-p', JSON.stringify(r.patch), '-o', 'json'], { encoding: 'utf8' });
      expect(out.stderr).toBe('');
      const spec = JSON.parse(out.stdout).spec.template.spec;
      for (const key of FIELDS) expect(spec[key], `${kubectl} ${key}`).toEqual(printed[key]);
    }
  });
});

describe("token auth's volume survives the webhook's patch", () => {
  it.each(['kubectl.1.27', 'kubectl.1.33'])('%s applies the patch: the auth volume and mount stay, the added ones are beside them', async (name) => {
    const kubectl = existsSync(join('/usr/lib/google-cloud-sdk/bin', name)) ? join('/usr/lib/google-cloud-sdk/bin', name) : name;
    const rendered = await runPmc(['render', '-c', 'fixtures/render/word-count-java.yaml', '-w', 'fixtures/render/worker-auth-token.yml', '--function-auth-secret-id', 'abc', '--customizer', 'none', '-o', 'json'], { cwd: root });
    const sts = (JSON.parse(rendered.stdout).items as Obj[]).find((o) => o.kind === 'StatefulSet')!;
    const io = { stdin: '', stdout: { write: () => true }, stderr: { write: () => true }, env: {}, cwd: dir };
    const w = worker({ extraVolumes: [{ name: 'cfg', configMap: { name: 'c' } }], extraVolumeMounts: [{ name: 'cfg', mountPath: '/etc/fn' }] });
    const settings = { ...(await loadSettings({ workerConfig: w }, io)).settings, mode: 'hybrid', applies: 'pod-policy' } as WebhookSettings;
    const r = reviewAdmission({ apiVersion: 'admission.k8s.io/v1', kind: 'AdmissionReview', request: { uid: 'u', kind: { group: 'apps', version: 'v1', kind: 'StatefulSet' }, operation: 'CREATE', object: structuredClone(sts) } }, settings, 't');
    const file = write(`token-${name}.json`, JSON.stringify(sts));
    const out = spawnSync(kubectl, ['patch', '--local', '-f', join(dir, file), '--type=json', '-p', JSON.stringify(r.patch), '-o', 'json'], { encoding: 'utf8' });
    expect(out.stderr).toBe('');
    const spec = JSON.parse(out.stdout).spec.template.spec;
    expect(spec.volumes.map((v: Obj) => v.name)).toEqual(['function-auth', 'cfg']);
    expect(spec.containers[0].volumeMounts).toEqual([{ mountPath: '/etc/auth', name: 'function-auth', readOnly: true }, { name: 'cfg', mountPath: '/etc/fn' }]);
  });
});

describe("the webhook customizes the worker's requests only", () => {
  it("a review from another user passes untouched, with the reason in its summary; the worker's is patched", async () => {
    const io = { stdin: '', stdout: { write: () => true }, stderr: { write: () => true }, env: {}, cwd: dir };
    const settings = { ...(await loadSettings({ workerConfig: worker({ terminationGracePeriodSeconds: 30 }) }, io)).settings, mode: 'webhook-only', applies: 'pod-policy', workerUsers: ['system:serviceaccount:pulsar:pulsar-broker-acct'] } as WebhookSettings;
    const sts = parseAllDocuments(readFileSync(fn, 'utf8')).map((d) => d.toJS()).find((o) => o?.kind === 'StatefulSet');
    const review = (username?: string) => ({ apiVersion: 'admission.k8s.io/v1', kind: 'AdmissionReview', request: { uid: 'u', kind: { group: 'apps', version: 'v1', kind: 'StatefulSet' }, operation: 'CREATE', object: structuredClone(sts), ...(username ? { userInfo: { username } } : {}) } });
    for (const user of ['system:serviceaccount:apps:deployer', undefined]) {
      const r = reviewAdmission(review(user), settings, 't');
      expect(r.review.response).toEqual({ uid: 'u', allowed: true });
      expect(r.summary).toMatchObject({ outcome: 'passed', reason: `not the worker's account (${user ?? 'no userInfo.username'})` });
    }
    const worker_ = reviewAdmission(review('system:serviceaccount:pulsar:pulsar-broker-acct'), settings, 't');
    expect(worker_.summary.outcome).toBe('patched');
    expect(worker_.patch).toContainEqual({ op: 'replace', path: '/spec/template/spec/terminationGracePeriodSeconds', value: 30 });
  });

  it('--worker-user is a flag of pmc webhook', async () => {
    const help = (await runPmc(['webhook', '--help'])).stdout.replace(/\s+/g, ' ');
    expect(help).toContain("--worker-user <USER...> customize only the reviews of these users, the worker's service account");
  });
});

describe('probes, with presets that allow for the package download', () => {
  it.each([
    ['startupProbe', { preset: 'grpc' }, { tcpSocket: { port: 'grpc' }, periodSeconds: 10, timeoutSeconds: 5, failureThreshold: 30 }],
    ['livenessProbe', { preset: 'grpc' }, { tcpSocket: { port: 'grpc' }, initialDelaySeconds: 60, periodSeconds: 10, timeoutSeconds: 5, failureThreshold: 3 }],
    ['readinessProbe', { preset: 'metrics', periodSeconds: 30 }, { httpGet: { path: '/metrics', port: 'prometheus' }, initialDelaySeconds: 10, periodSeconds: 30, timeoutSeconds: 5, failureThreshold: 3 }],
    ['livenessProbe', { exec: { command: ['true'] }, periodSeconds: 20 }, { exec: { command: ['true'] }, periodSeconds: 20 }],
  ])('%s %j', async (key, value, written) => {
    const r = await customize(['-r', JSON.stringify({ [key]: value })]);
    expect(r.stderr).toBe('');
    expect(podSpec(r.stdout).containers[0][key]).toEqual(written);
  });

  it.each([
    ['an unknown preset', { livenessProbe: { preset: 'http' } }, 'customRuntimeOptions.livenessProbe.preset: unknown probe preset "http": one of grpc, metrics'],
    ['a probe the Kubernetes schema refuses', { readinessProbe: { periodSeconds: 'often' } }, 'spec.template.spec.containers[0].readinessProbe.periodSeconds'],
  ])('refused: %s', async (_name, options, message) => {
    const r = await customize(['-r', JSON.stringify(options)]);
    expect(r.status).toBe(1);
    expect(r.stderr).toContain(message);
  });

  it.each(['grpc', 'metrics'])('render -> customize -> check-pss restricted, with the %s preset and automountServiceAccountToken: false', async (preset) => {
    const w = write(`probes-${preset}.yml`, `${readFileSync(join(root, 'fixtures', 'render', 'functions_worker.yml'), 'utf8')}\nruntimeCustomizerConfig:\n  securityContext: {preset: restricted}\n  automountServiceAccountToken: false\n  startupProbe: {preset: ${preset}}\n  livenessProbe: {preset: ${preset}}\n`);
    const r = await runPmc(['render', '-c', join(root, 'fixtures', 'render', 'word-count-java.yaml'), '-w', w, '--customizer', 'pod-policy', '--check-pss', 'restricted'], { cwd: dir });
    expect(r.status).toBe(0);
    const s = podSpec(r.stdout);
    expect(s.automountServiceAccountToken).toBe(false);
    expect(Object.keys(s.containers[0].startupProbe)).toContain(preset === 'grpc' ? 'tcpSocket' : 'httpGet');
    const checked = await runPmc(['check-pss', '--level', 'restricted'], { stdin: r.stdout, cwd: dir });
    expect(checked.status).toBe(0);
  });
});
