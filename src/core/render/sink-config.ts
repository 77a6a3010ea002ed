/**
 * A sink's config to its FunctionDetails, as SinkConfigUtils.convert does (a transform
 * function running in the sink's instance included).
 * https://github.com/apache/pulsar/blob/master/pulsar-functions/utils/src/main/java/org/apache/pulsar/functions/utils/SinkConfigUtils.java
 */
import type { Obj } from '../base/values.js';
import { baseName, consumerSpec, IDENTITY_FUNCTION, retryDetails, subscriptionType, type Conversion, type ConvertContext, type ReadConfig } from './config-reader.js';

export function convertSink(ctx: ConvertContext): Conversion {
  const { r, details, className, guarantees, resources, code, since31, locate, sink } = ctx;
  let file: string | undefined;
  let javaTypesUnknown = false;
  let transform: ReadConfig['transform'];
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
  return { runtime: 'JAVA', file, javaTypesUnknown, transform };
}
