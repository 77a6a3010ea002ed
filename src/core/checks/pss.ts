/**
 * The Kubernetes Pod Security Standards, as the pod-security-admission library judges a
 * pod at a policy level and version (`restricted:v1.25`, `baseline:latest`): every check
 * ported from the library's policy/check_*.go with each of its versions, chosen for a level
 * and version as the library's registry chooses them, and worded as the library words
 * them, so a violation reads as the API server's refusal would.
 * https://github.com/kubernetes/pod-security-admission/tree/master/policy
 */
import type { Diagnostic } from '../base/diagnostics.js';
import {
  allowPrivilegeEscalation_1_8,
  allowPrivilegeEscalation_1_25,
  appArmorProfile_1_0,
  capabilitiesBaseline_1_0,
  capabilitiesRestricted_1_22,
  capabilitiesRestricted_1_25,
  hostNamespaces_1_0,
  hostPathVolumes_1_0,
  hostPorts_1_0,
  hostProbesAndHostLifecycle_1_34,
  privileged_1_0,
  procMount_1_0,
  procMount_1_35,
  restrictedVolumes_1_0,
  runAsNonRoot_1_0,
  runAsNonRoot_1_35,
  runAsUser_1_23,
  runAsUser_1_35,
  seLinuxOptions_1_0,
  seLinuxOptions_1_31,
  seccompProfileBaseline_1_0,
  seccompProfileBaseline_1_19,
  seccompProfileRestricted_1_19,
  seccompProfileRestricted_1_25,
  SYSCTLS_1_0,
  SYSCTLS_1_27,
  SYSCTLS_1_29,
  SYSCTLS_1_32,
  SYSCTLS_1_37,
  sysctls,
  windowsHostProcess_1_0,
} from './pss-checks.js';
import type { CheckPod, PssViolation } from './pss-helpers.js';

export type { PssViolation };
import { asArray, isObject, listItemsOf, type Obj } from '../base/values.js';

export type PssLevel = 'baseline' | 'restricted';
export const PSS_LEVELS: readonly PssLevel[] = ['baseline', 'restricted'];

/** The newest policy version the library knows (v1.37): what `latest` means. */
export const PSS_LATEST_MINOR = 37;

/** A level and the policy version (1.minor) it is judged at. */
export interface PssPolicy {
  level: PssLevel;
  /** The minor version asked for; `latest` is the newest the library knows. */
  minor: number | 'latest';
}

/**
 * `baseline`, `restricted:v1.25`, `restricted:latest`, as the library and the namespace
 * labels write them (`pod-security.kubernetes.io/enforce-version: v1.25`). A version past
 * the newest the library knows is judged as the newest, as the library does.
 */
export function parsePssPolicy(text: string): PssPolicy | { error: string } {
  const [level, version, ...rest] = text.split(':');
  if (!PSS_LEVELS.includes(level as PssLevel) || rest.length > 0) {
    return { error: `"${text}" is not a Pod Security level: use baseline or restricted, optionally with a version (restricted:v1.25, baseline:latest)` };
  }
  if (version === undefined || version === 'latest') return { level: level as PssLevel, minor: 'latest' };
  const m = /^v1\.(0|[1-9]\d{0,3})$/.exec(version);
  if (!m) return { error: `"${version}" is not a Pod Security policy version: use latest or v1.0 to v1.${PSS_LATEST_MINOR} (as in pod-security.kubernetes.io/enforce-version)` };
  return { level: level as PssLevel, minor: Number(m[1]) };
}

/** `restricted:v1.25`, `restricted:latest`: as admission messages name the policy. */
export function formatPssPolicy(p: PssPolicy): string {
  return `${p.level}:${p.minor === 'latest' ? 'latest' : `v1.${p.minor}`}`;
}

// --- the registry (policy/registry.go) ---

interface VersionedCheck {
  /** The first policy version (1.minor) this version of the check applies to. */
  since: number;
  run: CheckPod;
  /** Baseline checks this restricted one replaces (the library's OverrideCheckIDs). */
  overrides?: string[];
}

interface Check {
  id: string;
  level: PssLevel;
  /** Strictly increasing `since`. */
  versions: VersionedCheck[];
}

/**
 * Every check, baseline then restricted, each group in Go's byte order of the IDs: the
 * order the library reports violations in (registry.go sorts the IDs so once at start).
 */
