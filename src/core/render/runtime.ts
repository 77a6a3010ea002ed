/**
 * The Service and StatefulSet Pulsar's KubernetesRuntime submits for one function, source or
 * sink, before any runtime customizer runs: the container command (RuntimeUtils), resources,
 * labels, ports and the volumes the function auth providers add.
 * https://github.com/apache/pulsar/blob/master/pulsar-functions/runtime/src/main/java/org/apache/pulsar/functions/runtime/kubernetes/KubernetesRuntime.java
 * https://github.com/apache/pulsar/blob/master/pulsar-functions/runtime/src/main/java/org/apache/pulsar/functions/runtime/RuntimeUtils.java
 *
 * Keys are written in the order the Kubernetes Java client serializes them: its model
 * classes declare their fields alphabetically, and maps (labels, annotations, resources)
 * come out in java.util.HashMap order.
 */
import { customJobName, defaultJobName, toValidLabelName } from '../base/naming.js';
import type { Obj } from '../base/values.js';
import type { ReadConfig } from './details.js';
import type { Worker } from './factory.js';
import { hashMapOrder, javaDouble, javaRound } from '../base/java.js';
import { printMessage, ProcessingGuarantees } from './protojson.js';
import { canonicalQuantity } from './quantity.js';
import { has, LATEST_PULSAR_VERSION, type PulsarVersion } from './pulsar.js';

export { PULSAR_VERSIONS, type PulsarVersion } from './pulsar.js';

/** What only the running worker knows, given by the user or a marked placeholder. */
export interface InstanceValues {
  functionId: string;
  functionVersion: string;
  /** The id of the stored auth token's Secret (pf-secret-ID), when the function has one. */
  authSecretId?: string;
  /** The worker JVM's pulsar.functions.instance.classpath, when the factory sets none. */
  workerClassPath: string;
  /** The Go instance id: -1 on a Kubernetes worker, which runs one externally managed instance. */
  instanceId: number;
  /** A sink's transform function id (random at each start). */
  transformFunctionId?: string;
  /** The worker's tlsTrustCertsFilePath file exists: a stored-token Secret then holds ca.pem too. */
  workerHasCa?: boolean;
}

const KEEP = /[^a-zA-Z0-9\-_.]/gu;

/**
 * The uploaded file's name as the pod saves it: ASCII only, and `_` for anything outside
 * [a-zA-Z0-9-_.] (RuntimeUtils.sanitizeFileName, from 3.1 on); 3.0 keeps the name as uploaded.
 */
export function sanitizeFileName(name: string, version: PulsarVersion = LATEST_PULSAR_VERSION): string {
  if (!has(version, 'sanitizedFileName')) return name;
  return name
    .normalize('NFD')
    .replace(/[^\x00-\x7F]/g, '')
    .replace(KEEP, '_');
}

/** In HashMap order, as Pulsar's labels map serializes. */
function ordered(entries: [string, string][]): Record<string, string> {
  const map = new Map(entries);
  return Object.fromEntries(hashMapOrder(entries.map(([k]) => k)).map((k) => [k, map.get(k)!]));
}

/**
 * The labels: component, namespace, tenant and name, then the worker's customLabels (their
 * values converted twice, as every object after a worker's first gets them, since Pulsar
 * converts its shared map in place on each call).
 */
export function renderLabels(config: ReadConfig, worker: Worker): Record<string, string> {
  const d = config.details;
  const entries: [string, string][] = [
    ['component', config.kind],
    ['namespace', toValidLabelName(d.namespace)],
    ['tenant', toValidLabelName(d.tenant)],
    ['name', toValidLabelName(d.name)],
  ];
  for (const [k, v] of Object.entries(worker.factory.customLabels)) entries.push([k, toValidLabelName(toValidLabelName(v))]);
  return ordered(entries);
}

