// The oracle's cases: every golden case that Pulsar's classes can take, and generated ones
// (fast-check, fixed seed) over worker files, customRuntimeOptions strings and
// function/source/sink configs for Java, Python and Go.
import { readdirSync, readFileSync } from 'node:fs';
import { basename, join, resolve } from 'node:path';
import fc from 'fast-check';
import { stringify } from 'yaml';
import { runPmc } from '../run.js';
import { BASIC_CLASS, SEED_CLASS, type CustomizeCase, type OracleCase, type RenderCase } from './differential.js';

const ROOT = resolve(import.meta.dirname, '..', '..', '..');
const FIXTURES = join(ROOT, 'fixtures');
export const FUNCTION_ID = '11111111-2222-4333-8444-555555555555';
export const FUNCTION_VERSION = '66666666-7777-4888-9999-000000000000';

/** The kind a pulsar-admin config describes, by the fields only that kind has. */
export function kindOfConfig(text: string): 'function' | 'source' | 'sink' {
  if (/^(jar|py|go):/m.test(text)) return 'function';
  if (/^(topicName|sourceType|batchSourceConfig):/m.test(text)) return 'source';
  if (/^archive:/m.test(text)) return 'sink';
  return 'function';
}

/** The uploaded file's name as pmc defaults it: the base name of jar, py, go or archive. */
function originalFileName(text: string): string {
  const m = /^(?:jar|py|go|archive):\s*(\S+)/m.exec(text);
  const file = m?.[1] ?? 'function.jar';
  return file.startsWith('builtin://') ? `${file.slice('builtin://'.length)}.nar` : basename(file);
}

function flag(cmd: string[], ...names: string[]): string | undefined {
  for (let i = 0; i < cmd.length; i++) if (names.includes(cmd[i]!)) return cmd[i + 1];
  return undefined;
}

export interface Skipped {
  id: string;
  why: string;
}

/** Every golden case as an oracle case where Pulsar's classes can take its inputs; the rest named with why. */
export function goldenCases(): { cases: OracleCase[]; skipped: Skipped[] } {
  const root = join(FIXTURES, 'golden');
  const cases: OracleCase[] = [];
  const skipped: Skipped[] = [];
  for (const name of readdirSync(root).sort()) {
    const dir = join(root, name);
    const spec = JSON.parse(readFileSync(join(dir, 'case.json'), 'utf8')) as { cmd: string[] };
    const cmd = spec.cmd;
    const read = (p: string) => readFileSync(join(dir, p), 'utf8');
    const worker = flag(cmd, '-w', '--worker-config');
    if (worker && /kind:\s*ConfigMap/.test(read(worker))) {
      skipped.push({ id: name, why: "its worker settings are a ConfigMap, which Pulsar's WorkerConfig.load cannot read (the ConfigMap's reading is tested in test/real-inputs.test.ts)" });
      continue;
    }
    if (cmd[0] === 'render') {
      const config = read(flag(cmd, '-c', '--function-config')!);
      const c: RenderCase = {
        op: 'render',
        id: `golden ${name}`,
        worker: read(worker!),
        config,
        kind: kindOfConfig(config),
        originalFileName: flag(cmd, '--original-file-name') ?? originalFileName(config),
        functionId: flag(cmd, '--function-id') ?? FUNCTION_ID,
        functionVersion: flag(cmd, '--function-version') ?? FUNCTION_VERSION,
        transformFunctionId: flag(cmd, '--transform-function-id'),
        authSecretId: flag(cmd, '--function-auth-secret-id'),
      };
      const transform = /^transformFunction:\s*(\S+)/m.exec(config)?.[1];
      if (transform) c.transformOriginalFileName = transform.startsWith('builtin://') ? `${transform.slice(10)}.nar` : basename(transform);
      if (/^className:/m.test(config) || c.kind === 'function') cases.push(c);
      else skipped.push({ id: name, why: "the connector's class comes from its archive, which the worker reads and Pulsar's converter needs" });
      continue;
    }
    if (!['customize', 'diff', 'explain'].includes(cmd[0]!)) continue;
    if (flag(cmd, '-c', '--function-config')) {
      skipped.push({ id: name, why: 'its options come from a pulsar-admin config file (covered by the render cases, which read the same file)' });
      continue;
    }
    const optionsFile = flag(cmd, '--custom-runtime-options-file');
    const c: CustomizeCase = {
      op: 'customize',
      id: `golden ${name}`,
      worker: worker ? read(worker) : undefined,
      manifest: read(cmd[1]!),
      options: optionsFile ? read(optionsFile) : flag(cmd, '-r', '--custom-runtime-options'),
      flags: cmd.includes('--no-validate') ? ['--no-validate'] : undefined,
    };
    cases.push(c);
  }
  return { cases, skipped };
}

