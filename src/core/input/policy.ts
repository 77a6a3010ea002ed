/**
 * A FunctionPolicy: what each Pulsar tenant's functions may ask for (`--policy FILE`). Read
 * with every problem at its key, all at once. The rules per tenant ("payments"), per tenant and
 * Pulsar namespace ("payments/billing"), and a default for the rest:
 *
 *   allowedOptions     the customRuntimeOptions keys a function may set
 *   values             per option: a template over the function's identity ("fn-{tenant}"),
 *                      or {enum: [...]}, or {pattern: REGEX}, the merged value must meet (a
 *                      function may set a key named here, within its rule)
 *   maxResources       cpu and memory ceilings for each container's requests and limits
 *   maxTotalResources  cpu and memory ceilings for the function as a whole: its instances (the
 *                      StatefulSet's replicas, Pulsar's parallelism) times its pod's containers' requests, and limits
 *   images             the image prefixes every container of the pod must start with
 *   deniedAnnotations, deniedLabels   key patterns (`*` for any run) no option may write
 *   podSecurity        the Pod Security level the pod template must pass (restricted:v1.30)
 *   sandbox            true, or {namespace, brokerLabels, workerLabels} (where Pulsar runs): the
 *                      registry's SANDBOX options beneath the scope's defaults, the options it
 *                      pins, a restricted floor, and (pmc policy export) a default-deny
 *                      NetworkPolicy letting only the brokers and the worker in and out
 *   defaults           options the policy gives the scope's functions, as a level between the
 *                      worker's runtimeCustomizerConfig and the function's customRuntimeOptions
 *                      (strings may hold {tenant}, {namespace}, {name})
 */
import { closest } from 'fastest-levenshtein';
import { DiagnosticSink, PmcError, type Location } from '../base/diagnostics.js';
import { isObject, type Obj } from '../base/values.js';
import { formatPath } from '../base/paths.js';
import { parsePssPolicy, type PssPolicy } from '../checks/pss.js';
import { quantityValue } from '../checks/pod-rules.js';
import { similar } from '../options/options.js';
import { OPTION_KEYS, SANDBOX, type RuntimeOpts } from '../options/registry.js';
import { readYamlFile } from './parse.js';
import { readRuntimeOpts } from './config.js';

export type Ceilings = { cpu?: { text: string; value: number }; memory?: { text: string; value: number } };

export type ValueRule = { template: string } | { enum: string[] } | { pattern: RegExp; text: string };

export interface TenantRules {
  /** Where these rules are written (`tenants.payments`, `default`), for messages. */
  scope: string;
  at: Location;
  allowedOptions?: string[];
  values?: Record<string, ValueRule>;
  maxResources?: Ceilings;
  maxTotalResources?: Ceilings;
  images?: string[];
  deniedAnnotations?: string[];
  deniedLabels?: string[];
  podSecurity?: PssPolicy;
  defaults?: RuntimeOpts;
  sandbox?: Sandbox;
}

/** A sandboxed scope: the sandbox's options, and where Pulsar's brokers and worker run (for the NetworkPolicy). */
export interface Sandbox {
  defaults: RuntimeOpts;
  at: Location;
  /** The Kubernetes namespace of the brokers and the worker (the Helm chart's release namespace). */
  namespace: string;
  brokerLabels: Record<string, string>;
  workerLabels: Record<string, string>;
}

/** The Apache Pulsar Helm chart's: brokers labelled component: broker, the functions worker running inside them. */
const SANDBOX_NETWORK = { namespace: 'pulsar', brokerLabels: { component: 'broker' } };

export interface FunctionPolicy {
  source: string;
  default?: TenantRules;
  tenants: Record<string, TenantRules>;
}

const RULE_KEYS = ['allowedOptions', 'values', 'maxResources', 'maxTotalResources', 'images', 'deniedAnnotations', 'deniedLabels', 'podSecurity', 'defaults', 'sandbox'];

