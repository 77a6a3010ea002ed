/**
 * A pulsar-admin function, source or sink config file turned into Pulsar's FunctionDetails,
 * with the defaults pulsar-admin and the worker fill in, as FunctionConfigUtils,
 * SourceConfigUtils and SinkConfigUtils do.
 * https://github.com/apache/pulsar/blob/master/pulsar-functions/utils/src/main/java/org/apache/pulsar/functions/utils/FunctionConfigUtils.java
 * https://github.com/apache/pulsar/blob/master/pulsar-functions/utils/src/main/java/org/apache/pulsar/functions/utils/SourceConfigUtils.java
 * https://github.com/apache/pulsar/blob/master/pulsar-functions/utils/src/main/java/org/apache/pulsar/functions/utils/SinkConfigUtils.java
 */
import { plainOf } from '../base/stream.js';
import { tryParseJson } from '../base/json-source.js';
import { isMap, isScalar, isSeq, type Document, type Node } from 'yaml';
import { closest } from 'fastest-levenshtein';
import { configOptionsText, parseYamlFile, yamlLocator } from '../input/config.js';
import { similar } from '../options/options.js';
import { DiagnosticSink, type Location } from '../base/diagnostics.js';
import { isObject, type Obj } from '../base/values.js';
import { hashMapOrder, javaDouble } from '../base/java.js';
import { CHANGES, has, type ComponentKind, type PulsarVersion } from './pulsar.js';
import { kindOfFlags, userCode, type CodeFlags } from './code.js';
import { gsonString, ProcessingGuarantees } from './protojson.js';

export type { ComponentKind };
export type Runtime = 'JAVA' | 'PYTHON' | 'GO';

