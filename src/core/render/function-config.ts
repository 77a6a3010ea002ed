/**
 * A function's config to its FunctionDetails, as FunctionConfigUtils.convert does, with the
 * checks the worker makes first (doCommonChecks, doPythonChecks, doGolangChecks); a window
 * function's config through window-config.ts.
 * https://github.com/apache/pulsar/blob/master/pulsar-functions/utils/src/main/java/org/apache/pulsar/functions/utils/FunctionConfigUtils.java
 */
import type { Obj } from '../base/values.js';
import { tryParseJson } from '../base/json-source.js';
import { isObject } from '../base/values.js';
import { consumerSpec, producerSpec, retryDetails, subscriptionType, type Conversion, type ConvertContext, type Reader, type Runtime } from './config-reader.js';
import { readWindowConfig, windowJson, WINDOW_CONFIG_KEY } from './window-config.js';

export function convertFunction(ctx: ConvertContext): Conversion {
  const { r, details, className, guarantees, resources, code, since31, locate, sink } = ctx;
  let runtime: Runtime = 'JAVA';
  let file: string | undefined;
  let javaTypesUnknown = false;
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
    const forward = ctx.forwardSourceMessageProperty ? (r.bool('forwardSourceMessageProperty') ?? true) : false;
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
  return { runtime, file, javaTypesUnknown };
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

