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
import { jsonPatch } from '../src/core/json-patch.js';
import type { AdmissionMode } from '../src/core/resolve.js';
import { APPLIED_ANNOTATION, NOT_APPLIED_ANNOTATION, reviewAdmission, type WebhookSettings } from '../src/core/webhook.js';
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
