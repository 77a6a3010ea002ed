// pmc render against the values Pulsar's own tests expect (KubernetesRuntimeTest,
// KubernetesRuntimeFactoryTest), each named after the Pulsar test it comes from, with
// Pulsar's test fixture: function tenant/namespace/container, AddFunction, input test_src,
// output container-output, ram 1000, cpu 1, disk 10000; the factory's service URL
// pulsar://localhost:6670, grpc port 4332, metrics port 4331, padding 10.
// https://github.com/apache/pulsar/blob/master/pulsar-functions/runtime/src/test/java/org/apache/pulsar/functions/runtime/kubernetes/KubernetesRuntimeTest.java
import { describe, expect, it } from 'vitest';
import { DiagnosticSink, PmcError } from '../src/core/base/diagnostics.js';
import type { ReadConfig } from '../src/core/render/details.js';
import { kindOf, readConfig } from '../src/core/render/details.js';
import { readWorkerSettings, type Worker } from '../src/core/render/factory.js';
import { hashMapOrder, javaDouble } from '../src/core/base/java.js';
import { printMessage } from '../src/core/render/protojson.js';
import { canonicalQuantity } from '../src/core/render/quantity.js';
import { render } from '../src/core/render/render.js';
import { resourceProblem } from '../src/core/render/admission.js';
import { instanceCommand, renderJobName, renderLabels, renderObjects, renderResources, sanitizeFileName, splitRuntimeFlags, type InstanceValues, type PulsarVersion } from '../src/core/render/runtime.js';
import type { Obj } from '../src/core/base/values.js';
import { parse } from 'yaml';
import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runPmc } from './support/run.js';

const K8S = 'org.apache.pulsar.functions.runtime.kubernetes.KubernetesRuntimeFactory';

/** KubernetesRuntimeTest's factory, as a worker file's values. */
function testWorker(factory: Obj = {}, worker: Obj = {}): Worker {
  const sink = new DiagnosticSink();
  const w = readWorkerSettings(
    {
      functionRuntimeFactoryClassName: K8S,
      pulsarFunctionsCluster: 'standalone',
      maxPendingAsyncRequests: 200,
      stateStorageServiceUrl: 'bk://localhost:4181',
      ...worker,
      functionRuntimeFactoryConfigs: {
        pulsarRootDir: '/pulsar',
        installUserCodeDependencies: true,
        pythonDependencyRepository: 'myrepo',
        pythonExtraDependencyRepository: 'anotherrepo',
        pulsarServiceUrl: 'pulsar://localhost:6670',
        pulsarAdminUrl: 'http://localhost:8080',
        grpcPort: 4332,
        metricsPort: 4331,
        narExtractionDirectory: '/tmp/foo',
        functionInstanceClassPath: '/pulsar/lib/*',
        percentMemoryPadding: 10,
        ...factory,
      },
    },
    () => ({ source: 'test' }),
    sink,
  );
  sink.throwIfErrors();
  return w;
}

/** KubernetesRuntimeTest.createFunctionDetails: the FunctionDetails the tests build by hand. */
function testConfig(runtime: 'JAVA' | 'PYTHON' | 'GO', details: Obj = {}): ReadConfig {
  return {
    kind: 'function',
    runtime,
    originalFileName: 'UserJar.jar',
    javaTypesUnknown: false,
    builtin: false,
    locate: () => ({ source: 'test' }),
    details: {
      tenant: 'tenant',
      namespace: 'namespace',
      name: 'container',
      className: 'org.apache.pulsar.functions.utils.functioncache.AddFunction',
      logTopic: 'container-log',
      runtime,
      source: { className: 'org.pulsar.pulsar.TestSource', subscriptionType: 'FAILOVER', typeClassName: 'java.lang.String', inputSpecs: { test_src: { serdeClassName: '', isRegexPattern: false } } },
      sink: { className: 'org.pulsar.pulsar.TestSink', topic: 'container-output', serDeClassName: 'org.apache.pulsar.functions.runtime.serde.Utf8Serializer', typeClassName: 'java.lang.String' },
      resources: { cpu: 1, ram: 1000n, disk: 10000n },
      ...details,
    },
  };
}

const INSTANCE: InstanceValues = { functionId: 'test-id', functionVersion: '1.0', workerClassPath: '/pulsar/lib/*', instanceId: 0 };
const TRANSFORM = { originalFileName: 'Transform.jar', from: 'Transform.jar', id: 'transform-id' };

function args(runtime: 'JAVA' | 'PYTHON' | 'GO', worker = testWorker({ extraFunctionDependenciesDir: '/pulsar/instances/deps' }), version: PulsarVersion = '4.0', details: Obj = {}, transform?: typeof TRANSFORM) {
  const config = { ...testConfig(runtime, details), transform: transform && { originalFileName: transform.originalFileName, from: transform.from } };
  return instanceCommand(config, worker, { ...INSTANCE, transformFunctionId: transform?.id }, version, `/pulsar/${config.originalFileName}`);
}

function statefulSet(worker: Worker, config = testConfig('JAVA')) {
  return renderObjects(config, worker, INSTANCE, '4.0').statefulSet as any;
}

describe('quantities and Java numbers (the Kubernetes Java client and Double.toString)', () => {
  it.each([
    ['1.0', '1'],
    ['2.0', '2'],
    ['1.5', '1500m'],
    ['0.5', '500m'],
    ['0.667', '667m'],
    ['0.769', '769m'],
    ['1100', '1100'],
    ['2000', '2k'],
    ['4000000000', '4G'],
    ['1181116006', '1181116006'],
    ['1073741824', '1073741824'],
    ['0.0', '0m'],
  ])('%s is written %s', (decimal, text) => {
    expect(canonicalQuantity(decimal)).toBe(text);
  });

  it.each([
    [1, '1.0'],
    [0.769, '0.769'],
    [2 / 3, '0.6666666666666666'],
    [1e7, '1.0E7'],
    [0.0001, '1.0E-4'],
  ])('Double.toString(%s) is %s', (x, text) => {
    expect(javaDouble(x)).toBe(text);
  });

  it('HashMap order: labels component, namespace, name, tenant; annotations port before scrape; memory before cpu', () => {
    expect(hashMapOrder(['component', 'namespace', 'tenant', 'name'])).toEqual(['component', 'namespace', 'name', 'tenant']);
    expect(hashMapOrder(['prometheus.io/scrape', 'prometheus.io/port'])).toEqual(['prometheus.io/port', 'prometheus.io/scrape']);
    expect(hashMapOrder(['cpu', 'memory'])).toEqual(['memory', 'cpu']);
  });
});

describe('KubernetesRuntimeTest: resources', () => {
  // Pulsar's test compares Quantity objects; their text is the canonical one (1000 is 1k).
  it.each([
    [0, '1k'],
    [5, '1050'],
    [10, '1100'],
  ])('testRamPadding: padding %i gives memory limit and request %s', (padding, memory) => {
    const r = renderResources(testConfig('JAVA').details, testWorker({ percentMemoryPadding: padding }));
    expect(r.limits.memory).toBe(memory);
    expect(r.requests.memory).toBe(memory);
  });

  it.each([
    // cpu, cpu ratio, memory ratio -> cpu request, cpu limit, memory request (limit always 1100)
    [1, 1, 1, '1', '1', '1100'],
    [1, 2, 1, '500m', '1', '1100'],
    [1, 1, 2, '1', '1', '550'],
    [1, 1.5, 1.5, '667m', '1', '733'],
    [1, 1.3, 1, '769m', '1', '1100'],
    [1 / 1.5, 1.3, 1, '513m', '667m', '1100'],
  ])('testResources: cpu %s, ratios %s/%s', (cpu, cpuRatio, memRatio, cpuRequest, cpuLimit, memRequest) => {
    const config = testConfig('JAVA', { resources: { cpu, ram: 1000n, disk: 10000n } });
    const r = renderResources(config.details, testWorker({ cpuOverCommitRatio: cpuRatio, memoryOverCommitRatio: memRatio }));
    expect(r).toEqual({ limits: { memory: '1100', cpu: cpuLimit }, requests: { memory: memRequest, cpu: cpuRequest } });
    expect(Object.keys(r.limits)).toEqual(['memory', 'cpu']);
  });
});

const JVM_40 = [
  '-Dio.netty.tryReflectionSetAccessible=true',
  '-Dorg.apache.pulsar.shade.io.netty.tryReflectionSetAccessible=true',
  '-Dio.grpc.netty.shaded.io.netty.tryReflectionSetAccessible=true',
  '--add-opens java.base/java.nio=ALL-UNNAMED',
  '--add-opens java.base/jdk.internal.misc=ALL-UNNAMED',
  '--add-opens java.base/java.util.zip=ALL-UNNAMED',
].join(' ');

