/**
 * A FunctionPolicy (input/policy.ts) enforced on one function: its options before anything is
 * written, its pod after. Each refusal names the function, the key, the rule and where the
 * rule is written. A boundary, like the worker's allowances: never lifted by --no-validate.
 */
import type { DiagnosticSink, Location } from '../base/diagnostics.js';
import { formatLocation } from '../base/diagnostics.js';
import { toValidLabelName, type FunctionIdentity } from '../base/naming.js';
import { asArray, isObject, type Obj } from '../base/values.js';
import { pssDiagnostics, formatPssPolicy } from '../checks/pss.js';
import { quantityValue } from '../checks/pod-rules.js';
import { jsonPath } from '../options/options.js';
import type { RuntimeOpts } from '../options/registry.js';
import { rulesFor, type FunctionPolicy, type TenantRules } from '../input/policy.js';

function functionName(identity: Partial<FunctionIdentity>): string {
  return identity.tenant && identity.namespace && identity.name ? `the function ${identity.tenant}/${identity.namespace}/${identity.name}` : 'the function';
}

function ruleAt(rules: TenantRules, rule: string): string {
  return `the policy's ${rules.scope}.${rule} (${formatLocation({ ...rules.at, path: undefined })})`;
}

/** A template's value for this function: {tenant}, {namespace}, {name} as Pulsar's label values write them. */
export function expandTemplate(template: string, identity: Partial<FunctionIdentity>): string {
  return template.replace(/\{(tenant|namespace|name)\}/g, (_, k: 'tenant' | 'namespace' | 'name') => toValidLabelName(identity[k] ?? ''));
}

/** An amount as a quantity reads: cores (`1.5`), bytes as Mi or Gi when whole. */
function formatAmount(value: number, resource: 'cpu' | 'memory'): string {
  if (resource === 'cpu') return String(Math.round(value * 1000) / 1000);
  for (const [suffix, unit] of [['Gi', 2 ** 30], ['Mi', 2 ** 20]] as const) if (value % unit === 0) return `${value / unit}${suffix}`;
  return String(value);
}

/** Every string of a value with its template expanded for this function. */
function expandAll(value: unknown, identity: Partial<FunctionIdentity>): unknown {
  if (typeof value === 'string') return expandTemplate(value, identity);
  if (Array.isArray(value)) return value.map((v) => expandAll(v, identity));
  if (isObject(value)) return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, expandAll(v, identity)]));
  return value;
}

/** The options the policy gives this function (its scope's `defaults`, templates expanded), and where they are written. */
export function policyDefaults(policy: FunctionPolicy, identity: Partial<FunctionIdentity>): { options: RuntimeOpts; beneath?: RuntimeOpts; scope: string } | undefined {
  const rules = rulesFor(policy, identity);
  const own = rules?.defaults && Object.keys(rules.defaults).length > 0 ? rules.defaults : undefined;
  if (!rules || (!own && !rules.sandbox)) return undefined;
  const named = rules.sandbox && own ? `${rules.scope}.sandbox and .defaults` : `${rules.scope}.${own ? 'defaults' : 'sandbox'}`;
  return {
    options: expandAll(own ?? {}, identity) as RuntimeOpts,
    // The sandbox's options sit beneath the scope's own defaults.
    ...(rules.sandbox ? { beneath: expandAll(rules.sandbox.defaults, identity) as RuntimeOpts } : {}),
    scope: named,
  };
}

/** `vault.hashicorp.com/*`: `*` any run of characters. */
function matches(glob: string, key: string): boolean {
  return new RegExp(`^${glob.split('*').map((p) => p.replace(/[.+?^${}()|[\]\\]/g, '\\$&')).join('.*')}$`).test(key);
}

