// pmc where users already work: kustomize's exec plugin (run by the real kubectl
// kustomize), a KRM function, a Helm post-renderer, and the --all switch.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseDocument } from 'yaml';
import { splitDocuments } from '../src/core/base/stream.js';
import { runPmc } from './support/run.js';

const root = join(import.meta.dirname, '..');
const fixtures = join(root, 'fixtures');
const read = (...p: string[]) => readFileSync(join(fixtures, ...p), 'utf8');
const PLUGIN = join('kustomize', 'plugin', 'pmc.pulsar', 'v1alpha1', 'pulsarmanifestcustomizer', 'PulsarManifestCustomizer');

describe('kustomize exec transformer plugin, through the real kubectl kustomize', () => {
  let xdg: string;
  beforeAll(async () => {
    const kubectl = spawnSync('kubectl', ['version', '--client'], { encoding: 'utf8' });
    if (kubectl.error) throw new Error('kubectl is not on PATH: these tests run the real `kubectl kustomize`; install kubectl');
    xdg = mkdtempSync(join(tmpdir(), 'pmc-xdg-'));
    const r = await runPmc(['kustomize-plugin', 'install'], { env: { XDG_CONFIG_HOME: xdg } });
    expect(r.status).toBe(0);
    expect(r.stdout).toBe(`${join(xdg, PLUGIN)}\n`);
  });
  afterAll(() => rmSync(xdg, { recursive: true, force: true }));

  const kustomize = (dir: string) =>
    spawnSync('kubectl', ['kustomize', '--enable-alpha-plugins', join(fixtures, 'kustomize', dir)], {
      encoding: 'utf8',
      env: { ...process.env, XDG_CONFIG_HOME: xdg },
    });

  it('install writes an executable where kustomize looks', () => {
    const path = join(xdg, PLUGIN);
    expect(statSync(path).mode & 0o111).not.toBe(0);
    expect(readFileSync(path, 'utf8')).toContain('bin/pmc.js');
  });

  it('install falls back to ~/.config when XDG_CONFIG_HOME is unset', async () => {
    const home = mkdtempSync(join(tmpdir(), 'pmc-home-'));
    const r = await runPmc(['kustomize-plugin', 'install'], { env: { HOME: home } });
    expect(r.stdout).toBe(`${join(home, '.config', PLUGIN)}\n`);
    expect(existsSync(join(home, '.config', PLUGIN))).toBe(true);
    rmSync(home, { recursive: true, force: true });
  });

  it('customizes the Pulsar function and leaves the Deployment alone (golden)', () => {
    const r = kustomize('good');
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    expect(r.stdout).toBe(read('kustomize', 'good', 'expected.yaml'));
  });

  it('a wrong plugin config fails kustomize with pmc\'s message', () => {
    const r = kustomize('bad');
    expect(r.status).not.toBe(0);
    expect(r.stdout).toBe('');
    expect(r.stderr).toContain(
      'pmc: error: PulsarManifestCustomizer/pulsar-functions spec.customRuntimeOptions: customRuntimeOptions.securityContext.runAsNonRoot: expected true or false, got "yes" (Pulsar would read it as false) [PMC_OPTIONS_TYPE]',
    );
  });

  // kubectl kustomize shows a plugin's stderr only when it fails.
  it('a warning fails the build, saying how to accept it', () => {
    const r = kustomize('warning');
    expect(r.status).not.toBe(0);
    expect(r.stdout).toBe('');
    expect(r.stderr).toContain(
      'customRuntimeOptions.securityContex: unknown key "securityContex" (Pulsar ignores it silently); did you mean "securityContext"? (a warning fails the kustomize build, which would not show it otherwise: fix it, or accept it with allowWarnings: [PMC_OPTIONS_UNKNOWN_KEY] in the PulsarManifestCustomizer spec) [PMC_OPTIONS_UNKNOWN_KEY]',
    );
  });

  it('a worker config of keys no worker has is said, not taken for an empty worker without a word', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'pmc-plugin-unknown-'));
    writeFileSync(join(dir, 'pmc.yaml'), 'apiVersion: pmc.pulsar/v1alpha1\nkind: PulsarManifestCustomizer\nmetadata:\n  name: pulsar-functions\nspec:\n  workerConfig:\n    replicas: 3\n    image: apachepulsar/pulsar:4.0.8\n');
    const r = await runPmc([join(dir, 'pmc.yaml')], { stdin: read('kustomize', 'good', 'pulsar-function.yaml') });
    expect(r.status).not.toBe(0);
    expect(r.stdout).toBe('');
    expect(r.stderr).toContain('none of its keys (replicas, image) is a functions worker setting, so it reads as a worker with no customizer');
  });

  it('an accepted warning lets the build through', () => {
    const r = kustomize('accepted');
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    expect(r.stdout).toContain('team: data');
  });
});

