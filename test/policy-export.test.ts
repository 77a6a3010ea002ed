// pmc policy export: a FunctionPolicy's rules as a ValidatingAdmissionPolicy (and a Kyverno
// ValidatingPolicy). The export differential: the exported CEL, evaluated by a CEL
// implementation from the npm registry (@bufbuild/cel, tested against the CEL conformance
// suite), with the one Kubernetes CEL library function the export uses (quantity(), compared
// with isGreaterThan, as Kubernetes documents them) implemented here, allows and denies what
// pmc's own enforcement allows and denies, on generated functions and policies.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { celFunc, celMethod, CelScalar, isCelError, listType, run as runCel } from '@bufbuild/cel';
import fc from 'fast-check';
import { ValidatingAdmissionPolicy, ValidatingAdmissionPolicyBinding } from 'kubernetes-models/admissionregistration.k8s.io/v1';
import { NetworkPolicy } from 'kubernetes-models/networking.k8s.io/v1';
import { parseAllDocuments } from 'yaml';
import { afterAll, describe, expect, it } from 'vitest';
import { exportPolicy } from '../src/core/faces/policy-export.js';
import { readPolicy } from '../src/core/input/policy.js';
import { quantityValue } from '../src/core/checks/pod-rules.js';
import { pulsarFunctionManifests } from './support/pulsar-generated.mjs';
import { runPmc } from './support/run.js';
import { runs } from './support/runs.js';

