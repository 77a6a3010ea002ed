// Writes the inputs and command lines of the golden cases under fixtures/golden/.
// It never writes expected output: those files are produced once and reviewed by hand.
// Run: node test/support/make-golden-inputs.mjs
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { BASIC_CUSTOMIZER, PULSAR_TEST_CUSTOMIZER_CONFIG, pulsarFunctionManifests } from './pulsar-generated.mjs';

const root = new URL('../../fixtures/golden/', import.meta.url).pathname;
const BASIC = BASIC_CUSTOMIZER;
const pulsarTestConfig = JSON.stringify(PULSAR_TEST_CUSTOMIZER_CONFIG);
const pulsarTestFn = (customRuntimeOptions) =>
  pulsarFunctionManifests({ tenant: 'tenant', namespace: 'namespace', name: 'container', k8sNamespace: 'default', customRuntimeOptions });

// The seed's "Usage Examples", their --custom-runtime-options verbatim.
const seed1 = `{
    "securityContext": {
      "runAsUser": 1000,
      "runAsGroup": 1000,
      "fsGroup": 2000,
      "runAsNonRoot": true,
      "allowPrivilegeEscalation": false,
      "readOnlyRootFilesystem": true,
      "dropCapabilities": ["ALL"]
    },
    "nodeSelectorLabels": {
      "disktype": "ssd"
    },
    "resourceRequirements": {
      "requests": {
        "cpu": "500m",
        "memory": "1Gi"
      },
      "limits": {
        "cpu": "1",
        "memory": "2Gi"
      }
    }
  }`;
const seed1Rest =
  '{"securityContext":{"runAsUser":1000,"runAsGroup":1000,"fsGroup":2000,"runAsNonRoot":true,"allowPrivilegeEscalation":false,"readOnlyRootFilesystem":true,"dropCapabilities":["ALL"]},"nodeSelectorLabels":{"disktype":"ssd"}}';
const seed2 = `{
    "jobName": "data-processor",
    "securityContext": {
      "runAsUser": 10000,
      "runAsGroup": 10000,
      "fsGroup": 10000,
      "runAsNonRoot": true,
      "privileged": false,
      "allowPrivilegeEscalation": false,
      "readOnlyRootFilesystem": false,
      "dropCapabilities": ["ALL"]
    },
    "extraLabels": {
      "app": "data-processor",
      "version": "1.0.0",
      "component": "stream-processing"
    },
    "extraAnnotations": {
      "description": "Processes incoming data stream",
      "owner": "data-team@company.com"
    },
    "tolerations": [{
      "key": "high-memory",
      "operator": "Equal",
      "value": "true",
      "effect": "NoSchedule"
    }],
    "resourceRequirements": {
      "requests": {
        "cpu": "1",
        "memory": "2Gi"
      },
      "limits": {
        "cpu": "2",
        "memory": "4Gi"
      }
    }
  }`;
const seed3 = `{
    "securityContext": {
      "runAsNonRoot": true,
      "allowPrivilegeEscalation": false
    }
  }`;
const seed4 = `{
  "securityContext": {
    "runAsNonRoot": true,
    "runAsUser": 65534,
    "runAsGroup": 65534,
    "fsGroup": 65534,
    "privileged": false,
    "allowPrivilegeEscalation": false,
    "readOnlyRootFilesystem": true,
    "dropCapabilities": ["ALL"]
  },
  "extraAnnotations": {
    "container.apparmor.security.beta.kubernetes.io/pulsar-function": "runtime/default",
    "seccomp.security.alpha.kubernetes.io/pod": "runtime/default"
  }
}`;

const extensionWorker = 'runtimeCustomizerClassName: "com.yourcompany.pulsar.runtime.SecurityContextKubernetesManifestCustomizer"\n';
const kafka = pulsarFunctionManifests({ tenant: 'public', namespace: 'default', name: 'kafka-source', component: 'source' });
const es = pulsarFunctionManifests({ tenant: 'public', namespace: 'default', name: 'elasticsearch-sink', component: 'sink' });
const dp = pulsarFunctionManifests({ tenant: 'public', namespace: 'default', name: 'data-processor' });

