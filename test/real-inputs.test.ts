// The inputs users really have: kubectl's output (a List, JSON, live objects with folded long
// strings), the Helm chart's worker settings, streams of several functions, Go functions,
// anchors, CRLF files, a byte order mark, a symlink.
import { spawnSync } from 'node:child_process';
import { lstatSync, mkdtempSync, readFileSync, readlinkSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { parse, parseAllDocuments } from 'yaml';
import { pulsarFunctionManifests } from './support/pulsar-generated.mjs';
import { runPmc } from './support/run.js';

const root = join(import.meta.dirname, '..');
const fixtures = join(root, 'fixtures');
const read = (...p: string[]) => readFileSync(join(fixtures, ...p), 'utf8');
const work = mkdtempSync(join(tmpdir(), 'pmc-real-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

const getList = join(fixtures, 'kubectl', 'get-list.yaml');
const getJson = join(fixtures, 'kubectl', 'get-sts.json');
const worker = join(fixtures, 'functions_worker.yml');

/** kubectl's own reader, offline: `kubectl kustomize` over the output as a resource file. */
function kubectlReads(text: string, file: string): { status: number | null; stdout: string; stderr: string } {
  const dir = mkdtempSync(join(work, 'kustomize-'));
  writeFileSync(join(dir, file), text);
  writeFileSync(join(dir, 'kustomization.yaml'), `resources: [${file}]\n`);
  return spawnSync('kubectl', ['kustomize', dir], { encoding: 'utf8' });
}

describe('kubectl get -o yaml: a v1 List', () => {
  it('customizes every function in it and gives back the same List, folded strings as they were', async () => {
    const r = await runPmc(['customize', getList, '-w', worker]);
    expect(r.status).toBe(0);
    const list = parse(r.stdout);
    expect(list.kind).toBe('List');
    expect(list.items.map((i: any) => [i.kind, i.metadata.namespace, i.metadata.labels.team])).toEqual([
      ['StatefulSet', 'pulsar-functions', 'platform'],
      ['StatefulSet', 'pulsar-functions', 'platform'],
      ['Service', 'pulsar-functions', 'platform'],
      ['Service', 'pulsar-functions', 'platform'],
    ]);
    // kubectl's folded command lines come back as they were.
    const folded = read('kubectl', 'get-list.yaml').match(/- \/pulsar\/bin\/pulsar-admin --admin-url\n[^]*?\.jar\n/)![0];
    expect(r.stdout).toContain(folded);
    expect(kubectlReads(r.stdout, 'out.yaml').status).toBe(0);
  });

  it('diff shows only what changed, never the folded command', async () => {
    const r = await runPmc(['diff', getList, '-r', '{"extraLabels": {"team": "data"}}', '--select', 'pf-public-default-word-count']);
    expect(r.status).toBe(3);
    const changed = r.stdout.split('\n').filter((l) => /^[-+][^-+]/.test(l));
    expect(changed).toEqual(['+      team: data', '+          team: data', '+      team: data']);
  });

  it('explain and every message name the item', async () => {
    const r = await runPmc(['explain', getList, '-r', '{"extraLabels": {"team": "data"}}', '--select', 'pf-public-default-exclamation']);
    expect(r.stdout).toContain('StatefulSet/pf-public-default-exclamation (document 1 items[1])');
    const bad = await runPmc(['customize', getList, '-r', '{"extraLabels": {"component": "x"}}', '--select', 'pf-public-default-exclamation']);
    expect(bad.stderr).toContain('document 1 items[1] StatefulSet/pf-public-default-exclamation: customRuntimeOptions.extraLabels.component');
  });

  it('check-pss sees inside it, and passes a List of nothing to judge', async () => {
    const r = await runPmc(['check-pss', getList]);
    expect(r.status).toBe(1);
    expect(r.stderr.match(/document 1 items\[\d\] StatefulSet/g)).toHaveLength(2);
  });
});

describe('kubectl get -o json', () => {
  it('JSON in gives JSON out, as kubectl prints it, key order kept; kubectl reads it', async () => {
    const r = await runPmc(['customize', getJson, '-r', '{"extraAnnotations": {"owner": "data & search"}}']);
    expect(r.status).toBe(0);
    expect(r.stdout.startsWith('{\n    "apiVersion": "apps/v1",\n    "kind": "StatefulSet",\n')).toBe(true);
    expect(r.stdout).toContain('"owner": "data \\u0026 search"');
    expect(Object.keys(JSON.parse(r.stdout).metadata)).toEqual([...Object.keys(JSON.parse(read('kubectl', 'get-sts.json')).metadata), 'annotations']);
    expect(kubectlReads(r.stdout, 'out.json').stdout).toContain('owner: data & search');
  });

  it('a no-op gives the input back byte for byte; -o yaml gives block YAML kubectl reads', async () => {
    const same = await runPmc(['customize', getJson, '--customizer', 'none']);
    expect(same.stdout).toBe(read('kubectl', 'get-sts.json'));
    const yaml = await runPmc(['customize', getJson, '-o', 'yaml', '-r', '{"extraLabels": {"team": "data"}}']);
    expect(yaml.stdout.startsWith('---\napiVersion: apps/v1\nkind: StatefulSet\nmetadata:\n')).toBe(true);
    expect(kubectlReads(yaml.stdout, 'out.yaml').status).toBe(0);
  });
});

describe("the worker's settings in every form", () => {
  it("the Helm chart's broker ConfigMap: PF_ keys for the customizer, labels, node selector and job namespace", async () => {
    const r = await runPmc(['explain', join(fixtures, 'pulsar-function.yaml'), '-w', join(fixtures, 'helm', 'broker-configmap.yaml'), '-o', 'json']);
    expect(r.status).toBe(0);
    expect(r.stderr).toBe(`pmc: note: ${join(fixtures, 'helm', 'broker-configmap.yaml')}: read the worker's settings from a ConfigMap with PF_ keys (pulsar-broker) [PMC_WORKER_FORM]\n`);
    const set = JSON.parse(r.stdout).changes.filter((c: any) => c.resource.startsWith('StatefulSet')).map((c: any) => [c.path, c.value]);
    expect(set).toEqual([
      ['metadata.labels.team', 'data-platform'],
      ['spec.template.metadata.labels.team', 'data-platform'],
      ['spec.template.spec.nodeSelector.workload', 'pulsar'],
      ['metadata.namespace', 'pulsar-functions'],
    ]);
    // The chart's class is Basic: a securityContext is ignored, as the worker would ignore it.
    const sc = await runPmc(['customize', join(fixtures, 'pulsar-function.yaml'), '-w', join(fixtures, 'helm', 'broker-configmap.yaml'), '-r', '{"securityContext": {"runAsUser": 1}}']);
    expect(sc.stderr).toContain('[PMC_SECURITY_CONTEXT_IGNORED]');
  });

  it("the functions worker's own ConfigMap with PF_ keys (the worker apart from the brokers) is announced by its name, not as a broker's", async () => {
    const text = readFileSync(join(fixtures, 'helm', 'broker-configmap.yaml'), 'utf8').replace('name: pulsar-broker', 'name: pulsar-functions-worker');
    writeFileSync(join(work, 'fw-configmap.yaml'), text);
    const r = await runPmc(['customize', join(fixtures, 'pulsar-function.yaml'), '-w', join(work, 'fw-configmap.yaml')]);
    expect(r.status).toBe(0);
    expect(r.stderr).toBe(`pmc: note: ${join(work, 'fw-configmap.yaml')}: read the worker's settings from a ConfigMap with PF_ keys (pulsar-functions-worker) [PMC_WORKER_FORM]\n`);
  });

  it('a ConfigMap wrapping functions_worker.yml reads as the file itself', async () => {
    const fromMap = await runPmc(['customize', join(fixtures, 'pulsar-function.yaml'), '-w', join(fixtures, 'worker-configmap.yaml')]);
    const fromFile = await runPmc(['customize', join(fixtures, 'pulsar-function.yaml'), '-w', worker]);
    expect(fromMap.stdout).toBe(fromFile.stdout);
    expect(fromMap.stderr).toContain('read the worker\'s settings from a ConfigMap holding functions_worker.yml');
  });

  it('a PF_ key for a list says it cannot be set so; another kind of object is named', async () => {
    writeFileSync(join(work, 'pf-list.yaml'), 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: pulsar-broker}\ndata:\n  PF_runtimeCustomizerConfig_tolerations: "[{key: a}]"\n');
    const list = await runPmc(['customize', join(fixtures, 'pulsar-function.yaml'), '-w', join(work, 'pf-list.yaml')]);
    expect(list.status).toBe(1);
    expect(list.stderr).toBe(`pmc: error: ${join(work, 'pf-list.yaml')}:5:43: PF_runtimeCustomizerConfig_tolerations: tolerations is a list, and a PF_ key cannot carry one (gen-yml-from-env.py writes it as a string): put the whole functions_worker.yml in a ConfigMap instead [PMC_WORKER_CONFIG]\n`);
    const other = await runPmc(['customize', join(fixtures, 'pulsar-function.yaml'), '-w', join(fixtures, 'kustomize', 'good', 'deployment.yaml')]);
    expect(other.status).toBe(1);
    expect(other.stderr).toContain('found a Deployment (pulsar-proxy): expected a functions_worker.yml, a ConfigMap whose data holds one, or the Helm chart\'s ConfigMap with PF_ keys');
  });
});

describe('a functions_worker.yml kubectl printed as a double-quoted ConfigMap value', () => {
  const file = join(fixtures, 'kubectl', 'worker-configmap-quoted.yaml');
  const text = readFileSync(file, 'utf8');
  const at = (line: number, col: number) => text.split('\n')[line - 1]!.slice(col - 1);

  it("a message about a line of the file points into the ConfigMap's own lines (it pointed past the end)", async () => {
    const r = await runPmc(['customize', join(fixtures, 'pulsar-function.yaml'), '-w', file]);
    expect(r.status).toBe(1);
    const m = /worker-configmap-quoted\.yaml:(\d+):(\d+): runtimeCustomizerConfig\.resourceRequirements\.limits\.cpu: "lots" is not/.exec(r.stderr);
    expect(m).not.toBeNull();
    expect(at(Number(m![1]), Number(m![2]))).toMatch(/^lots\\n"$/);
  });

  it('a YAML error inside the value is located there too, and a good file reads as the file itself', async () => {
    const broken = text.replace('\\n  extraLabels:', '\\n extraLabels:');
    writeFileSync(join(work, 'quoted-broken.yaml'), broken);
    const r = await runPmc(['customize', join(fixtures, 'pulsar-function.yaml'), '-w', join(work, 'quoted-broken.yaml')]);
    expect(r.status).toBe(1);
    const m = /quoted-broken\.yaml:(\d+):(\d+): /.exec(r.stderr);
    expect(m).not.toBeNull();
    const lines = broken.split('\n');
    expect(Number(m![1])).toBeLessThanOrEqual(lines.length);
    expect(lines[Number(m![1]) - 1]).toContain('extraLabels');
    const good = text.replace('cpu: lots', 'cpu: \\"2\\"');
    writeFileSync(join(work, 'quoted-good.yaml'), good);
    writeFileSync(join(work, 'plain-worker.yml'), parse(good).data['functions_worker.yml']);
    const fromMap = await runPmc(['customize', join(fixtures, 'pulsar-function.yaml'), '-w', join(work, 'quoted-good.yaml')]);
    const fromFile = await runPmc(['customize', join(fixtures, 'pulsar-function.yaml'), '-w', join(work, 'plain-worker.yml')]);
    expect(fromMap.status).toBe(0);
    expect(fromMap.stdout).toBe(fromFile.stdout);
    expect(fromMap.stdout).toMatch(/limits:\n\s+cpu: "?2"?\n/);
  });
});

describe("the Helm chart's values.yaml given as the worker file", () => {
  const values = join(fixtures, 'helm', 'values.yaml');
  const message = `pmc: error: ${values}:18:1: this is the Pulsar Helm chart's values.yaml (components, broker, images, functions), not a worker file: the worker reads the PF_ keys of the broker ConfigMap the chart makes of it, with the chart's own keys beside them; give that ConfigMap as kubectl prints it (kubectl get configmap <release>-broker -n <namespace> -o yaml > broker.yaml; pmc ... -w broker.yaml) [PMC_WORKER_CONFIG]\n`;

  it.each([
    ['customize', ['customize', join(fixtures, 'pulsar-function.yaml'), '-w', values]],
    ['render', ['render', '-c', join(fixtures, 'function-config.yaml'), '-w', values]],
    ['explain', ['explain', join(fixtures, 'pulsar-function.yaml'), '-w', values]],
  ])('%s says what it is and what to give instead (it read as a worker with no settings)', async (_name, argv) => {
    const r = await runPmc(argv);
    expect(r.status).toBe(1);
    expect(r.stdout).toBe('');
    expect(r.stderr).toBe(message);
  });

  it("Pulsar's own functions_worker.yml and the broker ConfigMap are not taken for one", async () => {
    for (const w of [join(fixtures, 'pulsar', 'functions_worker.yml'), join(fixtures, 'helm', 'broker-configmap.yaml')]) {
      const r = await runPmc(['customize', join(fixtures, 'pulsar-function.yaml'), '-w', w]);
      expect(r.stderr).not.toContain('values.yaml');
    }
  });
});

describe('PF_ keys below an option', () => {
  it('the indexed form of a list (tolerations_0_key): one error at its first key, no "expected a list" after it', async () => {
    const file = join(fixtures, 'helm', 'broker-configmap-tolerations.yaml');
    const r = await runPmc(['customize', join(fixtures, 'pulsar-function.yaml'), '-w', file]);
    expect(r.status).toBe(1);
    expect(r.stdout).toBe('');
    expect(r.stderr).toBe(
      `pmc: error: ${file}:13:52: PF_runtimeCustomizerConfig_tolerations_0_effect: tolerations is a list, and a PF_ key cannot carry one (gen-yml-from-env.py turns these 4 keys into a map keyed "0", which the worker cannot read as a list): put the whole functions_worker.yml in a ConfigMap instead [PMC_WORKER_CONFIG]\n`,
    );
  });

  it('a bad value below an option is located at its own PF_ key and names it, not the first data key', async () => {
    const text = readFileSync(join(fixtures, 'helm', 'broker-configmap.yaml'), 'utf8').replace(
      '  PF_runtimeCustomizerConfig_jobNamespace: pulsar-functions\n',
      '  PF_runtimeCustomizerConfig_jobNamespace: pulsar-functions\n  PF_runtimeCustomizerConfig_resourceRequirements_limits_cpu: lots\n  PF_runtimeCustomizerConfig_resourceRequirements_limits_memory: 1Gi\n',
    );
    writeFileSync(join(work, 'pf-limits.yaml'), text);
    const line = text.split('\n').findIndex((l) => l.includes('limits_cpu')) + 1;
    const r = await runPmc(['customize', join(fixtures, 'pulsar-function.yaml'), '-w', join(work, 'pf-limits.yaml')]);
    expect(r.status).toBe(1);
    expect(r.stderr).toBe(
      `pmc: error: ${join(work, 'pf-limits.yaml')}:${line}:63: PF_runtimeCustomizerConfig_resourceRequirements_limits_cpu (runtimeCustomizerConfig.resourceRequirements.limits.cpu): "lots" is not a Kubernetes quantity (e.g. "500m", "1", "2Gi", "4G") [PMC_OPTIONS_QUANTITY]\n`,
    );
    // A path set only through keys below it (a label name with `_` splits into a nested map) is located at the first of them.
    writeFileSync(join(work, 'pf-below.yaml'), 'apiVersion: v1\nkind: ConfigMap\ndata:\n  PF_functionRuntimeFactoryClassName: x\n  PF_runtimeCustomizerConfig_extraLabels_cost_center: ml\n');
    const t = await runPmc(['customize', join(fixtures, 'pulsar-function.yaml'), '-w', join(work, 'pf-below.yaml')]);
    expect(t.status).toBe(1);
    expect(t.stderr).toContain('pf-below.yaml:5:55: runtimeCustomizerConfig.extraLabels.cost (from PF_runtimeCustomizerConfig_extraLabels_cost_center, which gen-yml-from-env.py splits at every "_"): expected a string, got an object [PMC_OPTIONS_TYPE]');
  });
});

describe('one function\'s identity or options never land on two functions', () => {
  const two = read('golden', 'two-functions-no-leak', 'input.yaml');
  const names = parseAllDocuments(two)
    .map((d) => d.toJS())
    .filter((o) => o?.kind === 'StatefulSet')
    .map((o) => o.metadata.name as string);

  it('-r on a stream of two functions is refused, naming them', async () => {
    const r = await runPmc(['customize', '-r', '{"jobName": "same"}'], { stdin: two });
    expect(r.status).toBe(1);
    expect(r.stdout).toBe('');
    expect(r.stderr).toContain(`the input has 2 Pulsar functions: ${names.join(', ')}; pick one with --select NAME`);
  });

  it('--select picks one; the other passes through byte for byte', async () => {
    const r = await runPmc(['customize', '-r', '{"extraLabels": {"team": "data"}}', '--select', names[1]!], { stdin: two });
    expect(r.status).toBe(0);
    const objects = parseAllDocuments(r.stdout).map((d) => d.toJS()).filter((o) => o?.kind === 'StatefulSet');
    expect(objects.map((o) => o.metadata.labels.team)).toEqual([undefined, 'data']);
  });

  it('a config file names its function: that one is customized, the other passes through', async () => {
    const fn = parseAllDocuments(two).map((d) => d.toJS()).find((o) => o?.kind === 'StatefulSet');
    writeFileSync(join(work, 'fc.yaml'), `tenant: ${fn.metadata.labels.tenant}\nnamespace: ${fn.metadata.labels.namespace}\nname: ${fn.metadata.labels.name}\ncustomRuntimeOptions: '{"extraLabels": {"team": "data"}}'\n`);
    const r = await runPmc(['customize', '-c', join(work, 'fc.yaml')], { stdin: two });
    expect(r.stderr).toBe('');
    const objects = parseAllDocuments(r.stdout).map((d) => d.toJS()).filter((o) => o?.kind === 'StatefulSet');
    expect(objects.map((o) => o.metadata.labels.team)).toEqual(['data', undefined]);
  });

  it('an identity that contradicts the embedded details is refused, naming both; --rename says yes', async () => {
    const one = pulsarFunctionManifests({ tenant: 'public', namespace: 'default', name: 'word-count' });
    const r = await runPmc(['customize', '-r', '{"jobName": "wc"}', '--tenant', 'public', '--namespace', 'default', '--name', 'word-counter'], { stdin: one });
    expect(r.status).toBe(1);
    expect(r.stderr).toContain('the function given is public/default/word-counter, but this StatefulSet is public/default/word-count: the job name\'s hash would be wrong');
    const renamed = await runPmc(['customize', '-r', '{"jobName": "wc"}', '--tenant', 'public', '--namespace', 'default', '--name', 'word-counter', '--rename'], { stdin: one });
    expect(renamed.status).toBe(0);
  });

  it('two objects of the same kind, namespace and name in the output are an error', async () => {
    const one = pulsarFunctionManifests({ tenant: 'public', namespace: 'default', name: 'f' });
    const r = await runPmc(['customize', '--all', '-r', '{"jobName": "same"}', '--tenant', 'public', '--namespace', 'default', '--name', 'f', '--rename'], { stdin: one + one.replace(/name: f$/gm, 'name: g') });
    expect(r.status).toBe(1);
    expect(r.stderr).toContain('[PMC_DUPLICATE_OBJECT]');
  });
});

describe('live objects', () => {
  it('--clean drops what the cluster added', async () => {
    const r = await runPmc(['customize', getJson, '--clean', '-r', '{"extraLabels": {"team": "data"}}']);
    const o = JSON.parse(r.stdout);
    expect(o.status).toBeUndefined();
    expect(Object.keys(o.metadata).filter((k) => ['uid', 'resourceVersion', 'generation', 'creationTimestamp', 'managedFields'].includes(k))).toEqual([]);
    expect(o.metadata.labels.team).toBe('data');
  });

  it('customizing twice warns about the tolerations appended again', async () => {
    const once = await runPmc(['customize', join(fixtures, 'pulsar-function.yaml'), '-w', worker]);
    const twice = await runPmc(['customize', '-w', worker], { stdin: once.stdout });
    expect(twice.status).toBe(0);
    expect(twice.stderr).toContain('tolerations[0] is already in spec.template.spec.tolerations; Pulsar appends it again (is this manifest customized already?) [PMC_TOLERATION_REPEATED]');
  });
});

describe('Go functions', () => {
  it('take their identity and options from -instance-conf', async () => {
    const go = pulsarFunctionManifests({ tenant: 'Acme', namespace: 'Ingest', name: 'go_fn', runtime: 'go', customRuntimeOptions: '{"jobName": "go-job", "extraLabels": {"lang": "go"}}' });
    const r = await runPmc(['customize'], { stdin: go });
    expect(r.stderr).toBe(''); // no identity-from-labels warning: the instance config has it exactly
    const sts = parseAllDocuments(r.stdout).map((d) => d.toJS()).find((o) => o?.kind === 'StatefulSet');
    expect(sts.metadata.labels.lang).toBe('go');
    // The hash of "go-job-Acme-Ingest-go_fn", as Pulsar computes it.
    const { createHash } = await import('node:crypto');
    expect(sts.metadata.name).toBe(`go-job-${createHash('sha1').update('go-job-Acme-Ingest-go_fn').digest('hex').slice(0, 8)}`);
  });
});

describe('anchors and aliases', () => {
  const anchored = `apiVersion: apps/v1
kind: StatefulSet
metadata:
  name: pf-public-default-f
  labels: &labels
    component: function
    tenant: public
    namespace: default
    name: f
spec:
  serviceName: pf-public-default-f
  selector:
    matchLabels: *labels
  template:
    metadata:
      labels: *labels
    spec:
      containers:
      - name: pulsarfunction
        image: apachepulsar/pulsar:3.3.9
`;

  it('an edit never changes the selector through an alias; the aliased template labels get their own copy', async () => {
    const r = await runPmc(['customize', '-r', '{"extraLabels": {"team": "data"}}', '--tenant', 'public', '--namespace', 'default', '--name', 'f'], { stdin: anchored });
    expect(r.status).toBe(0);
    const o = parse(r.stdout);
    expect(o.spec.selector.matchLabels).toEqual({ component: 'function', tenant: 'public', namespace: 'default', name: 'f' });
    expect(o.spec.template.metadata.labels.team).toBe('data');
    expect(o.metadata.labels.team).toBe('data');
    const diff = await runPmc(['diff', '-r', '{"extraLabels": {"team": "data"}}', '--tenant', 'public', '--namespace', 'default', '--name', 'f'], { stdin: anchored });
    expect(diff.stdout).toContain('-    matchLabels: *labels\n');
    expect(diff.stdout).toContain('-      labels: *labels\n');
  });
});

describe('bytes', () => {
  const fn = pulsarFunctionManifests({ tenant: 'public', namespace: 'default', name: 'f' });

  it('CRLF stays CRLF', async () => {
    const r = await runPmc(['customize', '-r', '{"extraLabels": {"team": "data"}}'], { stdin: fn.replace(/\n/g, '\r\n') });
    expect(r.status).toBe(0);
    expect(r.stdout).toContain('team: data\r\n');
    expect(r.stdout.replace(/\r\n/g, '')).not.toContain('\n');
  });

  it('a byte order mark is kept, on a no-op run and an edit', async () => {
    const file = join(work, 'bom.yaml');
    writeFileSync(file, `\uFEFF${fn}`);
    const same = await runPmc(['customize', file, '--customizer', 'none']);
    expect(same.stdout).toBe(`\uFEFF${fn}`);
    const edited = await runPmc(['customize', file, '-r', '{"extraLabels": {"team": "data"}}']);
    expect(edited.stdout.startsWith('\uFEFF')).toBe(true);
    expect(edited.stdout).toContain('team: data');
  });

  it('--in-place writes through a symlink to its target, keeping the link', async () => {
    const target = join(work, 'target.yaml');
    const link = join(work, 'link.yaml');
    writeFileSync(target, fn);
    symlinkSync(target, link);
    const r = await runPmc(['customize', '--in-place', link, '-r', '{"extraLabels": {"team": "data"}}']);
    expect(r.status).toBe(0);
    expect(lstatSync(link).isSymbolicLink()).toBe(true);
    expect(readlinkSync(link)).toBe(target);
    expect(readFileSync(target, 'utf8')).toContain('team: data');
  });
});
