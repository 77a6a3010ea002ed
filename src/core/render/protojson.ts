/**
 * Pulsar's FunctionDetails as protobuf-java's JsonFormat prints it (with whitespace
 * omitted) into `--function_details '<json>'`: fields in field-number order at every level,
 * fields equal to their proto3 default left out, enums by name, int64 and uint64 as quoted
 * strings, doubles as Java's Double.toString, map entries in insertion order, and strings
 * escaped the HTML-safe way Gson does (`=`, `<`, `>`, `&`, `'` as \u003d ...).
 * https://github.com/apache/pulsar/blob/master/pulsar-functions/proto/src/main/proto/Function.proto
 */
import { javaDouble } from '../base/java.js';

type Scalar = 'string' | 'int32' | 'int64' | 'uint64' | 'double' | 'bool';
type FieldType = Scalar | { readonly enum: readonly string[] } | { readonly message: string } | { readonly map: FieldType } | { readonly repeated: Scalar };
type Field = readonly [name: string, type: FieldType];

/** In enum-number order: an enum's number is its index. */
export const ProcessingGuarantees = { enum: ['ATLEAST_ONCE', 'ATMOST_ONCE', 'EFFECTIVELY_ONCE', 'MANUAL'] } as const;
const SubscriptionType = { enum: ['SHARED', 'FAILOVER', 'KEY_SHARED'] } as const;
const SubscriptionPosition = { enum: ['LATEST', 'EARLIEST'] } as const;
const Runtime = { enum: ['JAVA', 'PYTHON', '', 'GO'] } as const;
const ComponentType = { enum: ['UNKNOWN', 'FUNCTION', 'SOURCE', 'SINK'] } as const;
const CompressionType = { enum: ['LZ4', 'NONE', 'ZLIB', 'ZSTD', 'SNAPPY'] } as const;
const FailureAction = { enum: ['FAIL', 'DISCARD', 'CONSUME'] } as const;

/** Each message's fields, in field-number order (the order the printer writes). */
export const MESSAGES = {
  FunctionDetails: [
    ['tenant', 'string'],
    ['namespace', 'string'],
    ['name', 'string'],
    ['className', 'string'],
    ['logTopic', 'string'],
    ['processingGuarantees', ProcessingGuarantees],
    ['userConfig', 'string'],
    ['runtime', Runtime],
    ['autoAck', 'bool'],
    ['parallelism', 'int32'],
    ['source', { message: 'SourceSpec' }],
    ['sink', { message: 'SinkSpec' }],
    ['resources', { message: 'Resources' }],
    ['packageUrl', 'string'],
    ['retryDetails', { message: 'RetryDetails' }],
    ['secretsMap', 'string'],
    ['runtimeFlags', 'string'],
    ['componentType', ComponentType],
    ['customRuntimeOptions', 'string'],
    ['builtin', 'string'],
    ['retainOrdering', 'bool'],
    ['retainKeyOrdering', 'bool'],
    ['subscriptionPosition', SubscriptionPosition],
  ],
  Resources: [
    ['cpu', 'double'],
    ['ram', 'int64'],
    ['disk', 'int64'],
  ],
  RetryDetails: [
    ['maxMessageRetries', 'int32'],
    ['deadLetterTopic', 'string'],
  ],
  SourceSpec: [
    ['className', 'string'],
    ['configs', 'string'],
    ['subscriptionType', SubscriptionType],
    ['topicsToSerDeClassName', { map: 'string' }],
    ['typeClassName', 'string'],
    ['timeoutMs', 'uint64'],
    ['topicsPattern', 'string'],
    ['builtin', 'string'],
    ['subscriptionName', 'string'],
    ['inputSpecs', { map: { message: 'ConsumerSpec' } }],
    ['cleanupSubscription', 'bool'],
    ['subscriptionPosition', SubscriptionPosition],
    ['negativeAckRedeliveryDelayMs', 'uint64'],
    ['skipToLatest', 'bool'],
  ],
  SinkSpec: [
    ['className', 'string'],
    ['configs', 'string'],
    ['topic', 'string'],
    ['serDeClassName', 'string'],
    ['typeClassName', 'string'],
    ['builtin', 'string'],
    ['schemaType', 'string'],
    ['forwardSourceMessageProperty', 'bool'],
    ['schemaProperties', { map: 'string' }],
    ['consumerProperties', { map: 'string' }],
    ['producerSpec', { message: 'ProducerSpec' }],
  ],
  ConsumerSpec: [
    ['schemaType', 'string'],
    ['serdeClassName', 'string'],
    ['isRegexPattern', 'bool'],
    ['receiverQueueSize', { message: 'ReceiverQueueSize' }],
    ['schemaProperties', { map: 'string' }],
    ['consumerProperties', { map: 'string' }],
    ['cryptoSpec', { message: 'CryptoSpec' }],
    ['poolMessages', 'bool'],
  ],
  ReceiverQueueSize: [['value', 'int32']],
  ProducerSpec: [
    ['maxPendingMessages', 'int32'],
    ['maxPendingMessagesAcrossPartitions', 'int32'],
    ['useThreadLocalProducers', 'bool'],
    ['cryptoSpec', { message: 'CryptoSpec' }],
    ['batchBuilder', 'string'],
    ['compressionType', CompressionType],
  ],
  CryptoSpec: [
    ['cryptoKeyReaderClassName', 'string'],
    ['cryptoKeyReaderConfig', 'string'],
    ['producerEncryptionKeyName', { repeated: 'string' }],
    ['producerCryptoFailureAction', FailureAction],
    ['consumerCryptoFailureAction', FailureAction],
  ],
} as const satisfies Record<string, readonly Field[]>;

