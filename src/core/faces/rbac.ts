/**
 * `pmc rbac`: the least-privilege Role and RoleBinding the functions worker's service account
 * needs in every namespace it deploys functions to, with exactly the verbs Pulsar's
 * Kubernetes runtime calls. When one is missing the worker still answers
 * `functions create` with "Created successfully" and nothing runs (apache/pulsar#3090,
 * #6191), so the rights are derived from the worker's settings, not guessed:
 *
 * - KubernetesRuntime: createNamespacedStatefulSet, deleteNamespacedStatefulSet,
 *   readNamespacedStatefulSet; createNamespacedService, deleteNamespacedService,
 *   readNamespacedService; listNamespacedPod (waiting for a stopped function's pods).
 * - KubernetesSecretsTokenAuthProvider (the worker's token auth): createNamespacedSecret,
 *   readNamespacedSecret, replaceNamespacedSecret, deleteNamespacedSecret, in the
 *   function's namespace.
 * - KubernetesRuntimeFactory with changeConfigMap: readNamespacedConfigMap of that one
 *   ConfigMap in changeConfigMapNamespace.
 * https://github.com/apache/pulsar/blob/master/pulsar-functions/runtime/src/main/java/org/apache/pulsar/functions/runtime/kubernetes/KubernetesRuntime.java
 * https://github.com/apache/pulsar/blob/master/pulsar-functions/runtime/src/main/java/org/apache/pulsar/functions/auth/KubernetesSecretsTokenAuthProvider.java
 */
import { Document, isMap, isSeq, type YAMLMap } from 'yaml';
import { DiagnosticSink, PmcError, type Diagnostic } from '../base/diagnostics.js';
import { readCustomRuntimeOptions, readFunctionConfig } from '../input/config.js';
import { readWorkerSettings } from '../render/factory.js';
import { mergeRuntimeOpts } from '../customize/resolve.js';
import { settingsFrom, type GivenText } from '../customize/settings.js';
import { workerSettings } from '../input/worker.js';
import { isObject } from '../base/values.js';

export interface RbacInput {
  worker: GivenText;
  /** pulsar-admin configs of the functions, whose customRuntimeOptions may name their own jobNamespace. */
  configs: GivenText[];
  /** customRuntimeOptions given on the command line, for one more function. */
  options?: GivenText;
  serviceAccount: { namespace: string; name: string };
}

interface Rule {
  apiGroups: string[];
  resources: string[];
  verbs: string[];
  resourceNames?: string[];
  /** The Pulsar calls that need it. */
  why: string;
}

const RUNTIME_RULES: Rule[] = [
  { apiGroups: ['apps'], resources: ['statefulsets'], verbs: ['create', 'delete', 'get'], why: 'KubernetesRuntime: createNamespacedStatefulSet (start), deleteNamespacedStatefulSet (stop), readNamespacedStatefulSet (waiting for the delete)' },
  { apiGroups: [''], resources: ['services'], verbs: ['create', 'delete', 'get'], why: 'KubernetesRuntime: createNamespacedService, deleteNamespacedService, readNamespacedService (waiting for the delete)' },
  { apiGroups: [''], resources: ['pods'], verbs: ['list'], why: "KubernetesRuntime: listNamespacedPod with the function's labels (waiting for its pods to go)" },
];
const TOKEN_RULE: Rule = {
  apiGroups: [''],
  resources: ['secrets'],
  verbs: ['create', 'delete', 'get', 'update'],
  why: "KubernetesSecretsTokenAuthProvider: createNamespacedSecret, readNamespacedSecret, replaceNamespacedSecret, deleteNamespacedSecret (each function's token, pf-secret-*)",
};

export interface RbacResult {
  /** The objects, as a YAML stream with each rule's reason as a comment. */
  yaml: string;
  objects: object[];
  /** Every right those objects grant, one verb on one resource each. */
  rights: Right[];
  diagnostics: Diagnostic[];
}

