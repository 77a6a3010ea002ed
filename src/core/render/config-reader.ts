/**
 * A pulsar-admin function, source or sink config as pulsar-admin's Jackson reads it
 * (CmdUtils.loadConfig): typed reads of its values, each wrong type an error at its line, the
 * fields each kind knows, and what the three converters share (resources, retry details,
 * consumer and producer specs). The converters themselves are function-config.ts,
 * window-config.ts, source-config.ts and sink-config.ts; details.ts runs them.
 * https://github.com/apache/pulsar/blob/master/pulsar-client-tools/src/main/java/org/apache/pulsar/admin/cli/utils/CmdUtils.java
 */
import { isMap, isScalar, isSeq, type Document, type Node } from 'yaml';
import { closest } from 'fastest-levenshtein';
import { similar } from '../options/options.js';
import type { DiagnosticSink, Location } from '../base/diagnostics.js';
import { isObject, type Obj } from '../base/values.js';
import { hashMapOrder, javaDouble } from '../base/java.js';
import { CHANGES, has, type ComponentKind, type PulsarVersion } from './pulsar.js';
import { gsonString, ProcessingGuarantees, type FunctionDetails } from './protojson.js';

export type Runtime = 'JAVA' | 'PYTHON' | 'GO';

/** FunctionDetails as render builds it: the table's message, its identity always set. */
export type Details = Omit<FunctionDetails, 'tenant' | 'namespace' | 'name' | 'resources'> & { tenant: string; namespace: string; name: string; resources: Resources };
/** A function's resources as readResources gives them: always all three, the byte counts exact. */
export interface Resources {
  cpu: number;
  ram: bigint;
  disk: bigint;
}

export interface ReadConfig {
  kind: ComponentKind;
  runtime: Runtime;
  details: Details;
  /** The uploaded file's name as the worker knows it (its base name). */
  originalFileName: string;
  /** The secrets map as written, for the Kubernetes secrets configurator. */
  secrets?: Obj;
  /** Where each top-level key is written, for messages. */
  locate: (path: (string | number)[]) => Location;
  /** Java input and output types: the worker reads them from the jar, pmc cannot. */
  javaTypesUnknown: boolean;
  /** The code is a builtin connector or function (builtin://NAME). */
  builtin: boolean;
  /** A source's or sink's connector class, when the config names it. */
  connectorClass?: string;
  /** A sink's transform function: its package, downloaded beside the connector. */
  transform?: { originalFileName: string; from: string };
}

/** What one converter made of the config, beside the details it filled in. */
export interface Conversion {
  runtime: Runtime;
  /** The code's file (jar, py, go or archive) as given. */
  file: string | undefined;
  javaTypesUnknown: boolean;
  transform?: ReadConfig['transform'];
}

/** What every converter is given: the reader, the details so far, and what readConfig read first. */
export interface ConvertContext {
  r: Reader;
  details: Details;
  className: string | undefined;
  guarantees: string | undefined;
  resources: Resources;
  code: { jar?: string; py?: string; go?: string; archive?: string };
  /** 3.1's converters (CHANGES.converterOrderingFields). */
  since31: boolean;
  forwardSourceMessageProperty?: boolean;
  locate: (path: (string | number)[]) => Location;
  sink: DiagnosticSink;
}

export const IDENTITY_FUNCTION = 'org.apache.pulsar.functions.api.utils.IdentityFunction';
export const DEFAULT_RESOURCES = { cpu: 1.0, ram: 1073741824n, disk: 10737418240n };
export const GUARANTEES: readonly string[] = ProcessingGuarantees.enum;

/** The kind a config file describes, as the issue's rule reads it: a source names its topic, a sink its inputs and archive. */
export function kindOf(values: Obj): ComponentKind {
  if ('sourceType' in values || 'topicName' in values) return 'source';
  if ('sinkType' in values || (('inputs' in values || 'topicsPattern' in values || 'inputSpecs' in values) && 'archive' in values)) return 'sink';
  return 'function';
}