const TEST_DETAILS =
  '{"tenant":"tenant","namespace":"namespace","name":"container","className":"org.apache.pulsar.functions.utils.functioncache.AddFunction","logTopic":"container-log","runtime":"GO","source":{"className":"org.pulsar.pulsar.TestSource","subscriptionType":"FAILOVER","typeClassName":"java.lang.String","inputSpecs":{"test_src":{}}},"sink":{"className":"org.pulsar.pulsar.TestSink","topic":"container-output","serDeClassName":"org.apache.pulsar.functions.runtime.serde.Utf8Serializer","typeClassName":"java.lang.String"},"resources":{"cpu":1.0,"ram":"1000","disk":"10000"}}';

describe('KubernetesRuntimeTest: the instance command', () => {
  // Pulsar's fixture has a transform function (4 more arguments, as here) and a test secrets
  // configurator that adds nothing without secrets; Pulsar's real ones always add
  // `--secrets_provider CLASS` (2 arguments): 52 + 2.
  it('testJavaConstructorWithDeps (4.0 JVM flags): 52 arguments (+2 for the secrets provider), port at 39, metrics port at 41, the expected text', () => {
    const a = args('JAVA', undefined, '4.0', {}, TRANSFORM);
    expect(a).toHaveLength(54);
    expect(a[39]).toBe('4332');
    expect(a[41]).toBe('4331');
    const details = TEST_DETAILS.replace('"runtime":"GO",', '');
    expect(a.join(' ')).toBe(
      'exec java -cp /pulsar/instances/java-instance.jar:/pulsar/instances/deps/* -Dpulsar.functions.extra.dependencies.dir=/pulsar/instances/deps ' +
        '-Dpulsar.functions.instance.classpath=/pulsar/lib/* -Dlog4j.configurationFile=kubernetes_instance_log4j2.xml ' +
        '-Dpulsar.function.log.dir=logs/functions/tenant/namespace/container -Dpulsar.function.log.file=container-$SHARD_ID ' +
        `${JVM_40} -Xmx1000 org.apache.pulsar.functions.instance.JavaInstanceMain --jar /pulsar/UserJar.jar ` +
        '--transform_function_jar /pulsar/Transform.jar --transform_function_id transform-id --instance_id $SHARD_ID ' +
        `--function_id test-id --function_version 1.0 --function_details '${details}' --pulsar_serviceurl pulsar://localhost:6670 ` +
        '--max_buffered_tuples 1024 --port 4332 --metrics_port 4331 --pending_async_requests 200 --state_storage_serviceurl bk://localhost:4181 ' +
        '--expected_healthcheck_interval -1 --secrets_provider org.apache.pulsar.functions.secretsprovider.ClearTextSecretsProvider ' +
        '--cluster_name standalone --nar_extraction_directory /tmp/foo',
    );
  });

  it('testJavaConstructor (3.0 JVM flags): -Dio.netty.tryReflectionSetAccessible=true --add-opens java.base/sun.net=ALL-UNNAMED before -Xmx1000', () => {
    const text = args('JAVA', undefined, '3.0').join(' ');
    expect(text).toContain('-Dpulsar.function.log.file=container-$SHARD_ID -Dio.netty.tryReflectionSetAccessible=true --add-opens java.base/sun.net=ALL-UNNAMED -Xmx1000 org.apache.pulsar.functions.instance.JavaInstanceMain');
  });

  it('testKubernetesRuntimeWithExposeAdminClientEnabled: +3 arguments after --pulsar_serviceurl', () => {
    const a = args('JAVA', testWorker({ extraFunctionDependenciesDir: '/pulsar/instances/deps' }, { exposeAdminClientEnabled: true }), '4.0', {}, TRANSFORM);
    expect(a).toHaveLength(54 + 3);
    expect(a.join(' ')).toContain('--pulsar_serviceurl pulsar://localhost:6670 --web_serviceurl http://localhost:8080 --expose_pulsaradmin --max_buffered_tuples 1024');
  });

  it('testPythonConstructorWithDeps: 40 arguments (+2 for the secrets provider), port at 31, metrics port at 33, logging config at 11, the expected text', () => {
    const a = args('PYTHON');
    expect(a).toHaveLength(42);
    expect(a[31]).toBe('4332');
    expect(a[33]).toBe('4331');
    expect(a[11]).toBe('/pulsar/conf/functions-logging/console_logging_config.ini');
    const details = TEST_DETAILS.replace('"runtime":"GO"', '"runtime":"PYTHON"');
    expect(a.join(' ')).toBe(
      'PYTHONPATH=${PYTHONPATH}:/pulsar/instances/deps exec python3 /pulsar/instances/python-instance/python_instance_main.py ' +
        '--py /pulsar/UserJar.jar --logging_directory logs/functions --logging_file container ' +
        '--logging_config_file /pulsar/conf/functions-logging/console_logging_config.ini --install_usercode_dependencies True ' +
        '--dependency_repository myrepo --extra_dependency_repository anotherrepo --instance_id $SHARD_ID --function_id test-id ' +
        `--function_version 1.0 --function_details '${details}' --pulsar_serviceurl pulsar://localhost:6670 ` +
        '--max_buffered_tuples 1024 --port 4332 --metrics_port 4331 --state_storage_serviceurl bk://localhost:4181 ' +
        '--expected_healthcheck_interval -1 --secrets_provider secretsprovider.ClearTextSecretsProvider --cluster_name standalone',
    );
  });

  it('testGolangConstructor: 8 process arguments and the instance config figures, functionDetails exactly', () => {
    const a = args('GO');
    expect(a.slice(0, 7)).toEqual(['chmod', '777', '/pulsar/UserJar.jar', '&&', 'exec', '/pulsar/UserJar.jar', '-instance-conf']);
    expect(a).toHaveLength(8);
    const conf = JSON.parse(a[7]!.slice(1, -1)) as Record<string, unknown>;
    expect(conf).toMatchObject({
      maxBufTuples: 1024,
      maxMessageRetries: 0,
      killAfterIdleMs: 0,
      className: '',
      sourceSchemaType: '',
      receiverQueueSize: 0,
      processingGuarantees: 0,
      autoAck: false,
      regexPatternSubscription: false,
      runtime: 3,
      cpu: 1,
      disk: 10000,
      instanceID: 0,
      port: 4332,
      subscriptionType: 0,
      timeoutMs: 0,
      subscriptionName: '',
      expectedHealthCheckInterval: 0,
      deadLetterTopic: '',
      metricsPort: 4331,
      sourceSpecsTopic: 'test_src',
      sinkSpecsTopic: 'container-output',
      clusterName: 'standalone',
      nameSpace: 'namespace',
      tenant: 'tenant',
      logTopic: 'container-log',
      pulsarServiceURL: 'pulsar://localhost:6670',
      funcVersion: '1.0',
      parallelism: 0,
    });
    expect(conf.functionDetails).toBe(TEST_DETAILS);
    // Jackson writes a double as 1.0.
    expect(a[7]).toContain('"cpu":1.0,');
  });

  it('the 3.0 Go instance config has no functionDetails and no stateStorageServiceUrl (added in 3.3 and 3.1)', () => {
    const conf = JSON.parse(args('GO', undefined, '3.0')[7]!.slice(1, -1)) as Record<string, unknown>;
    expect(conf).not.toHaveProperty('functionDetails');
    expect(conf).not.toHaveProperty('stateStorageServiceUrl');
  });

  it.each([
    [undefined, '/pulsar/UserJar.jar'],
    ['download/pulsar_functions', '/pulsar/download/pulsar_functions/UserJar.jar'],
    ['/functions/download/pulsar_functions', '/functions/download/pulsar_functions/UserJar.jar'],
  ])('testJavaConstructorWith...DownloadDirectory %s: --jar %s', (dir, file) => {
    const worker = testWorker({}, dir ? { downloadDirectory: dir } : {});
    const command = statefulSet(worker).spec.template.spec.containers[0].command[2] as string;
    expect(command).toContain(`--destination-file ${file} &&`);
    expect(command).toContain(`--jar ${file} `);
  });

  it('testSanitizingJarFileName: decomposed, ASCII only, _ for the rest', () => {
    expect(sanitizeFileName('my function(1).jar')).toBe('my_function_1_.jar');
    expect(sanitizeFileName('café.jar')).toBe('cafe.jar');
  });

  it('runtimeFlags split on whitespace outside double quotes, the quotes kept', () => {
    expect(splitRuntimeFlags('-Xms1g  -Dname="a b" -Dx=1')).toEqual(['-Xms1g', '-Dname="a b"', '-Dx=1']);
  });
});