// ---- generated cases ------------------------------------------------------------------

const dns = fc.stringMatching(/^[a-z]([a-z0-9-]{0,10}[a-z0-9])?$/);
const labelValue = fc.stringMatching(/^([A-Za-z0-9]([A-Za-z0-9_.-]{0,14}[A-Za-z0-9])?)?$/);
const labelKey = fc.oneof(dns, fc.tuple(dns, dns).map(([p, n]) => `${p}.io/${n}`));
const stringMap = (value: fc.Arbitrary<string>) => fc.dictionary(labelKey, value, { maxKeys: 3 });

// Every request below every limit, so that merged worker and function values stay valid;
// spellings the client canonicalises (1000m, 1024Mi, 1.5G) among them.
const resourceMap = (cpu: string[], memory: string[]) =>
  fc.record({ cpu: fc.constantFrom(...cpu), memory: fc.constantFrom(...memory), 'ephemeral-storage': fc.constantFrom('1Gi', '10Gi') }, { requiredKeys: [] });
const resources = fc.record(
  { requests: resourceMap(['100m', '250m', '0.5', '500m'], ['128Mi', '256Mi', '536870912']), limits: resourceMap(['1', '2', '1500m', '1000m'], ['1Gi', '2Gi', '1G', '1.5G', '1024Mi']) },
  { requiredKeys: [] },
);

const toleration = fc.oneof(
  fc.record({ key: dns, operator: fc.constant('Equal'), value: labelValue, effect: fc.constantFrom('NoSchedule', 'PreferNoSchedule') }),
  fc.record({ key: dns, operator: fc.constant('Exists'), effect: fc.constant('NoExecute'), tolerationSeconds: fc.integer({ min: 0, max: 3600 }) }),
);

const securityContext = fc.record(
  {
    runAsUser: fc.integer({ min: 1, max: 70000 }),
    runAsGroup: fc.integer({ min: 1, max: 70000 }),
    fsGroup: fc.integer({ min: 1, max: 70000 }),
    runAsNonRoot: fc.boolean(),
    allowPrivilegeEscalation: fc.constant(false),
    readOnlyRootFilesystem: fc.boolean(),
    dropCapabilities: fc.constant(['ALL']),
    addCapabilities: fc.constantFrom(['NET_BIND_SERVICE'], ['CHOWN']),
    seLinuxLevel: fc.constantFrom('s0:c123,c456'),
    seLinuxType: fc.constantFrom('spc_t', 'container_t'),
    seccompProfile: fc.constant({ type: 'RuntimeDefault' }),
    supplementalGroups: fc.constant([3000]),
    fsGroupChangePolicy: fc.constantFrom('OnRootMismatch', 'Always'),
  },
  { requiredKeys: [] },
);

/** customRuntimeOptions as a user writes them (a function's) or a worker's runtimeCustomizerConfig. */
const runtimeOpts = (who: 'worker' | 'function') =>
  fc.record(
    {
      jobName: who === 'function' ? dns : fc.constant(undefined),
      jobNamespace: dns,
      extraLabels: stringMap(labelValue),
      extraAnnotations: stringMap(fc.string({ maxLength: 12 })),
      nodeSelectorLabels: stringMap(labelValue),
      tolerations: fc.array(toleration, { maxLength: 2 }),
      resourceRequirements: resources,
      securityContext,
    },
    { requiredKeys: [] },
  ).map((o) => Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)));