const root = join(import.meta.dirname, '..');
const dir = mkdtempSync(join(tmpdir(), 'pmc-export-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/**
 * Kubernetes' quantity library (k8s.io/apiserver/pkg/cel/library/quantity.go): quantity(string)
 * parses a Quantity, q.isGreaterThan(q2) compares two. Modelled as the quantity's value.
 */
const KUBERNETES_CEL = [
  celFunc('quantity', [CelScalar.STRING], CelScalar.DOUBLE, (s: string) => {
    const v = quantityValue(s);
    if (v === undefined) throw new Error(`quantity(${s}): not a quantity`);
    return v;
  }),
  celMethod('isGreaterThan', CelScalar.DOUBLE, [CelScalar.DOUBLE], CelScalar.BOOL, function (this: number, other: number) {
    return this > other;
  }),
  celMethod('asApproximateFloat', CelScalar.DOUBLE, [], CelScalar.DOUBLE, function (this: number) {
    return this;
  }),
  // The lists library (k8s.io/apiserver/pkg/cel/library/lists.go): sum() of a list of numbers.
  celMethod('sum', listType(CelScalar.DYN), [], CelScalar.DYN, function (this: Iterable<unknown>) {
    let total = 0;
    for (const x of this) total += Number(x);
    return total;
  }),
];

/** An object as the API server hands it to CEL: maps, lists, integers as int. */
function toCel(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(toCel);
  if (v !== null && typeof v === 'object') return new Map(Object.entries(v).map(([k, x]) => [k, toCel(x)]));
  if (typeof v === 'number' && Number.isInteger(v)) return BigInt(v);
  return v;
}

function cel(expression: string, bindings: Record<string, unknown>): unknown {
  const r = runCel(expression, bindings as never, { funcs: KUBERNETES_CEL });
  if (isCelError(r)) throw new Error(`${expression}: ${r.message}`);
  return r;
}

/** What the API server does with a ValidatingAdmissionPolicy for one object: its match conditions, variables in order, then every validation. */
function admits(vap: Record<string, any>, object: unknown): { allowed: boolean; messages: string[] } {
  const o = toCel(object);
  if (!vap.spec.matchConditions.every((m: { expression: string }) => cel(m.expression, { object: o }) === true)) return { allowed: true, messages: [] };
  const variables = new Map<string, unknown>();
  for (const v of vap.spec.variables) variables.set(v.name, cel(v.expression, { object: o, variables }));
  const messages = vap.spec.validations.filter((v: { expression: string }) => cel(v.expression, { object: o, variables }) !== true).map((v: { message: string }) => v.message);
  return { allowed: messages.length === 0, messages };
}

const worker = join(dir, 'worker.yml');
writeFileSync(worker, 'runtimeCustomizerClassName: org.apache.pulsar.functions.runtime.kubernetes.BasicKubernetesManifestCustomizer\n');

/** The function customized with its options (no policy), and pmc's verdict with the policy. */
async function judge(policyFile: string, fn: { tenant: string; namespace: string; options: object; replicas?: number }) {
  const stdin = pulsarFunctionManifests({ tenant: fn.tenant, namespace: fn.namespace, name: 'fn' }).replace(/^  replicas: 1$/m, `  replicas: ${fn.replicas ?? 1}`);
  const args = ['customize', '-w', worker, '-r', JSON.stringify(fn.options), '--no-validate'];
  const plain = await runPmc(args, { stdin, cwd: dir });
  const policed = await runPmc([...args, '--policy', policyFile], { stdin, cwd: dir });
  return { plain, policed };
}

const ceilings = fc.record({ cpu: fc.constantFrom('500m', '1', '2', '4'), memory: fc.constantFrom('1Gi', '2Gi', '8Gi') }, { requiredKeys: [] });
const rules = fc.record(
  {
    maxResources: ceilings,
    maxTotalResources: fc.record({ cpu: fc.constantFrom('2', '4', '8'), memory: fc.constantFrom('4Gi', '16Gi') }, { requiredKeys: [] }),
    images: fc.constantFrom(['apachepulsar/'], ['registry.example.com/'], ['registry.example.com/', 'apachepulsar/pulsar:3']),
    deniedAnnotations: fc.constantFrom(['vault.hashicorp.com/*'], ['sidecar.istio.io/inject', 'vault.hashicorp.com/*']),
    deniedLabels: fc.constantFrom(['secret-*'], ['team']),
    values: fc.record(
      {
        jobNamespace: fc.constantFrom<unknown>('fn-{tenant}', { enum: ['pulsar', 'fn-payments'] }, { pattern: 'fn-.*' }),
        extraLabels: fc.constant<unknown>('not one field'),
      },
      { requiredKeys: [] },
    ),
  },
  { requiredKeys: [] },
);
const policyText = fc.record({ payments: rules, 'payments/billing': rules, default: rules }, { requiredKeys: [] }).map((p) => {
  const fix = (r: Record<string, any>) => {
    const out = { ...r };
    if (out.values) out.values = Object.fromEntries(Object.entries(out.values).filter(([k]) => k !== 'extraLabels'));
    return out;
  };
  const tenants = Object.fromEntries(Object.entries(p).filter(([k]) => k !== 'default').map(([k, r]) => [k, fix(r)]));
  return `apiVersion: pmc.pulsar/v1alpha1\nkind: FunctionPolicy\n${p.default ? `default: ${JSON.stringify(fix(p.default))}\n` : ''}tenants: ${JSON.stringify(tenants)}\n`;
});
const options = fc.record(
  {
    jobNamespace: fc.constantFrom('fn-payments', 'fn-analytics', 'pulsar-x'),
    resourceRequirements: fc.record({ limits: fc.record({ cpu: fc.constantFrom('250m', '1', '3'), memory: fc.constantFrom('512Mi', '4Gi') }, { requiredKeys: [] }) }),
    extraAnnotations: fc.constantFrom({ 'vault.hashicorp.com/role': 'fn' }, { 'sidecar.istio.io/inject': 'false' }, { owner: 'team-a' }),
    extraLabels: fc.constantFrom({ team: 'a' }, { 'secret-level': 'high' }, { app: 'x' }),
  },
  { requiredKeys: [] },
);
const fn = fc.record({ tenant: fc.constantFrom('payments', 'analytics'), namespace: fc.constantFrom('billing', 'default'), options, replicas: fc.constantFrom(1, 2, 3, 8) });

describe('pmc policy export', () => {
  it('the exported ValidatingAdmissionPolicy allows and denies what pmc --policy does (the rules the object shows)', async () => {
    let denied = 0;
    let allowed = 0;
    await fc.assert(
      fc.asyncProperty(policyText, fn, async (text, f) => {
        const policyFile = join(dir, 'policy.yaml');
        writeFileSync(policyFile, text);
        const { plain, policed } = await judge(policyFile, f);
        expect(plain.status, plain.stderr).toBe(0);
        const pmcDenies = policed.status !== 0;
        if (pmcDenies) expect(policed.stderr).toContain('[PMC_POLICY]');
        const exported = exportPolicy(readPolicy(text, 'policy.yaml'), 'vap');
        // The one named difference (tested on its own below): an enum or pattern on jobNamespace
        // when the function sets none, which the object cannot tell from the worker's default.
        fc.pre(!(exported.differences.length > 0 && !('jobNamespace' in f.options)));
        const sts = parseAllDocuments(plain.stdout).map((d) => d.toJS()).find((o) => o?.kind === 'StatefulSet');
        const verdict = admits(exported.objects[0]!, sts);
        expect(verdict.allowed, `pmc: ${policed.stderr}\nCEL: ${verdict.messages.join('; ')}`).toBe(!pmcDenies);
        if (pmcDenies) denied++;
        else allowed++;
      }),
      { numRuns: runs(150) },
    );
    // Both verdicts met, so the agreement is not a constant.
    expect(denied).toBeGreaterThan(0);
    expect(allowed).toBeGreaterThan(0);
  }, 60_000);

  it('lists what it cannot export, naming the rule and where it is written, and exports the rest', async () => {
    const r = await runPmc(['policy', 'export', '--policy', 'fixtures/policy/policy.yaml'], { cwd: root });
    expect(r.status).toBe(0);
    const head = r.stdout.split('\n---\n')[0]!;
    expect(head).toContain('tenants.payments.allowedOptions (fixtures/policy/policy.yaml:9:5):');
    expect(head).toContain('tenants.payments.podSecurity (fixtures/policy/policy.yaml:9:5): the Pod Security checks are');
    expect(head).toContain('default.allowedOptions (fixtures/policy/policy.yaml:5:3):');
    // Every exported validation carries a comment naming its rule.
    const validations = r.stdout.match(/^ {4}- expression:/gm)?.length ?? 0;
    expect(validations).toBe(11);
    expect(r.stdout).not.toContain('maxTotalResources');
    expect(r.stdout.match(/^ {4}# from (tenants\.payments|default)\.[a-zA-Z.]+ \(fixtures\/policy\/policy\.yaml:\d+:\d+\)$/gm)?.length).toBe(validations);
  });

  it("the named difference: an enum or pattern on jobNamespace judges the object's namespace, the worker's default when the function sets none", async () => {
    const text = 'apiVersion: pmc.pulsar/v1alpha1\nkind: FunctionPolicy\ndefault:\n  values:\n    jobNamespace: {pattern: "fn-.*"}\n';
    const policyFile = join(dir, 'difference.yaml');
    writeFileSync(policyFile, text);
    const { plain, policed } = await judge(policyFile, { tenant: 'payments', namespace: 'billing', options: {} });
    expect(policed.status).toBe(0);
    const exported = exportPolicy(readPolicy(text, 'difference.yaml'), 'vap');
    expect(exported.differences.map((d) => d.rule)).toEqual(['default.values.jobNamespace']);
    expect(exported.differences[0]!.why).toContain("holds the worker's jobNamespace when no option sets jobNamespace");
    const sts = parseAllDocuments(plain.stdout).map((d) => d.toJS()).find((o) => o?.kind === 'StatefulSet');
    expect(sts.metadata.namespace).toBe('pulsar');
    expect(admits(exported.objects[0]!, sts).allowed).toBe(false);
    const r = await runPmc(['policy', 'export', '--policy', policyFile], { cwd: dir });
    expect(r.stdout).toContain(`# Exported, judged otherwise than pmc judges it:\n#   default.values.jobNamespace (${policyFile}:4:3): judged on metadata.namespace`);
  });

  it('a value rule on an option that is not one field of the StatefulSet is listed, not dropped', () => {
    const exported = exportPolicy(readPolicy('apiVersion: pmc.pulsar/v1alpha1\nkind: FunctionPolicy\ndefault:\n  values:\n    jobName: {pattern: "x-.*"}\n    extraLabels: {pattern: "a"}\n', 'p.yaml'), 'vap');
    expect(exported.rules).toEqual([]);
    expect(exported.notExported.map((n) => n.rule)).toEqual(['default.values.jobName', 'default.values.extraLabels']);
    expect(exported.notExported[0]!.why).toContain('is not one field of the StatefulSet');
  });

  it('the objects are valid admissionregistration.k8s.io/v1 (kubernetes-models), the binding names the policy', () => {
    const text = 'apiVersion: pmc.pulsar/v1alpha1\nkind: FunctionPolicy\ndefault: {maxResources: {cpu: "1"}, images: [apachepulsar/]}\ntenants: {payments: {deniedLabels: [team]}, payments/billing: {values: {jobNamespace: "fn-{tenant}"}}}\n';
    const [vap, binding] = exportPolicy(readPolicy(text, 'p.yaml'), 'vap').objects;
    expect(() => new ValidatingAdmissionPolicy(vap as never).validate()).not.toThrow();
    expect(() => new ValidatingAdmissionPolicyBinding(binding as never).validate()).not.toThrow();
    expect(binding!.spec.policyName).toBe(vap!.metadata.name);
    expect(binding!.spec.validationActions).toEqual(['Deny']);
    // tenant/namespace before tenant before default, as pmc picks the rules.
    const scope = vap!.spec.variables.find((v: { name: string }) => v.name === 'scope').expression;
    const labels = (tenant: string, namespace: string) => new Map([['labels', toCel({ tenant, namespace })]]);
    expect(cel(scope, { variables: labels('payments', 'billing') })).toBe('payments/billing');
    expect(cel(scope, { variables: labels('payments', 'other') })).toBe('payments');
    expect(cel(scope, { variables: labels('analytics', 'billing') })).toBe('');
  });

  it('--format kyverno: a Kyverno ValidatingPolicy with the same match, variables and validations', async () => {
    const vap = await runPmc(['policy', 'export', '--policy', 'fixtures/policy/policy.yaml'], { cwd: root });
    const kyverno = await runPmc(['policy', 'export', '--policy', 'fixtures/policy/policy.yaml', '--format', 'kyverno'], { cwd: root });
    expect(kyverno.status).toBe(0);
    const [k] = parseAllDocuments(kyverno.stdout).map((d) => d.toJS());
    const [v] = parseAllDocuments(vap.stdout).map((d) => d.toJS());
    expect(k.apiVersion).toBe('policies.kyverno.io/v1alpha1');
    expect(k.kind).toBe('ValidatingPolicy');
    expect(k.spec.validationActions).toEqual(['Deny']);
    for (const field of ['matchConstraints', 'matchConditions', 'variables', 'validations', 'failurePolicy']) expect(k.spec[field]).toEqual(v.spec[field]);
  });

  it('a bad policy file is refused at its key, nothing on stdout', async () => {
    const p = join(dir, 'bad.yaml');
    writeFileSync(p, 'apiVersion: pmc.pulsar/v1alpha1\nkind: FunctionPolicy\ndefault:\n  images: apachepulsar/\n');
    const r = await runPmc(['policy', 'export', '--policy', p], { cwd: dir });
    expect(r.status).toBe(1);
    expect(r.stdout).toBe('');
    expect(r.stderr).toContain('bad.yaml:4:11: default.images: expected a list of strings [PMC_POLICY]');
  });
});

/** A label selector's verdict on labels, as Kubernetes reads matchLabels and matchExpressions. */
function selects(selector: { matchLabels?: Record<string, string>; matchExpressions?: { key: string; operator: string; values?: string[] }[] }, labels: Record<string, string>): boolean {
  const byLabels = Object.entries(selector.matchLabels ?? {}).every(([k, v]) => labels[k] === v);
  const byExpressions = (selector.matchExpressions ?? []).every((e) =>
    e.operator === 'In' ? e.values!.includes(labels[e.key]!) : e.operator === 'NotIn' ? !e.values!.includes(labels[e.key]!) : e.operator === 'Exists' ? e.key in labels : !(e.key in labels),
  );
  return byLabels && byExpressions;
}

describe('pmc policy export of a sandbox', () => {
  const text = 'apiVersion: pmc.pulsar/v1alpha1\nkind: FunctionPolicy\ndefault:\n  sandbox: true\ntenants:\n  payments:\n    sandbox: {namespace: streaming, workerLabels: {component: functions-worker}}\n    values:\n      jobNamespace: "fn-{tenant}"\n';

  it("a default-deny NetworkPolicy in the namespace the scope's functions run in, selecting their pods (and no other tenant's)", async () => {
    const exported = exportPolicy(readPolicy(text, 'p.yaml'), 'vap');
    const policies = exported.objects.filter((o) => o.kind === 'NetworkPolicy');
    expect(policies).toHaveLength(1);
    const np = policies[0]!;
    expect(() => new NetworkPolicy(np as never).validate()).not.toThrow();
    expect(np.metadata.namespace).toBe('fn-payments');
    expect(np.spec.policyTypes).toEqual(['Ingress', 'Egress']);
    // The pods pmc makes of a payments function, and of another tenant's.
    const pods = async (tenant: string) => {
      const r = await runPmc(['customize', '-w', worker, '-r', '{"jobNamespace": "fn-payments"}'], { stdin: pulsarFunctionManifests({ tenant, namespace: 'billing', name: 'fn' }), cwd: dir });
      return parseAllDocuments(r.stdout).map((d) => d.toJS()).find((o) => o?.kind === 'StatefulSet');
    };
    const payments = await pods('payments');
    expect(payments.metadata.namespace).toBe(np.metadata.namespace);
    expect(selects(np.spec.podSelector, payments.spec.template.metadata.labels)).toBe(true);
    expect(selects(np.spec.podSelector, (await pods('analytics')).spec.template.metadata.labels)).toBe(false);
    // In: only the worker, at the instance's own ports; out: the brokers and DNS.
    const ports = payments.spec.template.spec.containers[0].ports.map((p: { containerPort: number }) => p.containerPort).sort();
    expect(np.spec.ingress).toEqual([{ from: [{ namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'streaming' } }, podSelector: { matchLabels: { component: 'functions-worker' } } }], ports: ports.map((port: number) => ({ protocol: 'TCP', port })) }]);
    expect(np.spec.egress[0].to[0].podSelector).toEqual({ matchLabels: { component: 'broker' } });
    expect(np.spec.egress[0].ports.map((p: { port: number }) => p.port)).toEqual([6650, 6651, 8080, 8443]);
    expect(np.spec.egress[1].ports).toEqual([{ protocol: 'UDP', port: 53 }, { protocol: 'TCP', port: 53 }]);
  });

  it("a sandbox whose namespace differs by function is listed, not guessed", () => {
    const exported = exportPolicy(readPolicy(text, 'p.yaml'), 'vap');
    expect(exported.notExported.find((n) => n.rule === 'default.sandbox')?.why).toContain("needs the namespace the scope's functions run in");
    const templated = exportPolicy(readPolicy('apiVersion: pmc.pulsar/v1alpha1\nkind: FunctionPolicy\ndefault:\n  sandbox: true\n  values: {jobNamespace: "fn-{tenant}"}\n', 'p.yaml'), 'vap');
    expect(templated.notExported.find((n) => n.rule === 'default.sandbox')?.why).toContain('"fn-{tenant}" differs by function in this scope');
  });

  it('the pinned options are exported as value rules', () => {
    const exported = exportPolicy(readPolicy(text, 'p.yaml'), 'vap');
    const pins = exported.rules.filter((r) => r.scope === 'payments' && r.rule.startsWith('tenants.payments.values.'));
    expect(pins.map((r) => r.rule).sort()).toEqual(['tenants.payments.values.automountServiceAccountToken', 'tenants.payments.values.jobNamespace', 'tenants.payments.values.serviceAccountName']);
    const vap = exported.objects[0]!;
    const sts = { metadata: { namespace: 'fn-payments', labels: { component: 'function', tenant: 'payments', namespace: 'billing', name: 'fn' } }, spec: { replicas: 1, template: { metadata: { labels: {} }, spec: { serviceAccountName: 'fn-payments', automountServiceAccountToken: false, containers: [{ name: 'pulsarfunction', image: 'apachepulsar/pulsar:4.0.8' }] } } } };
    expect(admits(vap, sts).allowed).toBe(true);
    expect(admits(vap, { ...sts, spec: { ...sts.spec, template: { ...sts.spec.template, spec: { ...sts.spec.template.spec, automountServiceAccountToken: true } } } }).messages.join()).toContain('automountServiceAccountToken');
    expect(admits(vap, { ...sts, spec: { ...sts.spec, template: { ...sts.spec.template, spec: { ...sts.spec.template.spec, serviceAccountName: 'admin' } } } }).messages.join()).toContain('serviceAccountName');
  });
});