describe('KubernetesRuntimeTest: download commands', () => {
  function download(worker: Obj): string {
    const w = testWorker({}, { authenticationEnabled: true, brokerClientAuthenticationPlugin: 'com.MyAuth', brokerClientAuthenticationParameters: '{"authParam1": "authParamValue1"}', ...worker });
    // Pulsar's test runs without a function auth provider, which a real Kubernetes worker cannot.
    const command = statefulSet({ ...w, authProvider: undefined }).spec.template.spec.containers[0].command[2] as string;
    return command.slice(0, command.indexOf(' &&'));
  }

  it('testCustomKubernetesDownloadCommandsWithAuth', () => {
    expect(download({})).toBe(
      '/pulsar/bin/pulsar-admin --admin-url http://localhost:8080 --auth-plugin com.MyAuth --auth-params {"authParam1": "authParamValue1"} functions download --tenant tenant --namespace namespace --name container --destination-file /pulsar/UserJar.jar',
    );
  });

  it('testCustomKubernetesDownloadCommandsWithAuthAndCustomTLS', () => {
    expect(download({ useTls: true, tlsEnableHostnameVerification: true, tlsTrustCertsFilePath: '/my/ca.pem' })).toBe(
      '/pulsar/bin/pulsar-admin --admin-url http://localhost:8080 --auth-plugin com.MyAuth --auth-params {"authParam1": "authParamValue1"} --tls-enable-hostname-verification --tls-trust-cert-path /my/ca.pem functions download --tenant tenant --namespace namespace --name container --destination-file /pulsar/UserJar.jar',
    );
  });
});

describe('KubernetesRuntimeTest: metrics port', () => {
  it('shouldUseConfiguredMetricsPort: 12345', () => {
    const sts = statefulSet(testWorker({ metricsPort: 12345 }));
    expect(sts.spec.template.metadata.annotations).toEqual({ 'prometheus.io/port': '12345', 'prometheus.io/scrape': 'true' });
    expect(sts.spec.template.spec.containers[0].command[2]).toContain('--metrics_port 12345 ');
  });

  it('shouldUseDefaultMetricsPortWhenMetricsPortIsntSet: 9094', () => {
    const sts = statefulSet(testWorker({ metricsPort: undefined }));
    expect(sts.spec.template.metadata.annotations['prometheus.io/port']).toBe('9094');
  });

  // Pulsar's own test sets the factory's metricsPort to null directly; read from a
  // functions_worker.yml, "" keeps 9094 (run on Pulsar 3.0.0 to 4.2.4 by the oracle), and a null
  // metricsPort cannot come from a file.
  it('metricsPort "" in a worker file: 9094, as the worker reads it (not shouldNotAddPrometheusAnnotationIfMetricsPortIsSetToEmpty)', () => {
    const sts = statefulSet(testWorker({ metricsPort: '' }));
    expect(sts.spec.template.metadata.annotations['prometheus.io/port']).toBe('9094');
    expect(sts.spec.template.spec.containers[0].command[2]).toContain('--metrics_port 9094 ');
  });
});

describe('KubernetesRuntimeTest: names and labels', () => {
  const named = (name: string, details: Obj = {}) => testConfig('JAVA', { name, ...details });
  it.each([
    ['container', undefined, 'pf-tenant-namespace-container'],
    ['UpperCaseFunction', undefined, 'pf-tenant-namespace-uppercasefunction-f0c5ca9a'],
    ['clazz.testfunction', undefined, 'pf-tenant-namespace-clazz.testfunction'],
    ['Clazz.TestFunction', undefined, 'pf-tenant-namespace-clazz.testfunction-92ec5bf6'],
    ['test_function*name', undefined, 'pf-tenant-namespace-test-function-name-b5a215ad'],
    ['clazz.testfunction', 'custom-k8s-pod-name', 'custom-k8s-pod-name-dedfc7cf'],
    ['clazz.testfunction', 'invalid_pod*name', 'invalid-pod-name-af8c3a6c'],
    ['clazz.testfunction', 'custom-name', 'custom-name-85ac54b0'],
    ['clazz.testfunction-extra', 'custom-name', 'custom-name-0fc9c728'],
    ['testFunction', undefined, 'pf-tenant-namespace-testfunction-9fda984b'],
    ['test+function*name', undefined, 'pf-tenant-namespace-test-function-name-8211d14f'],
  ])('testCreateJobName: %s with factory jobName %s is %s', (name, jobName, expected) => {
    expect(renderJobName(named(name), testWorker(jobName ? { jobName } : {}))).toBe(expected);
  });

  it('testCreateJobName: jobName custom-name, tenant tenantA, namespace nsA', () => {
    expect(renderJobName(testConfig('JAVA', { tenant: 'tenantA', namespace: 'nsA', name: 'clazz.testfunction' }), testWorker({ jobName: 'custom-name' }))).toBe('custom-name-c66edfe1');
  });

  it('testCreateJobName: a job name over 53 characters is refused, naming the factory jobName', () => {
    const worker = `functionRuntimeFactoryClassName: ${K8S}\npulsarServiceUrl: pulsar://localhost:6650\npulsarWebServiceUrl: http://localhost:8080\npulsarFunctionsCluster: standalone\nfunctionRuntimeFactoryConfigs:\n  jobName: custom-k8s-pod-name-over-kuberenetes-max-character-limit-123456789\n`;
    let error: PmcError | undefined;
    try {
      render({ config: { text: 'name: fn\njar: fn.jar\ninputs: [in]\n', source: 'fn.yaml' }, worker: { text: worker, source: 'worker.yml' }, identity: {}, pulsarVersion: '4.0' });
    } catch (e) {
      error = e as PmcError;
    }
    expect(error?.code).toBe('PMC_JOB_NAME');
    expect(error?.message).toMatch(/Pulsar allows at most 53/);
    expect(error?.location).toMatchObject({ source: 'worker.yml', line: 6, col: 12 });
  });

  it.each([
    ['the config\'s name', { }, 'name: an-exceedingly-long-function-name-for-kubernetes-objects\n', { source: 'fn.yaml', line: 1, col: 7 }],
    ['--name, which replaces the config\'s', { name: 'an-exceedingly-long-function-name-for-kubernetes-objects' }, 'name: fn\n', { source: '--name' }],
    ['--tenant, the longest part', { tenant: 'an-exceedingly-long-tenant-name-for-kubernetes-objects' }, 'name: fn\n', { source: '--tenant' }],
    ['the config\'s namespace, the longest part', {}, 'name: fn\nnamespace: an-exceedingly-long-namespace-for-kubernetes-objects\n', { source: 'fn.yaml', line: 2, col: 12 }],
  ])('a job name over 53 characters is located where its longest part came from: %s', (_name, identity, head, where) => {
    const worker = `functionRuntimeFactoryClassName: ${K8S}\npulsarServiceUrl: pulsar://localhost:6650\npulsarWebServiceUrl: http://localhost:8080\npulsarFunctionsCluster: standalone\n`;
    let error: PmcError | undefined;
    try {
      render({ config: { text: `${head}jar: fn.jar\ninputs: [in]\n`, source: 'fn.yaml' }, worker: { text: worker, source: 'worker.yml' }, identity, pulsarVersion: '4.0' });
    } catch (e) {
      error = e as PmcError;
    }
    expect(error?.code).toBe('PMC_JOB_NAME');
    expect(error?.location).toEqual(where);
  });

  it('testCreateFunctionLabels: converted, first and last characters fixed, cut to 63', () => {
    const namespace = 'namespace:$second.part:third@test_0'.padEnd(100, '0');
    const labels = renderLabels(testConfig('JAVA', { namespace, name: '$function_name!' }), testWorker());
    expect(labels).toEqual({ component: 'function', namespace: 'namespace--second.part-third-test_0'.padEnd(63, '0'), name: '0function_name0', tenant: 'tenant' });
  });

  it('custom labels come after the built-in ones, so one named name replaces it (selectors too); its value is converted', () => {
    const labels = renderLabels(testConfig('JAVA'), testWorker({ customLabels: { name: 'Other Name', team: 'Data!' } }));
    expect(labels.name).toBe('other-name');
    expect(labels.team).toBe('data0');
  });
});

