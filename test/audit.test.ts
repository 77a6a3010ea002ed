// pmc audit on captured-shape inputs: live StatefulSets as the worker made them (rendered with
// real-looking ids and an uploaded file name), against each function's config with the
// worker settings of now. Each finding on the input that shows it; a clean cluster reports nothing.
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseAllDocuments, stringify } from 'yaml';
import { describe, expect, it } from 'vitest';
import { runPmc } from './support/run.js';

const cwd = join(import.meta.dirname, '..', 'fixtures', 'render');
const dir = mkdtempSync(join(tmpdir(), 'pmc-audit-'));
const ids = ['--function-id', '7c1e0002-3b2a-4d6f-9e11-0a5c2b8d4002', '--function-version', '9d2f0003-4c3b-4e70-8f22-1b6d3c9e5003'];
async function live(config: string, extra: string[] = []): Promise<string> {
  const r = await runPmc(['render', '-c', config, '-w', 'functions_worker.yml', ...ids, '--original-file-name', 'uploaded-code', ...extra], { cwd });
  if (r.status !== 0) throw new Error(r.stderr);
  return r.stdout;
}
const audit = (liveFile: string, functions: string[], extra: string[] = []) => runPmc(['audit', '-w', 'functions_worker.yml', '--live', liveFile, '--functions', ...functions, ...extra], { cwd });

describe('pmc audit', () => {
  it('a clean cluster: nothing found (the ids and the uploaded file name the worker chose are not drift), exit 0', async () => {
    writeFileSync(join(dir, 'clean.yaml'), (await live('word-count-java.yaml')) + (await live('exclamation-python.yaml')));
    const r = await audit(join(dir, 'clean.yaml'), ['word-count-java.yaml', 'exclamation-python.yaml']);
    expect(r.stderr).toBe('');
    expect(r.stdout).toBe('2 functions, as the worker would create them now\n');
    expect(r.status).toBe(0);
  });

  it('drift per field: the image, the JVM flags of another release, the replicas', async () => {
    const old = (await live('word-count-java.yaml', ['--pulsar-version', '3.0'])).replace('apachepulsar/pulsar-all:4.0.12', 'apachepulsar/pulsar-all:3.0.0').replace('replicas: 2', 'replicas: 1');
    writeFileSync(join(dir, 'old.yaml'), old);
    const r = await audit(join(dir, 'old.yaml'), ['word-count-java.yaml']);
    expect(r.status).toBe(3);
    const lines = r.stdout.trim().split('\n');
    expect(lines).toContain('public/default/word-count (pulsar/pf-public-default-word-count): containers[].image differs from what the worker would create now: running "apachepulsar/pulsar-all:3.0.0", expected "apachepulsar/pulsar-all:4.0.12"');
    expect(lines.some((l) => l.startsWith('public/default/word-count (pulsar/pf-public-default-word-count): containers[].command differs'))).toBe(true);
    expect(lines).toContain("public/default/word-count (pulsar/pf-public-default-word-count): replicas differ from the function's parallelism: running 1, expected 2");
  });

  it('a function not running, a StatefulSet without a config, two StatefulSets for one function; JSON out; a folder of configs; stdin', async () => {
    const one = await live('word-count-java.yaml');
    const sts = parseAllDocuments(one).map((d) => d.toJS()).find((o) => o?.kind === 'StatefulSet');
    const second = { ...structuredClone(sts), metadata: { ...sts.metadata, name: 'word-count-custom-name' } };
    const orphan = parseAllDocuments(await live('window-java.yaml')).map((d) => d.toJS()).find((o) => o?.kind === 'StatefulSet');
    const list = stringify({ apiVersion: 'v1', kind: 'List', items: [sts, second, orphan] });
    mkdirSync(join(dir, 'configs'), { recursive: true });
    writeFileSync(join(dir, 'configs', 'word-count.yaml'), readFileSync(join(cwd, 'word-count-java.yaml'), 'utf8'));
    writeFileSync(join(dir, 'configs', 'exclamation.yaml'), readFileSync(join(cwd, 'exclamation-python.yaml'), 'utf8'));
    const r = await runPmc(['audit', '-w', 'functions_worker.yml', '--live', '-', '--functions', join(dir, 'configs'), '-o', 'json'], { cwd, stdin: list });
    expect(r.status).toBe(3);
    const kinds = JSON.parse(r.stdout).findings.map((f: { kind: string; function: string }) => `${f.kind} ${f.function}`).sort();
    expect(kinds).toEqual(['duplicate public/default/word-count', 'no-config public/default/window-example', 'no-config public/default/word-count', 'not-running public/default/exclamation'].sort());
  });
});

