/**
 * `pmc policy export`: the rules of a FunctionPolicy that can be judged on the final
 * StatefulSet, compiled to the cluster's own admission policy, for teams that want no webhook
 * in the path: a ValidatingAdmissionPolicy and its binding (admissionregistration.k8s.io/v1,
 * GA since Kubernetes 1.30), or a Kyverno CEL ValidatingPolicy (policies.kyverno.io/v1alpha1,
 * the same shape); and for each sandboxed scope, its default-deny NetworkPolicy. https://kubernetes.io/docs/reference/access-authn-authz/validating-admission-policy/
 *
 * The policy matches a function's StatefulSet by Pulsar's labels (KubernetesRuntime labels
 * what it creates component, tenant, namespace and name) and picks the rules as pmc does:
 * the tenant/namespace's, else the tenant's, else the default. The labels are Pulsar's
 * toValidLabelName of the identity, which is also what a template's {tenant}, {namespace} and
 * {name} expand to, so a template compares with the labels exactly.
 *
 * What the object cannot show is listed in the output, never dropped: allowedOptions (which
 * keys a function set is in its embedded details, a JSON string CEL cannot read; the values
 * they lead to are judged by the other rules), a value rule on an option that is not one
 * field of the StatefulSet (the job name is hashed; maps and lists), and podSecurity (the
 * pod-security-admission checks are Go code; label the namespace instead).
 */
import { Document, isMap, isSeq, type YAMLMap } from 'yaml';
import { formatLocation } from '../base/diagnostics.js';
import { toValidLabelName } from '../base/naming.js';
import { entryOf, type OptionKey } from '../options/registry.js';
import { formatPssPolicy } from '../checks/pss.js';
import type { FunctionPolicy, TenantRules, ValueRule } from '../input/policy.js';
import type { Obj } from '../base/values.js';

import { POLICY_EXPORT_FORMATS, type PolicyExportFormat as ExportFormat } from '../customize/formats.js';

export { POLICY_EXPORT_FORMATS, type ExportFormat };

/** One rule as CEL: where it is written, the expression, the message a refusal carries. */
export interface ExportedRule {
  /** `tenants.payments.maxResources.cpu` */
  rule: string;
  /** Where the rule is written (file:line). */
  at: string;
  /** The scope key the CEL compares `variables.scope` with. */
  scope: string;
  expression: string;
  message: string;
}

export interface NotExported {
  rule: string;
  at: string;
  why: string;
}

export interface PolicyExport {
  rules: ExportedRule[];
  notExported: NotExported[];
  /** Rules exported that the object judges otherwise than pmc does, each with how. */
  differences: NotExported[];
  objects: Obj[];
}

const CONTAINERS = 'variables.containers';
const POD = 'object.spec.template.spec';

/** A CEL string literal (single-quoted, backslash and quote escaped). */
function lit(s: string): string {
  return `'${s.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'`;
}

/** `vault.hashicorp.com/*` as an RE2 pattern: `*` any run of characters, the rest literal. */
function globPattern(glob: string): string {
  return `^${glob.split('*').map((p) => p.replace(/[.+?^${}()|[\]\\]/g, '\\$&')).join('.*')}$`;
}

/** The one StatefulSet field an option writes, when it writes exactly one scalar field there. */
function fieldOf(key: OptionKey): string | undefined {
  const entry = entryOf(key);
  const targets = entry.targets.filter((t) => t.kind === 'StatefulSet');
  if (targets.length !== 1 || targets[0]!.path.includes('[]') || !['string', 'bool', 'int', 'enum'].includes(entry.spec.t)) return undefined;
  return `object.${targets[0]!.path}`;
}

/** A template over the identity as CEL: {tenant}, {namespace}, {name} from Pulsar's labels. */
function templateCel(template: string): string {
  const parts = template.split(/(\{(?:tenant|namespace|name)\})/).filter((p) => p !== '');
  return parts.map((p) => (/^\{(tenant|namespace|name)\}$/.test(p) ? `variables.labels.${p.slice(1, -1)}` : lit(p))).join(' + ') || "''";
}

function hasField(field: string): string {
  return `has(${field})`;
}

/**
 * A value rule on one field. pmc compares the option's value as its JSON text, so a boolean
 * or a number is compared as its literal (`false`, `30`), which CEL writes the same way; a
 * pattern reads a number's text with string(), and a boolean's as 'true' or 'false'.
 */
