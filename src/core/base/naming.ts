/**
 * How Pulsar's KubernetesRuntime names what it creates, and the rules it checks the
 * name against (doChecks).
 */
import { createHash } from 'node:crypto';

/** The identity of a Pulsar function, source or sink: not its Kubernetes namespace. */
export interface FunctionIdentity {
  tenant: string;
  namespace: string;
  name: string;
}

export const MAX_JOB_NAME_LENGTH = 53;
const VALID_POD_NAME = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;

// Java's regex replaces per code point, so "fn😀" (one code point, two UTF-16 units) gives
// "fn-": the `u` flag makes JavaScript's do the same.
// https://github.com/apache/pulsar/blob/master/pulsar-functions/runtime/src/main/java/org/apache/pulsar/functions/runtime/kubernetes/KubernetesRuntime.java
export function toValidPodName(s: string): string {
  return s.toLowerCase().replace(/[^a-z0-9\-.]/gu, '-');
}

/** How Pulsar writes tenant, namespace and name into labels (lossy: see identity.ts). */
export function toValidLabelName(s: string): string {
  return s
    .toLowerCase()
    .replace(/[^a-zA-Z0-9\-_.]/gu, '-')
    .replace(/^[^a-zA-Z0-9]/u, '0')
    .replace(/[^a-zA-Z0-9]$/u, '0')
    .slice(0, 63);
}

function sha1Prefix(s: string): string {
  return createHash('sha1').update(s, 'utf8').digest('hex').slice(0, 8);
}

/** The StatefulSet and Service name for a custom job name (customizeName + createJobName). */
export function customJobName(option: string, id: FunctionIdentity): string {
  return `${toValidPodName(option)}-${sha1Prefix(`${option}-${id.tenant}-${id.namespace}-${id.name}`)}`;
}

/** The name Pulsar gives when no job name is set. */
export function defaultJobName(id: FunctionIdentity): string {
  const base = `${id.tenant}-${id.namespace}-${id.name}`;
  const name = `pf-${base}`;
  const valid = toValidPodName(name);
  return valid === name ? name : `${valid}-${sha1Prefix(base)}`;
}

/** Pulsar's doChecks: the reason a job name is refused, or undefined when it is fine. */
export function jobNameProblem(name: string): string | undefined {
  if (name !== name.toLowerCase()) return 'Kubernetes does not allow upper case job names';
  if (!VALID_POD_NAME.test(name)) {
    return 'Kubernetes only admits lower case letters, digits, "-" and "." (starting and ending with a letter or digit)';
  }
  if (name.length > MAX_JOB_NAME_LENGTH) {
    return `it is ${name.length} characters long; Pulsar allows at most ${MAX_JOB_NAME_LENGTH}`;
  }
  return undefined;
}
