// Named cases: each point pmc's render once took from reading Pulsar's sources alone, as a case
// with what Pulsar's own classes show about it. test/pulsar-oracle.test.ts checks that pmc
// agrees with Pulsar on each, and that Pulsar still shows the stated fact (so a later release
// that changes it fails here, by name).
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse, stringify } from 'yaml';
import { BASE_WORKER, FUNCTION_ID, FUNCTION_VERSION } from './cases.js';
import type { RenderCase } from './differential.js';

type Obj = Record<string, unknown>;

export interface NamedCase {
  case: RenderCase;
  /** The fact, checked on Pulsar's answer for one release line; throws (an expect) when it does not hold. */
  fact(pulsar: { ok: boolean; error?: string; objects: Obj[] }, line: string): void;
}

const worker = readFileSync(BASE_WORKER, 'utf8');
const fixture = (name: string) => readFileSync(join(import.meta.dirname, '..', '..', '..', 'fixtures', 'render', name), 'utf8');

function renderCase(id: string, config: Obj | string, kind: RenderCase['kind'], originalFileName: string, extraWorker = ''): RenderCase {
  return {
    op: 'render',
    id: `named: ${id}`,
    worker: extraWorker ? `${worker}\n${extraWorker}` : worker,
    config: typeof config === 'string' ? config : stringify(config),
    kind,
    originalFileName,
    functionId: FUNCTION_ID,
    functionVersion: FUNCTION_VERSION,
  };
}

/** The instance's command (after the download step) of a rendered StatefulSet. */
export function instanceCommand(objects: Obj[]): string {
  const sts = objects.find((o) => o.kind === 'StatefulSet') as Obj;
  const container = (((sts.spec as Obj).template as Obj).spec as { containers: { command: string[] }[] }).containers[0]!;
  return container.command[2]!;
}

/** The Go instance's -instance-conf, parsed, with its keys in the order Pulsar wrote them. */
export function goInstanceConf(objects: Obj[]): Obj {
  const m = /-instance-conf '([^']*)'/.exec(instanceCommand(objects));
  if (!m) throw new Error('no -instance-conf in the command');
  return JSON.parse(m[1]!) as Obj;
}

/** The arguments of the Java or Python instance: the part after `exec`. */
function instanceArgs(objects: Obj[]): string[] {
  const cmd = instanceCommand(objects);
  return cmd.slice(cmd.lastIndexOf(' exec ') + ' exec '.length).split(' ');
}

const functionDetails = (objects: Obj[]): Obj => {
  const m = /--function_details '([^']*)'/.exec(instanceCommand(objects));
  if (!m) throw new Error('no --function_details in the command');
  return JSON.parse(m[1]!) as Obj;
};

function check(ok: boolean, what: string): void {
  if (!ok) throw new Error(what);
}

const go = { tenant: 'public', namespace: 'default', name: 'exclamation-go', go: 'exclamationFunc', inputs: ['persistent://public/default/in'], output: 'persistent://public/default/out' };
const java = { tenant: 'public', namespace: 'default', name: 'word-count', className: 'org.example.WordCount', jar: 'word-count.jar', inputs: ['persistent://public/default/in'] };
const python = { tenant: 'public', namespace: 'default', name: 'exclamation', className: 'exclamation_function.ExclamationFunction', py: 'exclamation_function.py', inputs: ['persistent://public/default/in'] };