describe('the KRM function under the real kpt (kpt fn eval --exec)', () => {
  let dir: string;
  beforeAll(() => {
    if (spawnSync('kpt', ['version'], { encoding: 'utf8' }).error) throw new Error('kpt is not on PATH: these tests run the real `kpt fn eval`');
  });
  const evalWith = (spec: string) => {
    dir = mkdtempSync(join(tmpdir(), 'pmc-kpt-'));
    mkdirSync(join(dir, 'resources'));
    writeFileSync(join(dir, 'resources', 'pulsar-function.yaml'), read('kustomize', 'good', 'pulsar-function.yaml'));
    writeFileSync(join(dir, 'fn.yaml'), `apiVersion: pmc.pulsar/v1alpha1\nkind: PulsarManifestCustomizer\nmetadata:\n  name: pulsar-functions\nspec:\n${spec}`);
    const r = spawnSync('kpt', ['fn', 'eval', join(dir, 'resources'), '--exec', join(root, 'bin', 'pmc-krm.js'), '--fn-config', join(dir, 'fn.yaml')], { encoding: 'utf8' });
    return { ...r, output: readFileSync(join(dir, 'resources', 'pulsar-function.yaml'), 'utf8') };
  };
  afterAll(() => dir && rmSync(dir, { recursive: true, force: true }));

  it('shows pmc\'s warnings as results, and applies the options', () => {
    const r = evalWith(`  customRuntimeOptions: '{"securityContex": {"runAsUser": 1000}, "extraLabels": {"team": "data"}}'\n`);
    expect(r.status).toBe(0);
    expect(r.stderr).toContain('[PASS]');
    expect(r.stderr).toContain('[warning]: customRuntimeOptions.securityContex: unknown key "securityContex" (Pulsar ignores it silently); did you mean "securityContext"?');
    expect(r.output).toContain('team: data');
  });

  it('under strict, the warning is an error: kpt fails and the resources stay as they were', () => {
    const r = evalWith(`  strict: true\n  customRuntimeOptions: '{"resourceRequirements": {"limits": {"nvidia.com/gpu": "1"}}, "extraLabels": {"team": "data"}}'\n`);
    expect(r.status).not.toBe(0);
    expect(r.stderr).toContain('[FAIL]');
    expect(r.stderr).toContain('"nvidia.com/gpu" never reaches a container: Pulsar applies only cpu and memory (an error under strict)');
    expect(r.output).toBe(read('kustomize', 'good', 'pulsar-function.yaml'));
  });
});

describe('plugin run mode: the config file as the first argument', () => {
  it('keeps the annotations kustomize adds, and reads paths from KUSTOMIZE_PLUGIN_CONFIG_ROOT', async () => {
    const input = read('pulsar-function.yaml').replace(
      '  name: pf-public-default-my-function\n  namespace: pulsar\nspec:\n  clusterIP',
      '  name: pf-public-default-my-function\n  namespace: pulsar\n  annotations:\n    kustomize.config.k8s.io/id: |\n      kind: Service\n      name: pf-public-default-my-function\n      version: v1\nspec:\n  clusterIP',
    );
    expect(input).toContain('kustomize.config.k8s.io/id');
    const r = await runPmc([join(fixtures, 'kustomize', 'good', 'pmc.yaml')], {
      stdin: input,
      cwd: tmpdir(),
      env: { KUSTOMIZE_PLUGIN_CONFIG_ROOT: join(fixtures, 'kustomize', 'good') },
    });
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    expect(r.stdout).toContain('  annotations:\n    kustomize.config.k8s.io/id: |\n      kind: Service\n      name: pf-public-default-my-function\n      version: v1\n');
    expect(r.stdout).toContain('team: data-platform');
  });

  it('refuses a config of another kind', async () => {
    const r = await runPmc([join(fixtures, 'kustomize', 'good', 'kustomization.yaml')], { stdin: read('pulsar-function.yaml') });
    expect(r.status).toBe(1);
    expect(r.stdout).toBe('');
    expect(r.stderr).toContain(
      'expected apiVersion: pmc.pulsar/v1alpha1 and kind: PulsarManifestCustomizer, got "kustomize.config.k8s.io/v1beta1" and "Kustomization": `pmc FILE` runs pmc as a kustomize plugin with FILE as its config; to customize the manifests in it, run: pmc customize',
    );
  });
});

