// deploy/: the kustomize base for pmc webhook, built offline by the real kubectl kustomize,
// every object validated against its schema (kubernetes-models; cert-manager's models for
// its kinds), the pieces the webhook relies on asserted, and its own pods checked against
// the restricted Pod Security level by pmc itself.
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { parseAllDocuments } from 'yaml';
import { describe, expect, it } from 'vitest';
import { Certificate, Issuer } from '@kubernetes-models/cert-manager/cert-manager.io/v1';
import { MutatingWebhookConfiguration } from 'kubernetes-models/admissionregistration.k8s.io/v1';
import { Deployment } from 'kubernetes-models/apps/v1';
import { ConfigMap, Namespace, Service, ServiceAccount } from 'kubernetes-models/v1';
import { NetworkPolicy } from 'kubernetes-models/networking.k8s.io/v1';
import { PodDisruptionBudget } from 'kubernetes-models/policy/v1';
import { PriorityClass } from 'kubernetes-models/scheduling.k8s.io/v1';
import { runPmc } from './support/run.js';

const root = join(import.meta.dirname, '..');
const built = spawnSync('kubectl', ['kustomize', join(root, 'deploy')], { encoding: 'utf8' });
const objects = built.status === 0 ? parseAllDocuments(built.stdout).map((d) => d.toJS() as Record<string, any>) : [];
const byKind = (kind: string) => objects.filter((o) => o.kind === kind);

const MODELS: Record<string, new (data: any) => { validate(): void }> = {
  Namespace,
  ServiceAccount,
  ConfigMap,
  Service,
  Deployment,
  PodDisruptionBudget,
  MutatingWebhookConfiguration,
  Issuer,
  Certificate,
  NetworkPolicy,
  PriorityClass,
};