describe('KubernetesRuntimeTest: customizers, through pmc render', () => {
  const config = 'tenant: tenant\nnamespace: namespace\nname: container\nclassName: org.apache.pulsar.functions.utils.functioncache.AddFunction\njar: UserJar.jar\ninputs: [test_src]\n';
  const worker = (extra = '') => `functionRuntimeFactoryClassName: ${K8S}\npulsarServiceUrl: pulsar://localhost:6650\npulsarWebServiceUrl: http://localhost:8080\npulsarFunctionsCluster: standalone\n${extra}`;
  const objects = async (w: string, options: string, customizer?: 'basic') => {
    const dir = mkdtempSync(join(tmpdir(), 'pmc-render-'));
    writeFileSync(join(dir, 'fn.yaml'), config);
    writeFileSync(join(dir, 'worker.yml'), w);
    const argv = ['render', '-c', 'fn.yaml', '-w', 'worker.yml', '-r', options, ...(customizer ? ['--customizer', customizer] : [])];
    const r = await runPmc(argv, { cwd: dir });
    return { ...r, docs: r.stdout.split(/^---\n/m).filter(Boolean).map((d) => parse(d)) };
  };

  it('testNoOpKubernetesManifestCustomizer: without a customizer jobName and jobNamespace change nothing', async () => {
    const r = await objects(worker(), '{"jobNamespace":"custom-ns","jobName":"custom-name"}');
    expect(r.status).toBe(0);
    expect(r.docs[0].metadata).toMatchObject({ namespace: 'default', name: 'pf-tenant-namespace-container' });
    expect(r.stderr).toContain('PMC_NO_CUSTOMIZER');
  });

  it('testBasicKubernetesManifestCustomizer: name, namespace, labels, annotations, node selector, a fourth toleration, resources', async () => {
    const options = JSON.stringify({
      jobNamespace: 'custom-ns',
      jobName: 'custom-name',
      extraLabels: { test: 'test' },
      extraAnnotations: { test: 'test' },
      nodeSelectorLabels: { selector: 'test' },
      // Pulsar's test uses effect "test", which the API server (and pmc) refuse.
      tolerations: [{ key: 'test', value: 'test', effect: 'NoExecute' }],
      resourceRequirements: { requests: { cpu: 1, memory: '4G' }, limits: { cpu: 2, memory: '8G' } },
    });
    const r = await objects(worker(), options, 'basic');
    expect(r.stderr).not.toContain('error');
    const [service, sts] = r.docs;
    expect(service.metadata).toMatchObject({ namespace: 'custom-ns', name: 'custom-name-2deb2c2b' });
    const pod = sts.spec.template;
    expect(pod.metadata.annotations.test).toBe('test');
    expect(pod.metadata.labels.test).toBe('test');
    expect(pod.spec.nodeSelector).toEqual({ selector: 'test' });
    expect(pod.spec.tolerations).toHaveLength(4);
    expect(pod.spec.tolerations[3]).toMatchObject({ key: 'test', value: 'test', effect: 'NoExecute' });
    expect(pod.spec.containers[0].resources).toEqual({ limits: { memory: '8G', cpu: '2' }, requests: { memory: '4G', cpu: '1' } });
  });
});

describe('FunctionDetails as --function_details prints it', () => {
  it('the Python example: field-number order, enums by name, int64 as strings, doubles as Java prints them', () => {
    // The FunctionDetails of Pulsar's Python example, built as the worker builds it (a Python
    // function with EFFECTIVELY_ONCE is refused at registration, so not read from a config).
    const details = {
      tenant: 'tenant',
      namespace: 'namespace',
      name: 'container',
      className: 'exclamation_function.ExclamationFunction',
      logTopic: 'persistent://tenant/namespace/log',
      processingGuarantees: 'EFFECTIVELY_ONCE',
      userConfig: '{"greeting":"hello"}',
      runtime: 'PYTHON',
      autoAck: true,
      parallelism: 2,
      source: { subscriptionType: 'FAILOVER', inputSpecs: { 'persistent://tenant/namespace/in': { isRegexPattern: false } }, cleanupSubscription: true },
      sink: { topic: 'persistent://tenant/namespace/out', forwardSourceMessageProperty: true },
      resources: { cpu: 0.5, ram: 536870912n, disk: 1073741824n },
      componentType: 'FUNCTION',
    };
    expect(printMessage(details)).toBe(
      '{"tenant":"tenant","namespace":"namespace","name":"container","className":"exclamation_function.ExclamationFunction","logTopic":"persistent://tenant/namespace/log",' +
        '"processingGuarantees":"EFFECTIVELY_ONCE","userConfig":"{\\"greeting\\":\\"hello\\"}","runtime":"PYTHON","autoAck":true,"parallelism":2,"source":{"subscriptionType":"FAILOVER","inputSpecs":' +
        '{"persistent://tenant/namespace/in":{}},"cleanupSubscription":true},"sink":{"topic":"persistent://tenant/namespace/out","forwardSourceMessageProperty":true},"resources":{"cpu":0.5,' +
        '"ram":"536870912","disk":"1073741824"},"componentType":"FUNCTION"}',
    );
  });

  it('a Python config read as the worker reads it: FAILOVER for retainOrdering, userConfig, resources', () => {
    const config = readConfig(readFileSync(join(import.meta.dirname, '..', 'fixtures', 'render', 'exclamation-python.yaml'), 'utf8'), 'fn.yaml', { identity: {}, forwardSourceMessageProperty: true }, new DiagnosticSink());
    expect(printMessage(config.details)).toBe(
      '{"tenant":"public","namespace":"default","name":"exclamation","className":"exclamation_function.ExclamationFunction","logTopic":"persistent://public/default/log",' +
        '"userConfig":"{\\"greeting\\":\\"hello\\"}","runtime":"PYTHON","autoAck":true,"parallelism":2,"source":{"subscriptionType":"FAILOVER","inputSpecs":' +
        '{"persistent://public/default/in":{}},"cleanupSubscription":true},"sink":{"topic":"persistent://public/default/out","forwardSourceMessageProperty":true},"resources":{"cpu":0.5,' +
        '"ram":"536870912","disk":"1073741824"},"componentType":"FUNCTION","retainOrdering":true}',
    );
  });

  it('user config is HTML-escaped by Gson, then once more by the printer; customRuntimeOptions only by the printer', () => {
    const config = readConfig('name: f\njar: f.jar\nuserConfig: {k: "a=b"}\ncustomRuntimeOptions: \'{"x":"a=b"}\'\ninputs: [in]\n', 'fn.yaml', { identity: {}, forwardSourceMessageProperty: true }, new DiagnosticSink());
    const json = printMessage(config.details);
    expect(json).toContain('"userConfig":"{\\"k\\":\\"a\\\\u003db\\"}"');
    expect(json).toContain('"customRuntimeOptions":"{\\"x\\":\\"a\\u003db\\"}"');
  });

  it('userConfig keys in HashMap order, numbers as Java read them', () => {
    const config = readConfig('name: f\njar: f.jar\nuserConfig: {zeta: 1, alpha: 1.0, mid: [1, 2.5]}\ninputs: [in]\n', 'fn.yaml', { identity: {}, forwardSourceMessageProperty: true }, new DiagnosticSink());
    const order = hashMapOrder(['zeta', 'alpha', 'mid'], 3);
    const values: Record<string, string> = { zeta: '1', alpha: '1.0', mid: '[1,2.5]' };
    expect(config.details.userConfig).toBe(`{${order.map((k) => `"${k}":${values[k]}`).join(',')}}`);
  });
});

describe('KubernetesRuntimeFactory: what the worker refuses', () => {
  it('a worker on the process runtime is refused at its class name', () => {
    const sink = new DiagnosticSink();
    readWorkerSettings({ functionRuntimeFactoryClassName: 'org.apache.pulsar.functions.runtime.process.ProcessRuntimeFactory' }, (p) => ({ source: 'w.yml', path: p.join('.') }), sink);
    expect(sink.items[0]).toMatchObject({ code: 'PMC_RENDER', location: { path: 'functionRuntimeFactoryClassName' } });
    expect(sink.items[0]!.message).toContain(K8S);
  });

  it('the legacy kubernetesContainerFactory block stands for functionRuntimeFactoryConfigs', () => {
    const sink = new DiagnosticSink();
    const w = readWorkerSettings({ kubernetesContainerFactory: { jobNamespace: 'legacy', grpcPort: '7000' } }, () => ({ source: 'w.yml' }), sink);
    expect(sink.items).toEqual([]);
    expect(w.factory.jobNamespace).toBe('legacy');
    expect(w.factory.grpcPort).toBe(7000);
  });
});

