/**
 * The worker's configuration in every form users have it: a functions_worker.yml; a
 * ConfigMap (as `kubectl get cm -o yaml|json` prints it) whose data holds one; or, as the
 * Apache Pulsar Helm chart configures the worker, the broker ConfigMap's `PF_` keys, which
 * the broker turns into functions_worker.yml at start-up (bin/gen-yml-from-env.py):
 * https://github.com/apache/pulsar/blob/master/docker/pulsar/scripts/gen-yml-from-env.py
 */
import { plainOf } from '../base/stream.js';
import { isMap, isScalar, type Document, type Scalar, type YAMLMap } from 'yaml';
import { foreignCustomizer, parseYamlFile, readRuntimeOpts, readWorkerConfig, yamlLocator, type WorkerConfig } from './config.js';
import { PmcError, lineColAt, lineIndex, type Diagnostic, type DiagnosticSink, type Location } from '../base/diagnostics.js';
import { flowScalarOffsets } from '../base/scalar-offsets.js';
import { jsonPath, specAt, type Spec } from '../options/options.js';
import { RUNTIME_OPTS_SPEC } from '../options/registry.js';
import { isObject, type Obj } from '../base/values.js';
import { javaDouble } from '../base/java.js';

/**
 * The forms the worker's settings come in. PF_ keys are the Helm chart's: the broker's
 * ConfigMap when the worker runs in the broker, the functions worker's own when it runs apart.
 */
export type WorkerForm = 'functions_worker.yml' | 'ConfigMap holding functions_worker.yml' | 'ConfigMap with PF_ keys';

// gen-yml-from-env.py: the keys whose values become integers, and those split on commas.
const INT_KEYS = new Set(['workerPort', 'numFunctionPackageReplicas', 'failureCheckFreqMs', 'rescheduleTimeoutMs', 'initialBrokerReconnectMaxRetries', 'assignmentWriteMaxRetries', 'instanceLivenessCheckFreqMs']);
const LIST_KEYS = new Set(['brokerInterceptors', 'messagingProtocols', 'tlsProtocols', 'tlsCiphers', 'authenticationProviders', 'superUserRoles', 'proxyRoles', 'schemaRegistryCompatibilityCheckers', 'brokerClientTlsCiphers', 'brokerClientTlsProtocols']);
const WORKER_KEYS = ['runtimeCustomizerClassName', 'runtimeCustomizerConfig', 'functionRuntimeFactoryClassName', 'functionRuntimeFactoryConfigs', 'pulsarFunctionsCluster'];

/** The worker's customizer settings, and which form they were read from. */
export function readWorker(text: string, source: string, sink: DiagnosticSink, strict = false, at: string[] = [], extra?: Record<string, Spec>): WorkerConfig & { form: WorkerForm; mapName?: string } {
  const doc = parseYamlFile(text, source, { intAsBigInt: true, pulsar: true });
  // The whole file through the one guarded conversion, whichever part of it is read after:
  // an alias bomb anywhere in it is refused, not left for a later reader to expand.
  plainOf(doc, { source }, 'file');
  const node = at.length === 0 ? doc.contents : doc.getIn(at, true);
  if (at.length === 0 && (node === null || node === undefined)) {
    // WorkerConfig.load reads the file with Jackson, which refuses a file with no YAML
    // content ("No content to map due to end-of-input"): the worker does not start.
    throw new PmcError('PMC_WORKER_CONFIG', 'the worker file holds no settings, and the functions worker refuses to start on it (Jackson: "No content to map due to end-of-input"): give the functions_worker.yml your worker runs with', {
      location: { source, line: 1, col: 1 },
    });
  }
  const kind = isMap(node) ? node.get('kind') : undefined;
  const locate = yamlLocator(doc, text, source);
  if (typeof kind !== 'string') {
    if (at.length === 0) refuseHelmValues(node, (p, o) => locate(p, o) ?? { source });
    warnNoWorkerKeys(node, source, sink);
    return { ...readWorkerConfig(text, source, sink, strict, at, undefined, extra), form: 'functions_worker.yml' };
  }
  const data = isMap(node) ? node.get('data', true) : undefined;
  const name = isMap(node) ? (node.getIn(['metadata', 'name']) as unknown) : undefined;
  if (kind !== 'ConfigMap' || !isMap(data)) {
    throw new PmcError(
      'PMC_WORKER_CONFIG',
      `found a ${kind}${typeof name === 'string' ? ` (${name})` : ''}: expected a functions_worker.yml, a ConfigMap whose data holds one, or the Helm chart's ConfigMap with PF_ keys (the broker's, or the functions worker's when it runs apart)`,
      { location: locate([...at, 'kind']) },
    );
  }
  const keys = keysOf(data);
  const mapName = typeof name === 'string' ? name : undefined;
  if (keys.some((k) => k.startsWith('PF_'))) return { ...readPfKeys(doc, text, source, [...at, 'data'], sink, strict, extra), mapName };
  for (const key of keys) {
    const value = data.get(key, true);
    if (!isScalar(value) || typeof value.value !== 'string' || !holdsWorkerFile(value.value)) continue;
    // The file inside the ConfigMap: its messages point into the ConfigMap's own lines.
    const place = innerPlacement(text, value as Scalar<string>);
    try {
      return { ...readWorkerConfig(value.value, source, sink, strict, [], place, extra), form: 'ConfigMap holding functions_worker.yml', mapName };
    } catch (e) {
      // The inner file's own YAML errors, located in its text: moved to the ConfigMap's lines.
      if (!(e instanceof PmcError)) throw e;
      const moved = (d: Diagnostic): Diagnostic => (d.location?.line === undefined ? d : { ...d, location: { ...d.location, ...place({ line: d.location.line, col: d.location.col ?? 1 }) } });
      throw PmcError.fromDiagnostics(e.diagnostics().map(moved));
    }
  }
  throw new PmcError('PMC_WORKER_CONFIG', `the ConfigMap${typeof name === 'string' ? ` ${name}` : ''} holds neither a functions_worker.yml (in its data) nor PF_ keys (data: ${keys.join(', ') || 'none'})`, {
    location: locate([...at, 'data']),
  });
}

