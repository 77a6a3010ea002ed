/**
 * The worker's settings as the Apache Pulsar Helm chart gives them: PF_ keys in a ConfigMap
 * (the broker's, or the functions worker's when it runs apart), which the chart's
 * gen-yml-from-env.py turns into functions_worker.yml at start, splitting each key at `_`,
 * typing a few keys and splitting others on commas; over the worker file the image ships.
 * https://github.com/apache/pulsar/blob/master/docker/pulsar/scripts/gen-yml-from-env.py
 */
import { isScalar, type Document } from 'yaml';
import type { DiagnosticSink, Location } from '../base/diagnostics.js';
import { jsonPath, specAt, type Spec } from '../options/options.js';
import { RUNTIME_OPTS_SPEC } from '../options/registry.js';
import { isObject, type Obj } from '../base/values.js';
import { foreignCustomizer, readRuntimeOpts, type WorkerConfig } from './config.js';
import { yamlLocator } from './parse.js';
import type { WorkerForm } from './worker-form.js';

// gen-yml-from-env.py: the keys whose values become integers, and those split on commas.
const INT_KEYS = new Set(['workerPort', 'numFunctionPackageReplicas', 'failureCheckFreqMs', 'rescheduleTimeoutMs', 'initialBrokerReconnectMaxRetries', 'assignmentWriteMaxRetries', 'instanceLivenessCheckFreqMs']);
const LIST_KEYS = new Set(['brokerInterceptors', 'messagingProtocols', 'tlsProtocols', 'tlsCiphers', 'authenticationProviders', 'superUserRoles', 'proxyRoles', 'schemaRegistryCompatibilityCheckers', 'brokerClientTlsCiphers', 'brokerClientTlsProtocols']);
/**
 * The broker ConfigMap's PF_ keys, turned into the worker's config as gen-yml-from-env.py
 * does: the prefix stripped, the rest split on `_` into nested keys, each value a string (a
 * few known keys an integer or a comma-separated list). An option that needs a list or a
 * key with `_` cannot be set this way: say so, naming the PF_ key.
 */
export function readPfKeys(doc: Document, text: string, source: string, at: string[], sink: DiagnosticSink, strict: boolean, extra?: Record<string, Spec>): WorkerConfig & { form: WorkerForm } {
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
export function pfConfig(
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
export const SHIPPED_WORKER: Obj = {
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