describe('pmc render with the other commands', () => {
  const cwd = join(import.meta.dirname, '..', 'fixtures', 'render');
  const ids = ['--function-id', 'f', '--function-version', 'v'];

  it.each([
    ['exclamation-python.yaml', '{"extraLabels":{"team":"data"},"nodeSelectorLabels":{"pool":"fn"},"jobName":"exclaim"}'],
    ['exclamation-go.yaml', '{"securityContext":{"preset":"restricted"},"jobNamespace":"fns"}'],
    ['kafka-source.yaml', '{"resourceRequirements":{"limits":{"cpu":"2"}}}'],
  ])('render then customize equals customize of the rendered output (%s)', async (config, options) => {
    const worker = 'worker-security-context.yml';
    const rendered = await runPmc(['render', '-c', config, '-w', worker, '-r', options, ...ids], { cwd });
    expect(rendered.status).toBe(0);
    const plain = await runPmc(['render', '-c', config, '-w', worker, '-r', options, '--customizer', 'none', ...ids], { cwd });
    // No identity flags: the embedded function details say which function it is.
    const customized = await runPmc(['customize', '-w', worker, '-r', options], { cwd, stdin: plain.stdout });
    expect(customized.status).toBe(0);
    expect(customized.stdout).toBe(rendered.stdout);
    expect(rendered.stdout).not.toBe(plain.stdout);
  });

  it('render then check-pss passes restricted with the restricted preset, and fails without it', async () => {
    const withPreset = await runPmc(['render', '-c', 'exclamation-python.yaml', '-w', 'worker-security-context.yml', '-r', '{"securityContext":{"preset":"restricted"}}', ...ids], { cwd });
    const checked = await runPmc(['check-pss', '--level', 'restricted'], { cwd, stdin: withPreset.stdout });
    expect(checked.stderr).toBe('');
    expect(checked.stdout).toContain('StatefulSet/pf-public-default-exclamation: passes PodSecurity "restricted:latest"');
    expect(checked.status).toBe(0);
    const bare = await runPmc(['render', '-c', 'exclamation-python.yaml', '-w', 'functions_worker.yml', ...ids, '--check-pss', 'restricted'], { cwd });
    expect(bare.status).toBe(1);
    expect(bare.stdout).toBe('');
    expect(bare.stderr).toContain('PMC_PSS');
  });

  it('render --customizer none | explain -c works without identity flags', async () => {
    const plain = await runPmc(['render', '-c', 'hardened-function.yaml', '-w', 'worker-security-context.yml', '--customizer', 'none', ...ids], { cwd });
    const explained = await runPmc(['explain', '-w', 'worker-security-context.yml', '-c', 'hardened-function.yaml'], { cwd, stdin: plain.stdout });
    expect(explained.status).toBe(0);
    expect(explained.stdout).toContain('spec.template.spec.securityContext.runAsNonRoot');
    expect(explained.stdout).toMatch(/metadata\.namespace\s+pulsar-functions\s+pulsar\s+worker/);
  });
});

describe('pmc render: refused configs and workers, with their location and nothing on stdout', () => {
  const dir = mkdtempSync(join(tmpdir(), 'pmc-render-bad-'));
  const base = `functionRuntimeFactoryClassName: ${K8S}\npulsarServiceUrl: pulsar://localhost:6650\npulsarWebServiceUrl: http://localhost:8080\npulsarFunctionsCluster: standalone\n`;
  it.each([
    ['autoAck false with ATMOST_ONCE', 'name: f\njar: f.jar\nprocessingGuarantees: ATMOST_ONCE\nautoAck: false\ninputs: [in]\n', base, 'fn.yaml:4:10', 'PMC_RENDER'],
    ['an unknown processing guarantee', 'name: f\njar: f.jar\nprocessingGuarantees: EXACTLY_ONCE\ninputs: [in]\n', base, 'fn.yaml:3:23', 'PMC_FUNCTION_CONFIG'],
    ['parallelism that is not an integer', 'name: f\njar: f.jar\nparallelism: two\ninputs: [in]\n', base, 'fn.yaml:3:14', 'PMC_FUNCTION_CONFIG'],
    ['a window without a length', 'name: f\njar: f.jar\ninputs: [in]\nwindowConfig: {slidingIntervalCount: 10}\n', base, 'fn.yaml:4:15', 'PMC_RENDER'],
    ['a window with both lengths', 'name: f\njar: f.jar\ninputs: [in]\nwindowConfig: {windowLengthCount: 10, windowLengthDurationMs: 100}\n', base, 'fn.yaml:4:15', 'PMC_RENDER'],
    ['a window with effectively-once', 'name: f\njar: f.jar\ninputs: [in]\nprocessingGuarantees: EFFECTIVELY_ONCE\nwindowConfig: {windowLengthCount: 10}\n', base, 'fn.yaml:5:15', 'PMC_RENDER'],
    ['a window with autoAck true', 'name: f\njar: f.jar\ninputs: [in]\nautoAck: true\nwindowConfig: {windowLengthCount: 10}\n', base, 'fn.yaml:4:10', 'PMC_RENDER'],
    ['a Python window', 'name: f\nclassName: f.F\npy: f.py\ninputs: [in]\nwindowConfig: {windowLengthCount: 10}\n', base, 'fn.yaml:5:15', 'PMC_RENDER'],
    ['a function without inputs', 'name: f\njar: f.jar\n', base, 'fn.yaml:1:1', 'PMC_RENDER'],
    ['a Python function with EFFECTIVELY_ONCE', 'name: f\nclassName: f.F\npy: f.py\ninputs: [in]\nprocessingGuarantees: EFFECTIVELY_ONCE\n', base, 'fn.yaml:5:23', 'PMC_RENDER'],
    ['a Go function with retries', 'name: f\ngo: f\ninputs: [in]\nmaxMessageRetries: 3\n', base, 'fn.yaml:4:20', 'PMC_RENDER'],
    ['an output that is also an input', 'name: f\njar: f.jar\ninputs: [t]\noutput: t\n', base, 'fn.yaml:4:9', 'PMC_RENDER'],
    ['a dead letter topic without retries', 'name: f\njar: f.jar\ninputs: [in]\ndeadLetterTopic: dlq\n', base, 'fn.yaml:4:18', 'PMC_RENDER'],
    ['a secret without path and key under the Kubernetes configurator', 'name: f\njar: f.jar\nsecrets: {PASSWORD: plain}\ninputs: [in]\n', `${base}secretsProviderConfiguratorClassName: org.apache.pulsar.functions.secretsproviderconfigurator.KubernetesSecretsProviderConfigurator\n`, 'fn.yaml:3:21', 'PMC_RENDER'],
    ['an unquoted service account token expiry', 'name: f\npy: f.py\nclassName: f.F\ninputs: [in]\n', `${base}authenticationEnabled: true\nfunctionAuthProviderClassName: org.apache.pulsar.functions.auth.KubernetesServiceAccountTokenAuthProvider\nfunctionRuntimeFactoryConfigs:\n  kubernetesFunctionAuthProviderConfig:\n    serviceAccountTokenExpirationSeconds: 3600\n`, 'worker.yml:9:43', 'PMC_RENDER'],
    ['a worker without the Kubernetes runtime', 'name: f\npy: f.py\nclassName: f.F\ninputs: [in]\n', 'pulsarServiceUrl: pulsar://localhost:6650\nprocessContainerFactory: {}\n', 'worker.yml:2:26', 'PMC_RENDER'],
    ['a custom function auth provider', 'name: f\npy: f.py\nclassName: f.F\ninputs: [in]\n', `${base}authenticationEnabled: "true"\nfunctionAuthProviderClassName: com.example.MyAuthProvider\n`, 'worker.yml:6:32', 'PMC_RENDER'],
  ])('%s', async (_what, config, worker, where, code) => {
    writeFileSync(join(dir, 'fn.yaml'), config);
    writeFileSync(join(dir, 'worker.yml'), worker);
    const r = await runPmc(['render', '-c', 'fn.yaml', '-w', 'worker.yml'], { cwd: dir });
    expect(r.stdout).toBe('');
    expect(r.status).toBe(1);
    expect(r.stderr).toContain(`pmc: error: ${where}:`);
    expect(r.stderr).toContain(`[${code}]`);
    expect(r.stderr).not.toContain('internal error');
  });

  it('without -c or -w: a usage error', async () => {
    const r = await runPmc(['render', '-c', 'fn.yaml'], { cwd: dir });
    expect(r.status).toBe(2);
    expect(r.stderr).toContain("required option '-w, --worker-config <FILE>'");
  });
});

