// Pulsar's own expectations (KubernetesRuntimeTest), ported. The manifests are shaped as
// KubernetesRuntime generates them for tenant "tenant", namespace "namespace", name "container".
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { parseAllDocuments } from 'yaml';
import { BASIC_CUSTOMIZER, PULSAR_TEST_CUSTOMIZER_CONFIG, pulsarFunctionManifests } from './support/pulsar-generated.mjs';
import { runPmc } from './support/run.js';

const BASIC = BASIC_CUSTOMIZER;
const CUSTOMIZER_CONFIG = PULSAR_TEST_CUSTOMIZER_CONFIG;

function manifests(customRuntimeOptions?: string) {
  return pulsarFunctionManifests({ tenant: 'tenant', namespace: 'namespace', name: 'container', customRuntimeOptions, k8sNamespace: 'default' });
}

const dir = mkdtempSync(join(tmpdir(), 'pmc-worker-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
let workers = 0;

function worker(className: string | undefined, config?: object): string {
  const lines = [];
  if (className) lines.push(`runtimeCustomizerClassName: ${className}`);
  if (config) lines.push(`runtimeCustomizerConfig: ${JSON.stringify(config)}`);
  const file = join(dir, `functions_worker-${workers++}.yml`);
  writeFileSync(file, `${lines.join('\n')}\n`);
  return file;
}

function parse(stdout: string) {
  const docs = parseAllDocuments(stdout).map((d) => d.toJS());
  return { service: docs.find((d) => d.kind === 'Service'), sts: docs.find((d) => d.kind === 'StatefulSet') };
}

function expectCustomized(stdout: string, ns: string, name: string) {
  const { service, sts } = parse(stdout);
  expect(sts.metadata.annotations.annotation).toBe('test');
  expect(sts.metadata.labels.label).toBe('test');
  expect(sts.spec.template.metadata.labels.label).toBe('test');
  expect(sts.spec.template.metadata.annotations.annotation).toBe('test');
  expect(sts.spec.template.spec.nodeSelector.selector).toBe('test');
  const tols = sts.spec.template.spec.tolerations;
  // "we add three by default, plus our custom"
  expect(tols).toHaveLength(4);
  expect(tols[3]).toEqual({ key: 'test', value: 'test', effect: 'NoSchedule' });
  expect(service.metadata.namespace).toBe(ns);
  expect(service.metadata.name).toBe(name);
  expect(service.metadata.annotations.annotation).toBe('test');
  expect(service.metadata.labels.label).toBe('test');
  expect(sts.metadata.namespace).toBe(ns);
  expect(sts.metadata.name).toBe(name);
  expect(sts.spec.serviceName).toBe(name);
  for (const c of sts.spec.template.spec.containers) {
    expect(c.resources).toEqual({ requests: { cpu: '1', memory: '4G' }, limits: { cpu: '2', memory: '8G' } });
  }
  // The selectors are never changed: the Service must still find the pods.
  expect(sts.spec.selector.matchLabels).not.toHaveProperty('label');
  expect(service.spec.selector).not.toHaveProperty('label');
}

describe("Pulsar's KubernetesRuntimeTest, ported", () => {
  it('testBasicKubernetesManifestCustomizer: options in customRuntimeOptions', async () => {
    const r = await runPmc(['customize', '-w', worker(BASIC)], { stdin: manifests(JSON.stringify(CUSTOMIZER_CONFIG)) });
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    expectCustomized(r.stdout, 'custom-ns', 'custom-name-2deb2c2b');
  });

  it('testBasicKubernetesManifestCustomizerWithRuntimeCustomizerConfig: options in the worker', async () => {
    const r = await runPmc(['customize', '-w', worker(BASIC, CUSTOMIZER_CONFIG)], { stdin: manifests() });
    expect(r.status).toBe(0);
    expectCustomized(r.stdout, 'custom-ns', 'custom-name-2deb2c2b');
  });

  it('testBasicKubernetesManifestCustomizerWithRuntimeCustomizerConfigOverwrite: the function overrides', async () => {
    const fn = JSON.stringify({ jobNamespace: 'custom-ns-overwrite', jobName: 'custom-name-overwrite' });
    const r = await runPmc(['customize', '-w', worker(BASIC, CUSTOMIZER_CONFIG)], { stdin: manifests(fn) });
    expect(r.status).toBe(0);
    expectCustomized(r.stdout, 'custom-ns-overwrite', 'custom-name-overwrite-7757f1ff');
  });

  it('testNoOpKubernetesManifestCustomizer: no class name, options ignored, output = input', async () => {
    const input = manifests(JSON.stringify({ jobNamespace: 'custom-ns', jobName: 'custom-name' }));
    const r = await runPmc(['customize', '-w', worker(undefined, CUSTOMIZER_CONFIG)], { stdin: input });
    expect(r.status).toBe(0);
    expect(r.stdout).toBe(input);
    expect(r.stderr).toMatch(/no runtimeCustomizerClassName.*unchanged \[PMC_NO_CUSTOMIZER\]/);
    const { service } = parse(r.stdout);
    expect(service.metadata.namespace).toBe('default');
    expect(service.metadata.name).toBe('pf-tenant-namespace-container');
  });

  it('--customizer none overrides the worker class name', async () => {
    const input = manifests();
    const r = await runPmc(['customize', '-w', worker(BASIC, CUSTOMIZER_CONFIG), '--customizer', 'none'], { stdin: input });
    expect(r.stdout).toBe(input);
  });

  it('the basic customizer ignores securityContext, with a warning', async () => {
    const fn = JSON.stringify({ securityContext: { runAsUser: 1000 }, extraLabels: { a: 'b' } });
    const r = await runPmc(['customize', '-w', worker(BASIC)], { stdin: manifests(fn) });
    expect(r.status).toBe(0);
    expect(r.stderr).toMatch(/securityContext is ignored.*\[PMC_SECURITY_CONTEXT_IGNORED\]/);
    const { sts } = parse(r.stdout);
    expect(sts.metadata.labels.a).toBe('b');
    expect(sts.spec.template.spec.securityContext).toBeUndefined();
  });

  it('any other class name runs the SecurityContext extension', async () => {
    const fn = JSON.stringify({ securityContext: { runAsUser: 1000 } });
    const r = await runPmc(['customize', '-w', worker('com.yourcompany.pulsar.runtime.SecurityContextKubernetesManifestCustomizer')], {
      stdin: manifests(fn),
    });
    expect(parse(r.stdout).sts.spec.template.spec.securityContext).toEqual({ runAsUser: 1000 });
  });

  it('without a worker file the extension is assumed, so -r alone works', async () => {
    const r = await runPmc(['customize', '-r', '{"securityContext": {"runAsNonRoot": true}, "extraLabels": {"x": "y"}}'], {
      stdin: manifests(),
    });
    const { sts } = parse(r.stdout);
    expect(sts.spec.template.spec.securityContext).toEqual({ runAsNonRoot: true });
    expect(sts.metadata.labels.x).toBe('y');
  });

  it('resources other than cpu and memory never reach a container, with a warning', async () => {
    const fn = JSON.stringify({ resourceRequirements: { limits: { cpu: '3', 'nvidia.com/gpu': '1' } } });
    const r = await runPmc(['customize', '-w', worker(BASIC, { resourceRequirements: { limits: { 'ephemeral-storage': '1Gi' } } })], {
      stdin: manifests(fn),
    });
    expect(r.status).toBe(0);
    const limits = parse(r.stdout).sts.spec.template.spec.containers[0].resources.limits;
    expect(limits).toEqual({ cpu: '3', memory: '1181116006' });
    expect(r.stderr).toContain('runtimeCustomizerConfig.resourceRequirements.limits.ephemeral-storage');
    expect(r.stderr).toContain('customRuntimeOptions.resourceRequirements.limits["nvidia.com/gpu"]');
  });

  it('a container without resources gets them (Pulsar would throw)', async () => {
    const input = manifests().replace(/        resources:\n(          .*\n|            .*\n)+/, '');
    expect(input).not.toContain('resources:');
    const r = await runPmc(['customize', '-r', '{"resourceRequirements": {"requests": {"cpu": "250m"}}}'], { stdin: input });
    expect(r.status).toBe(0);
    expect(parse(r.stdout).sts.spec.template.spec.containers[0].resources).toEqual({ requests: { cpu: '250m' } });
  });
});

describe("the function's identity", () => {
  // Pulsar's own example: function "clazz.testfunction", jobName "custom-k8s-pod-name".
  const expected = 'custom-k8s-pod-name-dedfc7cf';
  const embedded = pulsarFunctionManifests({ tenant: 'tenant', namespace: 'namespace', name: 'clazz.testfunction', k8sNamespace: 'default' });
  const jobName = ['-r', '{"jobName": "custom-k8s-pod-name"}'];

  it('comes from the function details Pulsar embeds in the container command', async () => {
    const r = await runPmc(['customize', ...jobName, '--no-validate'], { stdin: embedded });
    expect(r.stderr).toBe('');
    expect(parse(r.stdout).sts.metadata.name).toBe(expected);
  });

  it('flags win over the embedded details, with --rename (without, the contradiction is refused)', async () => {
    const refused = await runPmc(['customize', ...jobName, '--no-validate', '--name', 'other'], { stdin: embedded });
    expect(refused.status).toBe(1);
    expect(refused.stderr).toContain('[PMC_IDENTITY_MISMATCH]');
    const r = await runPmc(['customize', ...jobName, '--no-validate', '--name', 'other', '--rename'], { stdin: embedded });
    expect(parse(r.stdout).sts.metadata.name).not.toBe(expected);
    expect(parse(r.stdout).sts.metadata.name).toMatch(/^custom-k8s-pod-name-[0-9a-f]{8}$/);
  });

  it('a config file gives it too', async () => {
    const file = join(dir, 'fn-config.json');
    writeFileSync(file, JSON.stringify({ tenant: 'tenant', namespace: 'namespace', name: 'clazz.testfunction', customRuntimeOptions: '{"jobName": "custom-k8s-pod-name"}' }));
    const noDetails = embedded.replace(/--function_details '[^']*'/, '');
    const r = await runPmc(['customize', '-c', file, '--no-validate'], { stdin: noDetails });
    expect(r.stderr).toBe('');
    expect(parse(r.stdout).sts.metadata.name).toBe(expected);
  });

  it('falls back to the labels, with a warning that they are lossy', async () => {
    const noDetails = embedded.replace(/--function_details '[^']*'/, '');
    const r = await runPmc(['customize', ...jobName, '--no-validate'], { stdin: noDetails });
    expect(r.status).toBe(0);
    expect(r.stderr).toMatch(/identity was read from the tenant\/namespace\/name labels.*\[PMC_IDENTITY_FROM_LABELS\]/);
    expect(parse(r.stdout).sts.metadata.name).toBe(expected);
  });

  it('a lossy label gives another name, which is why the warning matters', async () => {
    const upper = pulsarFunctionManifests({ tenant: 'tenant', namespace: 'namespace', name: 'UpperCaseFunction', k8sNamespace: 'default' });
    const fromDetails = await runPmc(['customize', ...jobName], { stdin: upper });
    const fromLabels = await runPmc(['customize', ...jobName], { stdin: upper.replace(/--function_details '[^']*'/, '') });
    expect(parse(fromDetails.stdout).sts.metadata.name).not.toBe(parse(fromLabels.stdout).sts.metadata.name);
  });
});