function valueCel(field: string, rule: ValueRule, type: string): string {
  if ('template' in rule) return `${hasField(field)} && ${field} == ${templateCel(rule.template)}`;
  const literal = (e: string) => (type === 'bool' && (e === 'true' || e === 'false')) || (type === 'int' && /^-?\d+$/.test(e)) ? e : lit(e);
  if ('enum' in rule) {
    const values = rule.enum.filter((e) => type === 'string' || type === 'enum' || literal(e) === e);
    return `!${hasField(field)} || ${field} in [${values.map(literal).join(', ')}]`;
  }
  const text = type === 'bool' ? `(${field} ? 'true' : 'false')` : type === 'int' ? `string(${field})` : field;
  return `!${hasField(field)} || ${text}.matches(${lit(`^(?:${rule.text})$`)})`;
}

/** Every rule of one scope as CEL, or the reason it cannot be. */
function scopeRules(rules: TenantRules, scope: string, out: PolicyExport): void {
  const at = formatLocation({ ...rules.at, path: undefined });
  const add = (rule: string, expression: string, message: string) => out.rules.push({ rule: `${rules.scope}.${rule}`, at, scope, expression, message });
  const skip = (rule: string, why: string) => out.notExported.push({ rule: `${rules.scope}.${rule}`, at, why });
  if (rules.allowedOptions) skip('allowedOptions', "which customRuntimeOptions keys a function set is in its embedded function details, a JSON string CEL cannot read (the values they lead to are judged by the other rules; pmc webhook or --policy judges the keys)");
  for (const [key, rule] of Object.entries(rules.values ?? {})) {
    const field = fieldOf(key as OptionKey);
    if (!field || ('template' in rule && (entryOf(key as OptionKey).spec as { t: string }).t !== 'string')) {
      skip(`values.${key}`, `${key} is not one field of the StatefulSet that its value can be read from (it writes several, or a map or list, or Pulsar transforms it)`);
      continue;
    }
    // A field Pulsar fills whether or not an option sets it: on the object, an enum or a pattern
    // judges the value there, which the worker's default gives a function that sets nothing.
    const filled = entryOf(key as OptionKey).pulsarFills;
    if (filled && !('template' in rule)) {
      out.differences.push({ rule: `${rules.scope}.values.${key}`, at, why: `judged on ${field.slice('object.'.length)}, which holds ${filled} when no option sets ${key}: a function that sets nothing is denied unless that value meets the rule (pmc lets an unset ${key} pass)` });
    }
    const wanted = 'template' in rule ? `be ${JSON.stringify(rule.template)}` : 'enum' in rule ? `be one of ${rule.enum.join(', ')}` : `match ${rule.text}`;
    add(`values.${key}`, valueCel(field, rule, entryOf(key as OptionKey).spec.t), `${key} (${field.slice('object.'.length)}) must ${wanted}`);
  }
  for (const r of ['cpu', 'memory'] as const) {
    const ceiling = rules.maxResources?.[r];
    if (!ceiling) continue;
    for (const kind of ['requests', 'limits'] as const) {
      add(
        `maxResources.${r}`,
        `${CONTAINERS}.all(c, !has(c.resources) || !has(c.resources.${kind}) || !(${lit(r)} in c.resources.${kind}) || !quantity(c.resources.${kind}[${lit(r)}]).isGreaterThan(quantity(${lit(ceiling.text)})))`,
        `every container's ${kind} ${r} must be at most ${ceiling.text}`,
      );
    }
  }
  for (const r of ['cpu', 'memory'] as const) {
    const ceiling = rules.maxTotalResources?.[r];
    if (!ceiling) continue;
    for (const kind of ['requests', 'limits'] as const) {
      // Kubernetes' lists library (sum) and quantity library (asApproximateFloat), both in 1.30's admission CEL.
      const perPod = `${POD}.containers.map(c, has(c.resources) && has(c.resources.${kind}) && ${lit(r)} in c.resources.${kind} ? quantity(c.resources.${kind}[${lit(r)}]).asApproximateFloat() : 0.0).sum()`;
      add(`maxTotalResources.${r}`, `(has(object.spec.replicas) ? double(object.spec.replicas) : 1.0) * ${perPod} <= quantity(${lit(ceiling.text)}).asApproximateFloat()`, `the function's instances (spec.replicas) times its containers' ${kind} ${r} must be at most ${ceiling.text}`);
    }
  }
  if (rules.images) add('images', `${CONTAINERS}.all(c, !has(c.image) || [${rules.images.map(lit).join(', ')}].exists(p, c.image.startsWith(p)))`, `every container's image must start with ${rules.images.join(' or ')}`);
  for (const [rule, field] of [['deniedAnnotations', 'annotations'], ['deniedLabels', 'labels']] as const) {
    const denied = rules[rule];
    if (!denied?.length) continue;
    const pattern = denied.map(globPattern).join('|');
    const none = (meta: string) => `!has(${meta}.${field}) || ${meta}.${field}.all(k, !k.matches(${lit(pattern)}))`;
    add(rule, `(${none('object.metadata')}) && (!has(object.spec.template.metadata) || ${none('object.spec.template.metadata')})`, `no ${field === 'labels' ? 'label' : 'annotation'} may match ${denied.join(', ')}`);
  }
  if (rules.sandbox) sandboxNetwork(rules, scope, out, skip);
  if (rules.podSecurity) {
    skip('podSecurity', `the Pod Security checks are the pod-security-admission library's Go code, not CEL: label the functions' namespace pod-security.kubernetes.io/enforce=${rules.podSecurity.level} and pod-security.kubernetes.io/warn=${rules.podSecurity.level} (warn judges the StatefulSet's template at its create, enforce only its pods), and keep ${formatPssPolicy(rules.podSecurity)} in pmc webhook or pmc customize --policy`);
  }
}

