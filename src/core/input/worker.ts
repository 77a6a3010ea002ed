/**
 * The worker's configuration in every form users have it: a functions_worker.yml; a
 * ConfigMap (as `kubectl get cm -o yaml|json` prints it) whose data holds one; or, as the
 * Apache Pulsar Helm chart configures the worker, the broker ConfigMap's `PF_` keys, which
 * the broker turns into functions_worker.yml at start-up (bin/gen-yml-from-env.py):
 * https://github.com/apache/pulsar/blob/master/docker/pulsar/scripts/gen-yml-from-env.py
 */
import { HELM_VALUES_KEYS } from './helm-values.js';
import type { WorkerForm } from './worker-form.js';
import { pfConfig, readPfKeys, SHIPPED_WORKER } from './pf-keys.js';
import { plainOf } from '../base/stream.js';
import { isMap, isScalar, type Document, type Scalar, type YAMLMap } from 'yaml';
import { parseYamlFile, readWorkerConfig, yamlLocator, type WorkerConfig } from './config.js';
import { PmcError, lineColAt, lineIndex, type Diagnostic, type DiagnosticSink, type Location } from '../base/diagnostics.js';
import { flowScalarOffsets } from '../base/scalar-offsets.js';
import type { Spec } from '../options/options.js';
import { isObject, type Obj } from '../base/values.js';
import { javaDouble } from '../base/java.js';

export type { WorkerForm };

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
