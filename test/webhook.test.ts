// pmc webhook: the review contract, and the differential check that its JSON Patch, applied
// by the real kubectl (`kubectl patch --local --type=json`, 1.27 and 1.33), gives exactly the
// object `pmc customize` prints, in both modes, for every golden case and seed example.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseAllDocuments } from 'yaml';
import { describe, expect, it } from 'vitest';
import { loadSettings, type InputFlags } from '../src/cli/inputs.js';
import type { Io } from '../src/cli/io.js';
import { applyPatch, validate as validatePatch, type Operation } from 'fast-json-patch';
import { jsonPatch } from '../src/core/base/json-patch.js';
import type { AdmissionMode } from '../src/core/customize/modes.js';
import { APPLIED_ANNOTATION, NOT_APPLIED_ANNOTATION, reviewAdmission, type WebhookSettings } from '../src/core/faces/webhook.js';
import { runPmc } from './support/run.js';

const root = join(import.meta.dirname, '..');
const golden = join(root, 'fixtures', 'golden');
const scratch = mkdtempSync(join(tmpdir(), 'pmc-webhook-'));
const KUBECTL_DIR = '/usr/lib/google-cloud-sdk/bin';
const KUBECTLS = ['kubectl.1.27', 'kubectl.1.33'].map((k) => (existsSync(join(KUBECTL_DIR, k)) ? join(KUBECTL_DIR, k) : k));

type Obj = Record<string, any>;

async function settingsFor(flags: InputFlags, cwd: string, mode: AdmissionMode): Promise<WebhookSettings> {
  const io: Io = { stdin: '', stdout: { write: () => true }, stderr: { write: () => true }, env: {}, cwd };
  const { settings } = await loadSettings(flags, io);
  return { ...settings, mode };
}

function review(object: Obj, operation = 'CREATE', uid = 'uid-1'): Obj {
  return {
    apiVersion: 'admission.k8s.io/v1',
    kind: 'AdmissionReview',
    request: { uid, kind: { group: object.apiVersion?.split('/')[0] ?? '', version: 'v1', kind: object.kind }, operation, namespace: object.metadata?.namespace, name: object.metadata?.name, object },
  };
}

function objectsOf(text: string): Obj[] {
  const trimmed = text.trim();
  if (trimmed.startsWith('{')) {
    const v = JSON.parse(trimmed);
    return v.kind === 'List' ? v.items : [v];
  }
  return parseAllDocuments(text).map((d) => d.toJS()).filter(Boolean);
}