/** The ports of a function's pod (KubernetesRuntime: the instance's gRPC server, its metrics) and of a broker (binary and HTTP, plain and TLS). */
const INSTANCE_PORTS = [9093, 9094];
const BROKER_PORTS = [6650, 6651, 8080, 8443];

/**
 * A sandboxed scope's default-deny NetworkPolicy, in the namespace its functions run in: in,
 * only the worker (its gRPC health checks and metrics); out, only the brokers (messages, and
 * the admin API the pod downloads the function's code from) and the cluster's DNS. A connector
 * that reaches an outside system needs a NetworkPolicy of its own beside it.
 */
function sandboxNetwork(rules: TenantRules, scope: string, out: PolicyExport, skip: (rule: string, why: string) => void): void {
  const sandbox = rules.sandbox!;
  const [tenant, namespace] = scope === '' ? [] : scope.split('/');
  // The functions' namespace: the scope's jobNamespace template or default, for this scope's identity.
  const value = rules.values?.jobNamespace;
  const template = value && 'template' in value ? value.template : typeof (rules.defaults as Record<string, unknown> | undefined)?.jobNamespace === 'string' ? ((rules.defaults as Record<string, unknown>).jobNamespace as string) : undefined;
  const known: Record<string, string | undefined> = { tenant, namespace };
  const where = template?.replace(/\{(tenant|namespace|name)\}/g, (m, k: string) => known[k] ?? m);
  if (!where || /\{(tenant|namespace|name)\}/.test(where)) {
    skip('sandbox', !template ? "its NetworkPolicy needs the namespace the scope's functions run in: give the scope a jobNamespace (a values template, or a default)" : `its NetworkPolicy needs one namespace, and ${JSON.stringify(template)} differs by function in this scope: give each tenant a scope of its own`);
    return;
  }
  const pulsar = (labels: Record<string, string>) => ({ namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': sandbox.namespace } }, podSelector: { matchLabels: labels } });
  const tcp = (ports: number[]) => ports.map((port) => ({ protocol: 'TCP', port }));
  out.objects.push({
    apiVersion: 'networking.k8s.io/v1',
    kind: 'NetworkPolicy',
    metadata: { name: `pmc-sandbox-${scope.replace('/', '-')}`, namespace: where, labels: { 'app.kubernetes.io/managed-by': 'pmc' } },
    spec: {
      podSelector: {
        matchExpressions: [
          { key: 'component', operator: 'In', values: ['function', 'source', 'sink'] },
          ...(tenant ? [{ key: 'tenant', operator: 'In', values: [tenant] }] : []),
          ...(namespace ? [{ key: 'namespace', operator: 'In', values: [namespace] }] : []),
        ],
      },
      policyTypes: ['Ingress', 'Egress'],
      ingress: [{ from: [pulsar(sandbox.workerLabels)], ports: tcp(INSTANCE_PORTS) }],
      egress: [
        { to: [pulsar(sandbox.brokerLabels)], ports: tcp(BROKER_PORTS) },
        { to: [{ namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'kube-system' } }, podSelector: { matchLabels: { 'k8s-app': 'kube-dns' } } }], ports: [{ protocol: 'UDP', port: 53 }, { protocol: 'TCP', port: 53 }] },
      ],
    },
  });
}

