// Manifests shaped like the ones Pulsar's KubernetesRuntime creates (createService,
// createStatefulSet, getFunctionContainer), printed as `kubectl get -o yaml` prints them:
// keys sorted, sequences not indented. Plain JS so benchmarks can use it without a build.

import { createHash } from 'node:crypto';

const TOLERATION_KEYS = ['node.kubernetes.io/not-ready', 'node.alpha.kubernetes.io/notReady', 'node.alpha.kubernetes.io/unreachable'];

export const BASIC_CUSTOMIZER = 'org.apache.pulsar.functions.runtime.kubernetes.BasicKubernetesManifestCustomizer';

/**
 * Pulsar's KubernetesRuntimeTest.createRuntimeCustomizerConfig(). Its toleration effect is
 * "test", which the Kubernetes API refuses; pmc checks the value, so the port uses a real one.
 */
export const PULSAR_TEST_CUSTOMIZER_CONFIG = {
  jobNamespace: 'custom-ns',
  jobName: 'custom-name',
  extraAnnotations: { annotation: 'test' },
  extraLabels: { label: 'test' },
  nodeSelectorLabels: { selector: 'test' },
  tolerations: [{ key: 'test', value: 'test', effect: 'NoSchedule' }],
  resourceRequirements: { requests: { cpu: '1', memory: '4G' }, limits: { cpu: '2', memory: '8G' } },
};

/** Pulsar's toValidLabelName. */
export function toValidLabelName(s) {
  return s
    .toLowerCase()
    .replace(/[^a-zA-Z0-9\-_.]/g, '-')
    .replace(/^[^a-zA-Z0-9]/, '0')
    .replace(/[^a-zA-Z0-9]$/, '0')
    .slice(0, 63);
}

/** Pulsar's createJobName without a jobName: pf-tenant-namespace-name, hashed when it had to be changed. */
export function defaultJobName(f) {
  const base = `${f.tenant}-${f.namespace}-${f.name}`;
  const valid = `pf-${base}`.toLowerCase().replace(/[^a-z0-9\-.]/g, '-');
  return valid === `pf-${base}` ? valid : `${valid}-${createHash('sha1').update(base).digest('hex').slice(0, 8)}`;
}

/**
 * @param {{tenant: string, namespace: string, name: string, component?: 'function'|'source'|'sink',
 *   customRuntimeOptions?: string, k8sNamespace?: string, jobName?: string, runtime?: 'java'|'go'}} f
 */
export function functionDetailsJson(f) {
  const componentType = (f.component ?? 'function').toUpperCase();
  const details = {
    tenant: f.tenant,
    namespace: f.namespace,
    name: f.name,
    className: componentType === 'FUNCTION' ? 'com.example.MyFunction' : 'org.apache.pulsar.functions.api.utils.IdentityFunction',
    autoAck: true,
    parallelism: 1,
    source: { typeClassName: 'java.lang.String', inputSpecs: { [`persistent://${f.tenant}/${f.namespace}/input`]: {} }, cleanupSubscription: true },
    sink: { topic: `persistent://${f.tenant}/${f.namespace}/output`, typeClassName: 'java.lang.String' },
    resources: { cpu: 1.0, ram: '1073741824', disk: '10737418240' },
    ...(f.customRuntimeOptions ? { customRuntimeOptions: f.customRuntimeOptions } : {}),
    componentType,
  };
  return JSON.stringify(details);
}

function q(s) {
  return JSON.stringify(s);
}

/** A string as YAML prints it: quoted when plain it would read as a number, boolean or null. */
function str(s) {
  return /^([-+.\d]|(true|false|null|yes|no|on|off|y|n|~)$)/i.test(s) || s === '' ? q(s) : s;
}

/**
 * The Go runtime's command: the binary downloaded, then run with `-instance-conf '<json>'`,
 * its own config (tenant, nameSpace, name; the function details as a string since 3.3).
 */
function goCommand(f, download) {
  const conf = {
    pulsarServiceURL: 'pulsar://pulsar-broker.pulsar.svc.cluster.local:6650',
    instanceID: -1,
    funcID: '1732530000000',
    funcVersion: '1732530000000',
    maxBufTuples: 1024,
    port: 9093,
    clusterName: 'pulsar',
    killAfterIdleMs: 0,
    expectedHealthCheckInterval: 0,
    tenant: f.tenant,
    nameSpace: f.namespace,
    name: f.name,
    className: '',
    runtime: 3,
    functionDetails: functionDetailsJson(f),
  };
  return [
    `/pulsar/bin/pulsar-admin --admin-url http://pulsar-broker.pulsar.svc.cluster.local:8080 functions download --tenant ${f.tenant} --namespace ${f.namespace} --name ${f.name} --destination-file ${download}`,
    `&& chmod 777 ${download} && exec ${download} -instance-conf '${JSON.stringify(conf)}'`,
  ].join(' ');
}

