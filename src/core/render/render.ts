/**
 * `pmc render`, the pure part: a pulsar-admin config file and the worker's settings in, the
 * Service and StatefulSet Pulsar's Kubernetes runtime would submit out (as YAML or JSON
 * text), with a note for each value only a running worker knows.
 */
import { stringify } from 'yaml';
import { DiagnosticSink, type Diagnostic, type Location } from '../base/diagnostics.js';
import { jobNameProblem } from '../base/naming.js';
import { workerSettings, type WorkerForm } from '../input/worker.js';
import type { CodeFlags } from './code.js';
import { readConfig, type ComponentKind } from './details.js';
import { resourceProblem } from './admission.js';
import { readWorkerSettings } from './factory.js';
import { renderObjects, type InstanceValues } from './runtime.js';
import { has, type PulsarVersion } from './pulsar.js';

/** Stands for a value the worker draws at random when it starts the function. */
export const PLACEHOLDER_ID = '00000000-0000-0000-0000-000000000000';
const DEFAULT_CLASSPATH = '/pulsar/lib/*';

export interface RenderInput {
  config: { text: string; source: string };
  worker: { text: string; source: string; at?: string[] };
  kind?: ComponentKind;
  identity: { tenant?: string; namespace?: string; name?: string };
  /** pulsar-admin's --jar, --py, --go, --function-type, --archive, --source-type, --sink-type. */
  code?: CodeFlags;
  customRuntimeOptions?: string;
  pulsarVersion: PulsarVersion;
  functionId?: string;
  functionVersion?: string;
  authSecretId?: string;
  originalFileName?: string;
  transformFunctionId?: string;
  workerHasCa?: boolean;
}

export interface RenderResult {
  objects: [service: object, statefulSet: object];
  kind: ComponentKind;
  jobName: string;
  workerForm: WorkerForm;
  /** Where the worker downloads a function's code (audit masks the uploaded file's name there). */
  downloadDirectory: string;
  diagnostics: Diagnostic[];
}