const className = fc.constantFrom(BASIC_CLASS, SEED_CLASS, undefined);

function workerFile(cls: string | undefined, config: Record<string, unknown> | undefined, base = ''): string {
  const top: Record<string, unknown> = {};
  if (cls) top.runtimeCustomizerClassName = cls;
  // Jackson builds Quantity from text only: a worker's quantities are quoted (see issue 29's check).
  if (config && Object.keys(config).length) top.runtimeCustomizerConfig = config;
  return base + (Object.keys(top).length ? stringify(top) : '');
}

/** The manifests a worker on Pulsar's Kubernetes runtime generates, which pmc customize reads: rendered by pmc with no customizer. */
export interface BaseManifest {
  about: string;
  manifest: string;
}

export function generatedCustomizeCases(bases: readonly BaseManifest[], runs: number, seed: number): CustomizeCase[] {
  const arb = fc.record({
    base: fc.nat({ max: bases.length - 1 }),
    cls: className,
    worker: fc.option(runtimeOpts('worker'), { nil: undefined }),
    options: fc.option(runtimeOpts('function'), { nil: undefined }),
  });
  return fc.sample(arb, { seed, numRuns: runs }).map((g, i) => ({
    op: 'customize',
    id: `generated customize ${seed}/${i} (${bases[g.base]!.about})`,
    worker: workerFile(g.cls, g.worker),
    manifest: bases[g.base]!.manifest,
    options: g.options === undefined ? undefined : JSON.stringify(g.options),
  }));
}

const topic = dns.map((n) => `persistent://public/default/${n}`);
const userConfig = fc.dictionary(dns, fc.oneof(fc.string({ maxLength: 8 }), fc.integer(), fc.boolean()), { maxKeys: 3 });
const resourcesConfig = fc.record({ cpu: fc.constantFrom(0.1, 0.5, 1, 1.5, 2), ram: fc.constantFrom(134217728, 268435456, 1073741824), disk: fc.constantFrom(1073741824, 10737418240) }, { requiredKeys: [] });

const functionConfig = fc.record(
  {
    tenant: fc.constantFrom('public', 'acme', 'Team_A'),
    namespace: fc.constantFrom('default', 'etl', 'prod.eu'),
    name: fc.oneof(dns, fc.constantFrom('UpperCaseFunction', 'word.count')),
    runtime: fc.constantFrom('java', 'python', 'go'),
    inputs: fc.array(topic, { minLength: 1, maxLength: 2 }),
    output: fc.option(topic, { nil: undefined }),
    parallelism: fc.option(fc.integer({ min: 1, max: 4 }), { nil: undefined }),
    processingGuarantees: fc.option(fc.constantFrom('ATLEAST_ONCE', 'ATMOST_ONCE'), { nil: undefined }),
    userConfig: fc.option(userConfig, { nil: undefined }),
    resources: fc.option(resourcesConfig, { nil: undefined }),
    logTopic: fc.option(topic, { nil: undefined }),
    subName: fc.option(dns, { nil: undefined }),
    cleanupSubscription: fc.option(fc.boolean(), { nil: undefined }),
    maxMessageRetries: fc.option(fc.integer({ min: 0, max: 5 }), { nil: undefined }),
    deadLetterTopic: fc.option(topic, { nil: undefined }),
    batchBuilder: fc.option(fc.constantFrom('DEFAULT', 'KEY_BASED'), { nil: undefined }),
    retainOrdering: fc.option(fc.boolean(), { nil: undefined }),
  },
  { requiredKeys: ['tenant', 'namespace', 'name', 'runtime', 'inputs'] },
);