/** Typed reads of the config's values; a wrong type is an error at its line. */
export class Reader {
  constructor(
    readonly values: Obj,
    readonly doc: Document,
    readonly locate: (path: (string | number)[]) => Location,
    readonly sink: DiagnosticSink,
  ) {}

  private wrong(key: string, what: string): undefined {
    this.sink.error('PMC_FUNCTION_CONFIG', `${key} must be ${what}, got ${JSON.stringify(this.values[key])}`, { ...this.locate([key]), path: key });
    return undefined;
  }

  /** The YAML node of a top-level key, for what must be read as Gson reads it. */
  private nodeAt(key: string): Node | undefined {
    return (isMap(this.doc.contents) ? this.doc.contents.get(key, true) : undefined) as Node | undefined;
  }

  has(key: string): boolean {
    return this.values[key] !== undefined && this.values[key] !== null;
  }

  str(key: string): string | undefined {
    const v = this.values[key];
    if (v === undefined || v === null) return undefined;
    return typeof v === 'string' ? v : this.wrong(key, 'a string');
  }

  bool(key: string): boolean | undefined {
    const v = this.values[key];
    if (v === undefined || v === null) return undefined;
    return typeof v === 'boolean' ? v : this.wrong(key, 'true or false');
  }

  int(key: string): number | undefined {
    const v = this.values[key];
    if (v === undefined || v === null) return undefined;
    return typeof v === 'number' && Number.isInteger(v) ? v : this.wrong(key, 'an integer');
  }

  map(key: string): Obj | undefined {
    const v = this.values[key];
    if (v === undefined || v === null) return undefined;
    return isObject(v) ? v : this.wrong(key, 'a map');
  }

  list(key: string): string[] | undefined {
    const v = this.values[key];
    if (v === undefined || v === null) return undefined;
    return Array.isArray(v) && v.every((x) => typeof x === 'string') ? v : this.wrong(key, 'a list of strings');
  }

  /** A HashMap copy of the map at `key` with more entries put in (values already JSON), as Gson writes it. */
  gsonWith(key: string, extra: [key: string, json: string][]): string {
    const node = this.nodeAt(key);
    const pairs = isMap(node) ? node.items.map((p) => [String(isScalar(p.key) ? p.key.value : p.key), gsonNode(p.value as Node)] as const) : [];
    const json = new Map<string, string>(pairs);
    for (const [k, v] of extra) json.set(k, v);
    return `{${hashMapOrder([...json.keys()], pairs.length).map((k) => `${gsonString(k)}:${json.get(k)}`).join(',')}}`;
  }

  /** The object at `path` as Gson writes a class with these fields: in this order, nulls left out. */
  gsonAt(path: string[], fields: string[]): string {
    const node = this.doc.getIn(path, true) as Node | undefined;
    if (!isMap(node)) return '{}';
    const parts: string[] = [];
    for (const field of fields) {
      const value = node.get(field, true) as Node | undefined;
      if (value === undefined || (isScalar(value) && value.value === null)) continue;
      parts.push(`${gsonString(field)}:${gsonNode(value)}`);
    }
    return `{${parts.join(',')}}`;
  }

  /** The value at `key` as Gson writes it, numbers as Java reads them (`1.0` a double, `1` an integer). */
  gson(key: string, order: 'insertion' | 'hashmap'): string {
    const node = this.nodeAt(key);
    return gsonNode(node, order === 'hashmap');
  }
}

/** A YAML node as `new Gson().toJson(...)` writes what Jackson read from it. */
function gsonNode(node: Node | undefined | null, hashMap = false): string {
  if (!node) return 'null';
  if (isMap(node)) {
    const pairs = node.items.map((p) => [String(isScalar(p.key) ? p.key.value : p.key), p.value as Node] as const);
    const order = hashMap ? hashMapOrder(pairs.map(([k]) => k), pairs.length) : pairs.map(([k]) => k);
    const byKey = new Map(pairs);
    return `{${order.map((k) => `${gsonString(k)}:${gsonNode(byKey.get(k))}`).join(',')}}`;
  }
  if (isSeq(node)) return `[${node.items.map((i) => gsonNode(i as Node)).join(',')}]`;
  if (isScalar(node)) {
    const v = node.value;
    if (v === null) return 'null';
    if (typeof v === 'number') return Number.isInteger(v) && !/[.eE]/.test(node.source ?? String(v)) ? String(v) : javaDouble(v);
    if (typeof v === 'boolean') return String(v);
    return gsonString(String(v));
  }
  return 'null';
}

