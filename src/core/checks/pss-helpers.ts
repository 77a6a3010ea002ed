/**
 * The pod-security-admission library's helpers (policy/helpers.go, policy/visitor.go), for
 * the checks in pss-checks.ts: the same joins, plurals, orders and quoting, so that every
 * message reads word for word as the library's.
 * https://github.com/kubernetes/pod-security-admission/blob/master/policy/helpers.go
 */
import { asArray, isObject, type Obj } from '../base/values.js';


export interface PssViolation {
  /** The library's check ID, e.g. allowPrivilegeEscalation. */
  check: string;
  reason: string;
  detail: string;
}

export type Result = Omit<PssViolation, 'check'> | undefined;
export type CheckPod = (meta: Obj, spec: Obj) => Result;
export type Container = Obj & { name?: string };

export const joinQuote = (items: string[]) => (items.length ? `"${items.join('", "')}"` : '');
export const pluralize = (one: string, many: string, n: number) => (n === 1 ? one : many);
/** sets.NewString(...).List(): unique, in Go's byte order (code point order, not UTF-16's). */
export const sortedSet = (items: Iterable<string>) => [...new Set(items)].sort(goCompare);
export const containersPhrase = (names: string[]) => `${pluralize('container', 'containers', names.length)} ${joinQuote(names)}`;
/** "pod and containers "a"": who set a forbidden value. */
export const settersPhrase = (pod: boolean, names: string[]) => [...(pod ? ['pod'] : []), ...(names.length ? [containersPhrase(names)] : [])].join(' and ');

export function goCompare(a: string, b: string): number {
  const x = [...a];
  const y = [...b];
  for (let i = 0; i < Math.min(x.length, y.length); i++) {
    const d = x[i]!.codePointAt(0)! - y[i]!.codePointAt(0)!;
    if (d !== 0) return d;
  }
  return x.length - y.length;
}

/** Go's %q (strconv.Quote) for the strings these messages quote. */
export function goQuote(s: string): string {
  const named: Record<string, string> = { '"': '\\"', '\\': '\\\\', '\x07': '\\a', '\b': '\\b', '\f': '\\f', '\n': '\\n', '\r': '\\r', '\t': '\\t', '\v': '\\v' };
  let out = '"';
  for (const ch of s) {
    const cp = ch.codePointAt(0)!;
    if (named[ch]) out += named[ch];
    else if (cp < 0x20 || cp === 0x7f) out += `\\x${cp.toString(16).padStart(2, '0')}`;
    else out += ch;
  }
  return `${out}"`;
}

/** initContainers, containers, then ephemeralContainers: the library's visiting order. */
export function containers(spec: Obj): Container[] {
  return [...asArray(spec.initContainers), ...asArray(spec.containers), ...asArray(spec.ephemeralContainers)].filter(isObject);
}
export const sc = (o: Obj): Obj => (isObject(o.securityContext) ? o.securityContext : {});
export const nameOf = (c: Container) => (typeof c.name === 'string' ? c.name : '');
export const isWindows = (spec: Obj) => isObject(spec.os) && spec.os.name === 'windows';
/** relaxPolicyForUserNamespacePod: the pod runs in a user namespace (hostUsers: false). */
export const inUserNamespace = (spec: Obj) => spec.hostUsers === false;