/**
 * Where a line and column of a file held in a ConfigMap value are in the ConfigMap's text. A
 * block scalar (`|`) shifts by its first line and indentation; a quoted one, as kubectl prints
 * a file with a line ending in spaces, is undone character by character.
 */
function innerPlacement(text: string, node: Scalar<string>): (at: { line: number; col: number }) => { line: number; col: number } {
  const [begin = 0, end = begin] = node.range ?? [];
  if (node.type === 'BLOCK_LITERAL' || node.type === 'BLOCK_FOLDED') {
    const start = lineColAt(text, begin);
    const indent = /\n([ \t]*)\S/.exec(text.slice(begin))?.[1]?.length ?? 0;
    return (at) => ({ line: at.line + start.line, col: at.col + indent });
  }
  const style = node.type === 'QUOTE_DOUBLE' || node.type === 'QUOTE_SINGLE' ? node.type : 'PLAIN';
  const mapped = flowScalarOffsets(text.slice(begin, end), style, begin);
  // Not as the parser read it (never expected): the value's start, rather than a wrong place.
  if (!mapped || mapped.value !== node.value) return () => lineColAt(text, begin);
  const lineStarts = [0];
  for (let i = 0; i < node.value.length; i++) if (node.value.charCodeAt(i) === 10) lineStarts.push(i + 1);
  const lineOf = lineIndex(text);
  return (at) => {
    const inner = (lineStarts[Math.min(at.line, lineStarts.length) - 1] ?? 0) + at.col - 1;
    return lineOf(mapped.offsets[Math.min(inner, mapped.offsets.length - 1)] ?? begin);
  };
}

/**
 * The top-level keys of the Pulsar Helm charts' values.yaml (Apache's and DataStax's): a file
 * with several of them and none of the worker's own is the chart's values, not a worker file.
 * https://github.com/apache/pulsar-helm-chart/blob/master/charts/pulsar/values.yaml
 */
const HELM_VALUES_KEYS = ['components', 'broker', 'zookeeper', 'bookkeeper', 'proxy', 'images', 'functions', 'function', 'autorecovery', 'toolset', 'pulsar_metadata', 'volumes', 'affinity', 'initialize', 'extra', 'enableTls'];

/**
 * A Helm values.yaml given as the worker file would read as a worker with no settings and
 * send the user the wrong way ("no runtimeCustomizerClassName"): the worker's settings are the
 * PF_ keys of the broker ConfigMap the chart renders from it, with the chart's own beside them.
 */
