/**
 * The Go instance's -instance-conf: Jackson's JSON of GoInstanceConfig, its fields by release.
 * https://github.com/apache/pulsar/blob/master/pulsar-functions/runtime/src/main/java/org/apache/pulsar/functions/runtime/RuntimeUtils.java
 */
import type { ReadConfig } from './details.js';
import type { Worker } from './factory.js';
import { hashMapOrder, javaDouble } from '../base/java.js';
import { printMessage, ProcessingGuarantees } from './protojson.js';
import { has, type PulsarVersion } from './pulsar.js';
import { validPort, type InstanceValues } from './instance.js';
import { nonBlank, type Auth } from './auth.js';

/**
 * GoInstanceConfig's properties in the order Jackson writes them: its fields in declaration
 * order, then `regexPatternSubscription`, whose field is `isRegexPatternSubscription` (a
 * property named only by its getter comes after the named fields). 3.0's class has no state
 * storage, web service, auth, sourceInputSpecs or functionDetails fields. Checked against the
 * real GoInstanceConfig of each release by the Pulsar oracle (test/pulsar-oracle.test.ts).
 * https://github.com/apache/pulsar/blob/master/pulsar-functions/instance/src/main/java/org/apache/pulsar/functions/instance/go/GoInstanceConfig.java
 */
const GO_FIELDS_3_0 = [
  'pulsarServiceURL', 'instanceID', 'funcID', 'funcVersion', 'maxBufTuples', 'port', 'clusterName', 'killAfterIdleMs', 'expectedHealthCheckInterval',
  'tenant', 'nameSpace', 'name', 'className', 'logTopic', 'processingGuarantees', 'secretsMap', 'userConfig', 'runtime', 'autoAck', 'parallelism',
  'subscriptionType', 'timeoutMs', 'subscriptionName', 'cleanupSubscription', 'subscriptionPosition', 'sourceSpecsTopic', 'sourceSchemaType',
  'receiverQueueSize', 'sinkSpecsTopic', 'sinkSchemaType', 'cpu', 'ram', 'disk', 'maxMessageRetries', 'deadLetterTopic', 'metricsPort', 'regexPatternSubscription',
] as const;
const GO_FIELDS = [
  'pulsarServiceURL', 'stateStorageServiceUrl', 'pulsarWebServiceUrl', 'instanceID', 'funcID', 'funcVersion', 'maxBufTuples', 'port', 'clusterName',
  'killAfterIdleMs', 'expectedHealthCheckInterval', 'tenant', 'nameSpace', 'name', 'className', 'logTopic', 'processingGuarantees', 'secretsMap', 'userConfig',
  'clientAuthenticationPlugin', 'clientAuthenticationParameters', 'tlsTrustCertsFilePath', 'tlsHostnameVerificationEnable', 'tlsAllowInsecureConnection',
  'runtime', 'autoAck', 'parallelism', 'subscriptionType', 'timeoutMs', 'subscriptionName', 'cleanupSubscription', 'subscriptionPosition', 'sourceInputSpecs',
  'sourceSpecsTopic', 'sourceSchemaType', 'receiverQueueSize', 'sinkSpecsTopic', 'sinkSchemaType', 'cpu', 'ram', 'disk', 'maxMessageRetries', 'deadLetterTopic',
  'metricsPort', 'functionDetails', 'regexPatternSubscription',
] as const;

/**
 * The Go instance's -instance-conf: Jackson's JSON of GoInstanceConfig (RuntimeUtils.getGoInstanceCmd),
 * every property written, its default where Pulsar assigns nothing.
 */
export function goInstanceConfig(config: ReadConfig, worker: Worker, instance: InstanceValues, version: PulsarVersion, auth: Auth | undefined): string {
  const f = worker.factory;
  const d = config.details;
  const source = d.source ?? {};
  const sink = d.sink ?? {};
  const resources = config.details.resources;
  const retry = d.retryDetails ?? {};
  const inputSpecs = source.inputSpecs ?? {};
  const inputs = Object.entries(inputSpecs);
  const last = inputs[inputs.length - 1];
  const guarantees = (ProcessingGuarantees.enum as readonly string[]).indexOf(String(d.processingGuarantees ?? 'ATLEAST_ONCE'));
  const s = (v: unknown) => JSON.stringify(v === undefined || v === null ? '' : String(v));
  const authSet = auth && nonBlank(auth.plugin) && nonBlank(auth.params);
  const values: Record<(typeof GO_FIELDS)[number], string> = {
    pulsarServiceURL: s(f.pulsarServiceUrl),
    // Set only when the worker has one; the field's default is "".
    stateStorageServiceUrl: s(worker.stateStorageServiceUrl),
    pulsarWebServiceUrl: s(worker.exposeAdminClientEnabled ? f.pulsarAdminUrl : ''),
    instanceID: String(instance.instanceId),
    funcID: s(instance.functionId),
    funcVersion: s(instance.functionVersion),
    maxBufTuples: '1024',
    port: String(f.grpcPort),
    clusterName: s(worker.clusterName),
    killAfterIdleMs: '0',
    expectedHealthCheckInterval: '0',
    tenant: s(d.tenant),
    nameSpace: s(d.namespace),
    name: s(d.name),
    className: s(''),
    logTopic: s(d.logTopic),
    processingGuarantees: String(guarantees),
    secretsMap: s(d.secretsMap),
    userConfig: s(d.userConfig),
    clientAuthenticationPlugin: s(authSet ? auth.plugin : ''),
    clientAuthenticationParameters: s(authSet ? auth.params : ''),
    tlsTrustCertsFilePath: s(auth?.trustPath ?? ''),
    tlsHostnameVerificationEnable: String(auth?.hostnameVerification ?? false),
    tlsAllowInsecureConnection: String(auth?.allowInsecure ?? false),
    runtime: '3',
    autoAck: String(d.autoAck === true),
    parallelism: String(d.parallelism ?? 0),
    subscriptionType: '0',
    timeoutMs: String(source.timeoutMs ?? 0),
    subscriptionName: s(source.subscriptionName),
    cleanupSubscription: String(source.cleanupSubscription === true),
    subscriptionPosition: String(source.subscriptionPosition === 'EARLIEST' ? 1 : 0),
    // A new HashMap filled from the protobuf map (RuntimeUtils): HashMap order.
    sourceInputSpecs: `{${hashMapOrder(inputs.map(([t]) => t)).map((t) => [t, inputSpecs[t]!] as const).map(([t, spec]) => `${JSON.stringify(t)}:${JSON.stringify(printMessage(spec, 'ConsumerSpec'))}`).join(',')}}`,
    sourceSpecsTopic: s(last?.[0]),
    sourceSchemaType: s(last?.[1].schemaType),
    receiverQueueSize: String(last?.[1].receiverQueueSize?.value ?? 0),
    sinkSpecsTopic: s(sink.topic),
    sinkSchemaType: s(sink.schemaType),
    cpu: javaDouble(resources.cpu),
    ram: String(resources.ram),
    disk: String(resources.disk),
    maxMessageRetries: String(retry.maxMessageRetries ?? 0),
    deadLetterTopic: s(retry.deadLetterTopic),
    metricsPort: String(validPort(f.metricsPort) ? f.metricsPort : 0),
    functionDetails: JSON.stringify(printMessage(d)),
    regexPatternSubscription: String(last?.[1].isRegexPattern === true),
  };
  const order = has(version, 'goInstanceConfigFields') ? GO_FIELDS : GO_FIELDS_3_0;
  return `{${order.map((k) => `"${k}":${values[k]}`).join(',')}}`;
}