const sourceConfig = fc.record({
  tenant: fc.constantFrom('public', 'acme'),
  namespace: fc.constantFrom('default', 'ingest'),
  name: dns,
  className: fc.constantFrom('org.apache.pulsar.io.kafka.KafkaBytesSource', 'org.apache.pulsar.io.debezium.mysql.DebeziumMysqlSource'),
  archive: fc.constantFrom('connectors/pulsar-io-kafka-4.0.0.nar', 'connectors/pulsar-io-debezium-mysql.nar'),
  topicName: topic,
  parallelism: fc.integer({ min: 1, max: 3 }),
  configs: userConfig,
  resources: fc.option(resourcesConfig, { nil: undefined }),
  logTopic: fc.option(topic, { nil: undefined }),
  batchBuilder: fc.option(fc.constantFrom('DEFAULT', 'KEY_BASED'), { nil: undefined }),
});

const sinkConfig = fc.record({
  tenant: fc.constantFrom('public', 'acme'),
  namespace: fc.constantFrom('default', 'egress'),
  name: dns,
  className: fc.constantFrom('org.apache.pulsar.io.elasticsearch.ElasticSearchSink', 'org.apache.pulsar.io.jdbc.PostgresJdbcAutoSchemaSink'),
  archive: fc.constantFrom('connectors/pulsar-io-elastic-search.nar', 'connectors/pulsar-io-jdbc-postgres.nar'),
  inputs: fc.array(topic, { minLength: 1, maxLength: 2 }),
  parallelism: fc.integer({ min: 1, max: 3 }),
  configs: userConfig,
  resources: fc.option(resourcesConfig, { nil: undefined }),
  logTopic: fc.option(topic, { nil: undefined }),
  retainOrdering: fc.option(fc.boolean(), { nil: undefined }),
});

/** functionRuntimeFactoryConfigs a worker sets (the Kubernetes runtime's settings). */
const factoryConfigs = fc.record(
  {
    jobNamespace: dns,
    pulsarDockerImageName: fc.constantFrom('apachepulsar/pulsar-all:4.0.12', 'registry.example/pulsar:3.3.6'),
    imagePullPolicy: fc.constantFrom('Always', 'IfNotPresent'),
    percentMemoryPadding: fc.integer({ min: 0, max: 30 }),
    cpuOverCommitRatio: fc.constantFrom(1.0, 1.5, 2.0),
    memoryOverCommitRatio: fc.constantFrom(1.0, 1.3),
    customLabels: stringMap(labelValue),
    functionInstanceClassPath: fc.constant('/pulsar/lib/*'),
    extraFunctionDependenciesDir: fc.constantFrom('/pulsar/instances/deps', 'deps'),
    gracePeriodSeconds: fc.integer({ min: 0, max: 30 }),
    grpcPort: fc.constantFrom(9093, 9999),
    metricsPort: fc.constantFrom(9094, 8000),
  },
  { requiredKeys: ['functionInstanceClassPath'] },
);

const renderWorker = fc.record(
  {
    factory: factoryConfigs,
    downloadDirectory: fc.constantFrom('download/pulsar_functions', '/pulsar/download'),
    cls: className,
    customizer: fc.option(runtimeOpts('worker'), { nil: undefined }),
    maxPendingAsyncRequests: fc.option(fc.integer({ min: 1, max: 5000 }), { nil: undefined }),
    exposeAdminClientEnabled: fc.boolean(),
    additionalJavaRuntimeArguments: fc.option(fc.constant(['-XX:+UseG1GC', '-Dfoo=bar']), { nil: undefined }),
    stateStorageServiceUrl: fc.option(fc.constant('bk://localhost:4181'), { nil: undefined }),
  },
  { requiredKeys: ['factory', 'downloadDirectory', 'cls', 'exposeAdminClientEnabled'] },
);