export function readPolicy(text: string, source: string): FunctionPolicy {
  const { values: top, locate } = readYamlFile(text, source, {}, 'policy');
  const sink = new DiagnosticSink();
  const at = (path: (string | number)[], key = false): Location => ({ ...(locate(path, { key }) ?? { source }), path: formatPath(path) });
  if (!isObject(top) || top.kind !== 'FunctionPolicy') {
    throw new PmcError('PMC_POLICY', 'a policy is a YAML map with kind: FunctionPolicy (apiVersion pmc.pulsar/v1alpha1)', { location: at(['kind']) });
  }
  for (const k of Object.keys(top)) {
    if (!['apiVersion', 'kind', 'metadata', 'default', 'tenants'].includes(k)) sink.error('PMC_POLICY', `unknown key "${k}": a policy has default and tenants`, at([k], true));
  }
  const rules = (raw: unknown, path: string[]): TenantRules | undefined => {
    if (!isObject(raw)) {
      sink.error('PMC_POLICY', `expected a map of rules (${RULE_KEYS.join(', ')})`, at(path));
      return undefined;
    }
    const out: TenantRules = { scope: formatPath(path), at: at(path) };
    for (const [k, v] of Object.entries(raw)) {
      const here = [...path, k];
      if (!RULE_KEYS.includes(k)) {
        const near = closest(k, RULE_KEYS);
        sink.error('PMC_POLICY', `unknown rule "${k}"${similar(k, near) ? `; did you mean "${near}"?` : ` (the rules: ${RULE_KEYS.join(', ')})`}`, at(here, true));
        continue;
      }
      if (k === 'allowedOptions') out.allowedOptions = optionList(v, here);
      else if (k === 'sandbox') {
        if (v === false) continue;
        const given = v === true ? {} : v;
        if (!isObject(given)) {
          sink.error('PMC_POLICY', 'expected true, or {namespace, brokerLabels, workerLabels}: where the Pulsar brokers and worker run', at(here));
          continue;
        }
        for (const key of Object.keys(given)) if (!['namespace', 'brokerLabels', 'workerLabels'].includes(key)) sink.error('PMC_POLICY', `unknown key "${key}": a sandbox has namespace, brokerLabels and workerLabels`, at([...here, key], true));
        const labels = (key: 'brokerLabels' | 'workerLabels', fallback: Record<string, string>): Record<string, string> => {
          const l = given[key];
          if (l === undefined) return fallback;
          if (isObject(l) && Object.values(l).every((x) => typeof x === 'string')) return l as Record<string, string>;
          sink.error('PMC_POLICY', 'expected a map of label to value', at([...here, key]));
          return fallback;
        };
        if (given.namespace !== undefined && typeof given.namespace !== 'string') sink.error('PMC_POLICY', 'expected the Kubernetes namespace of the brokers and the worker', at([...here, 'namespace']));
        const brokerLabels = labels('brokerLabels', SANDBOX_NETWORK.brokerLabels);
        out.sandbox = {
          defaults: readRuntimeOpts(SANDBOX.defaults, { root: 'sandbox', sink, workerFile: true }),
          at: at(here),
          namespace: typeof given.namespace === 'string' ? given.namespace : SANDBOX_NETWORK.namespace,
          brokerLabels,
          workerLabels: labels('workerLabels', brokerLabels),
        };
      }
      else if (k === 'defaults') {
        // Read as the worker's runtimeCustomizerConfig is, every problem at its key; an unknown key is an error here.
        if (!isObject(v)) sink.error('PMC_POLICY', 'expected a map of option to value, as runtimeCustomizerConfig holds them', at(here));
        else out.defaults = readRuntimeOpts(v, { root: formatPath(here), locate: (p, opts) => locate([...here, ...p], opts), strict: true, workerFile: true, sink });
      }
      else if (k === 'images' || k === 'deniedAnnotations' || k === 'deniedLabels') out[k] = stringList(v, here);
      else if (k === 'podSecurity') {
        const p = typeof v === 'string' ? parsePssPolicy(v) : { error: 'expected a level such as restricted:v1.30' };
        if ('error' in p) sink.error('PMC_POLICY', p.error, at(here));
        else out.podSecurity = p;
      } else if (k === 'maxResources' || k === 'maxTotalResources') {
        if (!isObject(v)) sink.error('PMC_POLICY', 'expected {cpu: QUANTITY, memory: QUANTITY}', at(here));
        else {
          const ceilings: Ceilings = (out[k] = {});
          for (const [r, q] of Object.entries(v)) {
            if (r !== 'cpu' && r !== 'memory') sink.error('PMC_POLICY', `unknown resource "${r}": the ceilings are cpu and memory`, at([...here, r], true));
            else if (quantityValue(q) === undefined) sink.error('PMC_POLICY', `${JSON.stringify(q)} is not a Kubernetes quantity`, at([...here, r]));
            else ceilings[r] = { text: String(q), value: quantityValue(q)! };
          }
        }
      } else if (k === 'values') {
        if (!isObject(v)) sink.error('PMC_POLICY', 'expected a map of option to rule', at(here));
        else {
          out.values = {};
          for (const [key, rule] of Object.entries(v as Obj)) {
            const where = [...here, key];
            if (!knownOption(key, where)) continue;
            if (typeof rule === 'string') out.values[key] = { template: rule };
            else if (isObject(rule) && Array.isArray(rule.enum) && rule.enum.every((e) => typeof e === 'string')) out.values[key] = { enum: rule.enum };
            else if (isObject(rule) && typeof rule.pattern === 'string') {
              try {
                out.values[key] = { pattern: new RegExp(`^(?:${rule.pattern})$`), text: rule.pattern };
              } catch (e) {
                sink.error('PMC_POLICY', `the pattern is not a regular expression: ${(e as Error).message}`, at([...where, 'pattern']));
              }
            } else sink.error('PMC_POLICY', 'expected a template ("fn-{tenant}"), {enum: [...]} or {pattern: REGEX}', at(where));
          }
        }
      }
    }
    if (out.sandbox) {
      // The options the sandbox pins: each must stay the scope's default (its own, else the sandbox's).
      out.values ??= {};
      for (const key of SANDBOX.pinned) {
        const value = (out.defaults as Record<string, unknown> | undefined)?.[key] ?? (out.sandbox.defaults as Record<string, unknown>)[key];
        out.values[key] ??= typeof value === 'string' ? { template: value } : { enum: [JSON.stringify(value)] };
      }
      out.podSecurity ??= parsePssPolicy('restricted') as PssPolicy;
    }
    return out;
  };
  const knownOption = (key: string, path: (string | number)[]): boolean => {
    if ((OPTION_KEYS as string[]).includes(key)) return true;
    const near = closest(key, OPTION_KEYS as string[]);
    sink.error('PMC_POLICY', `"${key}" is no option${similar(key, near) ? `; did you mean "${near}"?` : ''}`, at(path));
    return false;
  };
  const stringList = (v: unknown, path: string[]): string[] | undefined => {
    if (Array.isArray(v) && v.every((x) => typeof x === 'string')) return v;
    sink.error('PMC_POLICY', 'expected a list of strings', at(path));
    return undefined;
  };
  const optionList = (v: unknown, path: string[]): string[] | undefined => {
    const list = stringList(v, path);
    return list?.filter((k, i) => knownOption(k, [...path, i]));
  };
  const policy: FunctionPolicy = { source, tenants: {} };
  if (top.default !== undefined) policy.default = rules(top.default, ['default']);
  if (top.tenants !== undefined) {
    if (!isObject(top.tenants)) sink.error('PMC_POLICY', 'expected a map of tenant (or tenant/namespace) to rules', at(['tenants']));
    else for (const [name, raw] of Object.entries(top.tenants)) {
      const r = rules(raw, ['tenants', name]);
      if (r) policy.tenants[name] = r;
    }
  }
  sink.throwIfErrors();
  return policy;
}

/** The rules for one function: its tenant/namespace's, else its tenant's, else the default. */
export function rulesFor(policy: FunctionPolicy, identity: { tenant?: string; namespace?: string }): TenantRules | undefined {
  return policy.tenants[`${identity.tenant}/${identity.namespace}`] ?? (identity.tenant !== undefined ? policy.tenants[identity.tenant] : undefined) ?? policy.default;
}
