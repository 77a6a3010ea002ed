/**
 * The API server's rules for what pmc writes into a pod template, as Kubernetes' own
 * validation states them (pkg/apis/core/validation/validation.go: ValidateResourceRequirements,
 * validatePodSecurityContext / ValidateSecurityContext, validateSeccompProfileField,
 * ValidateAppArmorPodAnnotations) and the warnings it returns (pkg/api/pod/warnings.go), in
 * their words. Each problem at the field, each with a code.
 * https://github.com/kubernetes/kubernetes/blob/master/pkg/apis/core/validation/validation.go
 */
import type { DiagnosticSink, Location } from '../base/diagnostics.js';
import { asArray, isObject, type Obj } from '../base/values.js';

/** Kubernetes' user and group IDs: validation.IsValidUserID and IsValidGroupID. */

// Kubernetes' quantity grammar (apimachinery resource.Quantity): a signed decimal and an
// optional binary SI, decimal SI or exponent suffix.
export const QUANTITY_PATTERN = /^[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[KMGTPE]i|[numkMGTPE]|[eE][+-]?\d+)?$/;

export const MAX_ID = 2147483647;
const RANGE = `must be between 0 and ${MAX_ID}, inclusive`;

const SECCOMP_POD_ANNOTATION = 'seccomp.security.alpha.kubernetes.io/pod';
const SECCOMP_CONTAINER_PREFIX = 'container.seccomp.security.alpha.kubernetes.io/';
const APPARMOR_PREFIX = 'container.apparmor.security.beta.kubernetes.io/';

const SUFFIX: Record<string, number> = {
  n: 1e-9, u: 1e-6, m: 1e-3, '': 1, k: 1e3, M: 1e6, G: 1e9, T: 1e12, P: 1e15, E: 1e18,
  Ki: 2 ** 10, Mi: 2 ** 20, Gi: 2 ** 30, Ti: 2 ** 40, Pi: 2 ** 50, Ei: 2 ** 60,
};

/** A quantity's value, to compare two (precise to a double, which any real request or limit is). */
export function quantityValue(q: unknown): number | undefined {
  const text = typeof q === 'number' ? String(q) : q;
  if (typeof text !== 'string' || !QUANTITY_PATTERN.test(text)) return undefined;
  const m = /^([+-]?(?:\d+(?:\.\d*)?|\.\d+))([eE][+-]?\d+|[KMGTPE]i|[numkMGTPE])?$/.exec(text)!;
  const suffix = m[2] ?? '';
  return /^[eE]/.test(suffix) ? Number(m[1] + suffix) : Number(m[1]) * SUFFIX[suffix]!;
}