/** The patch applied by the real kubectl, offline. */
function kubectlPatch(kubectl: string, object: Obj, patch: unknown[]): Obj {
  const file = join(scratch, `object-${Math.random().toString(36).slice(2)}.json`);
  writeFileSync(file, JSON.stringify(object));
  const r = spawnSync(kubectl, ['patch', '--local', '-f', file, '--type=json', '-p', JSON.stringify(patch), '-o', 'json'], { encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`${kubectl} patch: ${r.stderr}`);
  return JSON.parse(r.stdout);
}

function withoutStamp(o: Obj): Obj {
  const copy = structuredClone(o);
  const a = copy.metadata?.annotations;
  if (a) {
    delete a[APPLIED_ANNOTATION];
    delete a[NOT_APPLIED_ANNOTATION];
    if (Object.keys(a).length === 0) delete copy.metadata.annotations;
  }
  return copy;
}

/** What admission cannot do: the differential leaves out jobName and jobNamespace on both sides. */
function withoutRenames(options: string | undefined): string | undefined {
  if (options === undefined) return undefined;
  const o = JSON.parse(options);
  delete o.jobName;
  delete o.jobNamespace;
  return JSON.stringify(o);
}

interface Case {
  name: string;
  cwd: string;
  /** The stream as the worker created it (before any customizer). */
  input: string;
  flags: InputFlags;
}

/** Every golden customize case that succeeds, and every golden render case (its objects as Pulsar renders them). */
function cases(): Case[] {
  const out: Case[] = [];
  for (const name of readdirSync(golden).sort()) {
    const spec = JSON.parse(readFileSync(join(golden, name, 'case.json'), 'utf8')) as { cmd: string[]; status?: number };
    if (spec.status) continue;
    const cmd = spec.cmd;
    const flag = (...names: string[]) => {
      const i = cmd.findIndex((a) => names.includes(a));
      return i === -1 ? undefined : cmd[i + 1];
    };
    const cwd = join(golden, name);
    if (cmd[0] === 'customize' && !cmd.includes('--customizer')) {
      out.push({
        name,
        cwd,
        input: readFileSync(join(cwd, cmd[1]!), 'utf8'),
        flags: { workerConfig: flag('-w'), functionConfig: flag('-c'), customRuntimeOptions: withoutRenames(flag('-r', '--custom-runtime-options')), validate: !cmd.includes('--no-validate') },
      });
    }
    if (cmd[0] === 'render' && !cmd.includes('--customizer') && !cmd.includes('--check-pss')) {
      const plain = spawnSync(process.execPath, [join(root, 'bin', 'pmc.js'), ...cmd, '--customizer', 'none', '-o', 'json'], { cwd, encoding: 'utf8' });
      if (plain.status !== 0) throw new Error(plain.stderr);
      // The function's own options come from the StatefulSet's embedded function details, as in a cluster.
      out.push({ name, cwd, input: plain.stdout, flags: { workerConfig: flag('-w') } });
    }
  }
  return out;
}

const ALL = cases();
/** How many reviews patched, per mode: a differential where nothing patches would prove nothing. */
const patchCount = { 'webhook-only': 0, hybrid: 0 };

describe('pmc webhook: the patch, applied by kubectl, is what pmc customize prints', () => {
  it('has the golden and seed cases', () => {
    expect(ALL.length).toBeGreaterThanOrEqual(25);
    expect(ALL.map((c) => c.name)).toEqual(expect.arrayContaining(['seed-example-1-source', 'seed-example-3-sink', 'seed-worker-override', 'render-go', 'render-python']));
  });

  for (const mode of ['webhook-only', 'hybrid'] as const) {
    it.each(ALL.map((c) => [c.name, c] as const))(`${mode}: %s`, async (_name, c) => {
      const cli = (customizer: string, input: string) => {
        const args = ['customize', '-', '--customizer', customizer, '-o', 'json'];
        if (c.flags.workerConfig) args.push('-w', c.flags.workerConfig);
        if (c.flags.functionConfig) args.push('-c', c.flags.functionConfig);
        if (c.flags.customRuntimeOptions) args.push('-r', c.flags.customRuntimeOptions);
        if (c.flags.validate === false) args.push('--no-validate');
        return runPmc(args, { cwd: c.cwd, stdin: input });
      };
      const settings = await settingsFor(c.flags, c.cwd, mode);
      const expected = await cli('security-context', c.input);
      // Hybrid: the worker's BasicKubernetesManifestCustomizer ran first; the webhook adds the rest.
      const admitted = mode === 'hybrid' ? await cli('basic', c.input) : { status: 0, stdout: c.input, stderr: '' };
      expect(expected.status, expected.stderr).toBe(0);
      expect(admitted.status, admitted.stderr).toBe(0);
      const before = objectsOf(admitted.stdout).filter((o) => o.kind === 'StatefulSet');
      const after = objectsOf(expected.stdout).filter((o) => o.kind === 'StatefulSet');
      expect(before.length).toBeGreaterThan(0);
      for (const [i, sts] of before.entries()) {
        const result = reviewAdmission(review(sts), settings, '0.1.0');
        expect(result.review.response.allowed).toBe(true);
        const want = after[i]!;
        if (!result.patch) {
          expect(withoutStamp(sts)).toEqual(want);
          continue;
        }
        patchCount[mode]++;
        const kubectl = KUBECTLS[i % 2]!;
        const patched = kubectlPatch(kubectl, sts, result.patch);
        // Where customize renames (a jobName in the case's options), admission cannot: compare the rest.
        const named = { ...want, metadata: { ...want.metadata, name: sts.metadata.name, namespace: sts.metadata.namespace } };
        if (want.spec?.serviceName) named.spec = { ...want.spec, serviceName: sts.spec.serviceName };
        expect(withoutStamp(patched)).toEqual(named);
        expect(patched.metadata.annotations[APPLIED_ANNOTATION]).toMatch(/^[0-9a-f]{16}$/);
      }
    });
  }

  it('most reviews patched something, in both modes', () => {
    expect(patchCount['webhook-only']).toBeGreaterThanOrEqual(12);
    expect(patchCount.hybrid).toBeGreaterThanOrEqual(6);
  });

  it('both kubectl versions apply the same patch to the same object', () => {
    const c = ALL.find((x) => x.name === 'seed-worker-security-context')!;
    const sts = objectsOf(c.input).find((o) => o.kind === 'StatefulSet')!;
    const target = structuredClone(sts);
    target.spec.template.spec.securityContext = { runAsNonRoot: true };
    target.metadata.annotations = { 'a/b~c': 'escaped' };
    const patch = jsonPatch(sts, target);
    expect(patch.map((p) => p.path)).toContain('/metadata/annotations');
    const [a, b] = KUBECTLS.map((k) => kubectlPatch(k, sts, patch));
    expect(a).toEqual(b);
    expect(a.metadata.annotations['a/b~c']).toBe('escaped');
  });
});

describe('pmc webhook: the review contract', () => {
  const cwd = join(root, 'fixtures', 'render');
  const rendered = (config: string, worker = 'worker-security-context.yml') => {
    const r = spawnSync(process.execPath, [join(root, 'bin', 'pmc.js'), 'render', '-c', config, '-w', worker, '--customizer', 'none', '-o', 'json', '--function-id', 'a', '--function-version', 'b'], { cwd, encoding: 'utf8' });
    if (r.status !== 0) throw new Error(r.stderr);
    return JSON.parse(r.stdout).items as Obj[];
  };
  const [service, sts] = rendered('hardened-function.yaml');
  const webhookOnly = () => settingsFor({ workerConfig: 'worker-security-context.yml' }, cwd, 'webhook-only');

  it('answers admission.k8s.io/v1 AdmissionReview, echoing the uid, with patchType only beside a patch', async () => {
    const r = reviewAdmission(review(sts!, 'CREATE', 'abc-123'), await webhookOnly(), '0.1.0').review;
    expect(r.apiVersion).toBe('admission.k8s.io/v1');
    expect(r.kind).toBe('AdmissionReview');
    expect(r.response.uid).toBe('abc-123');
    expect(r.response.allowed).toBe(true);
    expect(r.response.patchType).toBe('JSONPatch');
    const ops = JSON.parse(Buffer.from(r.response.patch, 'base64').toString('utf8'));
    expect(Array.isArray(ops)).toBe(true);
    for (const op of ops) expect(op.path).not.toMatch(/^\/(metadata\/(name|namespace)|spec\/(selector|serviceName))(\/|$)/);
    const passed = reviewAdmission(review(service!, 'CREATE', 'svc'), await webhookOnly(), '0.1.0').review;
    expect(passed.response).toEqual({ uid: 'svc', allowed: true });
  });

  it('is idempotent: a second pass over its own output patches nothing', async () => {
    const s = await webhookOnly();
    const first = reviewAdmission(review(sts!), s, '0.1.0');
    const applied = kubectlPatch(KUBECTLS[1]!, sts!, first.patch!);
    const second = reviewAdmission(review(applied), s, '0.1.0');
    expect(second.review.response.patch).toBeUndefined();
    expect(second.summary.outcome).toBe('unchanged');
    // With tolerations in the options too: not appended a second time in admission.
    const tolerating = { ...s, worker: { ...s.worker, tolerations: [{ key: 'dedicated', operator: 'Equal', value: 'pulsar', effect: 'NoSchedule' }] } };
    const once = kubectlPatch(KUBECTLS[1]!, sts!, reviewAdmission(review(sts!), tolerating, '0.1.0').patch!);
    expect(once.spec.template.spec.tolerations.filter((t: Obj) => t.key === 'dedicated')).toHaveLength(1);
    expect(reviewAdmission(review(once), tolerating, '0.1.0').summary.outcome).toBe('unchanged');
  });

  it('the stamp never opts an object out: a forged one and one copied from another function are customized', async () => {
    const s = await webhookOnly();
    const genuine = kubectlPatch(KUBECTLS[0]!, sts!, reviewAdmission(review(sts!), s, '0.1.0').patch!);
    const stamp = genuine.metadata.annotations[APPLIED_ANNOTATION];
    expect(stamp).toMatch(/^[0-9a-f]{16}$/);
    for (const forged of ['x', stamp]) {
      const object = structuredClone(sts!);
      object.metadata.annotations = { ...object.metadata.annotations, [APPLIED_ANNOTATION]: forged };
      const r = reviewAdmission(review(object), s, '0.1.0');
      expect(r.summary.outcome).toBe('patched');
      const after = kubectlPatch(KUBECTLS[0]!, object, r.patch!);
      expect(after.spec.template.spec.securityContext).toEqual(genuine.spec.template.spec.securityContext);
      expect(after.metadata.annotations[APPLIED_ANNOTATION]).toBe(stamp);
    }
  });

  it.each(['hybrid', 'webhook-only'] as const)("%s: a function's options writing pmc's prefix are refused, naming the function", async (mode) => {
    const s = await settingsFor({ workerConfig: 'worker-security-context.yml' }, cwd, mode);
    const [, own] = rendered('hardened-function.yaml');
    const object = structuredClone(own!);
    const command: string[] = object.spec.template.spec.containers[0].command;
    const details = /--function_details '([^']*)'/.exec(command[2]!)![1]!;
    const withStamp = JSON.stringify({ ...JSON.parse(details), customRuntimeOptions: JSON.stringify({ extraAnnotations: { [APPLIED_ANNOTATION]: 'x' } }) });
    command[2] = command[2]!.replace(details, withStamp);
    const r = reviewAdmission(review(object), s, '0.1.0');
    expect(r.summary.outcome).toBe('refused');
    expect(r.summary.reason).toBe('PMC_RESERVED_KEY');
    expect(r.review.response.allowed).toBe(false);
    expect(r.review.response.status.message).toMatch(/the function \S+\/\S+\/\S+ sets pulsar-manifest-customizer\/applied: the prefix pulsar-manifest-customizer\/ is pmc's own/);
  });

  it('keys named like Object.prototype members (toString, valueOf) are applied; the patch is valid under strict RFC 6902 and equal through kubectl patch', async () => {
    const s = await webhookOnly();
    const options = { ...s, worker: { ...s.worker, extraLabels: { toString: 'a', valueOf: 'b' }, extraAnnotations: { hasOwnProperty: 'c', toString: 'd' } } };
    const r = reviewAdmission(review(sts!), options, '0.1.0');
    expect(r.summary.outcome).toBe('patched');
    // fast-json-patch's validate refuses what RFC 6902 refuses: a replace of a missing member, a bad index.
    expect(validatePatch(r.patch as Operation[], structuredClone(sts!))).toBeUndefined();
    const strict = applyPatch(structuredClone(sts!), r.patch as Operation[], true, false).newDocument as Obj;
    const viaKubectl = kubectlPatch(KUBECTLS[1]!, sts!, r.patch!);
    expect(viaKubectl).toEqual(strict);
    expect(strict.spec.template.metadata.labels).toMatchObject({ toString: 'a', valueOf: 'b' });
    expect(strict.metadata.annotations).toMatchObject({ hasOwnProperty: 'c', toString: 'd' });
    // The CLI too.
    const cli = spawnSync(process.execPath, [join(root, 'bin', 'pmc.js'), 'customize', '-w', 'worker-security-context.yml', '-r', '{"extraLabels": {"toString": "a"}}', '-o', 'json'], { cwd, encoding: 'utf8', input: JSON.stringify(sts) });
    expect(cli.stderr).not.toContain('PMC_SELECTOR_MISMATCH');
    expect(JSON.parse(cli.stdout).spec.template.metadata.labels.toString).toBe('a');
  });

  it("items pmc does not touch are never written back: appended tolerations are adds at the end, a 2^53+1 tolerationSeconds stays exact", async () => {
    const s = await webhookOnly();
    const tolerating = { ...s, worker: { ...s.worker, tolerations: [{ key: 'dedicated', operator: 'Exists', effect: 'NoSchedule' }] } };
    const object = structuredClone(sts!);
    const existing = object.spec.template.spec.tolerations as Obj[];
    existing[0]!.tolerationSeconds = 123456789;
    const raw = JSON.stringify(object).replace('"tolerationSeconds":123456789', '"tolerationSeconds":9007199254740993');
    const r = reviewAdmission(review(JSON.parse(raw)), tolerating, '0.1.0');
    const onTolerations = r.patch!.filter((op) => op.path.startsWith('/spec/template/spec/tolerations'));
    expect(onTolerations).toEqual([{ op: 'add', path: `/spec/template/spec/tolerations/${existing.length}`, value: { key: 'dedicated', operator: 'Exists', effect: 'NoSchedule' } }]);
    const file = join(scratch, 'big-toleration.json');
    writeFileSync(file, raw);
    const patched = spawnSync(KUBECTLS[1]!, ['patch', '--local', '-f', file, '--type=json', '-p', JSON.stringify(r.patch), '-o', 'json'], { encoding: 'utf8' });
    expect(patched.status).toBe(0);
    expect(patched.stdout).toContain('"tolerationSeconds": 9007199254740993');
  });

  it('an object without metadata passes, one nested 5,000 deep is refused: never a 500', async () => {
    const s = await webhookOnly();
    const bare = structuredClone(sts!);
    delete bare.metadata;
    expect(reviewAdmission(review(bare), s, '0.1.0').summary).toMatchObject({ outcome: 'passed', reason: 'no metadata' });
    const deep = structuredClone(sts!);
    let at: Obj = {};
    deep.spec.template.spec.containers[0].extra = at;
    for (let i = 0; i < 5000; i++) at = at.a = {};
    const r = reviewAdmission(review(deep), s, '0.1.0');
    expect(r.summary).toMatchObject({ outcome: 'refused', reason: 'PMC_YAML_TOO_DEEP' });
    expect(r.review.response.status.code).toBe(403);
  });

  it("deploy/'s worker (restricted, enforce): a function's options that loosen it are refused in the review with the reason; tightening passes", async () => {
    const s = await settingsFor({ workerConfig: join(root, 'deploy', 'functions_worker.yml') }, cwd, 'hybrid');
    const withOptions = (options: object) => {
      const object = structuredClone(sts!);
      const command: string[] = object.spec.template.spec.containers[0].command;
      const details = /--function_details '([^']*)'/.exec(command[2]!)![1]!;
      command[2] = command[2]!.replace(details, JSON.stringify({ ...JSON.parse(details), customRuntimeOptions: JSON.stringify(options) }));
      return reviewAdmission(review(object), s, '0.1.0');
    };
    for (const [field, value, why] of [
      ['privileged', true, 'privileged true'],
      ['runAsUser', 0, 'runAsUser 0 (root)'],
      ['addCapabilities', ['SYS_ADMIN'], 'adding SYS_ADMIN (the worker allows NET_BIND_SERVICE)'],
      ['allowPrivilegeEscalation', true, 'allowPrivilegeEscalation true'],
      ['runAsNonRoot', false, 'runAsNonRoot false'],
      ['seccompProfile', { type: 'Unconfined' }, 'seccompProfile Unconfined'],
      ['dropCapabilities', ['NET_RAW'], 'dropping NET_RAW where the worker drops ALL'],
    ] as const) {
      const r = withOptions({ securityContext: { [field]: value } });
      expect(r.summary.outcome, field).toBe('refused');
      expect(r.summary.reason).toBe('PMC_SECURITY_FLOOR');
      expect(r.review.response.status.message).toContain(`customRuntimeOptions.securityContext.${field}: ${why} loosens the worker's security context, which it enforces`);
    }
    const tighter = withOptions({ securityContext: { readOnlyRootFilesystem: true, runAsUser: 20000, addCapabilities: ['NET_BIND_SERVICE'] } });
    expect(tighter.summary.outcome).toBe('patched');
    expect(withOptions({ securityContext: { enforce: false } }).review.response.status.message).toContain("enforce is the worker's setting");
  });

  it.each(['DELETE', 'UPDATE', 'CONNECT'])('%s passes without a patch', async (operation) => {
    const r = reviewAdmission(review(sts!, operation), await webhookOnly(), '0.1.0');
    expect(r.review.response).toEqual({ uid: 'uid-1', allowed: true });
    expect(r.summary).toMatchObject({ outcome: 'passed', reason: 'not a CREATE' });
  });

  it("another team's StatefulSet and a Deployment pass without a patch", async () => {
    const other = { apiVersion: 'apps/v1', kind: 'StatefulSet', metadata: { name: 'db', namespace: 'pulsar' }, spec: { template: { spec: { containers: [{ name: 'postgres', image: 'postgres' }] } } } };
    expect(reviewAdmission(review(other), await webhookOnly(), '0.1.0').summary.reason).toBe("not a Pulsar function's StatefulSet");
    const deployment = { ...other, kind: 'Deployment' };
    expect(reviewAdmission(review(deployment), await webhookOnly(), '0.1.0').review.response).toEqual({ uid: 'uid-1', allowed: true });
  });

  it('webhook-only: jobName and jobNamespace are warnings and an annotation, never applied', async () => {
    const s = await settingsFor({ workerConfig: 'worker-security-context.yml' }, cwd, 'webhook-only');
    const r = reviewAdmission(review(sts!), s, '0.1.0');
    expect(r.review.response.warnings).toEqual(expect.arrayContaining([expect.stringMatching(/^pmc PMC_NOT_IN_ADMISSION: jobNamespace: jobNamespace is not applied: the API server refuses/)]));
    expect(r.review.response.warnings).toEqual(expect.arrayContaining([expect.stringContaining('extraLabels is applied to the StatefulSet only')]));
    const applied = kubectlPatch(KUBECTLS[0]!, sts!, r.patch!);
    expect(applied.metadata.namespace).toBe(sts!.metadata.namespace);
    expect(applied.metadata.annotations[NOT_APPLIED_ANNOTATION]).toBe('jobNamespace');
    expect(applied.metadata.labels.team).toBe('data');
  });

  it('hybrid: only the security context (the worker applied the rest)', async () => {
    const s = await settingsFor({ workerConfig: 'worker-security-context.yml' }, cwd, 'hybrid');
    const r = reviewAdmission(review(sts!), s, '0.1.0');
    const applied = kubectlPatch(KUBECTLS[0]!, sts!, r.patch!);
    expect(applied.metadata.labels.team).toBeUndefined();
    expect(applied.spec.template.spec.securityContext).toMatchObject({ runAsNonRoot: true, runAsUser: 10000, seccompProfile: { type: 'RuntimeDefault' } });
    expect(r.review.response.warnings).toBeUndefined();
  });

  it('webhook-only: warns only of what is set (a worker with only nodeSelectorLabels gets no word of extraLabels or extraAnnotations)', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'pmc-webhook-nodes-'));
    writeFileSync(join(dir, 'worker.yml'), 'functionRuntimeFactoryClassName: org.apache.pulsar.functions.runtime.kubernetes.KubernetesRuntimeFactory\nruntimeCustomizerConfig:\n  nodeSelectorLabels:\n    pool: functions\n');
    const s = await settingsFor({ workerConfig: join(dir, 'worker.yml') }, cwd, 'webhook-only');
    const r = reviewAdmission(review(sts!), s, '0.1.0');
    expect(r.review.response.warnings).toBeUndefined();
    expect(kubectlPatch(KUBECTLS[0]!, sts!, r.patch!).spec.template.spec.nodeSelector).toEqual({ pool: 'functions' });
    expect(r.patch!.some((op) => op.path.includes('NOT_APPLIED') || op.path.includes('not-applied'))).toBe(false);
  });

  it('a Go function: its options read from -instance-conf', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'pmc-webhook-go-'));
    writeFileSync(join(dir, 'fn.yaml'), `${readFileSync(join(cwd, 'exclamation-go.yaml'), 'utf8')}customRuntimeOptions: '{"securityContext":{"runAsUser":4242}}'\n`);
    const r = spawnSync(process.execPath, [join(root, 'bin', 'pmc.js'), 'render', '-c', join(dir, 'fn.yaml'), '-w', join(cwd, 'functions_worker.yml'), '-o', 'json'], { encoding: 'utf8' });
    const go = JSON.parse(r.stdout).items[1];
    expect(go.spec.template.spec.containers[0].command[2]).toContain('-instance-conf');
    const s = await settingsFor({ workerConfig: 'functions_worker.yml' }, cwd, 'webhook-only');
    const result = reviewAdmission(review(go), s, '0.1.0');
    expect(kubectlPatch(KUBECTLS[1]!, go, result.patch!).spec.template.spec.securityContext.runAsUser).toBe(4242);
  });

  it('options the API server would refuse: allowed false, naming the option', async () => {
    const bad = structuredClone(sts!);
    const command: string = bad.spec.template.spec.containers[0].command[2];
    bad.spec.template.spec.containers[0].command[2] = command.replace('\\"runAsUser\\":10000', '\\"runAsUser\\":-5');
    const r = reviewAdmission(review(bad), await webhookOnly(), '0.1.0');
    expect(r.review.response.allowed).toBe(false);
    expect(r.review.response.patch).toBeUndefined();
    expect(r.review.response.status.message).toMatch(/securityContext\.runAsUser/);
    expect(r.summary.outcome).toBe('refused');
  });

  it('--strict: a warning refuses', async () => {
    const s = { ...(await webhookOnly()), strict: true };
    const r = reviewAdmission(review(sts!), s, '0.1.0');
    expect(r.review.response.allowed).toBe(false);
    expect(r.review.response.status.message).toContain('PMC_NOT_IN_ADMISSION');
  });

  it('what is not an AdmissionReview is a bad request', async () => {
    const s = await webhookOnly();
    expect(() => reviewAdmission({ kind: 'Pod' }, s, '0.1.0')).toThrow('expected an AdmissionReview of admission.k8s.io/v1');
    expect(() => reviewAdmission({ apiVersion: 'admission.k8s.io/v1', kind: 'AdmissionReview' }, s, '0.1.0')).toThrow('no request with a uid');
  });
});