type MessageName = keyof typeof MESSAGES;
/** The value a scalar field holds in pmc: int64 and uint64 as bigint when exact, else a number. */
type ScalarValue<S> = S extends 'string' ? string : S extends 'int32' | 'double' ? number : S extends 'int64' | 'uint64' ? bigint | number : S extends 'bool' ? boolean : never;
type FieldValue<T> = T extends Scalar
  ? ScalarValue<T>
  : T extends { readonly enum: readonly (infer E)[] }
    ? E
    : T extends { readonly message: infer M extends MessageName }
      ? Message<M>
      : T extends { readonly map: infer V }
        ? Record<string, FieldValue<V>>
        : T extends { readonly repeated: infer S }
          ? ScalarValue<S>[]
          : never;
/** A protobuf message of Function.proto as data: each field optional (proto3), typed by the table above. */
export type Message<M extends MessageName> = { -readonly [F in (typeof MESSAGES)[M][number] as F[0]]?: FieldValue<F[1]> };
/** FunctionDetails, derived from the table as RuntimeOpts is from the registry. */
export type FunctionDetails = Message<'FunctionDetails'>;

const HTML_SAFE: Record<string, string> = { '<': '\\u003c', '>': '\\u003e', '&': '\\u0026', '=': '\\u003d', "'": '\\u0027', '\u2028': '\\u2028', '\u2029': '\\u2029' };
const SHORT: Record<string, string> = { '"': '\\"', '\\': '\\\\', '\t': '\\t', '\b': '\\b', '\n': '\\n', '\r': '\\r', '\f': '\\f' };

/** A JSON string as Gson's HTML-safe writer (and so protobuf's printer) escapes it. */
export function gsonString(s: string): string {
  let out = '"';
  for (const ch of s) {
    const code = ch.charCodeAt(0);
    if (SHORT[ch]) out += SHORT[ch];
    else if (HTML_SAFE[ch]) out += HTML_SAFE[ch];
    else if (code < 0x20) out += `\\u${code.toString(16).padStart(4, '0')}`;
    else out += ch;
  }
  return `${out}"`;
}

function isDefault(value: unknown, type: FieldType): boolean {
  if (value === undefined || value === null) return true;
  if (typeof type === 'string') return value === '' || value === 0 || value === false || value === '0' || value === 0n;
  if ('enum' in type) return value === type.enum[0];
  if ('map' in type || 'repeated' in type) return Array.isArray(value) ? value.length === 0 : Object.keys(value as object).length === 0;
  return false; // a set sub-message prints, even empty
}

function printValue(value: unknown, type: FieldType): string {
  if (typeof type === 'string') {
    switch (type) {
      case 'string':
        return gsonString(String(value));
      case 'int32':
        return String(value);
      case 'int64':
      case 'uint64':
        return `"${String(value)}"`;
      case 'double':
        return javaDouble(Number(value));
      case 'bool':
        return value ? 'true' : 'false';
    }
  }
  if ('enum' in type) return gsonString(String(value));
  if ('message' in type) return printMessage(value as object, type.message as MessageName);
  if ('repeated' in type) return `[${(value as unknown[]).map((v) => printValue(v, type.repeated)).join(',')}]`;
  return `{${Object.entries(value as Record<string, unknown>)
    .map(([k, v]) => `${gsonString(k)}:${printValue(v, type.map)}`)
    .join(',')}}`;
}

/** One message, its set fields in field-number order. */
export function printMessage(value: object, message: MessageName = 'FunctionDetails'): string {
  const fields: readonly Field[] = MESSAGES[message];
  if (!fields) throw new Error(`unknown message ${message}`);
  const unknown = Object.keys(value).filter((k) => !fields.some(([name]) => name === k));
  const data = value as Record<string, unknown>;
  if (unknown.length) throw new Error(`${message} has no field ${unknown.join(', ')}`);
  const parts: string[] = [];
  for (const [name, type] of fields) {
    const v = data[name];
    if (isDefault(v, type)) continue;
    parts.push(`${gsonString(name)}:${printValue(v, type)}`);
  }
  return `{${parts.join(',')}}`;
}
