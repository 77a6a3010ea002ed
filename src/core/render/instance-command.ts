/**
 * The pod's command: the download step (KubernetesRuntime.getDownloadCommand) and the
 * instance's command line for each runtime (RuntimeUtils.getCmd): JVM flags by release, the
 * auth flags, the Go instance through go-instance.ts.
 * https://github.com/apache/pulsar/blob/master/pulsar-functions/runtime/src/main/java/org/apache/pulsar/functions/runtime/RuntimeUtils.java
 * https://github.com/apache/pulsar/blob/master/pulsar-functions/runtime/src/main/java/org/apache/pulsar/functions/runtime/kubernetes/KubernetesRuntime.java
 */
import type { ReadConfig } from './details.js';
import type { Worker } from './factory.js';
import { printMessage } from './protojson.js';
import { has, LATEST_PULSAR_VERSION, type PulsarVersion } from './pulsar.js';
import { validPort, type InstanceValues } from './instance.js';
import { authFlags, authOf, nonBlank, type Auth } from './auth.js';
import { goInstanceConfig } from './go-instance.js';

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

/** runtimeFlags split on whitespace outside double quotes, the quotes kept. */
export function splitRuntimeFlags(flags: string): string[] {
  return flags.match(/(?:[^\s"]+|"[^"]*")+/g) ?? [];
}

/**
 * pulsar-admin's download step (KubernetesRuntime.getDownloadCommand). 3.0 passes only the auth
 * plugin and params: its pod's pulsar-admin gets none of the worker's TLS settings.
 */
export function downloadCommand(config: ReadConfig, worker: Worker, auth: Auth | undefined, codeFile: string, version: PulsarVersion): string[] {
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
export function transformFile(config: ReadConfig, worker: Worker): string {
  return `${worker.factory.downloadDirectory}/${sanitizeFileName(config.transform!.originalFileName)}`;
}


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
    const ram = d.resources.ram;
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