export interface Details extends Obj {
  tenant: string;
  namespace: string;
  name: string;
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

const IDENTITY_FUNCTION = 'org.apache.pulsar.functions.api.utils.IdentityFunction';
const DEFAULT_RESOURCES = { cpu: 1.0, ram: 1073741824n, disk: 10737418240n };
const GUARANTEES: readonly string[] = ProcessingGuarantees.enum;

/** The kind a config file describes, as the issue's rule reads it: a source names its topic, a sink its inputs and archive. */
export function kindOf(values: Obj): ComponentKind {
  if ('sourceType' in values || 'topicName' in values) return 'source';
  if ('sinkType' in values || (('inputs' in values || 'topicsPattern' in values || 'inputSpecs' in values) && 'archive' in values)) return 'sink';
  return 'function';
}

/** Typed reads of the config's values; a wrong type is an error at its line. */
class Reader {
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
function checkConfigFields(values: Obj, kind: ComponentKind, version: PulsarVersion | undefined, locate: (p: (string | number)[]) => Location, sink: DiagnosticSink): void {
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

function baseName(path: string): string {
  return path.slice(path.lastIndexOf('/') + 1);
}

export interface ReadOptions {
  kind?: ComponentKind;
  identity: { tenant?: string; namespace?: string; name?: string };
  /** customRuntimeOptions given on the command line, which replace the file's. */
  customRuntimeOptions?: string;
  originalFileName?: string;
  /** The worker's forwardSourceMessageProperty (default true). */
  forwardSourceMessageProperty: boolean;
  /** The release line whose FunctionConfigUtils, SourceConfigUtils and SinkConfigUtils apply (default 4.2). */
  pulsarVersion?: PulsarVersion;
  /** pulsar-admin's code flags (--jar, --py, --go, --function-type, --archive, --source-type, --sink-type), over the config's keys. */
  code?: CodeFlags;
}

export function readConfig(text: string, source: string, opts: ReadOptions, sink: DiagnosticSink): ReadConfig {
  // pulsar-admin reads the file with Jackson's YAML (CmdUtils.loadConfig): SnakeYAML's 1.1
  // typing, so `No` in userConfig is false and `06._1` is 6.1.
  const doc = parseYamlFile(text, source, { pulsar: true });
  const locateIn = yamlLocator(doc, text, source);
  const locate = (p: (string | number)[]) => locateIn(p) ?? { source };
  const values = plainOf(doc, { source }, 'config file');
  if (!isObject(values)) {
    sink.error('PMC_FUNCTION_CONFIG', 'a function, source or sink config file must be a YAML or JSON map', { source, line: 1, col: 1 });
    sink.throwIfErrors();
  }
  const r = new Reader(values as Obj, doc, locate, sink);
  const kind = opts.kind ?? kindOfFlags(opts.code ?? {}, r.values) ?? kindOf(r.values);
  checkConfigFields(r.values, kind, opts.pulsarVersion, (p) => locateIn(p, { key: true }) ?? { source }, sink);
  const code = userCode(kind, opts.code ?? {}, (k) => r.str(k), (k) => locate([k]), source, sink);
  // 3.0.0's converters drop a sink's top-level retainOrdering and retainKeyOrdering and a
  // function's top-level batchBuilder; 3.1 added them (a source's or sink's logTopic, which
  // 3.0's configs lack, is refused by checkConfigFields) (checked
  // against Pulsar 3.0.0 and 3.3.6 by test/pulsar-oracle.test.ts).
  const since31 = !opts.pulsarVersion || has(opts.pulsarVersion, 'converterOrderingFields');
  const tenant = opts.identity.tenant ?? r.str('tenant') ?? 'public';
  const namespace = opts.identity.namespace ?? r.str('namespace') ?? 'default';
  const className = r.str('className');
  let name = opts.identity.name ?? r.str('name');
  if (name === undefined && kind === 'function' && className) name = className.slice(className.lastIndexOf('.') + 1);
  if (!name) {
    sink.error('PMC_RENDER', `the ${kind} has no name: give name in the config${kind === 'function' ? ' (or a className to take it from)' : ''}, or --name`, { ...locate([]), line: 1, col: 1 });
  }
  const details: Details = { tenant, namespace, name: name ?? '' };
  const cro = opts.customRuntimeOptions ?? configOptionsText(r.values.customRuntimeOptions, locate(['customRuntimeOptions']), sink);
  const resources = readResources(r);
  const guarantees = r.str('processingGuarantees');
  if (guarantees !== undefined && !GUARANTEES.includes(guarantees)) {
    sink.error('PMC_FUNCTION_CONFIG', `processingGuarantees must be one of ${GUARANTEES.join(', ')}, got ${JSON.stringify(guarantees)}`, { ...locate(['processingGuarantees']), path: 'processingGuarantees' });
  }
  const secrets = r.map('secrets');
  let runtime: Runtime = 'JAVA';
  let file: string | undefined;
  let javaTypesUnknown = false;
  let transform: ReadConfig['transform'];

  if (kind === 'function') {
    const { jar, py, go } = code;
    const given: Runtime | undefined = jar ? 'JAVA' : py ? 'PYTHON' : go ? 'GO' : undefined;
    functionChecks(r, guarantees, given);
    const window = readWindowConfig(r, guarantees);
    runtime = given ?? 'JAVA';
    file = jar ?? py ?? go;
    // The windowing framework acknowledges, not the function framework.
    const autoAck = window ? false : (r.bool('autoAck') ?? true);
    // Checked on the FunctionDetails, where a window's guarantees are already MANUAL.
    if (!autoAck && guarantees === 'ATMOST_ONCE' && !window) {
      sink.error('PMC_RENDER', 'autoAck false is refused with ATMOST_ONCE processing guarantees (Pulsar acknowledges those itself)', { ...locate(['autoAck']), path: 'autoAck' });
    }
    const retainOrdering = r.bool('retainOrdering');
    const retainKeyOrdering = r.bool('retainKeyOrdering');
    const inputSpecs = functionInputSpecs(r);
    const source: Obj = {
      subscriptionType: subscriptionType(guarantees, retainOrdering, retainKeyOrdering),
    };
    const subName = r.str('subName');
    if (subName?.trim()) source.subscriptionName = subName;
    const position = r.str('subscriptionPosition');
    if (position !== undefined) source.subscriptionPosition = position === 'Earliest' ? 'EARLIEST' : 'LATEST';
    if (runtime === 'JAVA') javaTypesUnknown = true;
    const timeoutMs = r.int('timeoutMs');
    source.inputSpecs = inputSpecs;
    if (timeoutMs !== undefined) source.timeoutMs = timeoutMs;
    source.cleanupSubscription = r.bool('cleanupSubscription') ?? true;
    if (timeoutMs !== undefined) source.negativeAckRedeliveryDelayMs = timeoutMs;
    const forward = opts.forwardSourceMessageProperty ? (r.bool('forwardSourceMessageProperty') ?? true) : false;
    const sinkSpec: Obj = {};
    const output = r.str('output');
    if (output !== undefined) sinkSpec.topic = output;
    const serde = r.str('outputSerdeClassName');
    if (serde?.trim()) sinkSpec.serDeClassName = serde;
    const schema = r.str('outputSchemaType');
    if (schema?.trim()) sinkSpec.schemaType = schema;
    if (forward) sinkSpec.forwardSourceMessageProperty = true;
    const producer = producerSpec(r, since31);
    if (producer) sinkSpec.producerSpec = producer;
    Object.assign(details, {
      className: className ?? '',
      logTopic: r.str('logTopic'),
      processingGuarantees: guarantees,
      runtime,
      autoAck,
      parallelism: r.int('parallelism') ?? 1,
      source,
      sink: sinkSpec,
      resources,
      retainOrdering,
      retainKeyOrdering,
    });
    // Functions keep retry details from 0 retries on, sinks from 1 (FunctionConfigUtils, SinkConfigUtils).
    retryDetails(r, details, 0);
    const userConfig = r.map('userConfig');
    if (window) {
      // WindowFunctionExecutor runs the function, which finds its window in userConfig; the
      // function's guarantees move into the window config and the instance's become MANUAL.
      window.fields.actualWindowFunctionClassName = className;
      window.fields.processingGuarantees = guarantees ?? 'ATLEAST_ONCE';
      details.className = 'org.apache.pulsar.functions.windowing.WindowFunctionExecutor';
      details.processingGuarantees = 'MANUAL';
      details.userConfig = r.gsonWith('userConfig', [[WINDOW_CONFIG_KEY, windowJson(window.fields)]]);
    } else if (userConfig && Object.keys(userConfig).length) details.userConfig = r.gson('userConfig', 'hashmap');
    if (jar?.startsWith('builtin://')) details.builtin = jar.slice('builtin://'.length);
  } else if (kind === 'source') {
    file = code.archive;
    const source: Obj = { className: className, configs: r.has('configs') ? r.gson('configs', 'hashmap') : '{}' };
    // A batch source runs BatchSourceExecutor, which finds the batch config (as a JSON string)
    // and the real source class in the configs (SourceConfigUtils.convert).
    const batch = r.map('batchSourceConfig');
    if (batch) {
      if (typeof batch.discoveryTriggererClassName !== 'string' || batch.discoveryTriggererClassName.trim() === '') {
        sink.error('PMC_RENDER', 'the worker refuses the batch source: Discovery Triggerer not specified (batchSourceConfig.discoveryTriggererClassName)', { ...locate(['batchSourceConfig']), path: 'batchSourceConfig' });
      }
      const extra: [string, string][] = [['__BATCHSOURCECONFIGS__', gsonString(r.gsonAt(['batchSourceConfig'], ['discoveryTriggererClassName', 'discoveryTriggererConfig']))]];
      // Gson leaves out a map entry whose value is null: no class, no key.
      if (className) extra.push(['__BATCHSOURCECLASSNAME__', gsonString(className)]);
      source.configs = r.gsonWith('configs', extra);
      source.className = 'org.apache.pulsar.functions.source.batch.BatchSourceExecutor';
    }
    if (file?.startsWith('builtin://')) source.builtin = file.slice('builtin://'.length);
    const sinkSpec: Obj = { topic: r.str('topicName') };
    const schema = r.str('schemaType');
    if (schema) sinkSpec.schemaType = schema;
    const serde = r.str('serdeClassName');
    if (serde) sinkSpec.serDeClassName = serde;
    const producer = producerSpec(r, true);
    if (producer) sinkSpec.producerSpec = producer;
    sinkSpec.forwardSourceMessageProperty = true;
    javaTypesUnknown = true;
    details.logTopic = r.str('logTopic');
    Object.assign(details, { className: IDENTITY_FUNCTION, processingGuarantees: guarantees, autoAck: true, parallelism: r.int('parallelism') ?? 1, source, sink: sinkSpec, resources });
  } else {
    file = code.archive;
    const retainOrdering = r.bool('retainOrdering');
    const retainKeyOrdering = r.bool('retainKeyOrdering');
    const inputSpecs: Obj = {};
    for (const t of r.list('inputs') ?? []) inputSpecs[t] = { isRegexPattern: false };
    const pattern = r.str('topicsPattern');
    if (pattern) inputSpecs[pattern] = { isRegexPattern: true };
    for (const [t, serde] of Object.entries(r.map('topicToSerdeClassName') ?? {})) inputSpecs[t] = { serdeClassName: String(serde), isRegexPattern: false };
    for (const [t, schema] of Object.entries(r.map('topicToSchemaType') ?? {})) inputSpecs[t] = { schemaType: String(schema), isRegexPattern: false };
    for (const [t, spec] of Object.entries(r.map('inputSpecs') ?? {})) inputSpecs[t] = consumerSpec(spec, false);
    const source: Obj = {
      subscriptionType: subscriptionType(guarantees, retainOrdering, retainKeyOrdering),
      subscriptionName: r.str('sourceSubscriptionName'),
      inputSpecs,
      cleanupSubscription: r.bool('cleanupSubscription') ?? true,
      subscriptionPosition: r.str('sourceSubscriptionPosition') === 'Earliest' ? 'EARLIEST' : 'LATEST',
    };
    const timeoutMs = r.int('timeoutMs');
    if (timeoutMs !== undefined) source.timeoutMs = timeoutMs;
    const nack = r.int('negativeAckRedeliveryDelayMs');
    if (nack !== undefined && nack > 0) source.negativeAckRedeliveryDelayMs = nack;
    const sinkSpec: Obj = { className };
    if (r.has('configs')) sinkSpec.configs = r.gson('configs', 'insertion');
    if (file?.startsWith('builtin://')) sinkSpec.builtin = file.slice('builtin://'.length);
    javaTypesUnknown = true;
    Object.assign(details, {
      className: IDENTITY_FUNCTION,
      logTopic: r.str('logTopic'),
      processingGuarantees: guarantees,
      autoAck: r.bool('autoAck') ?? true,
      parallelism: r.int('parallelism') ?? 1,
      source,
      sink: sinkSpec,
      resources,
      retainOrdering: since31 ? retainOrdering : undefined,
      retainKeyOrdering: since31 ? retainKeyOrdering : undefined,
    });
    retryDetails(r, details, 1);
    // A transform function runs in the sink's instance: its class becomes the top-level
    // className, its config the userConfig (the string as written), its package a second download.
    const transformFunction = r.str('transformFunction');
    const transformClass = r.str('transformFunctionClassName');
    if (transformClass) details.className = transformClass;
    if (transformFunction) {
      if (!transformClass) {
        sink.error('PMC_RENDER', "transformFunction needs transformFunctionClassName here: the worker reads the class from the transform package's function definition, which pmc cannot open", { ...locate(['transformFunction']), path: 'transformFunction' });
      }
      const config = r.str('transformFunctionConfig');
      if (config !== undefined) details.userConfig = config;
      if (transformFunction.startsWith('builtin://')) details.builtin = transformFunction.slice('builtin://'.length);
      transform = { from: transformFunction, originalFileName: transformFunction.startsWith('builtin://') ? `${transformFunction.slice('builtin://'.length)}.nar` : baseName(transformFunction) };
    }
  }
  if (secrets && Object.keys(secrets).length) details.secretsMap = r.gson('secrets', 'insertion');
  const flags = r.str('runtimeFlags');
  if (flags) details.runtimeFlags = flags;
  details.componentType = kind.toUpperCase();
  if (cro) details.customRuntimeOptions = cro;
  sink.throwIfErrors();
  const originalFileName = opts.originalFileName ?? (file!.startsWith('builtin://') ? `${file!.slice('builtin://'.length)}.nar` : baseName(file!));
  return { kind, runtime, details, originalFileName, secrets, locate, javaTypesUnknown, builtin: file!.startsWith('builtin://'), transform, connectorClass: kind === 'function' ? undefined : className };
}

/**
 * What the worker refuses in a function's config (FunctionConfigUtils.doCommonChecks,
 * doPythonChecks, doGolangChecks), in Pulsar's words, each at the key it is about.
 */
function functionChecks(r: Reader, guarantees: string | undefined, runtime: Runtime | undefined): void {
  const refuse = (key: string, message: string) => r.sink.error('PMC_RENDER', `the worker refuses the function: ${message}`, { ...r.locate([key]), path: key });
  const inputs = [...(r.list('inputs') ?? []), ...Object.keys(r.map('customSerdeInputs') ?? {}), ...Object.keys(r.map('customSchemaInputs') ?? {}), ...Object.keys(r.map('inputSpecs') ?? {})];
  if (r.str('topicsPattern')) inputs.push(r.str('topicsPattern')!);
  if (inputs.length === 0) refuse('inputs', 'No input topic(s) specified for the function');
  const output = r.str('output');
  if (output && inputs.includes(output)) refuse('output', `Output topic ${output} is also being used as an input topic (topics must be one or the other)`);
  if (runtime === 'PYTHON' && !r.str('className')) refuse('className', 'Function classname cannot be null');
  const parallelism = r.int('parallelism');
  if (parallelism !== undefined && parallelism <= 0) refuse('parallelism', 'Function parallelism must be a positive number');
  const timeoutMs = r.int('timeoutMs');
  if (timeoutMs !== undefined && timeoutMs <= 0) refuse('timeoutMs', 'Function timeout must be a positive number');
  if (timeoutMs !== undefined && guarantees !== undefined && guarantees !== 'ATLEAST_ONCE') refuse('timeoutMs', 'Message timeout can only be specified with processing guarantee is ATLEAST_ONCE');
  const retries = r.int('maxMessageRetries');
  if (retries !== undefined && retries >= 0 && guarantees === 'EFFECTIVELY_ONCE') refuse('maxMessageRetries', "MaxMessageRetries and Effectively once don't gel well");
  if ((retries === undefined || retries < 0) && r.str('deadLetterTopic')) refuse('deadLetterTopic', 'Dead Letter Topic specified, however max retries is set to infinity');
  if (r.bool('retainKeyOrdering') && guarantees === 'EFFECTIVELY_ONCE') refuse('retainKeyOrdering', 'When effectively once processing guarantee is specified, retain Key ordering cannot be set');
  if (r.bool('retainKeyOrdering') && r.bool('retainOrdering')) refuse('retainKeyOrdering', 'Only one of retain ordering or retain key ordering can be set');
  if (r.has('windowConfig') && r.bool('autoAck') === true) refuse('autoAck', 'Cannot enable auto ack when using windowing functionality');
  if (runtime === 'PYTHON' || runtime === 'GO') {
    const language = runtime === 'PYTHON' ? 'Python' : 'Go function';
    if (guarantees === 'EFFECTIVELY_ONCE') refuse('processingGuarantees', `Effectively-once processing guarantees not yet supported in ${language}`);
    if (retries !== undefined && retries >= 0) refuse('maxMessageRetries', `Message retries not yet supported in ${runtime === 'PYTHON' ? 'python' : 'Go function'}`);
    if (runtime === 'GO' && r.bool('retainKeyOrdering')) refuse('retainKeyOrdering', 'Retain Key Orderering not yet supported in Go function');
    if (r.has('windowConfig')) refuse('windowConfig', runtime === 'PYTHON' ? 'There is currently no support windowing in python' : 'Windowing is not supported in Go function yet');
  }
}

const WINDOW_CONFIG_KEY = '__WINDOWCONFIGS__';
/** WindowConfig's fields in their declared order, which is the order Gson writes them in. */
const WINDOW_FIELDS = [
  ['windowLengthCount', 'int'],
  ['windowLengthDurationMs', 'int'],
  ['slidingIntervalCount', 'int'],
  ['slidingIntervalDurationMs', 'int'],
  ['lateDataTopic', 'string'],
  ['maxLagMs', 'int'],
  ['watermarkEmitIntervalMs', 'int'],
  ['timestampExtractorClassName', 'string'],
  ['actualWindowFunctionClassName', 'string'],
  ['processingGuarantees', 'string'],
] as const;

/**
 * windowConfig, read, checked and completed as WindowConfigUtils does: a sliding interval
 * defaults to the window length, and with a timestamp extractor the lag to 0 and the
 * watermark interval to 1000 ms.
 * https://github.com/apache/pulsar/blob/master/pulsar-functions/utils/src/main/java/org/apache/pulsar/functions/utils/WindowConfigUtils.java
 */
function readWindowConfig(r: Reader, guarantees: string | undefined): { fields: Obj } | undefined {
  const raw = r.map('windowConfig');
  if (!raw) return undefined;
  const refuse = (message: string, key?: string) => {
    const path = key ? ['windowConfig', key] : ['windowConfig'];
    r.sink.error('PMC_RENDER', `the worker refuses the window config: ${message}`, { ...r.locate(path), path: path.join('.') });
  };
  const fields: Obj = {};
  for (const [key, type] of WINDOW_FIELDS.slice(0, 8)) {
    const v = raw[key];
    if (v === undefined || v === null) continue;
    if (type === 'int' ? typeof v !== 'number' || !Number.isInteger(v) : typeof v !== 'string') {
      r.sink.error('PMC_FUNCTION_CONFIG', `windowConfig.${key} must be ${type === 'int' ? 'an integer' : 'a string'}, got ${JSON.stringify(v)}`, { ...r.locate(['windowConfig', key]), path: `windowConfig.${key}` });
      continue;
    }
    fields[key] = v;
  }
  for (const key of Object.keys(raw)) {
    if (!WINDOW_FIELDS.some(([k]) => k === key)) r.sink.warn('PMC_FUNCTION_CONFIG', `windowConfig.${key} is not a window setting; Pulsar ignores it`, { ...r.locate(['windowConfig', key]), path: `windowConfig.${key}` });
  }
  const n = (k: string) => fields[k] as number | undefined;
  if (n('windowLengthDurationMs') !== undefined && n('slidingIntervalDurationMs') === undefined) fields.slidingIntervalDurationMs = n('windowLengthDurationMs');
  if (n('windowLengthCount') !== undefined && n('slidingIntervalCount') === undefined) fields.slidingIntervalCount = n('windowLengthCount');
  if (fields.timestampExtractorClassName !== undefined) {
    if (n('maxLagMs') === undefined) fields.maxLagMs = 0;
    if (n('watermarkEmitIntervalMs') === undefined) fields.watermarkEmitIntervalMs = 1000;
  }
  if (n('windowLengthDurationMs') === undefined && n('windowLengthCount') === undefined) refuse('Window length is not specified');
  if (n('windowLengthDurationMs') !== undefined && n('windowLengthCount') !== undefined) refuse('Window length for time and count are set! Please set one or the other.');
  for (const key of ['windowLengthCount', 'windowLengthDurationMs'] as const) if ((n(key) ?? 1) <= 0) refuse(`Window length must be positive [${n(key)}]`, key);
  for (const key of ['slidingIntervalCount', 'slidingIntervalDurationMs'] as const) if ((n(key) ?? 1) <= 0) refuse(`Sliding interval must be positive [${n(key)}]`, key);
  if (fields.timestampExtractorClassName !== undefined) {
    if ((n('maxLagMs') ?? 0) < 0) refuse(`Lag duration must be positive [${n('maxLagMs')}]`, 'maxLagMs');
    if ((n('watermarkEmitIntervalMs') ?? 1) <= 0) refuse(`Watermark interval must be positive [${n('watermarkEmitIntervalMs')}]`, 'watermarkEmitIntervalMs');
  }
  if (guarantees === 'EFFECTIVELY_ONCE' || guarantees === 'MANUAL') refuse(`Windows Function not support ${guarantees} delivery semantics.`);
  return { fields };
}

/** The window config as Gson writes a WindowConfig: declared order, nulls left out. */
function windowJson(fields: Obj): string {
  const parts: string[] = [];
  for (const [key, type] of WINDOW_FIELDS) {
    const v = fields[key];
    if (v === undefined || v === null) continue;
    parts.push(`${gsonString(key)}:${type === 'int' ? String(v) : gsonString(String(v))}`);
  }
  return `{${parts.join(',')}}`;
}

/** FAILOVER keeps order; KEY_SHARED keeps it per key; else SHARED. */
function subscriptionType(guarantees: string | undefined, retainOrdering?: boolean, retainKeyOrdering?: boolean): string {
  return retainOrdering || guarantees === 'EFFECTIVELY_ONCE' ? 'FAILOVER' : retainKeyOrdering ? 'KEY_SHARED' : 'SHARED';
}

function retryDetails(r: Reader, details: Details, least: number): void {
  const retries = r.int('maxMessageRetries');
  if (retries !== undefined && retries >= least) details.retryDetails = { maxMessageRetries: retries, deadLetterTopic: r.str('deadLetterTopic') };
}

/** resources: each of cpu, ram and disk falls back to its default on its own. */
function readResources(r: Reader): Obj {
  const given = r.map('resources') ?? {};
  const num = (k: string) => (typeof given[k] === 'number' && given[k] !== 0 ? given[k] : undefined);
  return {
    cpu: num('cpu') ?? DEFAULT_RESOURCES.cpu,
    ram: num('ram') !== undefined ? BigInt(given.ram as number) : DEFAULT_RESOURCES.ram,
    disk: num('disk') !== undefined ? BigInt(given.disk as number) : DEFAULT_RESOURCES.disk,
  };
}

/** One inputSpecs entry as a ConsumerSpec: the schema type wins over the serde class. */
function consumerSpec(raw: unknown, withSchemaProperties = true): Obj {
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

/** A function's inputs, in the order FunctionConfigUtils adds them: later entries for a topic replace earlier ones. */
function functionInputSpecs(r: Reader): Obj {
  const specs: Obj = {};
  for (const t of r.list('inputs') ?? []) specs[t] = { isRegexPattern: false };
  const pattern = r.str('topicsPattern');
  if (pattern) specs[pattern] = { isRegexPattern: true };
  for (const [t, serde] of Object.entries(r.map('customSerdeInputs') ?? {})) specs[t] = { serdeClassName: String(serde), isRegexPattern: false };
  for (const [t, json] of Object.entries(r.map('customSchemaInputs') ?? {})) {
    const parsed = typeof json === 'string' ? tryParseJson(json) : { value: {} };
    const c: Obj = isObject(parsed?.value) ? parsed.value : {};
    if (!parsed) {
      r.sink.error('PMC_FUNCTION_CONFIG', `customSchemaInputs.${t} must be a JSON ConsumerConfig`, { ...r.locate(['customSchemaInputs', t]), path: `customSchemaInputs.${t}` });
    }
    const spec: Obj = { isRegexPattern: false };
    if (typeof c.schemaType === 'string') spec.schemaType = c.schemaType;
    if (isObject(c.schemaProperties)) spec.schemaProperties = c.schemaProperties;
    if (isObject(c.consumerProperties)) spec.consumerProperties = c.consumerProperties;
    specs[t] = spec;
  }
  for (const [t, spec] of Object.entries(r.map('inputSpecs') ?? {})) specs[t] = consumerSpec(spec);
  return specs;
}

/**
 * producerConfig (and a top-level batchBuilder: a source's always, a function's from 3.1 on) as the sink's
 * ProducerSpec, each field only when given.
 */
function producerSpec(r: Reader, topLevelBatchBuilder: boolean): Obj | undefined {
  const p = r.map('producerConfig');
  const batchBuilder = topLevelBatchBuilder ? r.str('batchBuilder') : undefined;
  if (!p && !batchBuilder) return undefined;
  const spec: Obj = {};
  for (const k of ['maxPendingMessages', 'maxPendingMessagesAcrossPartitions', 'useThreadLocalProducers', 'batchBuilder']) if (p?.[k] !== undefined && p[k] !== null) spec[k] = p[k];
  if (batchBuilder) spec.batchBuilder = batchBuilder;
  return spec;
}