/** Memory and cpu for limits and requests: padding, over-commit ratios, and Java's rounding. */
export function renderResources(details: Obj, worker: Worker): { limits: Obj; requests: Obj } {
  const f = worker.factory;
  const r = details.resources as { cpu: number; ram: bigint };
  const ram = r.ram !== 0n ? Number(r.ram) : 1073741824;
  const cpu = r.cpu !== 0 ? r.cpu : 1;
  const limit = ram + javaRound(ram * (f.percentMemoryPadding / 100.0));
  const request = Math.trunc(limit / f.memoryOverCommitRatio);
  const round3 = (x: number) => javaRound(x * 1000) / 1000.0;
  return {
    limits: { memory: canonicalQuantity(String(limit)), cpu: canonicalQuantity(javaDouble(round3(cpu))) },
    requests: { memory: canonicalQuantity(String(request)), cpu: canonicalQuantity(javaDouble(round3(cpu / f.cpuOverCommitRatio))) },
  };
}

/** runtimeFlags split on whitespace outside double quotes, the quotes kept. */
export function splitRuntimeFlags(flags: string): string[] {
  return flags.match(/(?:[^\s"]+|"[^"]*")+/g) ?? [];
}

/** The auth settings the instance gets, after the function auth provider rewrote them. */
interface Auth {
  plugin?: string;
  params?: string;
  trustPath: string;
  useTls: boolean;
  allowInsecure: boolean;
  hostnameVerification: boolean;
}

function authOf(worker: Worker, instance: InstanceValues): Auth | undefined {
  if (!worker.authenticationEnabled) return undefined;
  const auth: Auth = {
    plugin: worker.authPlugin,
    params: worker.authParams,
    trustPath: worker.tlsTrustCertsFilePath,
    useTls: worker.useTls,
    allowInsecure: worker.tlsAllowInsecureConnection,
    hostnameVerification: worker.tlsEnableHostnameVerification,
  };
  const token = { plugin: 'org.apache.pulsar.client.impl.auth.AuthenticationToken', params: 'file:///etc/auth/token' };
  if (worker.authProvider === 'secrets-token') {
    // Without a stored token the provider clears plugin and params; with one, a worker that
    // has its CA file put it in the Secret too, mounted as /etc/auth/ca.pem.
    if (instance.authSecretId === undefined) return { ...auth, plugin: undefined, params: undefined };
    return { ...auth, ...token, trustPath: instance.workerHasCa ? '/etc/auth/ca.pem' : auth.trustPath };
  }
  if (worker.authProvider === 'service-account') {
    const secret = worker.factory.authProviderConfig.brokerClientTrustCertsSecretName;
    return { ...auth, ...token, trustPath: secret ? '/etc/auth/ca.crt' : auth.trustPath };
  }
  return auth;
}

const nonBlank = (s: string | undefined): s is string => s !== undefined && s.trim() !== '';

/**
 * pulsar-admin's download step (KubernetesRuntime.getDownloadCommand). 3.0 passes only the auth
 * plugin and params: its pod's pulsar-admin gets none of the worker's TLS settings.
 */
function downloadCommand(config: ReadConfig, worker: Worker, auth: Auth | undefined, codeFile: string, version: PulsarVersion): string[] {
  const f = worker.factory;
  const d = config.details;
  const parts = [f.pulsarAdmin, '--admin-url', f.pulsarAdminUrl];
  if (auth) {
    if (nonBlank(auth.plugin) && nonBlank(auth.params)) parts.push('--auth-plugin', auth.plugin, '--auth-params', auth.params);
  }
  if (auth && has(version, 'downloadTlsFlags')) {
    if (auth.allowInsecure) parts.push('--tls-allow-insecure');
    if (auth.hostnameVerification) parts.push('--tls-enable-hostname-verification');
    if (nonBlank(auth.trustPath)) parts.push('--tls-trust-cert-path', auth.trustPath);
  }
  parts.push('functions', 'download', '--tenant', d.tenant, '--namespace', d.namespace, '--name', d.name, '--destination-file', codeFile);
  return parts;
}

function authFlags(auth: Auth | undefined): string[] {
  if (!auth) return [];
  const parts: string[] = [];
  if (nonBlank(auth.plugin) && nonBlank(auth.params)) parts.push('--client_auth_plugin', auth.plugin, '--client_auth_params', auth.params);
  parts.push('--use_tls', String(auth.useTls), '--tls_allow_insecure', String(auth.allowInsecure), '--hostname_verification_enabled', String(auth.hostnameVerification));
  if (nonBlank(auth.trustPath)) parts.push('--tls_trust_cert_path', auth.trustPath);
  return parts;
}

/** The JVM flags before the user's, by release (PR #22910 reached 3.3.1 and every 4.0). */
function jvmFlags(version: PulsarVersion): string[] {
  if (!has(version, 'nettyReflectionFlags')) return ['-Dio.netty.tryReflectionSetAccessible=true', '--add-opens', 'java.base/sun.net=ALL-UNNAMED'];
  return [
    '-Dio.netty.tryReflectionSetAccessible=true',
    '-Dorg.apache.pulsar.shade.io.netty.tryReflectionSetAccessible=true',
    '-Dio.grpc.netty.shaded.io.netty.tryReflectionSetAccessible=true',
    '--add-opens',
    'java.base/java.nio=ALL-UNNAMED',
    '--add-opens',
    'java.base/jdk.internal.misc=ALL-UNNAMED',
    '--add-opens',
    'java.base/java.util.zip=ALL-UNNAMED',
  ];
}

/** Where the pod saves the transform function's package. */
function transformFile(config: ReadConfig, worker: Worker): string {
  return `${worker.factory.downloadDirectory}/${sanitizeFileName(config.transform!.originalFileName)}`;
}

const validPort = (p: number): boolean => p > 0 && p < 65536;

/** The arguments after the download step: the instance's command for each runtime. */
export function instanceCommand(
  config: ReadConfig,
  worker: Worker,
  instance: InstanceValues,
  version: PulsarVersion,
  codeFile: string,
  auth: Auth | undefined = authOf(worker, instance),
): string[] {
  const f = worker.factory;
  const d = config.details;
  const metrics = validPort(f.metricsPort) ? f.metricsPort : 0;
  if (config.runtime === 'GO') return ['chmod', '777', codeFile, '&&', 'exec', codeFile, '-instance-conf', `'${goInstanceConfig(config, worker, instance, version, auth)}'`];
  const args: string[] = [];
  const flags = typeof d.runtimeFlags === 'string' ? splitRuntimeFlags(d.runtimeFlags) : [];
  if (config.runtime === 'JAVA') {
    const ram = (d.resources as { ram: bigint }).ram;
    args.push(
      'exec',
      'java',
      '-cp',
      `${f.pulsarRootDir}/instances/java-instance.jar:${f.extraDependenciesDir}/*`,
      `-Dpulsar.functions.extra.dependencies.dir=${f.extraDependenciesDir}`,
      `-Dpulsar.functions.instance.classpath=${f.functionInstanceClassPath ?? instance.workerClassPath}`,
      '-Dlog4j.configurationFile=kubernetes_instance_log4j2.xml',
      `-Dpulsar.function.log.dir=logs/functions/${d.tenant}/${d.namespace}/${d.name}`,
      `-Dpulsar.function.log.file=${d.name}-$SHARD_ID`,
      ...jvmFlags(version),
      ...worker.additionalJavaRuntimeArguments,
      ...flags,
    );
    if (ram !== 0n) args.push(`-Xmx${ram}`);
    args.push('org.apache.pulsar.functions.instance.JavaInstanceMain', '--jar', codeFile);
    if (config.transform) args.push('--transform_function_jar', transformFile(config, worker), '--transform_function_id', instance.transformFunctionId ?? '');
  } else {
    args.push(`PYTHONPATH=\${PYTHONPATH}:${f.extraDependenciesDir}`, 'exec', 'python3', ...flags, `${f.pulsarRootDir}/instances/python-instance/python_instance_main.py`);
    args.push('--py', codeFile, '--logging_directory', 'logs/functions', '--logging_file', d.name, '--logging_config_file', `${f.pulsarRootDir}/conf/functions-logging/console_logging_config.ini`);
    if (f.installUserCodeDependencies) args.push('--install_usercode_dependencies', 'True');
    if (f.pythonDependencyRepository) args.push('--dependency_repository', f.pythonDependencyRepository);
    if (f.pythonExtraDependencyRepository) args.push('--extra_dependency_repository', f.pythonExtraDependencyRepository);
  }
  args.push('--instance_id', '$SHARD_ID', '--function_id', instance.functionId, '--function_version', instance.functionVersion, '--function_details', `'${printMessage(d)}'`, '--pulsar_serviceurl', f.pulsarServiceUrl);
  if (config.runtime === 'JAVA' && worker.exposeAdminClientEnabled && nonBlank(f.pulsarAdminUrl)) args.push('--web_serviceurl', f.pulsarAdminUrl, '--expose_pulsaradmin');
  args.push(...authFlags(auth), '--max_buffered_tuples', '1024', '--port', String(f.grpcPort), '--metrics_port', String(metrics));
  if (config.runtime === 'JAVA') {
    args.push('--pending_async_requests', String(worker.maxPendingAsyncRequests));
    if (worker.ignoreUnknownConfigFields && has(version, 'ignoreUnknownConfigFields')) args.push('--ignore_unknown_config_fields');
  }
  if (worker.stateStorageServiceUrl !== undefined) args.push('--state_storage_serviceurl', worker.stateStorageServiceUrl);
  args.push('--expected_healthcheck_interval', '-1');
  const provider = worker.secretsConfigurator === 'kubernetes' ? 'EnvironmentBasedSecretsProvider' : 'ClearTextSecretsProvider';
  args.push('--secrets_provider', config.runtime === 'JAVA' ? `org.apache.pulsar.functions.secretsprovider.${provider}` : `secretsprovider.${provider}`);
  args.push('--cluster_name', worker.clusterName);
  if (config.runtime === 'JAVA' && f.narExtractionDirectory) args.push('--nar_extraction_directory', f.narExtractionDirectory);
  return args;
}

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
function goInstanceConfig(config: ReadConfig, worker: Worker, instance: InstanceValues, version: PulsarVersion, auth: Auth | undefined): string {
  const f = worker.factory;
  const d = config.details as Obj;
  const source = (d.source ?? {}) as Obj;
  const sink = (d.sink ?? {}) as Obj;
  const resources = d.resources as { cpu: number; ram: bigint; disk: bigint };
  const retry = (d.retryDetails ?? {}) as Obj;
  const inputSpecs = (source.inputSpecs ?? {}) as Record<string, Obj>;
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
    receiverQueueSize: String((last?.[1].receiverQueueSize as Obj | undefined)?.value ?? 0),
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

const TOLERATION_KEYS = ['node.kubernetes.io/not-ready', 'node.alpha.kubernetes.io/notReady', 'node.alpha.kubernetes.io/unreachable'];

export interface Rendered {
  service: Obj;
  statefulSet: Obj;
  jobName: string;
}

/** Pulsar's job name: the factory's jobName (always hashed) or pf-TENANT-NAMESPACE-NAME. */
export function renderJobName(config: ReadConfig, worker: Worker): string {
  const id = config.details;
  return worker.factory.jobName ? customJobName(worker.factory.jobName, id) : defaultJobName(id);
}

export function renderObjects(config: ReadConfig, worker: Worker, instance: InstanceValues, version: PulsarVersion): Rendered {
  const f = worker.factory;
  const d = config.details;
  const jobName = renderJobName(config, worker);
  const labels = renderLabels(config, worker);
  const codeFile = `${f.downloadDirectory}/${sanitizeFileName(config.originalFileName, version)}`;
  const auth = authOf(worker, instance);
  const command = [
    ...downloadCommand(config, worker, auth, codeFile, version),
    ...(config.transform ? ['&&', ...downloadCommand(config, worker, auth, transformFile(config, worker), version), '--transform-function'] : []),
    '&&',
    'SHARD_ID=${POD_NAME##*-} && echo shardId=${SHARD_ID}',
    '&&',
    ...instanceCommand(config, worker, instance, version, codeFile, auth),
  ].join(' ');
  const env: Obj[] = [{ name: 'POD_NAME', valueFrom: { fieldRef: { fieldPath: 'metadata.name' } } }];
  if (worker.secretsConfigurator === 'kubernetes') {
    for (const [name, value] of Object.entries(config.secrets ?? {})) {
      const v = value as Obj;
      env.push({ name, valueFrom: { secretKeyRef: { key: v.key, name: v.path } } });
    }
  }
  const image = f.functionDockerImages ? f.functionDockerImages[config.runtime] : f.pulsarDockerImageName;
  const metricsValid = validPort(f.metricsPort);
  const container: Obj = {
    command: ['sh', '-c', command],
    env,
    ...(image !== undefined ? { image } : {}),
    imagePullPolicy: f.imagePullPolicy,
    name: 'pulsarfunction',
    ports: [{ containerPort: f.grpcPort, name: 'grpc' }, metricsValid ? { containerPort: f.metricsPort, name: 'prometheus' } : { name: 'prometheus' }],
    resources: renderResources(d, worker),
  };
  const podSpec: Obj = {
    containers: [container],
    terminationGracePeriodSeconds: 0,
    tolerations: TOLERATION_KEYS.map((key) => ({ effect: 'NoExecute', key, operator: 'Exists', tolerationSeconds: 10 })),
  };
  addAuthVolumes(podSpec, container, worker, instance);
  const metadata = { labels, name: jobName, namespace: f.jobNamespace };
  const service: Obj = {
    apiVersion: 'v1',
    kind: 'Service',
    metadata,
    spec: { clusterIP: 'None', ports: [{ name: 'grpc', port: f.grpcPort, protocol: 'TCP' }], selector: labels },
  };
  const statefulSet: Obj = {
    apiVersion: 'apps/v1',
    kind: 'StatefulSet',
    metadata,
    spec: {
      podManagementPolicy: 'Parallel',
      replicas: d.parallelism,
      selector: { matchLabels: labels },
      serviceName: jobName,
      template: {
        metadata: { annotations: metricsValid ? { 'prometheus.io/port': String(f.metricsPort), 'prometheus.io/scrape': 'true' } : {}, labels },
        spec: podSpec,
      },
    },
  };
  return { service, statefulSet, jobName };
}

/** What the function auth provider adds to the pod when Pulsar submits it. */
function addAuthVolumes(podSpec: Obj, container: Obj, worker: Worker, instance: InstanceValues): void {
  if (!worker.authenticationEnabled) return;
  if (worker.authProvider === 'secrets-token' && instance.authSecretId !== undefined) {
    podSpec.volumes = [{ name: 'function-auth', secret: { secretName: `pf-secret-${instance.authSecretId}` } }];
    container.volumeMounts = [{ mountPath: '/etc/auth', name: 'function-auth', readOnly: true }];
  }
  if (worker.authProvider === 'service-account') {
    const c = worker.factory.authProviderConfig;
    const secret = typeof c.brokerClientTrustCertsSecretName === 'string' && c.brokerClientTrustCertsSecretName ? c.brokerClientTrustCertsSecretName : undefined;
    const token: Obj = {};
    if (typeof c.serviceAccountTokenAudience === 'string') token.audience = c.serviceAccountTokenAudience;
    token.expirationSeconds = Number(c.serviceAccountTokenExpirationSeconds ?? 0);
    token.path = 'token';
    const volumes: Obj[] = [];
    if (secret) volumes.push({ name: 'ca-cert', secret: { items: [{ key: 'ca.crt', path: 'ca.crt' }], secretName: secret } });
    volumes.push({ name: 'service-account-token', projected: { sources: [{ serviceAccountToken: token }] } });
    podSpec.volumes = volumes;
    const mounts: Obj[] = [{ mountPath: '/etc/auth', name: 'service-account-token', readOnly: true }];
    if (secret) mounts.push({ mountPath: '/etc/auth', name: 'ca-cert', readOnly: true });
    container.volumeMounts = mounts;
  }
}