describe('deploy/ (kubectl kustomize)', () => {
  it('builds', () => {
    expect(built.stderr).toBe('');
    expect(built.status).toBe(0);
    expect(objects.map((o) => o.kind).sort()).toEqual(['Certificate', 'Certificate', 'ConfigMap', 'Deployment', 'Issuer', 'Issuer', 'MutatingWebhookConfiguration', 'Namespace', 'NetworkPolicy', 'PodDisruptionBudget', 'PriorityClass', 'Service', 'ServiceAccount']);
  });

  it.each(Object.keys(MODELS))('%s is valid against its schema', (kind) => {
    expect(byKind(kind).length).toBeGreaterThan(0);
    for (const object of byKind(kind)) expect(() => new MODELS[kind]!(object).validate()).not.toThrow();
  });

  it('a CA chain: self-signed root -> CA certificate (key never rotated) -> CA Issuer -> the serving certificate; the CA is what is injected', () => {
    const issuers = Object.fromEntries(byKind('Issuer').map((i) => [i.metadata.name, i.spec]));
    const certs = Object.fromEntries(byKind('Certificate').map((c) => [c.metadata.name, c.spec]));
    const ca = Object.entries(certs).find(([, c]) => c.isCA)!;
    const leaf = Object.entries(certs).find(([, c]) => !c.isCA)!;
    expect(issuers[ca[1].issuerRef.name]).toEqual({ selfSigned: {} });
    expect(ca[1].privateKey.rotationPolicy).toBe('Never');
    const caIssuer = Object.entries(issuers).find(([, i]) => i.ca)!;
    expect(caIssuer[1].ca.secretName).toBe(ca[1].secretName);
    expect(leaf[1].issuerRef.name).toBe(caIssuer[0]);
    expect(byKind('MutatingWebhookConfiguration')[0].metadata.annotations['cert-manager.io/inject-ca-from']).toBe(`pmc-webhook/${ca[0]}`);
    const [deployment] = byKind('Deployment');
    expect(deployment.spec.template.spec.volumes).toEqual(expect.arrayContaining([{ name: 'tls', secret: { secretName: leaf[1].secretName } }]));
  });

  it('the pods: a priority class, probes with timeouts and a startup probe, a grace period longer than the shutdown delay, the heap told the limit; no egress', () => {
    const [deployment] = byKind('Deployment');
    const pod = deployment.spec.template.spec;
    const [container] = pod.containers;
    expect(pod.priorityClassName).toBe(byKind('PriorityClass')[0].metadata.name);
    for (const probe of ['startupProbe', 'readinessProbe', 'livenessProbe']) expect(container[probe].timeoutSeconds, probe).toBeGreaterThan(0);
    const delay = Number(container.args.find((a: string) => a.startsWith('--shutdown-delay=')).split('=')[1]);
    expect(pod.terminationGracePeriodSeconds * 1000).toBeGreaterThan(delay + 3000);
    expect(container.env).toEqual(expect.arrayContaining([{ name: 'NODE_OPTIONS', value: expect.stringMatching(/--max-old-space-size=\d+/) }]));
    const heap = Number(/--max-old-space-size=(\d+)/.exec(container.env.find((e: any) => e.name === 'NODE_OPTIONS').value)![1]);
    expect(heap).toBeLessThan(Number(/^(\d+)Mi$/.exec(container.resources.limits.memory)![1]));
    const [policy] = byKind('NetworkPolicy');
    expect(policy.spec.podSelector.matchLabels).toEqual(deployment.spec.selector.matchLabels);
    expect(policy.spec.policyTypes).toEqual(['Ingress', 'Egress']);
    expect(policy.spec.egress).toEqual([]);
    expect(policy.spec.ingress.flatMap((r: any) => r.ports.map((p: any) => p.port)).sort()).toEqual([8080, 8443]);
  });

  it('a wrong object would fail the schema check (the check can fail)', () => {
    const broken = structuredClone(byKind('MutatingWebhookConfiguration')[0]);
    broken.webhooks[0].sideEffects = 42;
    expect(() => new MutatingWebhookConfiguration(broken).validate()).toThrow();
  });

  it('the webhook configuration: CREATE of apps/v1 statefulsets, v1 reviews, no side effects, 3 s, reinvoked if needed, fail closed, the worker\'s requests only', () => {
    const [config] = byKind('MutatingWebhookConfiguration');
    const [hook] = config.webhooks;
    expect(hook).toMatchObject({
      admissionReviewVersions: ['v1'],
      sideEffects: 'None',
      timeoutSeconds: 3,
      reinvocationPolicy: 'IfNeeded',
      failurePolicy: 'Fail',
      rules: [{ apiGroups: ['apps'], apiVersions: ['v1'], operations: ['CREATE'], resources: ['statefulsets'] }],
      clientConfig: { service: { name: 'pmc-webhook', namespace: 'pmc-webhook', path: '/mutate' } },
    });
    expect(hook.namespaceSelector.matchLabels).toBeDefined();
    expect(hook.objectSelector.matchExpressions.map((e: any) => e.key)).toEqual(['component', 'tenant', 'namespace', 'name']);
    expect(hook.matchConditions.map((c: any) => c.expression).join(' ')).toContain("c.name == 'pulsarfunction'");
    expect(hook.matchConditions.map((c: any) => c.expression).join(' ')).toContain('compute.functionmesh.io/');
    // The API server calls it for the worker's requests only, and the webhook checks the same user.
    const user = /request\.userInfo\.username == '([^']+)'/.exec(hook.matchConditions.map((c: any) => c.expression).join(' '))![1];
    const [container] = byKind('Deployment')[0].spec.template.spec.containers;
    expect(container.args).toContain(`--worker-user=${user}`);
    expect(config.metadata.annotations['cert-manager.io/inject-ca-from']).toBe('pmc-webhook/pmc-webhook-ca');
  });

  it('the Deployment: two replicas, probes on the health port, the certificate and the worker config mounted, a PodDisruptionBudget', () => {
    const [deployment] = byKind('Deployment');
    expect(deployment.spec.replicas).toBeGreaterThanOrEqual(2);
    const [container] = deployment.spec.template.spec.containers;
    expect(container.args[0]).toBe('webhook');
    expect(container.readinessProbe.httpGet).toMatchObject({ path: '/readyz', port: 'health' });
    expect(container.livenessProbe.httpGet).toMatchObject({ path: '/healthz', port: 'health' });
    const configMap = byKind('ConfigMap')[0].metadata.name;
    expect(deployment.spec.template.spec.volumes).toEqual(
      expect.arrayContaining([
        { name: 'tls', secret: { secretName: byKind('Certificate').find((c) => !c.spec.isCA).spec.secretName } },
        { name: 'worker', configMap: { name: configMap } },
      ]),
    );
    expect(byKind('PodDisruptionBudget')[0].spec.selector).toEqual(deployment.spec.selector);
  });

  it("the webhook's own pods pass the restricted Pod Security level (pmc check-pss)", async () => {
    const r = await runPmc(['check-pss', '--level', 'restricted'], { stdin: built.stdout, cwd: root });
    expect(r.stderr).toBe('');
    expect(r.stdout).toContain('Deployment/pmc-webhook: passes PodSecurity "restricted:latest"');
  });
});