describe('KubernetesRuntimeFactoryTest: the worker resource rules', () => {
  const check = (cpu: number, ram: number, worker: Obj) => resourceProblem({ cpu, ram: BigInt(ram) }, worker)?.message;
  const min = { functionInstanceMinResources: { cpu: 0.1, ram: 1024 } };
  const max = { functionInstanceMaxResources: { cpu: 1.0, ram: 2048 } };
  const grn = (lockStep: boolean) => ({ functionInstanceResourceGranularities: { cpu: 0.1, ram: 1000 }, functionInstanceResourceChangeInLockStep: lockStep });

  it('testValidateResourcesRequired (minimum)', () => {
    expect(check(0.05, 2048, min)).toBe('Per instance CPU requested, 0.05, for function is less than the minimum required, 0.1');
    expect(check(0.2, 512, min)).toBe('Per instance RAM requested, 512, for function is less than the minimum required, 1024');
    expect(check(0.1, 1024, min)).toBeUndefined();
  });

  it('testValidateResourcesRequired (maximum)', () => {
    expect(check(1.01, 1024, max)).toBe('Per instance CPU requested, 1.01, for function is greater than the maximum required, 1.0');
    expect(check(1, 4096, max)).toBe('Per instance RAM requested, 4096, for function is greater than the maximum required, 2048');
    expect(check(1, 2048, max)).toBeUndefined();
  });

  it.each([
    [0.05, 1000, false, 'Per instance cpu requested, 0.05, for function should be positive and a multiple of the granularity, 0.1'],
    [0.999, 1000, false, 'Per instance cpu requested, 0.999, for function should be positive and a multiple of the granularity, 0.1'],
    [1.001, 1000, false, 'Per instance cpu requested, 1.001, for function should be positive and a multiple of the granularity, 0.1'],
    [0.1, 1000, false, undefined],
    [5.0, 1000, false, undefined],
    [0.2, 1000, false, undefined],
    [0.1, 2000, true, 'Per instance cpu requested, 0.1, ram requested, 2000, for function should be positive and the same multiple of the granularity, cpu, 0.1, ram, 1000'],
    [0.2, 1000, true, 'Per instance cpu requested, 0.2, ram requested, 1000, for function should be positive and the same multiple of the granularity, cpu, 0.1, ram, 1000'],
    [0.2, 2000, true, undefined],
    [10.0, 100000, true, undefined],
    [10.0, 0, true, 'Per instance ram requested, 0, for function should be positive and a multiple of the granularity, 1000'],
  ])('testResourceGranularities: cpu %s, ram %s, lock step %s', (cpu, ram, lockStep, message) => {
    expect(check(cpu, ram, grn(lockStep))).toBe(message);
  });

  it('pmc render refuses a function the worker would not register, at its resources', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'pmc-render-min-'));
    writeFileSync(join(dir, 'fn.yaml'), 'name: f\nclassName: f.F\npy: f.py\ninputs: [in]\nresources:\n  cpu: 0.05\n');
    writeFileSync(join(dir, 'worker.yml'), `functionRuntimeFactoryClassName: ${K8S}\npulsarServiceUrl: pulsar://localhost:6650\npulsarWebServiceUrl: http://localhost:8080\npulsarFunctionsCluster: standalone\nfunctionInstanceMinResources: {cpu: 0.1}\n`);
    const r = await runPmc(['render', '-c', 'fn.yaml', '-w', 'worker.yml'], { cwd: dir });
    expect(r.status).toBe(1);
    expect(r.stdout).toBe('');
    expect(r.stderr).toBe(
      'pmc: error: fn.yaml:6:3: the worker refuses to register the function: Per instance CPU requested, 0.05, for function is less than the minimum required, 0.1 (functionInstanceMinResources in worker.yml) [PMC_RENDER]\n',
    );
  });
});

describe("Pulsar's shipped conf/functions_worker.yml (fixtures/pulsar/)", () => {
  const shipped = readFileSync(join(import.meta.dirname, '..', 'fixtures', 'pulsar', 'functions_worker.yml'), 'utf8');
  const config = { text: 'tenant: public\nnamespace: default\nname: exclamation\nclassName: org.example.Exclamation\njar: exclamation.jar\ninputs: [in]\n', source: 'fn.yaml' };

  it('as shipped (the process runtime): refused at its functionRuntimeFactoryClassName', () => {
    expect(() => render({ config, worker: { text: shipped, source: 'functions_worker.yml' }, identity: {}, pulsarVersion: '4.0' })).toThrow(
      expect.objectContaining({ code: 'PMC_RENDER', location: expect.objectContaining({ line: 157, col: 34 }) }),
    );
  });

  it('with the Kubernetes runtime selected: the worked example (defaults of the shipped file)', () => {
    const text = shipped.replace('runtime.process.ProcessRuntimeFactory', 'runtime.kubernetes.KubernetesRuntimeFactory');
    const r = render({ config, worker: { text, source: 'functions_worker.yml' }, identity: {}, pulsarVersion: '4.0', functionId: 'id', functionVersion: 'v' });
    const sts = r.objects[1] as any;
    expect(sts.metadata).toMatchObject({ name: 'pf-public-default-exclamation', namespace: 'default' });
    const container = sts.spec.template.spec.containers[0];
    expect(container).toMatchObject({ image: 'apachepulsar/pulsar', imagePullPolicy: 'IfNotPresent', resources: { limits: { cpu: '1', memory: '1073741824' }, requests: { cpu: '1', memory: '1073741824' } } });
    expect(sts.spec.replicas).toBe(1);
    expect(sts.spec.template.metadata.annotations).toEqual({ 'prometheus.io/port': '9094', 'prometheus.io/scrape': 'true' });
    const command = container.command[2] as string;
    expect(command.startsWith(
      '/pulsar/bin/pulsar-admin --admin-url http://localhost:8080 functions download --tenant public --namespace default --name exclamation --destination-file ' +
        '/pulsar/download/pulsar_functions/exclamation.jar && SHARD_ID=${POD_NAME##*-} && echo shardId=${SHARD_ID} && exec java -cp /pulsar/instances/java-instance.jar:/pulsar/instances/deps/* ' +
        '-Dpulsar.functions.extra.dependencies.dir=/pulsar/instances/deps ',
    )).toBe(true);
    expect(command).toContain(' -Xmx1073741824 ');
    expect(command.endsWith(
      ' --pulsar_serviceurl pulsar://localhost:6650 --max_buffered_tuples 1024 --port 9093 --metrics_port 9094 --pending_async_requests 1000 --expected_healthcheck_interval -1 ' +
        '--secrets_provider org.apache.pulsar.functions.secretsprovider.ClearTextSecretsProvider --cluster_name standalone --nar_extraction_directory /tmp',
    )).toBe(true);
    // The shipped file's process-runtime keys are ignored, and its null extraFunctionDependenciesDir is the default.
    expect(r.diagnostics.filter((d) => d.severity !== 'info')).toEqual([]);
  });
});

describe('pmc render reads the worker in every form customize does', () => {
  const root = join(import.meta.dirname, '..');
  it('a ConfigMap holding functions_worker.yml: its settings, a note naming the form, and warnings for the URLs it lacks', async () => {
    const r = await runPmc(['render', '-c', 'fixtures/render/exclamation-go.yaml', '-w', 'fixtures/worker-configmap.yaml', '--customizer', 'none', '--function-id', 'a', '--function-version', 'b'], { cwd: root });
    expect(r.status).toBe(0);
    expect(r.stderr).toContain('read the worker\'s settings from a ConfigMap holding functions_worker.yml (pulsar-functions-worker) [PMC_WORKER_FORM]');
    expect(r.stderr).toContain('the worker sets no pulsarServiceUrl');
    const sts = parse(r.stdout.split(/^---\n/m)[2]!);
    // The file inside the ConfigMap sets functionRuntimeFactoryConfigs.jobNamespace: pulsar.
    expect(sts.metadata.namespace).toBe('pulsar');
  });

  it("the Helm chart's broker ConfigMap: the PF_ keys over the shipped file's defaults (trailing slashes kept)", async () => {
    const r = await runPmc(['render', '-c', 'fixtures/render/exclamation-go.yaml', '-w', 'fixtures/helm/broker-configmap.yaml', '--customizer', 'none', '--function-id', 'a', '--function-version', 'b'], { cwd: root });
    expect(r.status).toBe(0);
    expect(r.stdout).toContain('--admin-url http://pulsar-broker:8080/ functions download');
    expect(r.stdout).toContain('"pulsarServiceURL":"pulsar://pulsar-broker:6650/"');
    expect(r.stdout).toContain('"clusterName":"pulsar"');
    expect(r.stdout).toContain('--destination-file /pulsar/download/pulsar_functions/exclamationFunc');
    expect(r.stdout).toContain('image: apachepulsar/pulsar-all:4.0.12');
  });
});