/**
 * The fields pulsar-admin's Jackson knows in a config file (FunctionConfig, SourceConfig,
 * SinkConfig), read off each release's classes; CmdUtils.loadConfig refuses any other
 * ("Invalid field 'x' ... Valid fields are [...]"). 3.0's SourceConfig has no logTopic or
 * sourceType, its SinkConfig no logTopic.
 * https://github.com/apache/pulsar/blob/master/pulsar-client-tools/src/main/java/org/apache/pulsar/admin/cli/utils/CmdUtils.java
 */
const CONFIG_FIELDS: Record<ComponentKind, readonly string[]> = {
  function: [
    'runtimeFlags', 'tenant', 'namespace', 'name', 'className', 'inputs', 'customSerdeInputs', 'topicsPattern', 'customSchemaInputs', 'customSchemaOutputs',
    'inputSpecs', 'inputTypeClassName', 'output', 'producerConfig', 'outputSchemaType', 'outputTypeClassName', 'outputSerdeClassName', 'logTopic',
    'processingGuarantees', 'retainOrdering', 'retainKeyOrdering', 'batchBuilder', 'forwardSourceMessageProperty', 'userConfig', 'secrets', 'runtime',
    'autoAck', 'maxMessageRetries', 'deadLetterTopic', 'subName', 'parallelism', 'resources', 'fqfn', 'windowConfig', 'timeoutMs', 'jar', 'py', 'go',
    'functionType', 'cleanupSubscription', 'customRuntimeOptions', 'maxPendingAsyncRequests', 'exposePulsarAdminClientEnabled', 'skipToLatest',
    'subscriptionPosition',
  ],
  source: [
    'tenant', 'namespace', 'name', 'className', 'topicName', 'producerConfig', 'serdeClassName', 'schemaType', 'configs', 'secrets', 'parallelism',
    'processingGuarantees', 'resources', 'sourceType', 'archive', 'runtimeFlags', 'customRuntimeOptions', 'batchSourceConfig', 'batchBuilder', 'logTopic',
  ],
  sink: [
    'tenant', 'namespace', 'name', 'className', 'sourceSubscriptionName', 'sourceSubscriptionPosition', 'inputs', 'topicToSerdeClassName', 'topicsPattern',
    'topicToSchemaType', 'topicToSchemaProperties', 'inputSpecs', 'maxMessageRetries', 'deadLetterTopic', 'configs', 'secrets', 'parallelism',
    'processingGuarantees', 'retainOrdering', 'retainKeyOrdering', 'resources', 'autoAck', 'timeoutMs', 'negativeAckRedeliveryDelayMs', 'sinkType', 'archive',
    'cleanupSubscription', 'runtimeFlags', 'customRuntimeOptions', 'transformFunction', 'transformFunctionClassName', 'transformFunctionConfig', 'logTopic',
  ],
};
const NOT_IN_3_0: Record<ComponentKind, readonly string[]> = { function: [], source: ['logTopic', 'sourceType'], sink: ['logTopic'] };

