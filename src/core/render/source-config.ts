/**
 * A source's config to its FunctionDetails, as SourceConfigUtils.convert does (a batch source
 * through BatchSourceExecutor).
 * https://github.com/apache/pulsar/blob/master/pulsar-functions/utils/src/main/java/org/apache/pulsar/functions/utils/SourceConfigUtils.java
 */
import type { Obj } from '../base/values.js';
import { gsonString } from './protojson.js';
import { IDENTITY_FUNCTION, producerSpec, type Conversion, type ConvertContext } from './config-reader.js';

export function convertSource(ctx: ConvertContext): Conversion {
  const { r, details, className, guarantees, resources, code, locate, sink } = ctx;
  let file: string | undefined;
  let javaTypesUnknown = false;
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
  return { runtime: 'JAVA', file, javaTypesUnknown };
}