describe('pmc render: the kind a config describes', () => {
  it.each([
    [{ topicName: 't', archive: 'a.nar' }, 'source'],
    [{ sourceType: 'kafka' }, 'source'],
    [{ inputs: ['t'], archive: 'a.nar' }, 'sink'],
    [{ sinkType: 'jdbc' }, 'sink'],
    [{ inputs: ['t'], jar: 'f.jar' }, 'function'],
    [{ py: 'f.py' }, 'function'],
  ])('%j is a %s', (values, kind) => {
    expect(kindOf(values)).toBe(kind);
  });

  it('--kind overrides what the keys say', async () => {
    const cwd = join(import.meta.dirname, '..', 'fixtures', 'render');
    const r = await runPmc(['render', '-c', 'elastic-sink.yaml', '-w', 'functions_worker.yml', '--kind', 'function', '--function-id', 'a', '--function-version', 'b'], { cwd });
    // As a function, the archive is no code file: refused, not rendered as a sink.
    expect(r.status).toBe(1);
    expect(r.stderr).toContain('a function needs its code: give jar, py or go (or functionType) in the config, or --jar, --py, --go or --function-type');
    const sink = await runPmc(['render', '-c', 'elastic-sink.yaml', '-w', 'functions_worker.yml', '--function-id', 'a', '--function-version', 'b'], { cwd });
    expect(sink.stdout).toContain('component: sink');
  });
});

describe("pmc render: the code from the command line, as pulsar-admin takes it", () => {
  const cwd = join(import.meta.dirname, '..', 'fixtures', 'render');
  const example = 'example-function-config.yaml';
  const tmp = mkdtempSync(join(tmpdir(), 'pmc-render-code-'));
  const go = async (argv: string[]) => {
    const r = await runPmc(['render', '-w', 'functions_worker.yml', '--customizer', 'none', '--function-id', 'a', '--function-version', 'b', '-o', 'json', ...argv], { cwd });
    const sts = r.status === 0 ? JSON.parse(r.stdout).items[1] : undefined;
    const command: string = sts?.spec.template.spec.containers[0].command[2] ?? '';
    const details = /--function_details '([^']*)'/.exec(command)?.[1];
    return { ...r, sts, command, details: details ? JSON.parse(details) : undefined };
  };

  it("Pulsar's example config has no code: the error names the file (not line 1 of its comment) and the flags", async () => {
    const r = await go(['-c', example]);
    expect(r.status).toBe(1);
    expect(r.stdout).toBe('');
    expect(r.stderr).toBe(`pmc: error: ${example}: a function needs its code: give jar, py or go (or functionType) in the config, or --jar, --py, --go or --function-type as pulsar-admin takes them [PMC_RENDER]\n`);
  });

  it.each([
    ['--jar', ['--jar', 'build/libs/exclamation.jar'], 'JAVA', '/pulsar/download/pulsar_functions/exclamation.jar'],
    ['--py', ['--py', 'exclamation.py'], 'PYTHON', '/pulsar/download/pulsar_functions/exclamation.py'],
    ['--go', ['--go', 'bin/exclamation'], 'GO', '/pulsar/download/pulsar_functions/exclamation'],
  ])('%s gives the code: the runtime and the downloaded file follow it', async (_flag, flags, runtime, file) => {
    const r = await go(['-c', example, ...flags]);
    expect(r.status).toBe(0);
    expect(r.command).toContain(`--destination-file ${file} `);
    if (runtime === 'GO') expect(r.command).toContain('-instance-conf');
    else expect(r.details.runtime ?? 'JAVA').toBe(runtime);
  });

  it('--function-type is a built-in function (builtin://TYPE); with --jar pulsar-admin refuses it', async () => {
    const r = await go(['-c', example, '--function-type', 'exclamation']);
    expect(r.status).toBe(0);
    expect(r.details.builtin).toBe('exclamation');
    const both = await go(['-c', example, '--function-type', 'exclamation', '--jar', 'f.jar']);
    expect(both.status).toBe(1);
    expect(both.stderr).toBe('pmc: error: --function-type: pulsar-admin refuses it: Cannot specify both jar and function-type [PMC_RENDER]\n');
  });

  it("a flag replaces the config's key; a config with jar and --py runs the jar, with a warning at --py", async () => {
    const replaced = await go(['-c', 'word-count-java.yaml', '--jar', 'other.jar']);
    expect(replaced.status).toBe(0);
    expect(replaced.command).toContain('--destination-file /pulsar/download/pulsar_functions/other.jar ');
    const both = await go(['-c', 'word-count-java.yaml', '--py', 'f.py']);
    expect(both.status).toBe(0);
    expect(both.details.runtime).toBeUndefined();
    expect(both.stderr).toContain('pmc: warning: --py: the function has both jar and py: the worker runs the jar and ignores py f.py; give one [PMC_RENDER]');
  });

  it('a sink without archive takes --sink-type or --archive; a source refuses --archive beside its sourceType', async () => {
    writeFileSync(join(tmp, 'bare-sink.yaml'), 'tenant: public\nnamespace: default\nname: es\ninputs: [persistent://public/default/events]\n');
    const typed = await go(['-c', join(tmp, 'bare-sink.yaml'), '--sink-type', 'elastic_search']);
    expect(typed.status).toBe(0);
    expect(typed.sts.metadata.labels.component).toBe('sink');
    expect(typed.details.sink.builtin).toBe('elastic_search');
    const archived = await go(['-c', join(tmp, 'bare-sink.yaml'), '--archive', 'connectors/pulsar-io-jdbc.nar']);
    expect(archived.status).toBe(0);
    expect(archived.sts.metadata.labels.component).toBe('sink');
    expect(archived.command).toContain('--destination-file /pulsar/download/pulsar_functions/pulsar-io-jdbc.nar ');
    writeFileSync(join(tmp, 'typed-source.yaml'), 'tenant: public\nnamespace: default\nname: k\nsourceType: kafka\ntopicName: persistent://public/default/k\n');
    const refused = await go(['-c', join(tmp, 'typed-source.yaml'), '--archive', 'k.nar']);
    expect(refused.status).toBe(1);
    expect(refused.stderr).toBe('pmc: error: --archive: pulsar-admin refuses it: Cannot specify both archive and source-type [PMC_RENDER]\n');
  });

  it("a config's own sourceType is its archive (builtin://TYPE), as pulsar-admin makes it (it was refused as having no connector)", async () => {
    writeFileSync(join(tmp, 'typed-source.yaml'), 'tenant: public\nnamespace: default\nname: k\nsourceType: kafka\ntopicName: persistent://public/default/k\n');
    const r = await go(['-c', join(tmp, 'typed-source.yaml')]);
    expect(r.status).toBe(0);
    expect(r.details.source.builtin).toBe('kafka');
  });

  it("a flag that is not the kind's is refused, never dropped", async () => {
    const r = await go(['-c', example, '--kind', 'function', '--archive', 'x.nar', '--jar', 'f.jar']);
    expect(r.status).toBe(1);
    expect(r.stderr).toBe("pmc: error: --archive: a function takes --jar, --py, --go or --function-type, not --archive (give --kind when the config's keys do not say what it is) [PMC_RENDER]\n");
    const sink = await go(['-c', 'elastic-sink.yaml', '--jar', 'f.jar', '--kind', 'sink']);
    expect(sink.status).toBe(1);
    expect(sink.stderr).toContain('pmc: error: --jar: a sink takes --archive or --sink-type, not --jar');
  });
});

describe('pmc render: a stored token with the worker CA', () => {
  it('--worker-ca points the trust path at /etc/auth/ca.pem (KubernetesSecretsTokenAuthProvider)', async () => {
    const cwd = join(import.meta.dirname, '..', 'fixtures', 'render');
    const base = ['render', '-c', 'exclamation-python.yaml', '-w', 'worker-auth-token.yml', '--function-auth-secret-id', 'x7k2p', '--function-id', 'a', '--function-version', 'b'];
    const withCa = await runPmc([...base, '--worker-ca'], { cwd });
    expect(withCa.status).toBe(0);
    expect(withCa.stdout).toContain('--tls-trust-cert-path /etc/auth/ca.pem functions download');
    expect(withCa.stdout).toContain('--tls_trust_cert_path /etc/auth/ca.pem');
    const without = await runPmc(base, { cwd });
    expect(without.stdout).toContain('--tls_trust_cert_path /pulsar/certs/ca.cert.pem');
  });
});