function refuseHelmValues(node: unknown, locate: (path: string[], opts?: { key?: boolean }) => Location): void {
  if (!isMap(node)) return;
  const keys = keysOf(node);
  const chart = HELM_VALUES_KEYS.filter((k) => keys.includes(k));
  if (chart.length < 2 || !chart.some((k) => k === 'broker' || k === 'components') || keys.some((k) => WORKER_KEYS.includes(k))) return;
  const first = keys.includes('broker') ? 'broker' : chart[0]!;
  throw new PmcError(
    'PMC_WORKER_CONFIG',
    `this is the Pulsar Helm chart's values.yaml (${chart.slice(0, 4).join(', ')}), not a worker file: the worker reads the PF_ keys of the broker ConfigMap the chart makes of it, with the chart's own keys beside them; give that ConfigMap as kubectl prints it (kubectl get configmap <release>-broker -n <namespace> -o yaml > broker.yaml; pmc ... -w broker.yaml)`,
    { location: locate([first], { key: true }) },
  );
}

/**
 * Keys of the worker's WorkerConfig, those Pulsar's shipped conf/functions_worker.yml sets: a
 * worker file has some of them. (The worker ignores keys it does not know.)
 * https://github.com/apache/pulsar/blob/master/conf/functions_worker.yml
 */
const WORKER_CONFIG_KEYS = new Set([
  ...WORKER_KEYS,
  'workerId', 'workerHostname', 'workerPort', 'workerPortTls', 'configurationMetadataStoreUrl', 'metadataStoreUrl', 'pulsarFunctionsNamespace',
  'numFunctionPackageReplicas', 'downloadDirectory', 'pulsarServiceUrl', 'pulsarWebServiceUrl', 'functionMetadataTopicName', 'functionAssignmentTopicName',
  'clusterCoordinationTopicName', 'schedulerClassName', 'failureCheckFreqMs', 'rescheduleTimeoutMs', 'rebalanceCheckFreqSec', 'initialBrokerReconnectMaxRetries',
  'assignmentWriteMaxRetries', 'instanceLivenessCheckFreqMs', 'authenticationEnabled', 'authorizationEnabled', 'authenticationProviders', 'authorizationProvider',
  'superUserRoles', 'proxyRoles', 'tlsEnabled', 'tlsCertificateFilePath', 'tlsKeyFilePath', 'tlsTrustCertsFilePath', 'tlsAllowInsecureConnection',
  'tlsEnableHostnameVerification', 'useTls', 'exposeAdminClientEnabled', 'functionsWorkerEnablePackageManagement', 'kubernetesContainerFactory',
  'processContainerFactory', 'threadContainerFactory', 'connectorsDirectory', 'functionsDirectory', 'narExtractionDirectory', 'secretsProviderConfiguratorClassName',
  'stateStorageServiceUrl', 'functionInstanceMinResources', 'functionInstanceMaxResources', 'functionInstanceResourceGranularities', 'maxPendingAsyncRequests',
  'additionalJavaRuntimeArguments', 'brokerClientAuthenticationPlugin', 'brokerClientAuthenticationParameters', 'clientAuthenticationPlugin', 'clientAuthenticationParameters',
]);

/**
 * A map without a single worker setting reads as a worker with no customizer: said, naming
 * what it holds, so that a wrong file (another component's config, a kustomize file of
 * unknown keys) is not taken for an empty worker without a word.
 */
function warnNoWorkerKeys(node: unknown, source: string, sink: DiagnosticSink): void {
  if (!isMap(node) || node.items.length === 0) return;
  const keys = keysOf(node);
  if (keys.some((k) => WORKER_CONFIG_KEYS.has(k))) return;
  const shown = keys.length > 5 ? `${keys.slice(0, 5).join(', ')}, ...` : keys.join(', ');
  sink.warn('PMC_WORKER_CONFIG', `none of its keys (${shown}) is a functions worker setting, so it reads as a worker with no customizer: give the worker's functions_worker.yml (runtimeCustomizerClassName, runtimeCustomizerConfig, ...)`, { source });
}

/** A YAML map's scalar keys, as text. */
function keysOf(map: YAMLMap): string[] {
  return map.items.map((p) => (isScalar(p.key) ? String(p.key.value) : '')).filter(Boolean);
}

/** A data value that is a worker file: YAML naming one of the worker's own keys. */
function holdsWorkerFile(text: string): boolean {
  return WORKER_KEYS.some((k) => new RegExp(`^${k}\\s*:`, 'm').test(text));
}

/**
 * The broker ConfigMap's PF_ keys, turned into the worker's config as gen-yml-from-env.py
 * does: the prefix stripped, the rest split on `_` into nested keys, each value a string (a
 * few known keys an integer or a comma-separated list). An option that needs a list or a
 * key with `_` cannot be set this way: say so, naming the PF_ key.
 */