/** The options: the keys the function may set, the values the merged options must have, the metadata keys no option may write. */
export function checkPolicyOptions(policy: FunctionPolicy, functionOptions: RuntimeOpts, merged: RuntimeOpts, identity: Partial<FunctionIdentity>, where: Location, sink: DiagnosticSink): void {
  const rules = rulesFor(policy, identity);
  if (!rules) return;
  const fn = functionName(identity);
  const fnOptions = functionOptions as Record<string, unknown>;
  if (rules.allowedOptions) {
    // A key the policy constrains in `values` may be set, within the constraint.
    for (const key of Object.keys(fnOptions)) {
      if (fnOptions[key] === undefined || rules.allowedOptions.includes(key) || rules.values?.[key]) continue;
      sink.error('PMC_POLICY', `${fn} sets ${key}, which ${ruleAt(rules, 'allowedOptions')} does not allow (${rules.allowedOptions.join(', ') || 'none'})`, { ...where, path: jsonPath('customRuntimeOptions', [key]) });
    }
  }
  for (const [key, rule] of Object.entries(rules.values ?? {})) {
    const value = (merged as Record<string, unknown>)[key];
    const text = typeof value === 'string' ? value : JSON.stringify(value);
    let problem: string | undefined;
    if ('template' in rule) {
      const wanted = expandTemplate(rule.template, identity);
      if (value !== wanted) problem = `must be ${JSON.stringify(wanted)} (${JSON.stringify(rule.template)})`;
    } else if ('enum' in rule) {
      if (value !== undefined && !rule.enum.includes(text)) problem = `must be one of ${rule.enum.map((e) => JSON.stringify(e)).join(', ')}`;
    } else if (value !== undefined && !rule.pattern.test(text)) problem = `must match ${JSON.stringify(rule.text)}`;
    if (problem) sink.error('PMC_POLICY', `${fn}: ${key} is ${value === undefined ? 'not set' : JSON.stringify(value)} and ${problem}, as ${ruleAt(rules, `values.${key}`)} says`, { ...where, path: jsonPath(key in fnOptions ? 'customRuntimeOptions' : 'runtimeCustomizerConfig', [key]) });
  }
  for (const [rule, option] of [['deniedAnnotations', 'extraAnnotations'], ['deniedLabels', 'extraLabels']] as const) {
    const denied = rules[rule];
    if (!denied) continue;
    for (const k of Object.keys(((merged as Record<string, unknown>)[option] as Record<string, unknown> | undefined) ?? {})) {
      const glob = denied.find((g) => matches(g, k));
      if (glob) sink.error('PMC_POLICY', `${fn} writes the ${rule === 'deniedLabels' ? 'label' : 'annotation'} ${k}, which ${ruleAt(rules, rule)} denies (${glob})`, { ...where, path: jsonPath(option in fnOptions && k in (fnOptions[option] as object) ? 'customRuntimeOptions' : 'runtimeCustomizerConfig', [option, k]) });
    }
  }
}

/** The customized pod: resource ceilings, image prefixes, the Pod Security floor, judged on the StatefulSet (its pods' fate). */
export function checkPolicyObject(policy: FunctionPolicy, sts: Obj, identity: Partial<FunctionIdentity>, where: Location, sink: DiagnosticSink): void {
  const rules = rulesFor(policy, identity);
  if (!rules) return;
  const fn = functionName(identity);
  const pod = isObject(sts.spec?.template?.spec) ? sts.spec.template.spec : {};
  const containers: [string, Obj][] = [];
  for (const list of ['initContainers', 'containers'] as const) asArray(pod[list]).forEach((c: Obj, i: number) => isObject(c) && containers.push([`spec.template.spec.${list}[${i}]`, c]));
  for (const [path, c] of containers) {
    for (const kind of ['requests', 'limits'] as const) {
      for (const r of ['cpu', 'memory'] as const) {
        const ceiling = rules.maxResources?.[r];
        const given = c.resources?.[kind]?.[r];
        const value = quantityValue(given);
        if (ceiling && value !== undefined && value > ceiling.value) {
          sink.error('PMC_POLICY', `${fn}: container "${c.name}" ${kind} ${r} ${given} is over ${ceiling.text}, the ceiling of ${ruleAt(rules, `maxResources.${r}`)}`, { ...where, path: `${path}.resources.${kind}.${r}` });
        }
      }
    }
    if (rules.images && typeof c.image === 'string' && !rules.images.some((p) => c.image.startsWith(p))) {
      sink.error('PMC_POLICY', `${fn}: container "${c.name}" runs ${c.image}, which ${ruleAt(rules, 'images')} does not allow (${rules.images.join(', ')})`, { ...where, path: `${path}.image` });
    }
  }
  // The function as a whole: each of its instances (Pulsar's parallelism, the StatefulSet's
  // replicas; 1 when unset, as Kubernetes defaults it) runs the pod's containers at once.
  const instances = typeof sts.spec?.replicas === 'number' ? sts.spec.replicas : 1;
  for (const r of ['cpu', 'memory'] as const) {
    const ceiling = rules.maxTotalResources?.[r];
    if (!ceiling) continue;
    for (const kind of ['requests', 'limits'] as const) {
      const perPod = asArray(pod.containers).reduce((sum: number, c: Obj) => sum + (quantityValue(c?.resources?.[kind]?.[r]) ?? 0), 0);
      if (instances * perPod > ceiling.value) {
        sink.error('PMC_POLICY', `${fn}: its ${instances} instance${instances === 1 ? '' : 's'} (spec.replicas, its parallelism) ${kind === 'requests' ? 'request' : 'are limited to'} ${r} ${formatAmount(instances * perPod, r)} in all, over ${ceiling.text}, the ceiling of ${ruleAt(rules, `maxTotalResources.${r}`)}`, { ...where, path: 'spec.replicas' });
      }
    }
  }
  if (rules.podSecurity) {
    // Pod Security admission judges the pods, not the StatefulSet: refused here, the function fails
    // visibly at its create rather than its pods at theirs (FailedCreate, nothing in its status).
    for (const d of pssDiagnostics([{ index: where.document?.index ?? 0, object: sts }], rules.podSecurity, where.source ?? '')) {
      sink.error('PMC_POLICY', `${fn}: its pods would not pass Pod Security "${formatPssPolicy(rules.podSecurity)}", the floor of ${ruleAt(rules, 'podSecurity')}: ${d.message}`, { ...where, path: d.location?.path });
    }
  }
}