describe('pmc audit --webhook-mode: what pmc webhook applies is expected, and its stamp', () => {
  it('a StatefulSet the webhook patched is clean; one it never saw is unstamped; one stamped under other settings is stale', async () => {
    const { applyPatch } = await import('fast-json-patch');
    const { loadSettings } = await import('../src/cli/inputs.js');
    const { reviewAdmission, APPLIED_ANNOTATION } = await import('../src/core/faces/webhook.js');
    const pkg = JSON.parse(readFileSync(join(import.meta.dirname, '..', 'package.json'), 'utf8'));
    const worker = 'worker-security-context.yml';
    const rendered = await runPmc(['render', '-c', 'hardened-function.yaml', '-w', worker, ...ids, '--original-file-name', 'uploaded-code', '--customizer', 'basic', '-o', 'json'], { cwd });
    const sts = JSON.parse(rendered.stdout).items[1];
    const io = { stdin: '', stdout: { write: () => true }, stderr: { write: () => true }, env: {}, cwd };
    const { settings } = await loadSettings({ workerConfig: worker }, io as never);
    const review = reviewAdmission({ apiVersion: 'admission.k8s.io/v1', kind: 'AdmissionReview', request: { uid: 'u', operation: 'CREATE', kind: { kind: 'StatefulSet' }, object: sts } }, { ...settings, mode: 'hybrid' }, pkg.version);
    const patched = applyPatch(structuredClone(sts), review.patch as never).newDocument;
    const run = (object: object) => {
      writeFileSync(join(dir, 'webhooked.json'), JSON.stringify(object));
      return runPmc(['audit', '-w', worker, '--live', join(dir, 'webhooked.json'), '--functions', 'hardened-function.yaml', '--webhook-mode', 'hybrid'], { cwd });
    };
    const clean = await run(patched);
    expect(clean.stdout).toBe('1 functions, as the worker would create them now\n');
    expect(clean.status).toBe(0);
    const never = await run(sts);
    expect(never.status).toBe(3);
    expect(never.stdout).toContain('pmc webhook never customized it');
    expect(never.stdout).toContain('spec.template.spec.securityContext differs');
    const stale = structuredClone(patched);
    stale.metadata.annotations[APPLIED_ANNOTATION] = '0123456789abcdef';
    const other = await run(stale);
    expect(other.status).toBe(3);
    expect(other.stdout).toContain('pmc webhook customized it under other settings: recreate it to apply those of now: running "0123456789abcdef"');
  });
});

