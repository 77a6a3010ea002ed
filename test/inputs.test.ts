// The input layer: one reader per file kind, each parsing once through the guarded parse.
// An alias bomb is refused by every entry (PMC_YAML_ALIASES), and the same pulsar-admin config
// gets the same answer from every command that reads it.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runPmc } from './support/run.js';
import { DiagnosticSink, PmcError } from '../src/core/base/diagnostics.js';
import { readFunctionConfig, readWorkerConfig } from '../src/core/input/config.js';
import { readProfile } from '../src/core/input/profile.js';
import { readPluginConfig } from '../src/core/input/plugin-config.js';
import { readWorker, workerSettings } from '../src/core/input/worker.js';
import { readYamlFile } from '../src/core/input/parse.js';
import { readConfig } from '../src/core/render/details.js';
import { readResourceList } from '../src/core/faces/krm.js';

const root = join(import.meta.dirname, '..');
const dir = mkdtempSync(join(tmpdir(), 'pmc-inputs-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const write = (name: string, text: string) => {
  writeFileSync(join(dir, name), text);
  return name;
};
const fixture = (f: string) => readFileSync(join(root, 'fixtures', f), 'utf8');

/** Six levels of nine aliases each: 9^6 = 531,441 strings once expanded (billion laughs). */
function bomb(indent = ''): string {
  const lines = [`${indent}lol0: &l0 [lol, lol, lol, lol, lol, lol, lol, lol, lol]`];
  for (let i = 1; i <= 6; i++) lines.push(`${indent}lol${i}: &l${i} [${Array(9).fill(`*l${i - 1}`).join(', ')}]`);
  return `${lines.join('\n')}\n`;
}

const worker = write('worker.yml', `${fixture('functions_worker.yml')}\n${bomb()}`);
const workerConfigMap = write(
  'worker-configmap.yaml',
  `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: worker\ndata:\n  functions_worker.yml: |\n${`runtimeCustomizerClassName: org.apache.pulsar.functions.runtime.kubernetes.BasicKubernetesManifestCustomizer\n${bomb()}`.replace(/^/gm, '    ')}`,
);
const configMapBomb = write('configmap-bomb.yaml', `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: worker\n${bomb()}data:\n  PF_runtimeCustomizerClassName: org.apache.pulsar.functions.runtime.kubernetes.BasicKubernetesManifestCustomizer\n`);
const functionConfig = write('fn.yaml', `tenant: public\nnamespace: default\nname: wc\nclassName: org.example.WordCount\njar: wc.jar\ninputs: [persistent://public/default/in]\n${bomb()}`);
const cleanWorker = write('clean-worker.yml', fixture('render/functions_worker.yml'));
const cleanFn = write('clean-fn.yaml', 'tenant: public\nnamespace: default\nname: wc\nclassName: org.example.WordCount\njar: wc.jar\ninputs: [persistent://public/default/in]\n');
const profile = write('profile.yaml', `apiVersion: pmc.pulsar/v1alpha1\nkind: CustomizerProfile\n${bomb()}`);
const manifest = write('manifest.yaml', `${fixture('pulsar-function.yaml')}---\n${bomb()}kind: StatefulSet\n`);
const plugin = write('plugin.yaml', `apiVersion: pmc.pulsar/v1alpha1\nkind: PulsarManifestCustomizer\nmetadata:\n  name: p\n${bomb()}spec:\n  customRuntimeOptions: '{}'\n`);
const resourceList = `apiVersion: config.kubernetes.io/v1\nkind: ResourceList\n${bomb()}items: []\nfunctionConfig:\n  apiVersion: pmc.pulsar/v1alpha1\n  kind: PulsarManifestCustomizer\n  metadata: {name: p}\n  spec: {}\n`;
const live = write('live.yaml', `apiVersion: v1\nkind: List\n${bomb()}items: []\n`);
const rbacObjects = write('rbac.yaml', `apiVersion: v1\nkind: List\n${bomb()}items: []\n`);

describe('an alias bomb is refused by every reader', () => {
  const fn = join(root, 'fixtures', 'pulsar-function.yaml');
  const rows: [string, string[], string?][] = [
    ['customize -w (a functions_worker.yml)', ['customize', fn, '-w', worker]],
    ['customize -w (a ConfigMap holding it)', ['customize', fn, '-w', workerConfigMap]],
    ['customize -w (a ConfigMap of PF_ keys)', ['customize', fn, '-w', configMapBomb]],
    ['customize -c (a pulsar-admin config)', ['customize', fn, '-c', functionConfig, '--rename']],
    ['customize --customizer-profile', ['customize', fn, '-w', cleanWorker, '--customizer-profile', profile]],
    ['customize MANIFEST', ['customize', manifest]],
    ['render -w', ['render', '-c', cleanFn, '-w', worker]],
    ['render -w (a ConfigMap holding it)', ['render', '-c', cleanFn, '-w', workerConfigMap]],
    ['render -c', ['render', '-c', functionConfig, '-w', cleanWorker]],
    ['the kustomize plugin config', [plugin]],
    ['krm (the ResourceList)', ['krm'], resourceList],
    ['rbac -w', ['rbac', '-w', worker]],
    ['rbac -c', ['rbac', '-w', cleanWorker, '-c', functionConfig]],
    ['rbac --check', ['rbac', '-w', cleanWorker, '--check', rbacObjects]],
    ['audit -w', ['audit', '-w', worker, '--live', live, '--functions', cleanFn]],
    ['audit --live', ['audit', '-w', cleanWorker, '--live', live, '--functions', cleanFn]],
    ['audit --functions', ['audit', '-w', cleanWorker, '--live', write('live-clean.yaml', 'apiVersion: v1\nkind: List\nitems: []\n'), '--functions', functionConfig]],
  ];
  it.each(rows)('%s', async (_name, argv, stdin) => {
    const started = Date.now();
    const r = await runPmc(argv, { cwd: dir, stdin });
    expect(r.stderr + r.stdout).toContain('PMC_YAML_ALIASES');
    expect(r.status).not.toBe(0);
    // Refused, not expanded: well under the time 531,441 strings take.
    expect(Date.now() - started).toBeLessThan(3000);
  });
});

describe('an alias bomb is refused by every reader of the input layer, called directly', () => {
  const text = `runtimeCustomizerClassName: x.Y\n${bomb()}`;
  const configMap = `apiVersion: v1\nkind: ConfigMap\nmetadata: {name: w}\n${bomb()}data:\n  PF_functionRuntimeFactoryClassName: x\n`;
  const rows: [string, () => unknown][] = [
    // Render's reader of the worker file once switched the guard off (maxAliasCount: -1).
    ['workerSettings (render)', () => workerSettings(text, 'w.yml')],
    ['workerSettings, a ConfigMap of PF_ keys', () => workerSettings(configMap, 'cm.yaml')],
    ['readWorker', () => readWorker(text, 'w.yml', new DiagnosticSink())],
    ['readWorker, a ConfigMap of PF_ keys', () => readWorker(configMap, 'cm.yaml', new DiagnosticSink())],
    ['readWorkerConfig', () => readWorkerConfig(text, 'w.yml', new DiagnosticSink())],
    ['readFunctionConfig', () => readFunctionConfig(`name: f\n${bomb()}`, 'f.yaml', new DiagnosticSink())],
    ['readConfig (render)', () => readConfig(`name: f\njar: f.jar\n${bomb()}`, 'f.yaml', { identity: {}, pulsarVersion: '4.0' }, new DiagnosticSink())],
    ['readProfile', () => readProfile(`kind: CustomizerProfile\n${bomb()}`, 'p.yaml')],
    ['readPluginConfig', () => readPluginConfig(`kind: PulsarManifestCustomizer\n${bomb()}`, 'p.yaml', new DiagnosticSink())],
    ['readResourceList', () => readResourceList(resourceList, '<stdin>')],
    ['readYamlFile', () => readYamlFile(bomb(), 'x.yaml')],
  ];
  it.each(rows)('%s', (_name, read) => {
    let thrown: unknown;
    try {
      read();
    } catch (e) {
      thrown = e;
    }
    expect(thrown).toBeInstanceOf(PmcError);
    expect((thrown as PmcError).diagnostics().map((d) => d.code)).toContain('PMC_YAML_ALIASES');
  });
});

describe('a pulsar-admin config is read the same by every command', () => {
  const mapped = write('mapped.yaml', 'tenant: public\nnamespace: default\nname: wc\nclassName: org.example.WordCount\njar: wc.jar\ninputs: [persistent://public/default/in]\ncustomRuntimeOptions:\n  extraLabels: {team: data}\n');
  const warning = "mapped.yaml:8:3: customRuntimeOptions: customRuntimeOptions is a map; pulsar-admin refuses one (the field is a JSON string): read as its JSON here, but write it as customRuntimeOptions: '{...}' [PMC_FUNCTION_CONFIG]";

  it('a map-valued customRuntimeOptions: the same warning, and the same options, from customize -c and render -c', async () => {
    const rendered = await runPmc(['render', '-c', mapped, '-w', cleanWorker, '--customizer', 'basic'], { cwd: dir });
    expect(rendered.stderr).toContain(warning);
    expect(rendered.status).toBe(0);
    expect(rendered.stdout).toContain('team: data');
    // The rendered StatefulSet, customized with the same config: customize reads it as render did.
    const stream = write('rendered.yaml', (await runPmc(['render', '-c', cleanFn, '-w', cleanWorker, '--customizer', 'none'], { cwd: dir })).stdout);
    const customized = await runPmc(['customize', stream, '-c', mapped, '-w', cleanWorker, '--customizer', 'basic'], { cwd: dir });
    expect(customized.stderr).toContain(warning);
    expect(customized.status).toBe(0);
    expect(customized.stdout).toContain('team: data');
  });

  it('under --strict both refuse it, at the same place', async () => {
    const rendered = await runPmc(['render', '-c', mapped, '-w', cleanWorker, '--strict'], { cwd: dir });
    const customized = await runPmc(['customize', join(root, 'fixtures', 'pulsar-function.yaml'), '-c', mapped, '--rename', '--strict'], { cwd: dir });
    for (const r of [rendered, customized]) {
      expect(r.status).toBe(1);
      expect(r.stderr).toContain('pmc: error: mapped.yaml:8:3: customRuntimeOptions: customRuntimeOptions is a map;');
    }
  });
});

describe('options spanning lines are located inside their own text', () => {
  const fn = join(root, 'fixtures', 'pulsar-function.yaml');
  const multi = '{\n  "extraLabels": {\n    "team": "data"\n  },\n  "securityContext": {\n    "runAsUser": "root"\n  }\n}\n';
  const opts = write('opts.json', multi);
  it.each([
    ['a bad value in --custom-runtime-options-file', ['--custom-runtime-options-file', opts], 'pmc: error: opts.json:6:18: customRuntimeOptions.securityContext.runAsUser: expected an integer, got "root"'],
    ['the same in -r', ['-r', multi], 'pmc: error: --custom-runtime-options:6:18: customRuntimeOptions.securityContext.runAsUser: expected an integer'],
    ['an unknown key, at the key', ['--custom-runtime-options-file', write('unknown.json', '{\n  "extraLabelz": {}\n}\n')], 'pmc: warning: unknown.json:2:3: customRuntimeOptions.extraLabelz: unknown key "extraLabelz"'],
    ['a duplicate key, at its second place', ['--custom-runtime-options-file', write('dup.json', '{\n  "extraLabels": {"a": "b"},\n  "extraLabels": {"c": "d"}\n}\n')], 'pmc: error: dup.json:3:3: customRuntimeOptions.extraLabels: the key "extraLabels" is given twice'],
    // One line: the JSON path says where; a column would only repeat it.
    ['one-line options keep their message', ['-r', '{"securityContext": {"runAsUser": "root"}}'], 'pmc: error: --custom-runtime-options: customRuntimeOptions.securityContext.runAsUser: expected an integer'],
  ])('%s', async (_name, flags, message) => {
    const r = await runPmc(['customize', fn, ...flags], { cwd: dir });
    expect(r.stderr).toContain(message);
  });
});

describe('one forbidden-key rule for every input', () => {
  const fn = join(root, 'fixtures', 'pulsar-function.yaml');
  it.each([
    ['a label named constructor, in the options: data', ['customize', fn, '-r', '{"extraLabels": {"constructor": "x"}}'], 0, ''],
    ['constructor holding an object, in the options', ['customize', fn, '-r', '{"extraLabels": {"constructor": {}}}'], 1, 'customRuntimeOptions.extraLabels.constructor: the key "constructor" is not allowed [PMC_FORBIDDEN_KEY]'],
    ['__proto__ in the options, whatever it holds', ['customize', fn, '-r', '{"extraLabels": {"__proto__": "x"}}'], 1, 'the key "__proto__" is not allowed [PMC_FORBIDDEN_KEY]'],
    ['prototype holding an object, in a pulsar-admin config', ['customize', fn, '--rename', '-c', write('proto.yaml', 'name: f\nprototype: {a: 1}\n')], 1, 'proto.yaml:2:1: prototype: the key "prototype" is not allowed [PMC_FORBIDDEN_KEY]'],
  ] as const)('%s', async (_name, argv, status, stderr) => {
    const r = await runPmc([...argv], { cwd: dir });
    expect(r.status).toBe(status);
    if (stderr) expect(r.stderr).toContain(stderr);
    if (status === 0) expect(r.stdout).toContain('constructor: x');
  });

  it('a manifest: a ConfigMap key named constructor with a string passes; one holding an object is refused', async () => {
    const ok = await runPmc(['customize', '--all', '-r', '{"extraLabels": {"a": "b"}}'], { stdin: 'apiVersion: apps/v1\nkind: StatefulSet\nmetadata:\n  name: s\n  labels: {constructor: x}\nspec:\n  selector: {matchLabels: {a: b}}\n  template:\n    metadata: {labels: {a: b}}\n    spec: {containers: [{name: c, image: i}]}\n' });
    expect(ok.status).toBe(0);
    const bad = await runPmc(['customize', '--all', '-r', '{"extraLabels": {"a": "b"}}'], { stdin: 'apiVersion: apps/v1\nkind: StatefulSet\nmetadata:\n  name: s\n  labels: {constructor: {x: y}}\n' });
    expect(bad.status).toBe(1);
    expect(bad.stderr).toContain('the key "constructor" is not allowed in a manifest');
  });
});

describe("a pulsar-admin config is typed as pulsar-admin types it, by every command", () => {
  // SnakeYAML's 1.1 typing: `on` is a boolean. Both readers say so, at the same place.
  const onName = write('on-name.yaml', 'tenant: public\nnamespace: default\nname: on\nclassName: org.example.F\njar: f.jar\ninputs: [persistent://public/default/in]\n');
  it.each([
    ['customize -c', ['customize', join(root, 'fixtures', 'pulsar-function.yaml'), '-c', onName, '--rename']],
    ['render -c', ['render', '-c', onName, '-w', cleanWorker]],
  ])('%s', async (_name, argv) => {
    const r = await runPmc(argv, { cwd: dir });
    expect(r.status).toBe(1);
    expect(r.stderr).toContain('on-name.yaml:3:7: name: name must be a string, got true [PMC_FUNCTION_CONFIG]');
  });
});