export function generatedRenderCases(runs: number, seed: number): RenderCase[] {
  const arb = fc.record({
    worker: renderWorker,
    component: fc.oneof({ weight: 4, arbitrary: functionConfig.map((c) => ({ kind: 'function' as const, c })) }, sourceConfig.map((c) => ({ kind: 'source' as const, c })), sinkConfig.map((c) => ({ kind: 'sink' as const, c }))),
    options: fc.option(runtimeOpts('function'), { nil: undefined }),
  });
  return fc.sample(arb, { seed, numRuns: runs }).map((g, i) => {
    const w = g.worker;
    const top: Record<string, unknown> = {
      pulsarServiceUrl: 'pulsar://broker:6650',
      pulsarWebServiceUrl: 'http://broker:8080',
      pulsarFunctionsCluster: 'c1',
      downloadDirectory: w.downloadDirectory,
      exposeAdminClientEnabled: w.exposeAdminClientEnabled,
      functionRuntimeFactoryClassName: 'org.apache.pulsar.functions.runtime.kubernetes.KubernetesRuntimeFactory',
      functionRuntimeFactoryConfigs: w.factory,
    };
    if (w.maxPendingAsyncRequests !== undefined) top.maxPendingAsyncRequests = w.maxPendingAsyncRequests;
    if (w.additionalJavaRuntimeArguments) top.additionalJavaRuntimeArguments = w.additionalJavaRuntimeArguments;
    if (w.stateStorageServiceUrl) top.stateStorageServiceUrl = w.stateStorageServiceUrl;
    const worker = workerFile(w.cls, w.customizer, stringify(top));
    const config: Record<string, unknown> = { ...g.component.c };
    let file: string;
    if (g.component.kind === 'function') {
      const runtime = config.runtime as string;
      delete config.runtime;
      file = runtime === 'java' ? 'functions/word-count.jar' : runtime === 'python' ? 'functions/exclamation_function.py' : 'functions/exclamation-go';
      config[runtime === 'java' ? 'jar' : runtime === 'python' ? 'py' : 'go'] = file;
      if (runtime === 'java') config.className = 'org.example.WordCount';
      if (runtime === 'python') config.className = 'exclamation_function.ExclamationFunction';
      // The worker refuses these for Go (doGolangChecks) and retries need a Java or Python instance.
      if (runtime === 'go') {
        delete config.maxMessageRetries;
        delete config.deadLetterTopic;
        delete config.processingGuarantees;
      }
    } else file = config.archive as string;
    if (config.deadLetterTopic !== undefined && config.maxMessageRetries === undefined) delete config.deadLetterTopic;
    const text = stringify(Object.fromEntries(Object.entries(config).filter(([, v]) => v !== undefined)));
    return {
      op: 'render',
      id: `generated render ${seed}/${i} (${g.component.kind})`,
      worker,
      config: text,
      kind: g.component.kind,
      originalFileName: basename(file),
      options: g.options === undefined ? undefined : JSON.stringify(g.options),
      functionId: FUNCTION_ID,
      functionVersion: FUNCTION_VERSION,
    };
  });
}

/** The configs pmc renders (no customizer) for the customize cases' manifests: one per runtime and kind. */
export const BASE_CONFIGS = ['exclamation-python.yaml', 'pulsar-test-function.yaml', 'exclamation-go.yaml', 'kafka-source.yaml'].map((f) => join(FIXTURES, 'render', f));
export const BASE_WORKER = join(FIXTURES, 'render', 'functions_worker.yml');

let rendered: Promise<BaseManifest[]> | undefined;

/**
 * The base manifests: each BASE_CONFIGS entry rendered by pmc with no customizer (the render
 * cases check those objects against Pulsar's). Rendered once per test file, shared by its tests.
 */
export function baseManifests(): Promise<BaseManifest[]> {
  return (rendered ??= renderBaseManifests());
}

async function renderBaseManifests(): Promise<BaseManifest[]> {
  const out: BaseManifest[] = [];
  for (const config of BASE_CONFIGS) {
    const r = await runPmc(['render', '-c', config, '-w', BASE_WORKER, '--customizer', 'none', '--function-id', FUNCTION_ID, '--function-version', FUNCTION_VERSION], {});
    if (r.status !== 0) throw new Error(`pmc render ${config}: ${r.stderr}`);
    out.push({ about: basename(config), manifest: r.stdout });
  }
  return out;
}