function readPfKeys(doc: Document, text: string, source: string, at: string[], sink: DiagnosticSink, strict: boolean, extra?: Record<string, Spec>): WorkerConfig & { form: WorkerForm } {
  const locate = yamlLocator(doc, text, source);
  const { config, keyOf, where } = pfConfig(doc, at, locate, source);
  // A list cannot come from PF_ keys: the indexed form users write
  // (PF_runtimeCustomizerConfig_tolerations_0_key) becomes a map keyed '0', which the worker
  // cannot read as the list the option is. One error per list, at its first key; the map is
  // then left out, so that no "expected a list" follows it.
  const lists = new Map<string, string[]>();
  for (const [path, key] of keyOf) {
    const parts = path.split('.');
    if (parts[0] !== 'runtimeCustomizerConfig') continue;
    const depth = parts.findIndex((_, i) => i > 0 && specAt(RUNTIME_OPTS_SPEC, parts.slice(1, i + 1))?.t === 'list');
    if (depth < 0) continue;
    const list = parts.slice(0, depth + 1).join('.');
    lists.set(list, [...(lists.get(list) ?? []), key]);
  }
  for (const [list, keys] of lists) {
    const parts = list.split('.');
    // The segment after the list's own name: the index users meant ("0"), if they wrote one.
    const index = keys[0]!.slice(`PF_${parts.join('_')}_`.length).split('_')[0];
    const how = index
      ? `gen-yml-from-env.py turns ${keys.length === 1 ? 'this key' : `these ${keys.length} keys`} into a map keyed "${index}", which the worker cannot read as a list`
      : 'gen-yml-from-env.py writes it as a string';
    sink.error('PMC_WORKER_CONFIG', `${parts.slice(1).join('.')} is a list, and a PF_ key cannot carry one (${how}): put the whole functions_worker.yml in a ConfigMap instead`, {
      ...locate([...at, keys[0]!]),
      path: keys[0],
    });
    let parent: unknown = config;
    for (const p of parts.slice(0, -1)) parent = isObject(parent) ? parent[p] : undefined;
    if (isObject(parent)) delete parent[parts[parts.length - 1]!];
  }
  const className = typeof config.runtimeCustomizerClassName === 'string' ? config.runtimeCustomizerClassName : undefined;
  const classAt = where(['runtimeCustomizerClassName']);
  const options = readRuntimeOpts(config.runtimeCustomizerConfig, {
    root: 'runtimeCustomizerConfig',
    foreignClass: extra ? undefined : foreignCustomizer(className),
    extra,
    locate: (p) => where(['runtimeCustomizerConfig', ...p]),
    // Named as the user wrote it: the PF_ key, with the option path it sets.
    name: (p) => {
      const dotted = ['runtimeCustomizerConfig', ...p].join('.');
      const key = keyOf.get(dotted);
      const path = jsonPath('runtimeCustomizerConfig', p);
      if (key) return `${key} (${path})`;
      // Made by keys below it: a name with "_" (a label's cost_center) that the script split.
      const below = firstKeyBelow(keyOf, dotted);
      return below ? `${path} (from ${below}, which gen-yml-from-env.py splits at every "_")` : path;
    },
    strict,
    sink,
  });
  return { className, classLine: { line: classAt.line, col: classAt.col }, options, form: 'ConfigMap with PF_ keys' };
}

/**
 * The worker settings gen-yml-from-env.py writes from the PF_ keys of the map at `at`, the
 * PF_ key behind each path, and where a path was set: its PF_ key, or the closest one above it.
 */
function pfConfig(
  doc: Document,
  at: string[],
  locate: ReturnType<typeof yamlLocator>,
  source: string,
): { config: Obj; keyOf: Map<string, string>; where: (path: (string | number)[]) => Location } {
  const data = (doc.getIn(at, true) as { items: { key: unknown; value: unknown }[] }).items;
  const config: Obj = {};
  const keyOf = new Map<string, string>();
  const pairs = data
    .map((p) => ({ key: isScalar(p.key) ? String(p.key.value) : '', value: isScalar(p.value) ? p.value.value : undefined }))
    .filter((p) => p.key.startsWith('PF_'))
    .sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
  for (const { key, value } of pairs) {
    const parts = key.slice(3).split('_');
    const last = parts[parts.length - 1]!;
    let target = config;
    for (const p of parts.slice(0, -1)) target = isObject(target[p]) ? target[p] : (target[p] = {});
    const text = value === undefined || value === null ? '' : String(value);
    target[last] = INT_KEYS.has(last) ? Number.parseInt(text, 10) : LIST_KEYS.has(last) ? text.split(',') : text;
    keyOf.set(parts.join('.'), key);
  }
  delete config.containerFactory;
  const where = (path: (string | number)[]): Location => {
    for (let n = path.length; n > 0; n--) {
      const key = keyOf.get(path.slice(0, n).join('.'));
      if (key) return { ...locate([...at, key]), path: key };
    }
    // A path set only through keys below it (a map or object): the first of those keys.
    const first = firstKeyBelow(keyOf, path.join('.'));
    if (first) return { ...locate([...at, first]), path: first };
    return locate(at) ?? { source };
  };
  return { config, keyOf, where };
}