export const NAMED_CASES: readonly NamedCase[] = [
  {
    // pmc's pod-policy keys, in the worker's runtimeCustomizerConfig (Jackson) and a function's
    // customRuntimeOptions (Gson), reach Pulsar's Basic customizer: it starts, ignores them,
    // and writes none of them (pmc says so, PMC_POD_POLICY_IGNORED, and agrees on the objects).
    case: renderCase(
      'pod-policy keys ignored by Basic',
      { ...java, customRuntimeOptions: JSON.stringify({ serviceAccountName: 'fn-sa', livenessProbe: { preset: 'grpc' }, extraEnv: [{ name: 'A', value: 'b' }] }) },
      'function',
      'word-count.jar',
      'runtimeCustomizerClassName: org.apache.pulsar.functions.runtime.kubernetes.BasicKubernetesManifestCustomizer\nruntimeCustomizerConfig:\n  terminationGracePeriodSeconds: 30\n  extraVolumes: [{name: v, emptyDir: {}}]\n  allowedFunctionOptions: [serviceAccountName]\n',
    ),
    fact(p) {
      check(p.ok, `Pulsar refused: ${p.error}`);
      const sts = p.objects.find((o) => o.kind === 'StatefulSet') as { spec: { template: { spec: Obj & { containers: Obj[] } } } };
      const spec = sts.spec.template.spec;
      check(spec.serviceAccountName === undefined && !spec.containers[0]!.livenessProbe && (spec.terminationGracePeriodSeconds ?? 0) === 0, `Pulsar applied a pod-policy key: ${JSON.stringify(spec).slice(0, 300)}`);
    },
  },
  {
    // The Go instance config's properties in Jackson's order, with the fields 3.1 added
    // (state storage, web service, auth, sourceInputSpecs, functionDetails) where they sit.
    case: renderCase('Go instance config property order', go, 'function', 'exclamationFunc'),
    fact(p, line) {
      const keys = Object.keys(goInstanceConf(p.objects));
      if (line === '3.0') check(!keys.includes('stateStorageServiceUrl') && !keys.includes('functionDetails') && !keys.includes('sourceInputSpecs'), `3.0's Go config has no 3.1 fields: ${keys}`);
      else check(keys[1] === 'stateStorageServiceUrl' && keys[2] === 'pulsarWebServiceUrl' && keys.at(-1) === 'regexPatternSubscription' && keys.at(-2) === 'functionDetails', `Go config order: ${keys}`);
    },
  },
  {
    // Unset, stateStorageServiceUrl is still written, as the field's default "" (3.1 and later).
    case: renderCase('Go without stateStorageServiceUrl', go, 'function', 'exclamationFunc'),
    fact(p, line) {
      const conf = goInstanceConf(p.objects);
      check(line === '3.0' ? !('stateStorageServiceUrl' in conf) : conf.stateStorageServiceUrl === '', `stateStorageServiceUrl: ${JSON.stringify(conf.stateStorageServiceUrl)}`);
    },
  },
  {
    case: renderCase('Go with stateStorageServiceUrl', go, 'function', 'exclamationFunc', 'stateStorageServiceUrl: bk://bookie:4181'),
    fact(p, line) {
      const conf = goInstanceConf(p.objects);
      check(line === '3.0' ? !('stateStorageServiceUrl' in conf) : conf.stateStorageServiceUrl === 'bk://bookie:4181', `stateStorageServiceUrl: ${JSON.stringify(conf.stateStorageServiceUrl)}`);
    },
  },
  {
    // The Java instance's JVM flags before the heap size: 3 on 3.0, 9 from 3.3 (PR #22910), and
    // --ignore_unknown_config_fields only from 3.1, when the worker sets it.
    case: renderCase('Java command arguments', java, 'function', 'word-count.jar', 'ignoreUnknownConfigFields: true'),
    fact(p, line) {
      const args = instanceArgs(p.objects);
      const flags = args.slice(args.findIndex((a) => a.startsWith('-Dpulsar.function.log.file=')) + 1, args.findIndex((a) => a.startsWith('-Xmx')));
      check(flags.length === (line === '3.0' ? 3 : 9), `${line}: JVM flags ${flags.join(' ')}`);
      check(args.includes('--ignore_unknown_config_fields') === (line !== '3.0'), '--ignore_unknown_config_fields');
    },
  },
  {
    // A window function's defaults as the worker fills them (WindowConfigUtils.inferMissingArguments).
    case: renderCase('window function defaults', fixture('window-java.yaml'), 'function', 'api-examples.jar'),
    fact(p) {
      const d = functionDetails(p.objects);
      const user = JSON.parse(String(d.userConfig)) as Obj;
      const window = user.__WINDOWCONFIGS__ as Obj;
      check(window.windowLengthCount === 10 && window.slidingIntervalCount === 5 && window.maxLagMs === undefined, `window config: ${JSON.stringify(window)}`);
      check(d.className === 'org.apache.pulsar.functions.windowing.WindowFunctionExecutor', `className ${d.className}`);
    },
  },
  {
    // A batch source's details: the BatchSourceExecutor and its config in the source's configs.
    case: renderCase('batch source defaults', fixture('batch-source.yaml'), 'source', 'pulsar-io-bigquery-4.0.0.nar'),
    fact(p) {
      const d = functionDetails(p.objects);
      const source = d.source as Obj;
      check(source.className === 'org.apache.pulsar.functions.source.batch.BatchSourceExecutor', `source className ${source.className}`);
      check(String(source.configs).includes('__BATCHSOURCECONFIGS__'), `source configs ${source.configs}`);
    },
  },
  {
    // Python with EFFECTIVELY_ONCE: refused on every line, 3.0.0 included ("Effectively-once
    // processing guarantees not yet supported in Python").
    case: renderCase('Python with EFFECTIVELY_ONCE', { ...python, processingGuarantees: 'EFFECTIVELY_ONCE' }, 'function', 'exclamation_function.py'),
    fact(p, line) {
      check(!p.ok && /Effectively-once/.test(p.error ?? ''), `${line}: ok ${p.ok} ${p.error ?? ''}`);
    },
  },
  {
    // batchBuilder: carried into the sink's producer spec from 3.1 on; 3.0.0 drops it.
    case: renderCase('batchBuilder', { ...java, output: 'persistent://public/default/out', batchBuilder: 'KEY_BASED' }, 'function', 'word-count.jar'),
    fact(p, line) {
      const producer = ((functionDetails(p.objects).sink as Obj)?.producerSpec ?? {}) as Obj;
      check((producer.batchBuilder === 'KEY_BASED') === (line !== '3.0'), `${line}: producerSpec ${JSON.stringify(producer)}`);
    },
  },
  {
    // A sink's retainOrdering: carried into the details from 3.1 on; 3.0.0 drops it (its
    // subscription is FAILOVER on every line).
    case: renderCase('sink retainOrdering', { ...(parse(fixture('elastic-sink.yaml')) as Obj), retainOrdering: true }, 'sink', 'pulsar-io-elastic-search.nar'),
    fact(p, line) {
      const d = functionDetails(p.objects);
      check((d.retainOrdering === true) === (line !== '3.0'), `${line}: retainOrdering ${d.retainOrdering}`);
      check((d.source as Obj).subscriptionType === 'FAILOVER', `${line}: subscriptionType ${(d.source as Obj).subscriptionType}`);
    },
  },
  {
    // A sink's and a source's logTopic: in the details from 3.1 on; 3.0's SinkConfig and
    // SourceConfig have no such field, so pulsar-admin refuses the file.
    case: renderCase('sink logTopic', { ...(parse(fixture('elastic-sink.yaml')) as Obj), logTopic: 'persistent://public/default/es-log' }, 'sink', 'pulsar-io-elastic-search.nar'),
    fact(p, line) {
      if (line === '3.0') return check(!p.ok && /logTopic/.test(p.error ?? ''), `3.0: ok ${p.ok} ${p.error ?? ''}`);
      check(functionDetails(p.objects).logTopic === 'persistent://public/default/es-log', `${line}: logTopic ${functionDetails(p.objects).logTopic}`);
    },
  },
  {
    // A source's top-level batchBuilder: on every line.
    case: renderCase('source batchBuilder', { ...(parse(fixture('kafka-source.yaml')) as Obj), batchBuilder: 'KEY_BASED' }, 'source', 'pulsar-io-kafka.nar'),
    fact(p, line) {
      const d = functionDetails(p.objects);
      check(((d.sink as Obj).producerSpec as Obj | undefined)?.batchBuilder === 'KEY_BASED', `${line}: producerSpec ${JSON.stringify((d.sink as Obj).producerSpec)}`);
    },
  },
  {
    // A misspelt field: pulsar-admin refuses the file on every line.
    case: renderCase('a misspelt field', { ...java, paralelism: 3 }, 'function', 'word-count.jar'),
    fact(p, line) {
      check(!p.ok && /paralelism/.test(p.error ?? ''), `${line}: ok ${p.ok} ${p.error ?? ''}`);
    },
  },
  {
    // The uploaded file's name: sanitized (ASCII, `_` for the rest) from 3.1 on; 3.0 keeps it.
    case: renderCase('file name with a space and an accent', java, 'function', 'wörd count.jar'),
    fact(p, line) {
      const file = line === '3.0' ? '/pulsar/download/pulsar_functions/wörd count.jar' : '/pulsar/download/pulsar_functions/word_count.jar';
      check(instanceCommand(p.objects).includes(`--destination-file ${file} `), `${line}: ${instanceCommand(p.objects).slice(0, 300)}`);
    },
  },
  {
    // Found by the 5,000-case run: the worker's float scalars reach String fields as Java
    // Doubles' text (`6.0` stays "6.0"), a scalar SnakeYAML's float pattern takes but that has
    // no digit (`_`) stays text, and pulsar-admin reads `No` in a config as false.
    case: {
      ...renderCase('YAML 1.1 scalars as Jackson reads them', { ...java, userConfig: { flag: 'No' } }, 'function', 'word-count.jar'),
      worker: `${worker.replace('  functionInstanceClassPath: /pulsar/lib/*', '  functionInstanceClassPath: /pulsar/lib/*\n  customLabels:\n    v: 6.0')}\nruntimeCustomizerClassName: org.apache.pulsar.functions.runtime.kubernetes.BasicKubernetesManifestCustomizer\nruntimeCustomizerConfig:\n  nodeSelectorLabels:\n    d: 7.0\n  extraAnnotations:\n    s: _\n`,
      config: 'tenant: public\nnamespace: default\nname: word-count\nclassName: org.example.WordCount\njar: word-count.jar\ninputs: [persistent://public/default/in]\nuserConfig:\n  flag: No\n',
    },
    fact(p) {
      const sts = p.objects.find((o) => o.kind === 'StatefulSet') as any;
      check(sts.metadata.labels.v === '6.0', `customLabels v ${sts.metadata.labels.v}`);
      check(sts.spec.template.spec.nodeSelector.d === '7.0', `nodeSelector d ${sts.spec.template.spec.nodeSelector.d}`);
      check(sts.metadata.annotations.s === '_', `annotation s ${sts.metadata.annotations.s}`);
      check(JSON.parse(String(functionDetails(p.objects).userConfig)).flag === false, `userConfig ${functionDetails(p.objects).userConfig}`);
    },
  },
  {
    // Empty and "" in the factory's settings, as the worker reads them: narExtractionDirectory
    // empty keeps /tmp, "" leaves the flag out; metricsPort "" keeps 9094.
    case: { ...renderCase('narExtractionDirectory ""', java, 'function', 'word-count.jar'), worker: worker.replace('  functionInstanceClassPath: /pulsar/lib/*', '  functionInstanceClassPath: /pulsar/lib/*\n  narExtractionDirectory: ""\n  metricsPort: ""') },
    fact(p) {
      const cmd = instanceCommand(p.objects);
      check(!cmd.includes('--nar_extraction_directory') && cmd.includes('--metrics_port 9094 '), cmd.slice(-200));
    },
  },
  {
    case: { ...renderCase('narExtractionDirectory empty', java, 'function', 'word-count.jar'), worker: worker.replace('  functionInstanceClassPath: /pulsar/lib/*', '  functionInstanceClassPath: /pulsar/lib/*\n  narExtractionDirectory:\n  metricsPort:') },
    fact(p) {
      const cmd = instanceCommand(p.objects);
      check(cmd.endsWith('--nar_extraction_directory /tmp') && cmd.includes('--metrics_port 9094 '), cmd.slice(-200));
    },
  },
];