describe('pmc render: window functions (WindowConfigUtils, FunctionConfigUtils)', () => {
  const read = (text: string) => readConfig(text, 'fn.yaml', { identity: {}, forwardSourceMessageProperty: true }, new DiagnosticSink()).details as any;

  it('a sliding interval defaults to the window length; with a timestamp extractor, lag 0 and watermark 1000 ms', () => {
    const d = read('name: f\nclassName: org.example.W\njar: w.jar\ninputs: [in]\nwindowConfig: {windowLengthDurationMs: 5000, timestampExtractorClassName: org.example.Ts}\n');
    expect(JSON.parse(d.userConfig).__WINDOWCONFIGS__).toEqual({
      windowLengthDurationMs: 5000,
      slidingIntervalDurationMs: 5000,
      maxLagMs: 0,
      watermarkEmitIntervalMs: 1000,
      timestampExtractorClassName: 'org.example.Ts',
      actualWindowFunctionClassName: 'org.example.W',
      processingGuarantees: 'ATLEAST_ONCE',
    });
    // Gson writes the fields in WindowConfig's declared order.
    expect(d.userConfig).toBe(
      '{"__WINDOWCONFIGS__":{"windowLengthDurationMs":5000,"slidingIntervalDurationMs":5000,"maxLagMs":0,"watermarkEmitIntervalMs":1000,"timestampExtractorClassName":"org.example.Ts","actualWindowFunctionClassName":"org.example.W","processingGuarantees":"ATLEAST_ONCE"}}',
    );
    expect(d).toMatchObject({ className: 'org.apache.pulsar.functions.windowing.WindowFunctionExecutor', processingGuarantees: 'MANUAL', autoAck: false });
  });

  it("the function's guarantees move into the window config", () => {
    const d = read('name: f\nclassName: org.example.W\njar: w.jar\ninputs: [in]\nprocessingGuarantees: ATMOST_ONCE\nwindowConfig: {windowLengthCount: 3}\n');
    expect(JSON.parse(d.userConfig).__WINDOWCONFIGS__.processingGuarantees).toBe('ATMOST_ONCE');
    expect(d.processingGuarantees).toBe('MANUAL');
  });

  it('user config and the window share one HashMap', () => {
    const d = read('name: f\nclassName: org.example.W\njar: w.jar\ninputs: [in]\nuserConfig: {PublishTopic: out, zeta: 1}\nwindowConfig: {windowLengthCount: 3}\n');
    expect(Object.keys(JSON.parse(d.userConfig))).toEqual(hashMapOrder(['PublishTopic', 'zeta', '__WINDOWCONFIGS__'], 2));
  });
});

describe('pmc render: batch sources (SourceConfigUtils)', () => {
  const read = (text: string) => readConfig(text, 'src.yaml', { identity: {}, forwardSourceMessageProperty: true }, new DiagnosticSink()).details as any;
  const head = 'name: s\nclassName: org.example.Batch\narchive: b.nar\ntopicName: out\n';

  it('runs BatchSourceExecutor; the batch config (a JSON string) and the source class go into the configs HashMap', () => {
    const d = read(`${head}configs: {table: t}\nbatchSourceConfig: {discoveryTriggererClassName: org.example.Trigger, discoveryTriggererConfig: {delayMs: 500}}\n`);
    expect(d.source.className).toBe('org.apache.pulsar.functions.source.batch.BatchSourceExecutor');
    const configs = JSON.parse(d.source.configs);
    expect(configs).toEqual({ table: 't', __BATCHSOURCECLASSNAME__: 'org.example.Batch', __BATCHSOURCECONFIGS__: '{"discoveryTriggererClassName":"org.example.Trigger","discoveryTriggererConfig":{"delayMs":500}}' });
    expect(Object.keys(configs)).toEqual(hashMapOrder(['table', '__BATCHSOURCECONFIGS__', '__BATCHSOURCECLASSNAME__'], 1));
  });

  it('a batch source without configs still gets the two keys', () => {
    const d = read(`${head}batchSourceConfig: {discoveryTriggererClassName: org.example.Trigger}\n`);
    expect(JSON.parse(d.source.configs)).toEqual({ __BATCHSOURCECLASSNAME__: 'org.example.Batch', __BATCHSOURCECONFIGS__: '{"discoveryTriggererClassName":"org.example.Trigger"}' });
  });

  it('without a discovery triggerer: refused', () => {
    expect(() => read(`${head}batchSourceConfig: {discoveryTriggererConfig: {a: 1}}\n`)).toThrow(/Discovery Triggerer not specified/);
  });
});

describe('every rendered golden object is valid against the Kubernetes schema', () => {
  const golden = join(import.meta.dirname, '..', 'fixtures', 'golden');
  const cases = readdirSync(golden).filter((n) => n.startsWith('render-') && !n.startsWith('render-error-'));
  it.each(cases)('%s', async (name) => {
    const { StatefulSet } = await import('kubernetes-models/apps/v1/StatefulSet');
    const { Service } = await import('kubernetes-models/v1/Service');
    const text = readFileSync(join(golden, name, 'expected.yaml'), 'utf8');
    const objects = text.trim().startsWith('{') ? JSON.parse(text).items : text.split(/^---\n/m).filter(Boolean).map((d) => parse(d));
    expect(objects.map((o: any) => o.kind)).toEqual(['Service', 'StatefulSet']);
    expect(() => new Service(objects[0]).validate()).not.toThrow();
    expect(() => new StatefulSet(objects[1]).validate()).not.toThrow();
  });
});

describe('config fields pulsar-admin does not know', () => {
  const read = (text: string, kind?: 'function' | 'source' | 'sink', pulsarVersion?: PulsarVersion) => {
    const sink = new DiagnosticSink();
    try {
      readConfig(text, 'c.yaml', { identity: {}, forwardSourceMessageProperty: true, kind, pulsarVersion }, sink);
    } catch {
      // the errors are in the sink
    }
    return sink.errors.map((e) => `${e.location?.line}:${e.location?.col} ${e.message}`);
  };
  it('a misspelt field is refused at its key, with the closest field (strict or not: pulsar-admin refuses the file)', () => {
    const errors = read('name: f\nclassName: a.B\njar: f.jar\ninputs: [in]\nparalelism: 3\noutputt: out\n');
    expect(errors).toEqual([
      `5:1 unknown field "paralelism": pulsar-admin refuses the file ("Invalid field 'paralelism'"); did you mean "parallelism"?`,
      `6:1 unknown field "outputt": pulsar-admin refuses the file ("Invalid field 'outputt'"); did you mean "output"?`,
    ]);
  });
  it("a connector's own settings given as the config are named as such", () => {
    expect(read('elasticSearchUrl: http://es:9200\n', 'sink')[0]).toContain("this looks like the connector's own settings: put them under configs: in a sink config");
  });
  it("3.0's source and sink configs have no logTopic", () => {
    const source = 'name: s\narchive: a.nar\ntopicName: t\nlogTopic: persistent://public/default/log\n';
    expect(read(source, 'source', '3.0')[0]).toContain("Pulsar 3.0's source config has no logTopic");
    expect(read(source, 'source', '4.2')).toEqual([]);
  });
});

describe("lint: a Java instance's memory limit at or below its heap (apache/pulsar#3616)", () => {
  const cwd = join(import.meta.dirname, '..', 'fixtures', 'render');
  const base = ['render', '-c', 'word-count-java.yaml', '--function-id', 'a', '--function-version', 'b'];
  it('fires on Pulsar\'s default padding, stays quiet with padding, for Python, and with a limit above the heap', async () => {
    const fires = await runPmc([...base, '-w', 'functions_worker.yml'], { cwd });
    expect(fires.status).toBe(0);
    expect(fires.stderr).toContain('its memory limit (536870912 bytes) is at or below the JVM heap (-Xmx536870912)');
    expect(fires.stderr).toContain('[PMC_JVM_MEMORY]');
    const dir = mkdtempSync(join(tmpdir(), 'pmc-lint-'));
    writeFileSync(join(dir, 'worker.yml'), readFileSync(join(cwd, 'functions_worker.yml'), 'utf8').replace('functionRuntimeFactoryConfigs:\n', 'functionRuntimeFactoryConfigs:\n  percentMemoryPadding: 25\n'));
    const padded = await runPmc([...base, '-w', join(dir, 'worker.yml')], { cwd });
    expect(padded.status).toBe(0);
    expect(padded.stdout).toMatch(/memory: "671088640"/);
    expect(padded.stderr).not.toContain('PMC_JVM_MEMORY');
    const python = await runPmc(['render', '-c', 'exclamation-python.yaml', '-w', 'functions_worker.yml', '--function-id', 'a', '--function-version', 'b'], { cwd });
    expect(python.stderr).not.toContain('PMC_JVM_MEMORY');
    const above = await runPmc([...base, '-w', 'worker-security-context.yml', '-r', '{"resourceRequirements": {"limits": {"memory": "1Gi"}, "requests": {"memory": "512Mi"}}}'], { cwd });
    expect(above.stderr).not.toContain('PMC_JVM_MEMORY');
    // customize on a captured StatefulSet: a limit brought below the heap fires.
    const below = await runPmc(['customize', join(import.meta.dirname, '..', 'fixtures', 'pulsar-function.yaml'), '-r', '{"resourceRequirements": {"limits": {"memory": "512Mi"}, "requests": {"memory": "512Mi"}}}'], {});
    expect(below.stderr).toContain('its memory limit (536870912 bytes) is at or below the JVM heap (-Xmx1073741824)');
  });
});
