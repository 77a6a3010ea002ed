/**
 * The Service and StatefulSet Pulsar's KubernetesRuntime submits for one function, source or
 * sink, before any runtime customizer runs: labels, resources, ports, tolerations, with the
 * container command from instance-command.ts (RuntimeUtils; the Go instance's config in
 * go-instance.ts) and the volumes the function auth providers add from auth.ts.
 * https://github.com/apache/pulsar/blob/master/pulsar-functions/runtime/src/main/java/org/apache/pulsar/functions/runtime/kubernetes/KubernetesRuntime.java
 * https://github.com/apache/pulsar/blob/master/pulsar-functions/runtime/src/main/java/org/apache/pulsar/functions/runtime/RuntimeUtils.java
 *
 * Keys are written in the order the Kubernetes Java client serializes them: its model
 * classes declare their fields alphabetically, and maps (labels, annotations, resources)
 * come out in java.util.HashMap order.
 */
import { customJobName, defaultJobName, toValidLabelName } from '../base/naming.js';
import type { Obj } from '../base/values.js';
import type { Details, ReadConfig } from './details.js';
import type { Worker } from './factory.js';
import { hashMapOrder, javaDouble, javaRound } from '../base/java.js';
import { canonicalQuantity } from './quantity.js';
import type { PulsarVersion } from './pulsar.js';
import { validPort, type InstanceValues } from './instance.js';
import { addAuthVolumes, authOf } from './auth.js';
import { downloadCommand, instanceCommand, sanitizeFileName, splitRuntimeFlags, transformFile } from './instance-command.js';

export { PULSAR_VERSIONS, type PulsarVersion } from './pulsar.js';
export type { InstanceValues } from './instance.js';
export { instanceCommand, sanitizeFileName, splitRuntimeFlags };

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
export function renderResources(details: Details, worker: Worker): { limits: Obj; requests: Obj } {
  const f = worker.factory;
  const r = details.resources;
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