export const CHECKS: readonly Check[] = [
  { id: 'appArmorProfile', level: 'baseline', versions: [{ since: 0, run: appArmorProfile_1_0 }] },
  { id: 'capabilities_baseline', level: 'baseline', versions: [{ since: 0, run: capabilitiesBaseline_1_0 }] },
  { id: 'hostNamespaces', level: 'baseline', versions: [{ since: 0, run: hostNamespaces_1_0 }] },
  { id: 'hostPathVolumes', level: 'baseline', versions: [{ since: 0, run: hostPathVolumes_1_0 }] },
  { id: 'hostPorts', level: 'baseline', versions: [{ since: 0, run: hostPorts_1_0 }] },
  { id: 'hostProbesAndHostLifecycle', level: 'baseline', versions: [{ since: 34, run: hostProbesAndHostLifecycle_1_34 }] },
  { id: 'privileged', level: 'baseline', versions: [{ since: 0, run: privileged_1_0 }] },
  { id: 'procMount', level: 'baseline', versions: [{ since: 0, run: procMount_1_0 }, { since: 35, run: procMount_1_35 }] },
  { id: 'seLinuxOptions', level: 'baseline', versions: [{ since: 0, run: seLinuxOptions_1_0 }, { since: 31, run: seLinuxOptions_1_31 }] },
  { id: 'seccompProfile_baseline', level: 'baseline', versions: [{ since: 0, run: seccompProfileBaseline_1_0 }, { since: 19, run: seccompProfileBaseline_1_19 }] },
  {
    id: 'sysctls',
    level: 'baseline',
    versions: [
      { since: 0, run: sysctls(SYSCTLS_1_0) },
      { since: 27, run: sysctls(SYSCTLS_1_27) },
      { since: 29, run: sysctls(SYSCTLS_1_29) },
      { since: 32, run: sysctls(SYSCTLS_1_32) },
      { since: 37, run: sysctls(SYSCTLS_1_37) },
    ],
  },
  { id: 'windowsHostProcess', level: 'baseline', versions: [{ since: 0, run: windowsHostProcess_1_0 }] },
  { id: 'allowPrivilegeEscalation', level: 'restricted', versions: [{ since: 8, run: allowPrivilegeEscalation_1_8 }, { since: 25, run: allowPrivilegeEscalation_1_25 }] },
  {
    id: 'capabilities_restricted',
    level: 'restricted',
    versions: [
      { since: 22, run: capabilitiesRestricted_1_22, overrides: ['capabilities_baseline'] },
      { since: 25, run: capabilitiesRestricted_1_25, overrides: ['capabilities_baseline'] },
    ],
  },
  // Restricted keeps the unconditional rule for user-namespace pods from 1.35 on.
  { id: 'procMount_restricted', level: 'restricted', versions: [{ since: 35, run: procMount_1_0, overrides: ['procMount'] }] },
  { id: 'restrictedVolumes', level: 'restricted', versions: [{ since: 0, run: restrictedVolumes_1_0, overrides: ['hostPathVolumes'] }] },
  { id: 'runAsNonRoot', level: 'restricted', versions: [{ since: 0, run: runAsNonRoot_1_0 }, { since: 35, run: runAsNonRoot_1_35 }] },
  { id: 'runAsUser', level: 'restricted', versions: [{ since: 23, run: runAsUser_1_23 }, { since: 35, run: runAsUser_1_35 }] },
  {
    id: 'seccompProfile_restricted',
    level: 'restricted',
    versions: [
      { since: 19, run: seccompProfileRestricted_1_19, overrides: ['seccompProfile_baseline'] },
      { since: 25, run: seccompProfileRestricted_1_25, overrides: ['seccompProfile_baseline'] },
    ],
  },
];

/** The version of a check in force at 1.minor, if the check exists yet. */
function versionAt(check: Check, minor: number): VersionedCheck | undefined {
  let found: VersionedCheck | undefined;
  for (const v of check.versions) if (v.since <= minor) found = v;
  return found;
}

/** One check's function as in force at 1.minor, run without the API defaults (the library's unit tests call them so). */
export function checkAt(id: string, minor: number): CheckPod | undefined {
  const check = CHECKS.find((c) => c.id === id);
  return check && versionAt(check, minor)?.run;
}

/** The checks a policy runs, in reporting order: restricted adds its checks and drops the baseline ones they override. */
export function checksFor(policy: PssPolicy): { id: string; run: CheckPod }[] {
  const minor = policy.minor === 'latest' ? PSS_LATEST_MINOR : Math.min(policy.minor, PSS_LATEST_MINOR);
  const active = CHECKS.filter((c) => policy.level === 'restricted' || c.level === 'baseline')
    .map((c) => ({ id: c.id, version: versionAt(c, minor) }))
    .filter((c): c is { id: string; version: VersionedCheck } => c.version !== undefined);
  const overridden = new Set(active.flatMap((c) => c.version.overrides ?? []));
  return active.filter((c) => !overridden.has(c.id)).map((c) => ({ id: c.id, run: c.version.run }));
}

