/**
 * Kubernetes' rules on the values options write, in the API server's words: label,
 * annotation, namespace and name syntax, a toleration's fields, capabilities, the selector a
 * StatefulSet must keep, what a read-only root needs, the resources Pulsar never applies.
 * https://github.com/kubernetes/kubernetes/blob/master/pkg/apis/core/validation/validation.go
 */
import { asArray, isObject, type Obj } from '../base/values.js';
import { type ResourceRequirements, type SecurityContextOpts, type StringMap, type Toleration } from './options.js';
import { workingDirOf, writablePaths } from './presets.js';
import { PULSAR_RESOURCES } from './writers.js';
import { containerCommandLine } from '../base/workloads.js';
import type { CheckContext } from './contexts.js';
import { PROBE_PRESETS, type Probe } from './probes.js';

// Kubernetes' apimachinery validation rules.
const DNS1123_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
const DNS1123_SUBDOMAIN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;
const DNS1035_LABEL = /^[a-z]([-a-z0-9]*[a-z0-9])?$/;
const QUALIFIED_NAME = /^([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]$/;
const LABEL_VALUE = /^(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?$/;
const MAX_ANNOTATIONS_BYTES = 256 * 1024;

/** Why `key` is not a valid label or annotation key, or undefined. */
export function qualifiedNameProblem(key: string): string | undefined {
  const slash = key.lastIndexOf('/');
  const prefix = slash === -1 ? undefined : key.slice(0, slash);
  const name = slash === -1 ? key : key.slice(slash + 1);
  if (prefix !== undefined && (prefix.length === 0 || prefix.length > 253 || !DNS1123_SUBDOMAIN.test(prefix))) {
    return 'its prefix must be a DNS subdomain: lower case letters, digits, "-" and ".", at most 253 characters';
  }
  if (name.length === 0 || name.length > 63) return 'its name part must be 1 to 63 characters';
  if (!QUALIFIED_NAME.test(name)) {
    return 'its name part must consist of letters, digits, "-", "_" or ".", and start and end with a letter or digit';
  }
  return undefined;
}

export function labelValueProblem(value: string): string | undefined {
  if (value.length > 63) return 'a label value must be at most 63 characters';
  if (!LABEL_VALUE.test(value)) {
    return 'a label value must be empty or consist of letters, digits, "-", "_" or ".", and start and end with a letter or digit';
  }
  return undefined;
}

export function namespaceProblem(ns: string): string | undefined {
  if (ns.length > 63 || !DNS1123_LABEL.test(ns)) {
    return 'a namespace must be a DNS label: lower case letters, digits and "-", starting and ending with a letter or digit, at most 63 characters';
  }
  return undefined;
}

export function serviceNameProblem(name: string): string | undefined {
  if (name.length > 63 || !DNS1035_LABEL.test(name)) {
    return 'a Service name must be a DNS-1035 label: lower case letters, digits and "-", starting with a letter, at most 63 characters';
  }
  return undefined;
}

// --- the options' checks, one per rule; the registry says which option runs which ---

/** Label keys and values (the extra labels, the node selector), each problem at the entry's path. */
export function checkLabels(value: StringMap, { at, sink }: CheckContext): void {
  for (const [k, v] of Object.entries(value)) {
    const keyProblem = qualifiedNameProblem(k);
    if (keyProblem) sink.error('PMC_LABEL_KEY', `"${k}" is not a valid label key: ${keyProblem}`, at([k]));
    const valueProblem = labelValueProblem(v);
    if (valueProblem) sink.error('PMC_LABEL_VALUE', `${JSON.stringify(v)}: ${valueProblem}`, at([k]));
  }
}

/** Annotation keys, and their total size (Kubernetes' 256 KiB). */
export function checkAnnotations(value: StringMap, { at, sink }: CheckContext): void {
  let annotationBytes = 0;
  for (const [k, v] of Object.entries(value)) {
    const keyProblem = qualifiedNameProblem(k);
    if (keyProblem) sink.error('PMC_ANNOTATION_KEY', `"${k}" is not a valid annotation key: ${keyProblem}`, at([k]));
    annotationBytes += k.length + v.length;
  }
  if (annotationBytes > MAX_ANNOTATIONS_BYTES) {
    sink.error('PMC_ANNOTATION_SIZE', `the annotations add up to ${annotationBytes} bytes; Kubernetes allows 262144 in all`, at([]));
  }
}

export function checkNamespace(value: string, { at, sink }: CheckContext): void {
  const problem = value ? namespaceProblem(value) : undefined;
  if (problem) sink.error('PMC_NAMESPACE', `"${value}" is refused: ${problem}`, at([]));
}

/** A name Kubernetes gives an object (a service account, a PriorityClass, a RuntimeClass): a DNS-1123 subdomain. */
export function checkObjectName(what: string) {
  return (value: string, { at, sink }: CheckContext): void => {
    if (value !== '' && (value.length > 253 || !DNS1123_SUBDOMAIN.test(value))) {
      sink.error('PMC_NAME', `${JSON.stringify(value)} is not ${what}: lowercase letters, digits, "-" and ".", starting and ending with a letter or digit, at most 253 characters`, at([]));
    }
  };
}

/** imagePullSecrets: each a Secret's name. */
export function checkSecretRefs(value: { name: string }[], { at, sink }: CheckContext): void {
  value.forEach((ref, i) => {
    if (!ref.name) sink.error('PMC_NAME', 'an image pull secret needs the name of a Secret', at([i]));
    else if (ref.name.length > 253 || !DNS1123_SUBDOMAIN.test(ref.name)) sink.error('PMC_NAME', `${JSON.stringify(ref.name)} is not a Secret's name`, at([i, 'name']));
  });
}

/** An option that is one Kubernetes object (its fields then checked against the schema of the result). */
export function checkIsObject(what: string) {
  return (value: unknown, { at, sink }: CheckContext): void => {
    if (value === null || typeof value !== 'object' || Array.isArray(value)) sink.error('PMC_OPTIONS_TYPE', `expected ${what}, got ${JSON.stringify(value)}`, at([]));
  };
}

/** Pulsar's function auth providers' volumes: never replaced, never shadowed. */
const AUTH_VOLUMES = ['function-auth', 'service-account-token', 'ca-cert'];

/**
 * Named items added beside what Pulsar put there (environment variables in the container,
 * the pod's volumes and init containers): each needs a name, none may take a name Pulsar's objects already
 * use (the instance reads POD_NAME; the auth provider's volumes), and none twice.
 */
export function checkAddedByName(key: string, what: string, inContainer?: (c: Obj) => unknown, inPod?: (pod: Obj) => unknown) {
  return (value: { name: string }[], { at, sink, workload }: CheckContext): void => {
    const pod = (workload?.spec?.template?.spec ?? {}) as Obj;
    const taken = new Set<string>(
      (inPod ? asArray(inPod(pod)) : asArray(pod.containers).flatMap((c: Obj) => asArray(inContainer?.(c)))).map((x: Obj) => x?.name).filter((n): n is string => typeof n === 'string'),
    );
    if (inPod && key.endsWith('Volumes')) for (const n of AUTH_VOLUMES) taken.add(n);
    const seen = new Set<string>();
    value.forEach((item, i) => {
      if (!isObject(item) || typeof item.name !== 'string' || item.name === '') {
        sink.error('PMC_OPTIONS_TYPE', `${what} needs a name`, at([i]));
        return;
      }
      if (taken.has(item.name)) {
        const whose = AUTH_VOLUMES.includes(item.name) && taken.has(item.name) && key.endsWith('Volumes') ? "the name of Pulsar's function auth provider's volume" : "a name Pulsar's StatefulSet already uses";
        sink.error('PMC_NAME', `${key}: ${JSON.stringify(item.name)} is ${whose}; ${what} is added beside Pulsar's, never in place of it: choose another name`, at([i, 'name']));
      }
      if (seen.has(item.name)) sink.error('PMC_NAME', `${key}: ${JSON.stringify(item.name)} is given twice`, at([i, 'name']));
      seen.add(item.name);
    });
  };
}

/** The volume types a function may add on its own: none reaches the node or another claim. */
const SAFE_VOLUME_TYPES = ['emptyDir', 'configMap', 'secret', 'projected'];

/** Why a function's added volumes need the worker's allowance: a type beyond emptyDir, configMap, secret and projected. */
export function volumesNeedingAllowance(fn: { name: string }[]): string | undefined {
  const other = fn.flatMap((v) => (isObject(v) ? Object.keys(v).filter((k) => k !== 'name' && !SAFE_VOLUME_TYPES.includes(k)) : []));
  return other.length ? `a ${[...new Set(other)].join(', ')} volume reaches beyond the pod; only ${SAFE_VOLUME_TYPES.join(', ')} ones do not` : undefined;
}

/** Mounts: each of a volume the pod has (its own or one added), at an absolute path no other mount uses. */
export function checkVolumeMounts(value: { name: string; mountPath: string }[], { at, sink, workload }: CheckContext): void {
  const containers = asArray(workload?.spec?.template?.spec?.containers);
  const used = new Set<string>(containers.flatMap((c: Obj) => asArray(c.volumeMounts)).map((m: Obj) => m?.mountPath));
  value.forEach((m, i) => {
    if (!m.name) sink.error('PMC_OPTIONS_TYPE', 'a volume mount needs the name of a volume', at([i]));
    if (!m.mountPath?.startsWith('/')) sink.error('PMC_OPTIONS_TYPE', `a volume mount needs an absolute mountPath, got ${JSON.stringify(m.mountPath)}`, at([i, 'mountPath']));
    else if (used.has(m.mountPath)) sink.error('PMC_NAME', `${JSON.stringify(m.mountPath)} is mounted already in Pulsar's container; a mount is added beside Pulsar's, never over it`, at([i, 'mountPath']));
    used.add(m.mountPath);
  });
}

/** A probe: an object, its preset one pmc knows (the rest is the Kubernetes schema's to check, on the result). */
export function checkProbe(value: Probe, { at, sink }: CheckContext): void {
  if (!isObject(value)) {
    sink.error('PMC_OPTIONS_TYPE', `expected a Kubernetes Probe or {"preset": "grpc"}, got ${JSON.stringify(value)}`, at([]));
    return;
  }
  if (value.preset !== undefined && !(PROBE_PRESETS as readonly unknown[]).includes(value.preset)) {
    sink.error('PMC_OPTIONS_TYPE', `unknown probe preset ${JSON.stringify(value.preset)}: one of ${PROBE_PRESETS.join(', ')}`, at(['preset']));
  }
}

/** ValidateTolerations, in the API server's words. */
export function checkTolerations(value: Toleration[], { at, sink }: CheckContext): void {
  value.forEach((t, i) => {
    const keyProblem = t.key ? qualifiedNameProblem(t.key) : undefined;
    if (keyProblem) sink.error('PMC_TOLERATION', `"${t.key}" is not a valid toleration key: ${keyProblem}`, at([i, 'key']));
    if (!t.key && t.operator !== 'Exists') sink.error('PMC_TOLERATION', 'operator must be Exists when `key` is empty, which means "match all values and all keys"', at([i, 'operator']));
    if (t.tolerationSeconds !== undefined && t.effect !== 'NoExecute') sink.error('PMC_TOLERATION', "effect must be 'NoExecute' when `tolerationSeconds` is set", at([i, 'effect']));
    if (t.operator === 'Exists' && t.value) sink.error('PMC_TOLERATION', "value must be empty when `operator` is 'Exists'", at([i, 'value']));
    const valueProblem = t.operator !== 'Exists' && t.value ? labelValueProblem(t.value) : undefined;
    if (valueProblem) sink.error('PMC_TOLERATION', `${JSON.stringify(t.value)}: ${valueProblem}`, at([i, 'value']));
  });
}

/** Capabilities written `CAP_X`: Kubernetes names them without the prefix. */
export function checkCapabilityNames(sc: SecurityContextOpts, { at, sink }: CheckContext): void {
  for (const field of ['addCapabilities', 'dropCapabilities'] as const) {
    (sc[field] ?? []).forEach((cap, i) => {
      if (/^CAP_/i.test(cap)) {
        sink.warn(
          'PMC_CAPABILITY_NAME',
          `"${cap}": Kubernetes names capabilities without the CAP_ prefix ("${cap.replace(/^CAP_/i, '')}"); as written, the container runtime may not recognize it`,
          at([field, i]),
        );
      }
    });
  }
}

/**
 * readOnlyRootFilesystem without a preset: the instance still writes its logs, its downloaded
 * code, extracted NARs and /tmp (read off the command Pulsar generated), and each write fails
 * unless a volume is mounted there. The presets mount an emptyDir at each.
 */
export function checkReadOnlyRoot(sc: SecurityContextOpts, { at, sink, workload }: CheckContext): void {
  if (sc.imageWorkingDir !== undefined && !sc.imageWorkingDir.startsWith('/')) {
    sink.error('PMC_OPTIONS_VALUE', `imageWorkingDir must be an absolute path (the image's WORKDIR), got ${JSON.stringify(sc.imageWorkingDir)}`, at(['imageWorkingDir']));
  }
  if (sc.readOnlyRootFilesystem !== true || sc.preset) return;
  for (const c of asArray(workload?.spec?.template?.spec?.containers)) {
    if (!isObject(c)) continue;
    const command = containerCommandLine(c);
    const mounted = asArray(c.volumeMounts).map((m: { mountPath?: string }) => m?.mountPath).filter((p): p is string => typeof p === 'string');
    const within = (p: string, dir: string) => p === dir || p.startsWith(dir === '/' ? '/' : `${dir}/`);
    const needed = writablePaths(command, workingDirOf(c, sc.imageWorkingDir)).filter((w) => !mounted.some((m) => within(w.path, m)));
    // /tmp/pulsar-nar is named by /tmp.
    const unwritable = needed.filter((w) => !needed.some((o) => o.path !== w.path && within(w.path, o.path)));
    if (unwritable.length === 0) continue;
    sink.warn(
      'PMC_READ_ONLY_ROOT',
      `readOnlyRootFilesystem: true, but container "${c.name}" writes to ${unwritable.map((w) => w.path).join(', ')}, where nothing writable is mounted, so the function fails; add "preset": "restricted" (it mounts an emptyDir at each), or mount volumes there`,
      at(['readOnlyRootFilesystem']),
    );
  }
}

/**
 * Special case, selector protection: an extra label may overwrite one the StatefulSet
 * selects its pods by (Pulsar's `component`, say). Pulsar applies it anyway; the API server
 * then refuses the StatefulSet, and the Service would select no pod.
 */
export function checkSelectorKept(value: StringMap, { at, sink, workload }: CheckContext): void {
  const selected = workload?.spec?.selector?.matchLabels;
  if (!isObject(selected)) return;
  for (const [k, v] of Object.entries(value)) {
    if (Object.hasOwn(selected, k) && selected[k] !== v) {
      sink.error(
        'PMC_SELECTOR_MISMATCH',
        `${JSON.stringify(v)} would replace the pod label ${k}: ${JSON.stringify(selected[k])}, which the StatefulSet's selector and its Service select pods by; the API server refuses a StatefulSet whose selector does not match its template (use another label key)`,
        at([k]),
      );
    }
  }
}

/** A resource other than cpu and memory, in either level of options: Pulsar never applies it. */
export function warnIgnoredResources(value: ResourceRequirements, { at, sink }: CheckContext): void {
  for (const kind of ['limits', 'requests'] as const) {
    for (const r of Object.keys(value[kind] ?? {})) {
      if ((PULSAR_RESOURCES as readonly string[]).includes(r)) continue;
      sink.warn('PMC_RESOURCE_IGNORED', `"${r}" never reaches a container: Pulsar applies only cpu and memory`, at([kind, r]));
    }
  }
}