/** The scopes as the labels write them: tenant/namespace, tenant, and default. */
function scopes(policy: FunctionPolicy): { key: string; rules: TenantRules }[] {
  const out: { key: string; rules: TenantRules }[] = [];
  for (const [name, rules] of Object.entries(policy.tenants)) {
    const [tenant, namespace] = name.split('/');
    out.push({ key: namespace === undefined ? toValidLabelName(tenant!) : `${toValidLabelName(tenant!)}/${toValidLabelName(namespace)}`, rules });
  }
  if (policy.default) out.push({ key: '', rules: policy.default });
  return out;
}

export function exportPolicy(policy: FunctionPolicy, format: ExportFormat, name = 'pmc-function-policy'): PolicyExport {
  const out: PolicyExport = { rules: [], notExported: [], differences: [], objects: [] };
  const all = scopes(policy);
  for (const { key, rules } of all) scopeRules(rules, key, out);
  // The sandboxes' NetworkPolicies go after the admission policy.
  const networkPolicies = out.objects.splice(0);
  const withNamespace = all.filter((s) => s.key.includes('/')).map((s) => lit(s.key));
  const tenants = all.filter((s) => s.key !== '' && !s.key.includes('/')).map((s) => lit(s.key));
  const spec = {
    failurePolicy: 'Fail',
    matchConstraints: { resourceRules: [{ apiGroups: ['apps'], apiVersions: ['v1'], operations: ['CREATE', 'UPDATE'], resources: ['statefulsets'] }] },
    matchConditions: [
      {
        name: 'pulsar-function',
        expression: "has(object.metadata.labels) && ['component', 'tenant', 'namespace', 'name'].all(k, k in object.metadata.labels)",
      },
    ],
    variables: [
      { name: 'labels', expression: 'object.metadata.labels' },
      {
        name: 'scope',
        expression: `variables.labels.tenant + '/' + variables.labels.namespace in [${withNamespace.join(', ')}] ? variables.labels.tenant + '/' + variables.labels.namespace : variables.labels.tenant in [${tenants.join(', ')}] ? variables.labels.tenant : ''`,
      },
      { name: 'containers', expression: `(has(${POD}.initContainers) ? ${POD}.initContainers : []) + ${POD}.containers` },
    ],
    validations: out.rules.map((r) => ({
      expression: `variables.scope != ${lit(r.scope)} || (${r.expression})`,
      message: `pmc FunctionPolicy ${r.rule} (${r.at}): ${r.message}`,
      reason: 'Forbidden',
    })),
  };
  const metadata = { name, labels: { 'app.kubernetes.io/managed-by': 'pmc' } };
  if (format === 'vap') {
    out.objects.push({ apiVersion: 'admissionregistration.k8s.io/v1', kind: 'ValidatingAdmissionPolicy', metadata, spec });
    out.objects.push({ apiVersion: 'admissionregistration.k8s.io/v1', kind: 'ValidatingAdmissionPolicyBinding', metadata: { ...metadata, name: `${name}-binding` }, spec: { policyName: name, validationActions: ['Deny'] } });
  } else {
    const { failurePolicy, ...rest } = spec;
    out.objects.push({ apiVersion: 'policies.kyverno.io/v1alpha1', kind: 'ValidatingPolicy', metadata, spec: { failurePolicy, validationActions: ['Deny'], ...rest } });
  }
  out.objects.push(...networkPolicies);
  return out;
}

/** The export as a YAML stream: what was not exported first, as comments, then each object, each validation commented with its rule. */
export function printExport(exported: PolicyExport, policySource: string): string {
  const head = [`# Compiled by pmc policy export from ${policySource}.`];
  if (exported.notExported.length) {
    head.push('# Not exported (judge these with pmc webhook or pmc customize --policy):');
    for (const n of exported.notExported) head.push(`#   ${n.rule} (${n.at}): ${n.why}`);
  }
  if (exported.differences.length) {
    head.push('# Exported, judged otherwise than pmc judges it:');
    for (const n of exported.differences) head.push(`#   ${n.rule} (${n.at}): ${n.why}`);
  }
  const docs = exported.objects.map((o) => {
    const doc = new Document(o, { aliasDuplicateObjects: false });
    const validations = doc.getIn(['spec', 'validations'], true);
    if (isSeq(validations)) {
      validations.items.forEach((item, i) => {
        const r = exported.rules[i]!;
        (item as YAMLMap).commentBefore = ` from ${r.rule} (${r.at})`;
      });
    }
    if (isMap(doc.contents)) doc.contents.flow = false;
    return doc.toString({ lineWidth: 0 });
  });
  return `${head.join('\n')}\n${docs.map((d) => `---\n${d}`).join('')}`;
}