/** The headless Service and the StatefulSet, as one YAML stream (Service first, as Pulsar creates them). */
export function pulsarFunctionManifests(f) {
  const component = f.component ?? 'function';
  const jobName = f.jobName ?? defaultJobName(f);
  const ns = f.k8sNamespace ?? 'pulsar';
  const fqfn = `${f.tenant}/${f.namespace}/${f.name}`;
  const labels = (indent) =>
    [
      `component: ${component}`,
      `name: ${str(toValidLabelName(f.name))}`,
      `namespace: ${str(toValidLabelName(f.namespace))}`,
      `tenant: ${str(toValidLabelName(f.tenant))}`,
    ]
      .map((l) => `${' '.repeat(indent)}${l}`)
      .join('\n');
  const download = `/pulsar/download/pulsar_functions/${fqfn}/${f.name}${f.runtime === 'go' ? '' : '.jar'}`;
  const command = f.runtime === 'go' ? goCommand(f, download) : [
    `/pulsar/bin/pulsar-admin --admin-url http://pulsar-broker.pulsar.svc.cluster.local:8080 functions download --tenant ${f.tenant} --namespace ${f.namespace} --name ${f.name} --destination-file ${download}`,
    '&& SHARD_ID=${POD_NAME##*-} && echo shardId=${SHARD_ID}',
    '&& exec java -cp /pulsar/instances/java-instance.jar:/pulsar/instances/deps/*',
    '-Dpulsar.functions.instance.classpath=/pulsar/instances/java-instance.jar',
    '-Dpulsar.functions.extra.dependencies.dir=/pulsar/instances/deps',
    '-Dlog4j.configurationFile=kubernetes_instance_log4j2.xml',
    `-Dpulsar.function.log.dir=/pulsar/logs/functions/${fqfn}`,
    `-Dpulsar.function.log.file=${f.name}-\${SHARD_ID} -Xmx1073741824 -XX:+ExitOnOutOfMemoryError`,
    `org.apache.pulsar.functions.instance.JavaInstanceMain --jar ${download}`,
    '--instance_id ${SHARD_ID} --function_id ${SHARD_ID}-1732530000000 --function_version 1732530000000',
    `--function_details '${functionDetailsJson(f)}'`,
    '--pulsar_serviceurl pulsar://pulsar-broker.pulsar.svc.cluster.local:6650 --max_buffered_tuples 1024',
    '--port 9093 --metrics_port 9094 --expected_healthcheck_interval -1',
    '--nar_extraction_directory /tmp/pulsar-nar --cluster_name pulsar',
  ].join(' ');
  return `---
apiVersion: v1
kind: Service
metadata:
  labels:
${labels(4)}
  name: ${jobName}
  namespace: ${ns}
spec:
  clusterIP: None
  ports:
  - name: grpc
    port: 9093
    protocol: TCP
  selector:
${labels(4)}
---
apiVersion: apps/v1
kind: StatefulSet
metadata:
  labels:
${labels(4)}
  name: ${jobName}
  namespace: ${ns}
spec:
  podManagementPolicy: Parallel
  replicas: 1
  selector:
    matchLabels:
${labels(6)}
  serviceName: ${jobName}
  template:
    metadata:
      annotations:
        prometheus.io/port: "9094"
        prometheus.io/scrape: "true"
      labels:
${labels(8)}
    spec:
      containers:
      - command:
        - sh
        - -c
        - ${q(command)}
        env:
        - name: POD_NAME
          valueFrom:
            fieldRef:
              fieldPath: metadata.name
        image: apachepulsar/pulsar:3.3.9
        imagePullPolicy: IfNotPresent
        name: pulsarfunction
        ports:
        - containerPort: 9093
          name: grpc
        - containerPort: 9094
          name: prometheus
        resources:
          limits:
            cpu: "1"
            memory: "1181116006"
          requests:
            cpu: "1"
            memory: "1181116006"
      terminationGracePeriodSeconds: 0
      tolerations:
${TOLERATION_KEYS.map((k) => `      - effect: NoExecute\n        key: ${k}\n        operator: Exists\n        tolerationSeconds: 10`).join('\n')}
`;
}