export function workerRbac(input: RbacInput): RbacResult {
  const sink = new DiagnosticSink();
  const ws = workerSettings(input.worker.text, input.worker.source);
  const worker = readWorkerSettings(ws.values, ws.locate, sink, ws.floatText);
  sink.throwIfErrors();
  const { settings, warnings } = settingsFrom({ worker: input.worker, validate: false });
  const applies = settings.customizer !== 'none';
  // The namespace a function lands in: the customizer's namespace option when it runs one, else the factory's.
  const namespaceOf = (fn: object): string => (applies ? mergeRuntimeOpts(settings.worker, fn).jobNamespace : undefined) || worker.factory.jobNamespace;
  const namespaces = new Map<string, string[]>();
  const add = (ns: string, why: string) => namespaces.set(ns, [...(namespaces.get(ns) ?? []), why]);
  add(namespaceOf({}), input.configs.length === 0 && !input.options ? "the worker's" : "the worker's default");
  for (const config of input.configs) {
    const fc = readFunctionConfig(config.text, config.source, sink);
    const options = fc.customRuntimeOptions !== undefined && fc.optionsOrigin ? readCustomRuntimeOptions(fc.customRuntimeOptions, fc.optionsOrigin, sink, false) : {};
    const name = [fc.identity.tenant ?? 'public', fc.identity.namespace ?? 'default', fc.identity.name ?? config.source].join('/');
    add(namespaceOf(options), name);
  }
  if (input.options) add(namespaceOf(readCustomRuntimeOptions(input.options.text, { source: input.options.source }, sink, false)), input.options.source);
  sink.throwIfErrors();
  if (applies && input.configs.length === 0 && !input.options) {
    sink.note('PMC_RBAC', "a function's customRuntimeOptions can name the namespace it runs in: give the functions' configs (-c) to cover theirs", { source: input.worker.source });
  }

  const docs: Document[] = [];
  const objects: object[] = [];
  const rights: Right[] = [];
  const sa = input.serviceAccount;
  /** One Role and its binding: written as YAML with each rule's reason, and counted as rights. */
  const grant = (roleName: string, namespace: string, rules: Rule[], comment: string) => {
    for (const r of rules) for (const resource of r.resources) for (const verb of r.verbs) rights.push({ namespace, apiGroup: r.apiGroups[0]!, resource, verb, resourceName: r.resourceNames?.[0], why: r.why });
    emit(docs, objects, role(roleName, namespace, rules), rules.map((r) => r.why), comment);
    emit(docs, objects, binding(roleName, namespace, sa), []);
  };
  const name = 'pulsar-functions-worker';
  const rules = [...RUNTIME_RULES, ...(worker.authenticationEnabled && worker.authProvider === 'secrets-token' ? [TOKEN_RULE] : [])];
  for (const [ns, who] of [...namespaces].sort(([a], [b]) => (a < b ? -1 : 1))) {
    grant(name, ns, rules, `The functions worker's rights in ${ns}, where it deploys: ${who.join(', ')}.`);
  }
  const factoryConfigs = isObject(ws.values.functionRuntimeFactoryConfigs) ? ws.values.functionRuntimeFactoryConfigs : {};
  const changeConfigMap = typeof factoryConfigs.changeConfigMap === 'string' && factoryConfigs.changeConfigMap ? factoryConfigs.changeConfigMap : undefined;
  if (changeConfigMap) {
    const cmNs = typeof factoryConfigs.changeConfigMapNamespace === 'string' && factoryConfigs.changeConfigMapNamespace ? factoryConfigs.changeConfigMapNamespace : undefined;
    if (!cmNs) {
      sink.error('PMC_RBAC', 'changeConfigMap is set but changeConfigMapNamespace is not: the worker reads the ConfigMap in no namespace and fails; set functionRuntimeFactoryConfigs.changeConfigMapNamespace', ws.locate(['functionRuntimeFactoryConfigs', 'changeConfigMap']));
    } else {
      const rule: Rule = { apiGroups: [''], resources: ['configmaps'], verbs: ['get'], resourceNames: [changeConfigMap], why: 'KubernetesRuntimeFactory: readNamespacedConfigMap of changeConfigMap, read again at intervals' };
      grant(`${name}-config`, cmNs, [rule], `The worker re-reads its factory settings from ConfigMap ${cmNs}/${changeConfigMap} (changeConfigMap).`);
    }
  }
  sink.throwIfErrors();
  return { yaml: docs.map((d) => `---\n${d.toString({ lineWidth: 0, indentSeq: false })}`).join(''), objects, rights, diagnostics: [...warnings, ...sink.items] };
}

/** One right the worker needs: a verb on a resource in a namespace, and the Pulsar call behind it. */
export interface Right {
  namespace: string;
  apiGroup: string;
  resource: string;
  verb: string;
  resourceName?: string;
  why: string;
}

function role(name: string, namespace: string, rules: Rule[]) {
  return {
    apiVersion: 'rbac.authorization.k8s.io/v1',
    kind: 'Role',
    metadata: { name, namespace, labels: { 'app.kubernetes.io/managed-by': 'pulsar-manifest-customizer' } },
    rules: rules.map(({ why: _why, ...r }) => r),
  };
}

/** The Role of the same name, bound to the worker's service account. */
function binding(name: string, namespace: string, sa: { namespace: string; name: string }) {
  return {
    apiVersion: 'rbac.authorization.k8s.io/v1',
    kind: 'RoleBinding',
    metadata: { name, namespace, labels: { 'app.kubernetes.io/managed-by': 'pulsar-manifest-customizer' } },
    roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'Role', name },
    subjects: [{ kind: 'ServiceAccount', name: sa.name, namespace: sa.namespace }],
  };
}

/** One object as a YAML document, each rule preceded by the Pulsar calls that need it. */
function emit(docs: Document[], objects: object[], object: object, whys: string[], comment?: string): void {
  const doc = new Document(object);
  if (comment && doc.contents) (doc.contents as YAMLMap).commentBefore = ` ${comment}`;
  const rules = isMap(doc.contents) ? (doc.contents as YAMLMap).get('rules', true) : undefined;
  if (isSeq(rules)) rules.items.forEach((item, i) => ((item as { commentBefore?: string }).commentBefore = ` ${whys[i]}`));
  docs.push(doc);
  objects.push(object);
}

/** `NAMESPACE:NAME` of a service account. */
export function parseServiceAccount(value: string): { namespace: string; name: string } {
  const m = /^([a-z0-9]([-a-z0-9]*[a-z0-9])?):([a-z0-9]([-a-z0-9.]*[a-z0-9])?)$/.exec(value);
  if (!m) throw new PmcError('PMC_USAGE', `--service-account takes NAMESPACE:NAME (the worker's service account), got ${JSON.stringify(value)}`);
  return { namespace: m[1]!, name: m[3]! };
}
