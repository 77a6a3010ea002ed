/**
 * The worker's settings as the Kubernetes runtime uses them: functions_worker.yml's keys and
 * its functionRuntimeFactoryConfigs, converted the lenient way the worker converts them
 * (strings read as numbers and booleans, "" as unset) and with KubernetesRuntimeFactory's
 * defaults filled in.
 * https://github.com/apache/pulsar/blob/master/pulsar-functions/runtime/src/main/java/org/apache/pulsar/functions/runtime/kubernetes/KubernetesRuntimeFactory.java
 * https://github.com/apache/pulsar/blob/master/pulsar-functions/runtime/src/main/java/org/apache/pulsar/functions/runtime/kubernetes/KubernetesRuntimeFactoryConfig.java
 */
import { formatPath } from '../base/paths.js';
import { DiagnosticSink, type Location } from '../base/diagnostics.js';
import { isObject, type Obj } from '../base/values.js';

export const KUBERNETES_FACTORY = 'org.apache.pulsar.functions.runtime.kubernetes.KubernetesRuntimeFactory';
export const SECRETS_TOKEN_PROVIDER = 'org.apache.pulsar.functions.auth.KubernetesSecretsTokenAuthProvider';
export const SERVICE_ACCOUNT_PROVIDER = 'org.apache.pulsar.functions.auth.KubernetesServiceAccountTokenAuthProvider';
export const KUBERNETES_SECRETS_CONFIGURATOR = 'org.apache.pulsar.functions.secretsproviderconfigurator.KubernetesSecretsProviderConfigurator';
const DEFAULT_SECRETS_CONFIGURATOR = 'org.apache.pulsar.functions.secretsproviderconfigurator.DefaultSecretsProviderConfigurator';

export interface Factory {
  jobNamespace: string;
  jobName?: string;
  pulsarDockerImageName: string;
  functionDockerImages?: Record<string, string>;
  imagePullPolicy: string;
  pulsarRootDir: string;
  pulsarAdmin: string;
  pulsarServiceUrl: string;
  pulsarAdminUrl: string;
  installUserCodeDependencies: boolean;
  pythonDependencyRepository?: string;
  pythonExtraDependencyRepository?: string;
  extraDependenciesDir: string;
  customLabels: Record<string, string>;
  percentMemoryPadding: number;
  cpuOverCommitRatio: number;
  memoryOverCommitRatio: number;
  grpcPort: number;
  /** Null when configured empty: the instance then has no valid metrics port (Pulsar's tests). */
  metricsPort: number;
  narExtractionDirectory: string;
  functionInstanceClassPath?: string;
  downloadDirectory: string;
  authProviderConfig: Obj;
}

export interface Worker {
  factory: Factory;
  clusterName: string;
  stateStorageServiceUrl?: string;
  maxPendingAsyncRequests: number;
  exposeAdminClientEnabled: boolean;
  additionalJavaRuntimeArguments: string[];
  ignoreUnknownConfigFields: boolean;
  forwardSourceMessageProperty: boolean;
  authenticationEnabled: boolean;
  authPlugin?: string;
  authParams?: string;
  useTls: boolean;
  tlsAllowInsecureConnection: boolean;
  tlsEnableHostnameVerification: boolean;
  tlsTrustCertsFilePath: string;
  /** Set only with authenticationEnabled; otherwise no provider runs. */
  authProvider?: 'secrets-token' | 'service-account';
  secretsConfigurator: 'default' | 'kubernetes';
}

const blank = (v: unknown) => v === undefined || v === null || (typeof v === 'string' && v.trim() === '');

/** The lenient reads: "30" is 30, "true" is true, "" is unset. */
function text(v: unknown): string | undefined {
  if (v === undefined || v === null || v === '') return undefined;
  return typeof v === 'string' ? v : String(v);
}