/** Every rule for the pod template at `spec.template` of a workload. */
export function checkPodTemplate(template: Obj, at: (path: string) => Location, sink: DiagnosticSink): void {
  const spec: Obj = isObject(template.spec) ? template.spec : {};
  const meta: Obj = isObject(template.metadata) ? template.metadata : {};
  const pod = 'spec.template.spec';
  const podSc: Obj = isObject(spec.securityContext) ? spec.securityContext : {};
  checkIds(podSc, ['runAsUser', 'runAsGroup', 'fsGroup'], `${pod}.securityContext`, at, sink);
  asArray(podSc.supplementalGroups).forEach((g, i) => {
    if (typeof g === 'number' && (g < 0 || g > MAX_ID)) sink.error('PMC_SECURITY_CONTEXT', `${g}: ${RANGE}`, at(`${pod}.securityContext.supplementalGroups[${i}]`));
  });
  checkSeccompField(podSc.seccompProfile, `${pod}.securityContext.seccompProfile`, at, sink);

  const containers: { c: Obj; path: string }[] = [];
  for (const list of ['initContainers', 'containers', 'ephemeralContainers'] as const) {
    asArray(spec[list]).forEach((c, i) => isObject(c) && containers.push({ c, path: `${pod}.${list}[${i}]` }));
  }
  for (const { c, path } of containers) {
    const sc: Obj = isObject(c.securityContext) ? c.securityContext : {};
    checkIds(sc, ['runAsUser', 'runAsGroup'], `${path}.securityContext`, at, sink);
    checkSeccompField(sc.seccompProfile, `${path}.securityContext.seccompProfile`, at, sink);
    checkRequestsWithinLimits(c, `${path}.resources`, at, sink);
  }

  // ValidateVolumeMounts: each mount of a volume the pod has.
  const volumes = new Set(asArray(spec.volumes).map((v: Obj) => v?.name));
  for (const { c, path } of containers) {
    asArray(c.volumeMounts).forEach((m: Obj, i: number) => {
      if (isObject(m) && !volumes.has(m.name)) sink.error('PMC_VOLUME_MOUNT', `container "${c.name}" mounts ${JSON.stringify(m.name)}, a volume the pod does not have: the API server refuses it (the pod's volumes: ${[...volumes].join(', ') || 'none'})`, at(`${path}.volumeMounts[${i}].name`));
    });
  }

  const annotations: Obj = isObject(meta.annotations) ? meta.annotations : {};
  const names = new Set(containers.map(({ c }) => c.name));
  for (const [key, value] of Object.entries(annotations)) {
    const where = at(`spec.template.metadata.annotations[${JSON.stringify(key)}]`);
    if (key.startsWith(APPARMOR_PREFIX)) {
      const container = key.slice(APPARMOR_PREFIX.length);
      // The seed's Example 4 names `pulsar-function`; Pulsar's container is `pulsarfunction`.
      if (!names.has(container)) sink.error('PMC_SECURITY_CONTEXT', `${JSON.stringify(container)}: container not found (the pod's containers: ${[...names].join(', ')})`, where);
      const profile = String(value ?? '');
      if (!(profile === '' || profile === 'runtime/default' || profile === 'unconfined' || profile.startsWith('localhost/'))) {
        sink.error('PMC_SECURITY_CONTEXT', `${JSON.stringify(profile)}: invalid AppArmor profile name: ${JSON.stringify(profile)}`, where);
      }
    }
  }
  // Kubernetes ignores the seccomp annotations since 1.27 and says so when no field stands beside them.
  if (SECCOMP_POD_ANNOTATION in annotations && !isObject(podSc.seccompProfile)) {
    sink.warn('PMC_DEPRECATED', `metadata.annotations[${SECCOMP_POD_ANNOTATION}]: non-functional in v1.27+; use the "seccompProfile" field instead`, at('spec.template.metadata.annotations'));
  }
  for (const { c } of containers) {
    const key = SECCOMP_CONTAINER_PREFIX + c.name;
    if (key in annotations && !(isObject(c.securityContext) && isObject(c.securityContext.seccompProfile))) {
      sink.warn('PMC_DEPRECATED', `metadata.annotations[${key}]: non-functional in v1.27+; use the "seccompProfile" field instead`, at('spec.template.metadata.annotations'));
    }
  }
}

function checkIds(sc: Obj, fields: readonly string[], path: string, at: (path: string) => Location, sink: DiagnosticSink): void {
  for (const f of fields) {
    const v = sc[f];
    if (typeof v === 'number' && (v < 0 || v > MAX_ID)) sink.error('PMC_SECURITY_CONTEXT', `${v}: ${RANGE}`, at(`${path}.${f}`));
  }
}

/** validateSeccompProfileField: a Localhost profile names its file, no other type does. */
function checkSeccompField(profile: unknown, path: string, at: (path: string) => Location, sink: DiagnosticSink): void {
  if (!isObject(profile)) return;
  const hasLocal = profile.localhostProfile !== undefined && profile.localhostProfile !== null;
  if (profile.type === 'Localhost' && !hasLocal) sink.error('PMC_SECURITY_CONTEXT', 'Required value: must be set when seccomp type is Localhost', at(`${path}.localhostProfile`));
  if (profile.type !== 'Localhost' && hasLocal) sink.error('PMC_SECURITY_CONTEXT', 'can only be set when seccomp type is Localhost', at(`${path}.localhostProfile`));
}

/** ValidateResourceRequirements: each request at most its limit. */
function checkRequestsWithinLimits(c: Obj, path: string, at: (path: string) => Location, sink: DiagnosticSink): void {
  const resources: Obj = isObject(c.resources) ? c.resources : {};
  const requests: Obj = isObject(resources.requests) ? resources.requests : {};
  const limits: Obj = isObject(resources.limits) ? resources.limits : {};
  for (const [name, request] of Object.entries(requests)) {
    if (!Object.hasOwn(limits, name)) continue;
    const r = quantityValue(request);
    const l = quantityValue(limits[name]);
    if (r !== undefined && l !== undefined && r > l) {
      sink.error('PMC_RESOURCES', `${request}: must be less than or equal to ${name} limit of ${limits[name]}`, at(`${path}.requests.${name}`));
    }
  }
}