describe('KRM function (pmc krm)', () => {
  it('customizes the items, keeps every config.kubernetes.io annotation (golden)', async () => {
    const r = await runPmc(['krm'], { stdin: read('krm', 'resource-list.yaml') });
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    expect(r.stdout).toBe(read('krm', 'expected.yaml'));
    const items = parseDocument(r.stdout).toJS().items as any[];
    for (const item of items) {
      expect(Object.keys(item.metadata.annotations).filter((k) => k.includes('config.kubernetes.io/'))).toHaveLength(item.kind === 'ConfigMap' ? 2 : 4);
    }
  });

  it('an error becomes a result with severity, resourceRef and field, and a non-zero exit (golden)', async () => {
    const r = await runPmc(['krm'], { stdin: read('krm', 'resource-list-error.yaml') });
    expect(r.status).toBe(1);
    expect(r.stdout).toBe(read('krm', 'expected-error.yaml'));
    const out = parseDocument(r.stdout).toJS();
    const input = parseDocument(read('krm', 'resource-list-error.yaml')).toJS();
    expect(out.items).toEqual(input.items);
    expect(out.results).toEqual([
      expect.objectContaining({
        severity: 'error',
        resourceRef: { apiVersion: 'apps/v1', kind: 'StatefulSet', name: 'pf-public-default-my-function', namespace: 'pulsar' },
        field: { path: 'spec.template.spec.containers[0].securityContext' },
      }),
    ]);
  });

  it('without a functionConfig, an error result', async () => {
    const r = await runPmc(['krm'], { stdin: 'apiVersion: config.kubernetes.io/v1\nkind: ResourceList\nitems: []\n' });
    expect(r.status).toBe(1);
    expect(parseDocument(r.stdout).toJS().results[0]).toMatchObject({ severity: 'error', message: expect.stringContaining('no functionConfig') });
  });

  it('refuses what is not a ResourceList', async () => {
    const r = await runPmc(['krm'], { stdin: read('kustomize', 'good', 'deployment.yaml') });
    expect(r.status).toBe(1);
    expect(r.stdout).toBe('');
    expect(r.stderr).toContain(
      'pmc: error: <stdin>: expected a ResourceList (apiVersion: config.kubernetes.io/v1) on stdin, got kind: Deployment; kpt and kustomize send one to a KRM function. To customize manifests, run: pmc customize [PMC_KRM]',
    );
  });

  it('refuses a stream of several documents', async () => {
    const r = await runPmc(['krm'], { stdin: read('pulsar-function.yaml') });
    expect(r.status).toBe(1);
    expect(r.stderr).toContain('pmc: error: <stdin>:25:1: expected one ResourceList on stdin, got a stream of documents; to customize manifests, run: pmc customize [PMC_KRM]');
  });
});

describe('Helm post-renderer: a rendered chart on stdin', () => {
  const chart = read('helm', 'chart-output.yaml');

  it('only the Pulsar StatefulSet and its Service change (golden)', async () => {
    const r = await runPmc(['customize', '-w', join(fixtures, 'functions_worker.yml')], { stdin: chart });
    expect(r.status).toBe(0);
    expect(r.stdout).toBe(read('helm', 'expected.yaml'));
    const before = splitDocuments(chart);
    const after = splitDocuments(r.stdout);
    expect(after).toHaveLength(before.length);
    const changed = after.filter((d, i) => d.text !== before[i].text).map((d) => parseDocument(d.text).toJS());
    expect(changed.map((d) => `${d.kind}/${d.metadata.name}`)).toEqual(['Service/pf-public-default-enrich-orders', 'StatefulSet/pf-public-default-enrich-orders']);
  });

  it('--all customizes every StatefulSet and Service, the chart\'s own too', async () => {
    const r = await runPmc(['customize', '--all', '-r', '{"extraLabels": {"team": "data"}}'], { stdin: chart });
    expect(r.status).toBe(0);
    const before = splitDocuments(chart);
    const changed = splitDocuments(r.stdout)
      .filter((d, i) => d.text !== before[i].text)
      .map((d) => parseDocument(d.text).toJS());
    expect(changed.map((d) => `${d.kind}/${d.metadata.name}`).sort()).toEqual([
      'Service/pf-public-default-enrich-orders',
      'Service/pulsar-broker',
      'StatefulSet/pf-public-default-enrich-orders',
      'StatefulSet/pulsar-bookie',
    ]);
    for (const d of changed) expect(d.metadata.labels.team).toBe('data');
  });
});