/** The first PF_ key (in key order) that sets something below the dotted path: a map made of several keys. */
function firstKeyBelow(keyOf: Map<string, string>, dotted: string): string | undefined {
  const below = `${dotted}.`;
  for (const [path, key] of keyOf) if (path.startsWith(below)) return key;
  return undefined;
}

/**
 * The keys of Pulsar's shipped conf/functions_worker.yml that shape a rendered function.
 * gen-yml-from-env.py writes the PF_ keys over that file, so the Helm chart's worker keeps these
 * unless a PF_ key replaces them.
 * https://github.com/apache/pulsar/blob/master/conf/functions_worker.yml
 */
const SHIPPED_WORKER: Obj = {
  pulsarServiceUrl: 'pulsar://localhost:6650',
  pulsarWebServiceUrl: 'http://localhost:8080',
  pulsarFunctionsCluster: 'standalone',
  downloadDirectory: 'download/pulsar_functions',
  exposeAdminClientEnabled: false,
  authenticationEnabled: false,
  useTls: false,
  tlsAllowInsecureConnection: false,
  tlsEnableHostnameVerification: false,
};

/** All of the worker's settings as plain data, whatever form they came in, and where each is written. */
export interface WorkerSettings {
  values: Obj;
  form: WorkerForm;
  locate: (path: string[]) => Location;
  /**
   * A plain scalar as Jackson turns it into a String field: a float is a Java Double's text
   * (`6.0` stays "6.0", where the parsed number 6 would print "6"). Undefined when not a float.
   */
  floatText?: (path: string[]) => string | undefined;
}

/** The Java text of a float scalar at `path` in a document parsed with Pulsar's typing. */
function floatTextIn(doc: Document, prefix: string[]): (path: string[]) => string | undefined {
  return (path) => {
    const node = doc.getIn([...prefix, ...path], true);
    // A plain scalar typed as a float (SNAKEYAML_TAGS): a number whose source has a point, an exponent, inf or nan.
    const isFloat = isScalar(node) && typeof node.value === 'number' && /[.eE]|inf|nan/i.test(String(node.source ?? ''));
    return isFloat ? javaDouble(node.value as number) : undefined;
  };
}

export function workerSettings(text: string, source: string, at: string[] = []): WorkerSettings {
  const doc = parseYamlFile(text, source, { pulsar: true });
  const locate = yamlLocator(doc, text, source);
  const node = at.length === 0 ? doc.contents : doc.getIn(at, true);
  const plain = (plainOf(doc, { source }, 'file') ?? {}) as Obj;
  let here: unknown = plain;
  for (const k of at) here = isObject(here) ? here[k] : undefined;
  const whole = isObject(here) ? here : {};
  if (at.length === 0 && !(isMap(node) && typeof node.get('kind') === 'string')) refuseHelmValues(node, (p, o) => locate(p, o) ?? { source });
  if (!isMap(node) || typeof node.get('kind') !== 'string') return { values: whole, form: 'functions_worker.yml', locate: (p) => locate([...at, ...p]) ?? { source }, floatText: floatTextIn(doc, at) };
  const data = isObject(whole.data) ? whole.data : {};
  if (Object.keys(data).some((k) => k.startsWith('PF_'))) {
    const { config, where } = pfConfig(doc, [...at, 'data'], locate, source);
    return { values: { ...SHIPPED_WORKER, ...config }, form: 'ConfigMap with PF_ keys', locate: where };
  }
  for (const [key, value] of Object.entries(data)) {
    if (typeof value !== 'string' || !holdsWorkerFile(value)) continue;
    const inner = parseYamlFile(value, source, { pulsar: true });
    const values = (plainOf(inner, locate([...at, 'data', key]) ?? { source }, 'worker file') ?? {}) as Obj;
    return { values: isObject(values) ? values : {}, form: 'ConfigMap holding functions_worker.yml', locate: () => locate([...at, 'data', key]) ?? { source }, floatText: floatTextIn(inner, []) };
  }
  return { values: whole, form: 'functions_worker.yml', locate: (p) => locate([...at, ...p]) ?? { source }, floatText: floatTextIn(doc, at) };
}