const cases = {
  'pulsar-basic-customizer': {
    about: "Pulsar's testBasicKubernetesManifestCustomizer: the options embedded in the function details.",
    files: { 'input.yaml': pulsarTestFn(pulsarTestConfig), 'worker.yml': `runtimeCustomizerClassName: ${BASIC}\n` },
    cmd: ['customize', 'input.yaml', '-w', 'worker.yml'],
  },
  'pulsar-worker-config': {
    about: "Pulsar's ...WithRuntimeCustomizerConfig: the same options in the worker's runtimeCustomizerConfig.",
    files: { 'input.yaml': pulsarTestFn(), 'worker.yml': `runtimeCustomizerClassName: ${BASIC}\nruntimeCustomizerConfig: ${pulsarTestConfig}\n` },
    cmd: ['customize', 'input.yaml', '-w', 'worker.yml'],
  },
  'pulsar-worker-overwrite': {
    about: "Pulsar's ...WithRuntimeCustomizerConfigOverwrite: the function's jobName and jobNamespace win.",
    files: {
      'input.yaml': pulsarTestFn(JSON.stringify({ jobNamespace: 'custom-ns-overwrite', jobName: 'custom-name-overwrite' })),
      'worker.yml': `runtimeCustomizerClassName: ${BASIC}\nruntimeCustomizerConfig: ${pulsarTestConfig}\n`,
    },
    cmd: ['customize', 'input.yaml', '-w', 'worker.yml'],
  },
  'no-customizer': {
    about: "Pulsar's testNoOpKubernetesManifestCustomizer: no class name, so the input comes back byte for byte, with a warning.",
    files: {
      'input.yaml': pulsarTestFn(JSON.stringify({ jobNamespace: 'custom-ns', jobName: 'custom-name' })),
      'worker.yml': `runtimeCustomizerConfig: ${pulsarTestConfig}\n`,
    },
    cmd: ['customize', 'input.yaml', '-w', 'worker.yml'],
  },
  'seed-example-1-source': {
    about: "The seed's Example 1 (pulsar-admin sources create kafka-source), options on the command line.",
    files: { 'input.yaml': kafka, 'worker.yml': extensionWorker },
    cmd: ['customize', 'input.yaml', '-w', 'worker.yml', '--custom-runtime-options', seed1],
  },
  'seed-example-1-rest': {
    about: "The seed's Example 1 through the REST API: the customRuntimeOptions string embedded by the worker in the function details.",
    files: { 'input.yaml': pulsarFunctionManifests({ tenant: 'public', namespace: 'default', name: 'kafka-source', component: 'source', customRuntimeOptions: seed1Rest }), 'worker.yml': extensionWorker },
    cmd: ['customize', 'input.yaml', '-w', 'worker.yml'],
  },
  'seed-example-2-function': {
    about:
      "The seed's Example 2 (pulsar-admin functions create data-processor). Its extra label component: stream-processing overwrites the pod label component: function that the selector needs, so the API server would refuse the StatefulSet: pmc refuses it first.",
    files: { 'input.yaml': dp, 'worker.yml': extensionWorker },
    cmd: ['customize', 'input.yaml', '-w', 'worker.yml', '--custom-runtime-options', seed2],
    status: 1,
  },
  'seed-example-2-no-validate': {
    about: "The seed's Example 2 with --no-validate: exactly what Pulsar would send to the API server.",
    files: { 'input.yaml': dp, 'worker.yml': extensionWorker },
    cmd: ['customize', 'input.yaml', '-w', 'worker.yml', '--no-validate', '--custom-runtime-options', seed2],
  },
  'seed-example-3-sink': {
    about: "The seed's Example 3 (pulsar-admin sinks create elasticsearch-sink), a minimal securityContext.",
    files: { 'input.yaml': es, 'worker.yml': extensionWorker },
    cmd: ['customize', 'input.yaml', '-w', 'worker.yml', '--custom-runtime-options', seed3],
  },
  'seed-example-4-high-security': {
    about: "The seed's Example 4, 'high-security', from a file (--custom-runtime-options-file).",
    files: { 'input.yaml': dp, 'worker.yml': extensionWorker, 'options.json': `${seed4}\n` },
    cmd: ['customize', 'input.yaml', '-w', 'worker.yml', '--custom-runtime-options-file', 'options.json'],
  },
  'seed-worker-security-context': {
    about: "The seed's deployment guide, step 3: the worker's securityContext applied to every function.",
    files: { 'input.yaml': dp },
    cmd: ['customize', 'input.yaml', '-w', '../../functions_worker.yml'],
  },
  'seed-worker-override': {
    about: "The seed's worker securityContext, with the function overriding one field (runAsUser) and nothing else.",
    files: { 'input.yaml': dp },
    cmd: ['customize', 'input.yaml', '-w', '../../functions_worker.yml', '-r', '{"securityContext": {"runAsUser": 20000}}'],
  },
  'two-functions-no-leak': {
    about:
      "Two functions in one stream, each with its own embedded options, and a worker with resourceRequirements. The first overrides cpu and memory; the second must get the worker's values (Pulsar leaks the first's).",
    files: {
      'input.yaml':
        pulsarFunctionManifests({
          tenant: 'public', namespace: 'default', name: 'big-function',
          customRuntimeOptions: JSON.stringify({ resourceRequirements: { requests: { cpu: '4', memory: '16Gi' }, limits: { cpu: '8', memory: '32Gi' } }, extraLabels: { size: 'big' } }),
        }) +
        pulsarFunctionManifests({
          tenant: 'public', namespace: 'default', name: 'small-function',
          customRuntimeOptions: JSON.stringify({ extraLabels: { size: 'small' } }),
        }),
      'worker.yml': `runtimeCustomizerClassName: ${BASIC}\nruntimeCustomizerConfig:\n  resourceRequirements:\n    requests:\n      cpu: 500m\n      memory: 1Gi\n    limits:\n      cpu: "1"\n      memory: 2Gi\n`,
    },
    cmd: ['customize', 'input.yaml', '-w', 'worker.yml'],
  },
  // pmc diff (plain) and pmc explain (table and JSON) on the seed's examples.
  ...Object.fromEntries(
    [
      ['seed-example-1-source', kafka, seed1],
      ['seed-example-3-sink', es, seed3],
      ['seed-example-4-high-security', dp, seed4],
    ].flatMap(([name, input, options]) => [
      [`diff-${name}`, { about: `pmc diff on ${name}: exit 3, a unified diff per changed document.`, files: { 'input.yaml': input, 'worker.yml': extensionWorker }, cmd: ['diff', 'input.yaml', '-w', 'worker.yml', '-r', options], status: 3, expected: 'expected.diff' }],
      [`explain-${name}`, { about: `pmc explain on ${name}, as a table.`, files: { 'input.yaml': input, 'worker.yml': extensionWorker }, cmd: ['explain', 'input.yaml', '-w', 'worker.yml', '-r', options], expected: 'expected.txt' }],
      [`explain-json-${name}`, { about: `pmc explain -o json on ${name}.`, files: { 'input.yaml': input, 'worker.yml': extensionWorker }, cmd: ['explain', 'input.yaml', '-w', 'worker.yml', '-r', options, '-o', 'json'], expected: 'expected.json' }],
    ]),
  ),
  'explain-seed-worker-override': {
    about: "pmc explain on the seed's worker securityContext with the function overriding runAsUser: the source column says who set what.",
    files: { 'input.yaml': dp },
    cmd: ['explain', 'input.yaml', '-w', '../../functions_worker.yml', '-r', '{"securityContext": {"runAsUser": 20000}}'],
    expected: 'expected.txt',
  },
  'explain-basic-ignores-security-context': {
    about: 'pmc explain with the basic customizer: securityContext and a GPU limit are listed as ignored, with why.',
    files: { 'input.yaml': dp, 'worker.yml': `runtimeCustomizerClassName: ${BASIC}\n` },
    cmd: ['explain', 'input.yaml', '-w', 'worker.yml', '-r', '{"securityContext": {"runAsUser": 1000}, "resourceRequirements": {"limits": {"nvidia.com/gpu": "1"}}, "extraLabel": {"a": "b"}}'],
    expected: 'expected.txt',
  },
  'npm-start': {
    about: 'What `npm start` prints: the shipped fixtures with the worker file and a function config file.',
    files: {},
    cmd: ['customize', '../../pulsar-function.yaml', '-w', '../../functions_worker.yml', '-c', '../../function-config.yaml'],
  },
};

for (const [name, c] of Object.entries(cases)) {
  const dir = join(root, name);
  mkdirSync(dir, { recursive: true });
  for (const [file, text] of Object.entries(c.files)) writeFileSync(join(dir, file), text);
  writeFileSync(join(dir, 'case.json'), `${JSON.stringify({ about: c.about, cmd: c.cmd, ...(c.status ? { status: c.status } : {}), ...(c.expected ? { expected: c.expected } : {}) }, null, 2)}\n`);
}
console.log(`wrote ${Object.keys(cases).length} cases under ${root}`);