describe('pmc audit --webhook-customizer pod-policy', () => {
  it("expects what a pod-policy webhook applies: its patch is clean; read as the extension's, it is not", async () => {
    const { applyPatch } = await import('fast-json-patch');
    const { loadSettings } = await import('../src/cli/inputs.js');
    const { reviewAdmission } = await import('../src/core/faces/webhook.js');
    const pkg = JSON.parse(readFileSync(join(import.meta.dirname, '..', 'package.json'), 'utf8'));
    const worker = join(dir, 'worker-pod-policy.yml');
    writeFileSync(worker, `${readFileSync(join(cwd, 'worker-security-context.yml'), 'utf8').replace('runtimeCustomizerClassName: com.example.pulsar.SecurityContextKubernetesManifestCustomizer', 'runtimeCustomizerClassName: org.apache.pulsar.functions.runtime.kubernetes.BasicKubernetesManifestCustomizer')}  terminationGracePeriodSeconds: 30\n`);
    const rendered = await runPmc(['render', '-c', 'hardened-function.yaml', '-w', worker, ...ids, '--original-file-name', 'uploaded-code', '-o', 'json'], { cwd });
    const sts = JSON.parse(rendered.stdout).items[1];
    const io = { stdin: '', stdout: { write: () => true }, stderr: { write: () => true }, env: {}, cwd };
    const { settings } = await loadSettings({ workerConfig: worker }, io as never);
    const review = reviewAdmission({ apiVersion: 'admission.k8s.io/v1', kind: 'AdmissionReview', request: { uid: 'u', operation: 'CREATE', kind: { kind: 'StatefulSet' }, object: sts } }, { ...settings, mode: 'hybrid', applies: 'pod-policy' }, pkg.version);
    const patched = applyPatch(structuredClone(sts), review.patch as never).newDocument;
    expect(patched.spec.template.spec.terminationGracePeriodSeconds).toBe(30);
    writeFileSync(join(dir, 'pod-policy.json'), JSON.stringify(patched));
    const audit = (more: string[]) => runPmc(['audit', '-w', worker, '--live', join(dir, 'pod-policy.json'), '--functions', 'hardened-function.yaml', '--webhook-mode', 'hybrid', ...more], { cwd });
    const clean = await audit(['--webhook-customizer', 'pod-policy']);
    expect(clean.stdout).toBe('1 functions, as the worker would create them now\n');
    expect(clean.status).toBe(0);
    const other = await audit([]);
    expect(other.status).toBe(3);
    expect(other.stdout).toContain('customized it under other settings');
  });
});

describe('pmc audit -o sarif', () => {
  it('one result per finding, each naming its rule and the StatefulSet; the rules are the finding kinds', async () => {
    const r = await runPmc(['audit', '-w', 'fixtures/render/functions_worker.yml', '--live', 'fixtures/audit/live.yaml', '--functions', 'fixtures/render/word-count-java.yaml', 'fixtures/render/exclamation-python.yaml', '-o', 'sarif'], { cwd: join(import.meta.dirname, '..') });
    expect(r.status).toBe(3);
    const sarif = JSON.parse(r.stdout);
    expect(sarif.version).toBe('2.1.0');
    const [run] = sarif.runs;
    const rules = run.tool.driver.rules.map((x: { id: string }) => x.id);
    expect(rules).toEqual(['drift', 'replicas', 'not-running', 'no-config', 'duplicate', 'unstamped', 'stale-stamp']);
    expect(run.results.map((x: { ruleId: string }) => x.ruleId).sort()).toEqual(['drift', 'not-running']);
    for (const result of run.results) {
      expect(rules[result.ruleIndex]).toBe(result.ruleId);
      expect(result.message.text).toMatch(/^public\/default\//);
      expect(result.locations[0].physicalLocation.artifactLocation.uri).toBe('fixtures/audit/live.yaml');
      expect(result.locations[0].logicalLocations[0].name).toMatch(/^pulsar\/pf-public-default-/);
    }
  });
});

describe('pmc audit -o json against its schema (schemas/pmc-audit.schema.json)', () => {
  it('every finding kind the tests make is valid, and a wrong one is not', async () => {
    const { default: Ajv2020 } = await import('ajv/dist/2020.js');
    const schema = JSON.parse(readFileSync(join(import.meta.dirname, '..', 'schemas', 'pmc-audit.schema.json'), 'utf8'));
    const validate = new Ajv2020({ allErrors: true }).compile(schema);
    const r = await runPmc(['audit', '-w', 'fixtures/render/functions_worker.yml', '--live', 'fixtures/audit/live.yaml', '--functions', 'fixtures/render/word-count-java.yaml', 'fixtures/render/exclamation-python.yaml', 'fixtures/render/window-java.yaml', '-o', 'json'], { cwd: join(import.meta.dirname, '..') });
    const out = JSON.parse(r.stdout);
    expect(out.findings.length).toBeGreaterThan(1);
    expect(validate(out), JSON.stringify(validate.errors)).toBe(true);
    expect(validate({ findings: [{ kind: 'drift', function: 'a/b/c', statefulSet: 'ns/x' }] })).toBe(false);
    expect(validate({ findings: [{ kind: 'moved', function: 'a/b/c', statefulSet: 'ns/x' }] })).toBe(false);
  });
});