export function readWorkerSettings(values: Obj, locate: (path: string[]) => Location, sink: DiagnosticSink, floatText: (path: string[]) => string | undefined = () => undefined): Worker {
  const bad = (path: string[], what: string, value: unknown) => {
    sink.error('PMC_WORKER_CONFIG', `${formatPath(path)} must be ${what}, got ${JSON.stringify(value)}`, { ...locate(path), path: formatPath(path) });
    return undefined;
  };
  const num = (path: string[], v: unknown, integer: boolean): number | undefined => {
    if (v === undefined || v === null || v === '') return undefined;
    const n = typeof v === 'number' ? v : typeof v === 'string' && /^\s*[-+]?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?\s*$/.test(v) ? Number(v) : NaN;
    if (Number.isNaN(n) || (integer && !Number.isInteger(n))) return bad(path, integer ? 'an integer' : 'a number', v);
    return n;
  };
  const bool = (path: string[], v: unknown): boolean | undefined => {
    if (v === undefined || v === null || v === '') return undefined;
    if (typeof v === 'boolean') return v;
    if (typeof v === 'string' && /^(true|false)$/i.test(v)) return v.toLowerCase() === 'true';
    return bad(path, 'true or false', v);
  };

  // The runtime: the class name, else the first legacy block present.
  const className = values.functionRuntimeFactoryClassName;
  let configs: unknown;
  let at: string[];
  if (!blank(className)) {
    if (className !== KUBERNETES_FACTORY) {
      sink.error('PMC_RENDER', `the worker runs functions with ${String(className)}; pmc render shows what the Kubernetes runtime creates: set ${KUBERNETES_FACTORY}`, {
        ...locate(['functionRuntimeFactoryClassName']),
        path: 'functionRuntimeFactoryClassName',
      });
    }
    configs = values.functionRuntimeFactoryConfigs;
    at = ['functionRuntimeFactoryConfigs'];
  } else {
    const legacy = ['threadContainerFactory', 'processContainerFactory', 'kubernetesContainerFactory'].find((k) => values[k] !== undefined && values[k] !== null);
    if (legacy !== 'kubernetesContainerFactory') {
      sink.error('PMC_RENDER', `the worker does not use the Kubernetes runtime${legacy ? ` (it has ${legacy})` : ''}: set functionRuntimeFactoryClassName: ${KUBERNETES_FACTORY}`, { ...locate([legacy ?? 'functionRuntimeFactoryClassName']) });
    }
    configs = legacy ? values[legacy] : undefined;
    at = [legacy ?? 'kubernetesContainerFactory'];
  }
  const c = isObject(configs) ? configs : {};
  const p = (k: string) => [...at, k];
  const rootDir = text(c.pulsarRootDir) ?? '/pulsar';
  const extraDir = text(c.extraFunctionDependenciesDir);
  const workerDownload = text(values.downloadDirectory) ?? rootDir;
  const labels: Record<string, string> = {};
  if (isObject(c.customLabels)) for (const [k, v] of Object.entries(c.customLabels)) labels[k] = floatText([...at, 'customLabels', k]) ?? String(v);
  const images = isObject(c.functionDockerImages) ? Object.fromEntries(Object.entries(c.functionDockerImages).map(([k, v]) => [k, String(v)])) : undefined;
  // An empty string, as Jackson reads it into these Integer and Double settings, is null, and
  // Pulsar then writes a port without a number (`--port null`) or a request of Long.MAX_VALUE
  // cores, which the API server refuses or no node can hold. (An empty value, `grpcPort:`,
  // keeps the default; so does "" for metricsPort, which the factory defaults itself.)
  // Checked against KubernetesRuntimeFactory by the Pulsar oracle.
  for (const key of ['grpcPort', 'cpuOverCommitRatio', 'memoryOverCommitRatio']) {
    if (c[key] !== '') continue;
    sink.error('PMC_WORKER_CONFIG', `${key} is "": the worker reads it as null and renders ${key === 'grpcPort' ? 'the Service and container port without a number (--port null), which the API server refuses' : 'requests of Long.MAX_VALUE, which no node can hold'}; remove the line to keep the default, or give a value`, {
      ...locate(p(key)),
      path: formatPath(p(key)),
    });
  }
  const factory: Factory = {
    jobNamespace: text(c.jobNamespace) ?? 'default',
    jobName: text(c.jobName),
    pulsarDockerImageName: text(c.pulsarDockerImageName) ?? 'apachepulsar/pulsar',
    functionDockerImages: images,
    imagePullPolicy: text(c.imagePullPolicy) ?? 'IfNotPresent',
    pulsarRootDir: rootDir,
    pulsarAdmin: rootDir + (text(c.configAdminCLI) ?? '/bin/pulsar-admin'),
    pulsarServiceUrl: text(c.pulsarServiceUrl) ?? text(values.pulsarServiceUrl) ?? '',
    pulsarAdminUrl: text(c.pulsarAdminUrl) ?? text(values.pulsarWebServiceUrl) ?? '',
    installUserCodeDependencies: bool(p('installUserCodeDependencies'), c.installUserCodeDependencies) ?? false,
    pythonDependencyRepository: text(c.pythonDependencyRepository),
    pythonExtraDependencyRepository: text(c.pythonExtraDependencyRepository),
    extraDependenciesDir: !extraDir ? `${rootDir}/instances/deps` : extraDir.startsWith('/') ? extraDir : `${rootDir}/${extraDir}`,
    customLabels: labels,
    percentMemoryPadding: num(p('percentMemoryPadding'), c.percentMemoryPadding, true) ?? 0,
    cpuOverCommitRatio: num(p('cpuOverCommitRatio'), c.cpuOverCommitRatio, false) ?? 1.0,
    memoryOverCommitRatio: num(p('memoryOverCommitRatio'), c.memoryOverCommitRatio, false) ?? 1.0,
    grpcPort: num(p('grpcPort'), c.grpcPort, true) ?? 9093,
    metricsPort: num(p('metricsPort'), c.metricsPort, true) ?? 9094,
    // The worker JVM's java.io.tmpdir, /tmp on Linux, when the setting is absent or empty; ""
    // is kept, and RuntimeUtils then leaves --nar_extraction_directory out.
    narExtractionDirectory: c.narExtractionDirectory === '' ? '' : (text(c.narExtractionDirectory) ?? '/tmp'),
    functionInstanceClassPath: text(c.functionInstanceClassPath),
    downloadDirectory: workerDownload.startsWith('/') ? workerDownload : `${rootDir}/${workerDownload}`,
    authProviderConfig: isObject(c.kubernetesFunctionAuthProviderConfig) ? c.kubernetesFunctionAuthProviderConfig : {},
  };

  const authenticationEnabled = bool(['authenticationEnabled'], values.authenticationEnabled) ?? false;
  const isKubernetes = className === KUBERNETES_FACTORY || (values.kubernetesContainerFactory !== undefined && values.kubernetesContainerFactory !== null);
  const providerClass = text(values.functionAuthProviderClassName) ?? (isKubernetes ? SECRETS_TOKEN_PROVIDER : undefined);
  let authProvider: Worker['authProvider'];
  if (authenticationEnabled) {
    if (providerClass === SECRETS_TOKEN_PROVIDER) authProvider = 'secrets-token';
    else if (providerClass === SERVICE_ACCOUNT_PROVIDER) authProvider = 'service-account';
    else {
      sink.error('PMC_RENDER', `functionAuthProviderClassName ${providerClass}: the Kubernetes runtime refuses to start with a provider that is not a Kubernetes one (${SECRETS_TOKEN_PROVIDER} or ${SERVICE_ACCOUNT_PROVIDER})`, {
        ...locate(['functionAuthProviderClassName']),
        path: 'functionAuthProviderClassName',
      });
    }
  }
  const configurator = text(values.secretsProviderConfiguratorClassName) ?? DEFAULT_SECRETS_CONFIGURATOR;
  if (configurator !== DEFAULT_SECRETS_CONFIGURATOR && configurator !== KUBERNETES_SECRETS_CONFIGURATOR) {
    sink.error('PMC_RENDER', `secretsProviderConfiguratorClassName ${configurator}: pmc render knows Pulsar's two configurators, ${DEFAULT_SECRETS_CONFIGURATOR} and ${KUBERNETES_SECRETS_CONFIGURATOR}; another one decides the pod's secrets in its own code`, {
      ...locate(['secretsProviderConfiguratorClassName']),
      path: 'secretsProviderConfiguratorClassName',
    });
  }
  const extraArgs = values.additionalJavaRuntimeArguments;
  const worker: Worker = {
    factory,
    clusterName: text(values.pulsarFunctionsCluster) ?? '',
    stateStorageServiceUrl: values.stateStorageServiceUrl === undefined || values.stateStorageServiceUrl === null ? undefined : String(values.stateStorageServiceUrl),
    maxPendingAsyncRequests: num(['maxPendingAsyncRequests'], values.maxPendingAsyncRequests, true) ?? 1000,
    exposeAdminClientEnabled: bool(['exposeAdminClientEnabled'], values.exposeAdminClientEnabled) ?? false,
    additionalJavaRuntimeArguments: Array.isArray(extraArgs) ? extraArgs.map(String) : [],
    ignoreUnknownConfigFields: bool(['ignoreUnknownConfigFields'], values.ignoreUnknownConfigFields) ?? false,
    forwardSourceMessageProperty: bool(['forwardSourceMessageProperty'], values.forwardSourceMessageProperty) ?? true,
    authenticationEnabled,
    authPlugin: text(values.brokerClientAuthenticationPlugin) ?? text(values.clientAuthenticationPlugin),
    authParams: text(values.brokerClientAuthenticationParameters) ?? text(values.clientAuthenticationParameters),
    useTls: bool(['useTls'], values.useTls) ?? false,
    tlsAllowInsecureConnection: bool(['tlsAllowInsecureConnection'], values.tlsAllowInsecureConnection) ?? false,
    tlsEnableHostnameVerification: bool(['tlsEnableHostnameVerification'], values.tlsEnableHostnameVerification) ?? false,
    tlsTrustCertsFilePath: text(values.tlsTrustCertsFilePath) ?? '',
    authProvider,
    secretsConfigurator: configurator === KUBERNETES_SECRETS_CONFIGURATOR ? 'kubernetes' : 'default',
  };
  if (extraArgs !== undefined && extraArgs !== null && !Array.isArray(extraArgs)) bad(['additionalJavaRuntimeArguments'], 'a list', extraArgs);
  return worker;
}