/**
 * What the API server sets before admission sees a pod, where it changes a check's answer
 * (k8s.io/kubernetes pkg/apis/core/v1/defaults.go): a volume with no source becomes an
 * emptyDir (SetDefaults_Volume), and with hostNetwork every container port's hostPort
 * defaults to its containerPort (defaultHostNetworkPorts). Pod Security is enforced on the
 * pods a workload creates, so a template is judged as its pods will be.
 */
export function withApiDefaults(spec: Obj): Obj {
  const volumes = asArray(spec.volumes).map((v) => (isObject(v) && Object.keys(v).every((k) => k === 'name') ? { ...v, emptyDir: {} } : v));
  const out: Obj = { ...spec, ...(spec.volumes !== undefined ? { volumes } : {}) };
  if (spec.hostNetwork === true) {
    const defaultPorts = (list: unknown) =>
      asArray(list).map((c) =>
        isObject(c) && Array.isArray(c.ports)
          ? { ...c, ports: c.ports.map((p: unknown) => (isObject(p) && !p.hostPort && typeof p.containerPort === 'number' ? { ...p, hostPort: p.containerPort } : p)) }
          : c,
      );
    if (spec.containers !== undefined) out.containers = defaultPorts(spec.containers);
    if (spec.initContainers !== undefined) out.initContainers = defaultPorts(spec.initContainers);
  }
  return out;
}

/** Every violation of the policy by one pod's metadata and spec, in the library's order. */
export function checkPod(meta: Obj, spec: Obj, policy: PssPolicy): PssViolation[] {
  const defaulted = withApiDefaults(spec);
  const out: PssViolation[] = [];
  for (const check of checksFor(policy)) {
    const v = check.run(meta, defaulted);
    if (v) out.push({ check: check.id, ...v });
  }
  return out;
}

/** The pod template of a workload: metadata, spec, and where it sits. */
export function podTemplate(object: Obj): { meta: Obj; spec: Obj; path: string } | undefined {
  const at = (t: unknown, path: string) => (isObject(t) && isObject(t.spec) ? { meta: isObject(t.metadata) ? t.metadata : {}, spec: t.spec, path } : undefined);
  switch (object.kind) {
    case 'Pod':
      return at(object, 'spec');
    case 'CronJob':
      return at(object.spec?.jobTemplate?.spec?.template, 'spec.jobTemplate.spec.template.spec');
    case 'StatefulSet':
    case 'Deployment':
    case 'DaemonSet':
    case 'ReplicaSet':
    case 'Job':
    case 'ReplicationController':
    case 'PodTemplate':
      return at(object.kind === 'PodTemplate' ? object.template : object.spec?.template, object.kind === 'PodTemplate' ? 'template.spec' : 'spec.template.spec');
    default:
      return undefined;
  }
}

/**
 * The objects to judge in a document: the object itself, or each item of a `kind: List`
 * (or any `*List` kubectl prints), with the path to it.
 */
export function podBearers(object: Obj): { object: Obj; item?: number }[] {
  const items = listItemsOf(object);
  if (items) return items.flatMap((item: unknown, i: number) => (isObject(item) ? [{ object: item, item: i }] : []));
  return [{ object }];
}

/** The admission message: violates PodSecurity "restricted:v1.25": reason (detail), ... */
export function formatViolations(policy: PssPolicy, violations: PssViolation[]): string {
  return `violates PodSecurity "${formatPssPolicy(policy)}": ${violations.map((v) => (v.detail ? `${v.reason} (${v.detail})` : v.reason)).join(', ')}`;
}

/** One error per pod-bearing object that violates the policy. */
export function pssDiagnostics(documents: { index: number; object: unknown }[], policy: PssPolicy, source: string): Diagnostic[] {
  const out: Diagnostic[] = [];
  for (const { index, object } of documents) {
    if (!isObject(object)) continue;
    for (const { object: o, item } of podBearers(object)) {
      const t = podTemplate(o);
      if (!t) continue;
      const violations = checkPod(t.meta, t.spec, policy);
      if (violations.length === 0) continue;
      out.push({
        severity: 'error',
        code: 'PMC_PSS',
        message: formatViolations(policy, violations),
        location: { source, document: { index, item, kind: o.kind, name: o.metadata?.name }, path: t.path },
      });
    }
  }
  return out;
}