export function render(input: RenderInput): RenderResult {
  const sink = new DiagnosticSink();
  const ws = workerSettings(input.worker.text, input.worker.source, input.worker.at);
  const worker = readWorkerSettings(ws.values, ws.locate, sink, ws.floatText);
  sink.throwIfErrors();
  const config = readConfig(input.config.text, input.config.source, { ...input, forwardSourceMessageProperty: worker.forwardSourceMessageProperty, pulsarVersion: input.pulsarVersion }, sink);

  const placeholders: string[] = [];
  const instance: InstanceValues = {
    functionId: input.functionId ?? PLACEHOLDER_ID,
    functionVersion: input.functionVersion ?? PLACEHOLDER_ID,
    authSecretId: input.authSecretId,
    workerClassPath: DEFAULT_CLASSPATH,
    instanceId: -1,
    workerHasCa: input.workerHasCa,
    transformFunctionId: config.transform ? (input.transformFunctionId ?? PLACEHOLDER_ID) : undefined,
  };
  if (config.transform && input.originalFileName === undefined && /^(builtin|function|https?):/.test(String(config.transform.from))) {
    placeholders.push(`the transform function's file name ${config.transform.originalFileName} (the worker names the file it downloads the package to)`);
  }
  if (config.transform && input.transformFunctionId === undefined) placeholders.push(`--transform_function_id ${PLACEHOLDER_ID} (random at each start; --transform-function-id sets one)`);
  if (input.functionId === undefined) placeholders.push(`--function_id ${PLACEHOLDER_ID} (the worker draws a random UUID at each start; --function-id sets one)`);
  if (input.functionVersion === undefined) placeholders.push(`--function_version ${PLACEHOLDER_ID} (random at each start; --function-version sets one)`);
  if (config.runtime === 'JAVA' && !worker.factory.functionInstanceClassPath) {
    placeholders.push(`-Dpulsar.functions.instance.classpath=${DEFAULT_CLASSPATH} (the worker's own classpath; set functionInstanceClassPath in functionRuntimeFactoryConfigs to render it)`);
  }
  if (config.runtime === 'GO' && !has(input.pulsarVersion, 'goInstancePortFromFactory')) {
    // 3.0's factory never sets the instance's port; FunctionActioner's findAvailablePort() stands.
    placeholders.push(`the Go instance's "port" ${worker.factory.grpcPort} (on 3.0 the worker puts a free port of its own host there at each start; 3.1 and later put grpcPort)`);
  }
  if (config.kind !== 'function' && !config.connectorClass) {
    placeholders.push(`no ${config.kind}.className (the worker reads the connector's class from the archive's META-INF/services/pulsar-io.yaml; give className in the config)`);
  }
  if (config.javaTypesUnknown) placeholders.push("no source/sink typeClassName (the worker reads the Java types from the uploaded code)");
  if (input.originalFileName === undefined && config.builtin) {
    const what = config.kind === 'function' ? "built-in function's file name" : 'connector file name';
    placeholders.push(`the ${what} ${config.originalFileName} (the worker names it after the ${config.kind === 'function' ? "function's" : "connector's"} archive; --original-file-name sets it)`);
  }
  if (worker.authenticationEnabled && worker.authProvider === 'secrets-token' && input.authSecretId === undefined) {
    placeholders.push('no stored auth token (a function created with one gets the Secret pf-secret-ID mounted at /etc/auth; --function-auth-secret-id ID renders that)');
  }
  for (const p of placeholders) sink.note('PMC_RENDER_PLACEHOLDER', `rendered with ${p}`, { source: input.config.source });

  if (worker.authenticationEnabled && worker.authProvider === 'service-account') {
    const c = worker.factory.authProviderConfig;
    const seconds = c.serviceAccountTokenExpirationSeconds;
    const at = ws.locate(['functionRuntimeFactoryConfigs', 'kubernetesFunctionAuthProviderConfig', 'serviceAccountTokenExpirationSeconds']);
    if (typeof seconds === 'number') {
      sink.error('PMC_RENDER', `serviceAccountTokenExpirationSeconds ${seconds} is read as an Integer, and Pulsar's KubernetesServiceAccountTokenAuthProvider refuses it ("Expected a long"): quote it, "${seconds}"`, { ...at });
    } else if (seconds === undefined || seconds === null) {
      sink.warn('PMC_RENDER', 'kubernetesFunctionAuthProviderConfig.serviceAccountTokenExpirationSeconds is not set, so the token volume gets expirationSeconds: 0, which the API server refuses (at least 600)', { ...at });
    }
  }
  if (worker.secretsConfigurator === 'kubernetes') {
    for (const [key, value] of Object.entries(config.secrets ?? {})) {
      const v = value as Record<string, unknown> | null;
      if (!v || typeof v !== 'object' || typeof v.path !== 'string' || typeof v.key !== 'string') {
        sink.error('PMC_RENDER', `secrets.${key}: with KubernetesSecretsProviderConfigurator each secret must be a map with path (the Secret's name) and key`, { ...config.locate(['secrets', key]), path: `secrets.${key}` });
      }
    }
  }

  // A worker always has these (Pulsar's shipped functions_worker.yml sets them); without
  // them the command would carry empty values.
  const missing: [string, string][] = [
    [worker.factory.pulsarServiceUrl, 'pulsarServiceUrl (or functionRuntimeFactoryConfigs.pulsarServiceUrl)'],
    [worker.factory.pulsarAdminUrl, 'pulsarWebServiceUrl (or functionRuntimeFactoryConfigs.pulsarAdminUrl)'],
    [worker.clusterName, 'pulsarFunctionsCluster'],
  ];
  for (const [value, key] of missing) {
    if (!value) sink.warn('PMC_RENDER', `the worker sets no ${key}, so the instance's command gets an empty value: set it as your worker does`, { source: input.worker.source });
  }

  // What Pulsar submits but the API server refuses: said now, not at kubectl apply.
  const f = worker.factory;
  if (f.functionDockerImages && f.functionDockerImages[config.runtime] === undefined) {
    sink.warn('PMC_RENDER', `functionDockerImages has no ${config.runtime} entry, so Pulsar leaves the container without an image (it does not fall back to pulsarDockerImageName), which the API server refuses`, {
      ...ws.locate(['functionRuntimeFactoryConfigs', 'functionDockerImages']),
    });
  }
  if (worker.authenticationEnabled && worker.authProvider === 'service-account' && f.authProviderConfig.brokerClientTrustCertsSecretName) {
    sink.warn('PMC_RENDER', 'KubernetesServiceAccountTokenAuthProvider mounts the token and the CA Secret both at /etc/auth, and the API server refuses two mounts at one path', {
      ...ws.locate(['functionRuntimeFactoryConfigs', 'kubernetesFunctionAuthProviderConfig', 'brokerClientTrustCertsSecretName']),
    });
  }

  const resources = resourceProblem(config.details.resources, ws.values);
  if (resources) {
    const at = config.locate(['resources']);
    sink.error('PMC_RENDER', `the worker refuses to register the ${config.kind}: ${resources.message} (${resources.key} in ${input.worker.source})`, { ...at });
  }

  const rendered = renderObjects(config, worker, instance, input.pulsarVersion);
  const problem = jobNameProblem(rendered.jobName);
  if (problem) {
    const field = worker.factory.jobName ? ws.locate(['functionRuntimeFactoryConfigs', 'jobName']) : jobNameOrigin(input, config.details as Record<string, unknown>, config.locate);
    sink.error('PMC_JOB_NAME', `the job name ${rendered.jobName} is refused: ${problem}`, { ...field });
  }
  sink.throwIfErrors();
  return { objects: [rendered.service, rendered.statefulSet], kind: config.kind, jobName: rendered.jobName, workerForm: ws.form, downloadDirectory: worker.factory.downloadDirectory, diagnostics: sink.items };
}

/**
 * Where the longest part of the job name (pf-<tenant>-<namespace>-<name>) came from: its flag
 * (`--name` replaces the config's) or its key in the config, the config's name when neither.
 */
function jobNameOrigin(input: RenderInput, details: Record<string, unknown>, locate: (path: string[]) => Location): Location {
  const parts = (['name', 'namespace', 'tenant'] as const).map((key) => ({ key, value: String(details[key] ?? '') }));
  const longest = parts.reduce((a, b) => (b.value.length > a.value.length ? b : a));
  if (input.identity[longest.key] !== undefined) return { source: `--${longest.key}` };
  const at = locate([longest.key]);
  return at.line !== undefined ? at : locate(['name']);
}

/** The objects as a YAML stream, the Service first, as Pulsar submits them (customize then prints JSON when asked). */
export function renderYaml(objects: readonly object[]): string {
  return objects.map((o) => `---\n${stringify(o, { lineWidth: 0, indentSeq: false, aliasDuplicateObjects: false })}`).join('');
}
