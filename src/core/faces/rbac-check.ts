/**
 * `pmc rbac --check`: the worker's rights (rbac.ts) against the RBAC objects a cluster has
 * (`kubectl get roles,rolebindings,clusterroles,clusterrolebindings -A -o yaml`), evaluated as
 * Kubernetes' RBAC authorizer does: a RoleBinding grants its Role or ClusterRole in its own
 * namespace, a ClusterRoleBinding its ClusterRole everywhere; a subject is the service
 * account itself, its user name (system:serviceaccount:NS:NAME) or one of its groups
 * (system:serviceaccounts, system:serviceaccounts:NS, system:authenticated); a rule matches
 * with `*` for any group, resource or verb, and with resourceNames only a request that names
 * one of them (never a create or a list); an aggregated ClusterRole has the rules of every
 * ClusterRole its selectors match.
 * https://github.com/kubernetes/kubernetes/blob/master/plugin/pkg/auth/authorizer/rbac/rbac.go
 */
import type { Right } from './rbac.js';
import { isObject, listItemsOf, type Obj } from '../base/values.js';

export interface RbacObjects {
  roles: Obj[];
  clusterRoles: Obj[];
  roleBindings: Obj[];
  clusterRoleBindings: Obj[];
}

/** The RBAC objects of a stream's documents, List items included; other kinds are left out. */
export function rbacObjects(documents: unknown[]): RbacObjects {
  const out: RbacObjects = { roles: [], clusterRoles: [], roleBindings: [], clusterRoleBindings: [] };
  const take = (o: unknown) => {
    if (!isObject(o)) return;
    const items = listItemsOf(o);
    if (items) return items.forEach(take);
    if (o.apiVersion !== 'rbac.authorization.k8s.io/v1') return;
    if (o.kind === 'Role') out.roles.push(o);
    else if (o.kind === 'ClusterRole') out.clusterRoles.push(o);
    else if (o.kind === 'RoleBinding') out.roleBindings.push(o);
    else if (o.kind === 'ClusterRoleBinding') out.clusterRoleBindings.push(o);
  };
  documents.forEach(take);
  return out;
}

type Rule = { apiGroups?: string[]; resources?: string[]; verbs?: string[]; resourceNames?: string[] };

function ruleAllows(rule: Rule, right: Right): boolean {
  const has = (list: string[] | undefined, v: string) => !!list && (list.includes('*') || list.includes(v));
  if (!has(rule.apiGroups, right.apiGroup) || !has(rule.resources, right.resource) || !has(rule.verbs, right.verb)) return false;
  if (rule.resourceNames?.length) return right.resourceName !== undefined && rule.resourceNames.includes(right.resourceName);
  return true;
}

/** A label selector (matchLabels and matchExpressions) against labels. */
function selects(selector: Obj, labels: Record<string, string>): boolean {
  for (const [k, v] of Object.entries(isObject(selector.matchLabels) ? selector.matchLabels : {})) if (labels[k] !== v) return false;
  for (const e of Array.isArray(selector.matchExpressions) ? selector.matchExpressions : []) {
    const values: string[] = Array.isArray(e.values) ? e.values : [];
    const present = Object.hasOwn(labels, e.key);
    if (e.operator === 'In' && !(present && values.includes(labels[e.key]!))) return false;
    if (e.operator === 'NotIn' && present && values.includes(labels[e.key]!)) return false;
    if (e.operator === 'Exists' && !present) return false;
    if (e.operator === 'DoesNotExist' && present) return false;
  }
  return true;
}

function rulesOf(role: Obj, all: RbacObjects): Rule[] {
  const own: Rule[] = Array.isArray(role.rules) ? role.rules : [];
  const aggregation = isObject(role.aggregationRule) && Array.isArray(role.aggregationRule.clusterRoleSelectors) ? role.aggregationRule.clusterRoleSelectors : [];
  if (aggregation.length === 0) return own;
  const aggregated = all.clusterRoles.filter((c) => c !== role && aggregation.some((sel: Obj) => selects(sel, (c.metadata?.labels ?? {}) as Record<string, string>)));
  return [...own, ...aggregated.flatMap((c) => (Array.isArray(c.rules) ? c.rules : []))];
}

/** Whether a binding's subjects include the service account, by itself, its user name or a group it is in. */
function bindsAccount(binding: Obj, sa: { namespace: string; name: string }): boolean {
  const groups = ['system:serviceaccounts', `system:serviceaccounts:${sa.namespace}`, 'system:authenticated'];
  return (Array.isArray(binding.subjects) ? binding.subjects : []).some((s: Obj) => {
    if (s.kind === 'ServiceAccount') return s.name === sa.name && (s.namespace ?? binding.metadata?.namespace) === sa.namespace;
    if (s.kind === 'User') return s.name === `system:serviceaccount:${sa.namespace}:${sa.name}`;
    if (s.kind === 'Group') return groups.includes(s.name);
    return false;
  });
}

/** The rights the objects do not grant the service account. */
export function missingRights(rights: Right[], objects: RbacObjects, sa: { namespace: string; name: string }): Right[] {
  const roleRef = (binding: Obj, namespace?: string): Obj | undefined => {
    const ref = isObject(binding.roleRef) ? binding.roleRef : {};
    if (ref.kind === 'ClusterRole') return objects.clusterRoles.find((c) => c.metadata?.name === ref.name);
    if (ref.kind === 'Role') return objects.roles.find((r) => r.metadata?.name === ref.name && r.metadata?.namespace === namespace);
    return undefined;
  };
  const everywhere = objects.clusterRoleBindings.filter((b) => bindsAccount(b, sa)).map((b) => roleRef(b)).filter((r): r is Obj => !!r);
  const granted = (right: Right): boolean => {
    const here = objects.roleBindings
      .filter((b) => b.metadata?.namespace === right.namespace && bindsAccount(b, sa))
      .map((b) => roleRef(b, right.namespace))
      .filter((r): r is Obj => !!r);
    return [...everywhere, ...here].some((role) => rulesOf(role, objects).some((rule) => ruleAllows(rule, right)));
  };
  return rights.filter((r) => !granted(r));
}