/** Every top-level key pulsar-admin would refuse, located at the key, with the closest field. */
export function checkConfigFields(values: Obj, kind: ComponentKind, version: PulsarVersion | undefined, locate: (p: (string | number)[]) => Location, sink: DiagnosticSink): void {
  const known = CONFIG_FIELDS[kind].filter((f) => !version || has(version, 'connectorLogTopic') || !NOT_IN_3_0[kind].includes(f));
  const unknown = Object.keys(values).filter((k) => !known.includes(k));
  if (unknown.length === 0) return;
  // None of the keys is a config field: most likely a connector's own configs, given as the config.
  const connector = unknown.length === Object.keys(values).length && kind !== 'function';
  for (const k of unknown) {
    const suggestion = closest(k, [...known]);
    const hint = suggestion && similar(k, suggestion) ? `; did you mean "${suggestion}"?` : '';
    const since = version && !has(version, 'connectorLogTopic') && NOT_IN_3_0[kind].includes(k) ? ` (Pulsar ${version}'s ${kind} config has no ${k}; ${CHANGES.connectorLogTopic.since} added it)` : '';
    const more = connector ? `; this looks like the connector's own settings: put them under configs: in a ${kind} config (tenant, namespace, name, archive, ...)` : '';
    sink.error('PMC_FUNCTION_CONFIG', `unknown field "${k}": pulsar-admin refuses the file ("Invalid field '${k}'")${since}${hint}${more}`, { ...locate([k]), path: k });
  }
}

export function baseName(path: string): string {
  return path.slice(path.lastIndexOf('/') + 1);
}

export function subscriptionType(guarantees: string | undefined, retainOrdering?: boolean, retainKeyOrdering?: boolean): string {
  return retainOrdering || guarantees === 'EFFECTIVELY_ONCE' ? 'FAILOVER' : retainKeyOrdering ? 'KEY_SHARED' : 'SHARED';
}

export function retryDetails(r: Reader, details: Details, least: number): void {
  const retries = r.int('maxMessageRetries');
  if (retries !== undefined && retries >= least) details.retryDetails = { maxMessageRetries: retries, deadLetterTopic: r.str('deadLetterTopic') };
}

/** resources: each of cpu, ram and disk falls back to its default on its own. */
export function readResources(r: Reader): Resources {
  const given = r.map('resources') ?? {};
  const num = (k: string) => (typeof given[k] === 'number' && given[k] !== 0 ? given[k] : undefined);
  return {
    cpu: num('cpu') ?? DEFAULT_RESOURCES.cpu,
    ram: num('ram') !== undefined ? BigInt(given.ram as number) : DEFAULT_RESOURCES.ram,
    disk: num('disk') !== undefined ? BigInt(given.disk as number) : DEFAULT_RESOURCES.disk,
  };
}

/** One inputSpecs entry as a ConsumerSpec: the schema type wins over the serde class. */
export function consumerSpec(raw: unknown, withSchemaProperties = true): Obj {
  const c = isObject(raw) ? raw : {};
  const spec: Obj = { isRegexPattern: c.regexPattern === true || c.isRegexPattern === true };
  if (typeof c.schemaType === 'string' && c.schemaType.trim()) spec.schemaType = c.schemaType;
  else if (typeof c.serdeClassName === 'string' && c.serdeClassName.trim()) spec.serdeClassName = c.serdeClassName;
  if (typeof c.receiverQueueSize === 'number') spec.receiverQueueSize = { value: c.receiverQueueSize };
  if (withSchemaProperties && isObject(c.schemaProperties)) spec.schemaProperties = c.schemaProperties;
  if (isObject(c.consumerProperties)) spec.consumerProperties = c.consumerProperties;
  if (c.poolMessages === true) spec.poolMessages = true;
  return spec;
}

/**
 * producerConfig (and a top-level batchBuilder: a source's always, a function's from 3.1 on) as the sink's
 * ProducerSpec, each field only when given.
 */
export function producerSpec(r: Reader, topLevelBatchBuilder: boolean): Obj | undefined {
  const p = r.map('producerConfig');
  const batchBuilder = topLevelBatchBuilder ? r.str('batchBuilder') : undefined;
  if (!p && !batchBuilder) return undefined;
  const spec: Obj = {};
  for (const k of ['maxPendingMessages', 'maxPendingMessagesAcrossPartitions', 'useThreadLocalProducers', 'batchBuilder']) if (p?.[k] !== undefined && p[k] !== null) spec[k] = p[k];
  if (batchBuilder) spec.batchBuilder = batchBuilder;
  return spec;
}
