/**
 * The Kubernetes Pod Security Standards, as the pod-security-admission library judges a
 * pod at a policy level and version (`restricted:v1.25`, `baseline:latest`): every check
 * ported from the library's policy/check_*.go with each of its versions, chosen for a level
 * and version as the library's registry chooses them, and worded as the library words
 * them, so a violation reads as the API server's refusal would.
 * https://github.com/kubernetes/pod-security-admission/tree/master/policy
 */
import type { Diagnostic } from './diagnostics.js';
import { asArray, isObject, type Obj } from './values.js';

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

export interface PssViolation {
  /** The library's check ID, e.g. allowPrivilegeEscalation. */
  check: string;
  reason: string;
  detail: string;
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

// --- the library's helpers (policy/helpers.go, policy/visitor.go) ---

type Result = Omit<PssViolation, 'check'> | undefined;
type CheckPod = (meta: Obj, spec: Obj) => Result;
type Container = Obj & { name?: string };

const joinQuote = (items: string[]) => (items.length ? `"${items.join('", "')}"` : '');
const pluralize = (one: string, many: string, n: number) => (n === 1 ? one : many);
/** sets.NewString(...).List(): unique, in Go's byte order (code point order, not UTF-16's). */
const sortedSet = (items: Iterable<string>) => [...new Set(items)].sort(goCompare);
const containersPhrase = (names: string[]) => `${pluralize('container', 'containers', names.length)} ${joinQuote(names)}`;
/** "pod and containers "a"": who set a forbidden value. */
const settersPhrase = (pod: boolean, names: string[]) => [...(pod ? ['pod'] : []), ...(names.length ? [containersPhrase(names)] : [])].join(' and ');

function goCompare(a: string, b: string): number {
  const x = [...a];
  const y = [...b];
  for (let i = 0; i < Math.min(x.length, y.length); i++) {
    const d = x[i]!.codePointAt(0)! - y[i]!.codePointAt(0)!;
    if (d !== 0) return d;
  }
  return x.length - y.length;
}

/** Go's %q (strconv.Quote) for the strings these messages quote. */
function goQuote(s: string): string {
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
function containers(spec: Obj): Container[] {
  return [...asArray(spec.initContainers), ...asArray(spec.containers), ...asArray(spec.ephemeralContainers)].filter(isObject);
}
const sc = (o: Obj): Obj => (isObject(o.securityContext) ? o.securityContext : {});
const nameOf = (c: Container) => (typeof c.name === 'string' ? c.name : '');
const isWindows = (spec: Obj) => isObject(spec.os) && spec.os.name === 'windows';
/** relaxPolicyForUserNamespacePod: the pod runs in a user namespace (hostUsers: false). */
const inUserNamespace = (spec: Obj) => spec.hostUsers === false;

// --- the checks, one function per check version, each beside its upstream file ---

// https://github.com/kubernetes/pod-security-admission/blob/master/policy/check_allowPrivilegeEscalation.go
function allowPrivilegeEscalation_1_8(_meta: Obj, spec: Obj): Result {
  const bad = containers(spec).filter((c) => sc(c).allowPrivilegeEscalation !== false).map(nameOf);
  return bad.length ? { reason: 'allowPrivilegeEscalation != false', detail: `${containersPhrase(bad)} must set securityContext.allowPrivilegeEscalation=false` } : undefined;
}
/** Since 1.25 the library admits a pod with spec.os.name: windows: the API server refuses those fields there. */
const exemptWindows = (check: CheckPod): CheckPod => (meta, spec) => (isWindows(spec) ? undefined : check(meta, spec));
const allowPrivilegeEscalation_1_25 = exemptWindows(allowPrivilegeEscalation_1_8);

// https://github.com/kubernetes/pod-security-admission/blob/master/policy/check_appArmorProfile.go
const APPARMOR_ANNOTATION_PREFIX = 'container.apparmor.security.beta.kubernetes.io/';
const allowedAppArmorType = (t: unknown) => t === 'RuntimeDefault' || t === 'Localhost';
const allowedAppArmorAnnotation = (v: string) => v === '' || v === 'runtime/default' || v.startsWith('localhost/');
function appArmorProfile_1_0(meta: Obj, spec: Obj): Result {
  const setters: string[] = [];
  const badValues = new Set<string>();
  const podProfile = sc(spec).appArmorProfile;
  if (isObject(podProfile) && !allowedAppArmorType(podProfile.type)) {
    setters.push('pod');
    badValues.add(String(podProfile.type ?? ''));
  }
  const bad: string[] = [];
  for (const c of containers(spec)) {
    const p = sc(c).appArmorProfile;
    if (isObject(p) && !allowedAppArmorType(p.type)) {
      bad.push(nameOf(c));
      badValues.add(String(p.type ?? ''));
    }
  }
  if (bad.length) setters.push(containersPhrase(bad));
  const values = sortedSet(badValues);
  const annotations = Object.entries(isObject(meta.annotations) ? meta.annotations : {})
    .filter(([k, v]) => k.startsWith(APPARMOR_ANNOTATION_PREFIX) && !allowedAppArmorAnnotation(String(v ?? '')))
    .map(([k, v]) => `${k}=${goQuote(String(v ?? ''))}`)
    .sort(goCompare);
  if (annotations.length) {
    values.push(...annotations);
    setters.push(pluralize('annotation', 'annotations', annotations.length));
  }
  return setters.length
    ? { reason: pluralize('forbidden AppArmor profile', 'forbidden AppArmor profiles', values.length), detail: `${setters.join(' and ')} must not set AppArmor profile type to ${joinQuote(values)}` }
    : undefined;
}

// https://github.com/kubernetes/pod-security-admission/blob/master/policy/check_capabilities_baseline.go
const DEFAULT_CAPABILITIES = new Set(['AUDIT_WRITE', 'CHOWN', 'DAC_OVERRIDE', 'FOWNER', 'FSETID', 'KILL', 'MKNOD', 'NET_BIND_SERVICE', 'SETFCAP', 'SETGID', 'SETPCAP', 'SETUID', 'SYS_CHROOT']);
const capabilityList = (c: Container, which: 'add' | 'drop') => asArray(isObject(sc(c).capabilities) ? sc(c).capabilities[which] : undefined).map(String);
function capabilitiesBaseline_1_0(_meta: Obj, spec: Obj): Result {
  const bad: string[] = [];
  const added = new Set<string>();
  for (const c of containers(spec)) {
    const forbidden = capabilityList(c, 'add').filter((x) => !DEFAULT_CAPABILITIES.has(x));
    if (forbidden.length) bad.push(nameOf(c));
    forbidden.forEach((x) => added.add(x));
  }
  return bad.length ? { reason: 'non-default capabilities', detail: `${containersPhrase(bad)} must not include ${joinQuote(sortedSet(added))} in securityContext.capabilities.add` } : undefined;
}

// https://github.com/kubernetes/pod-security-admission/blob/master/policy/check_capabilities_restricted.go
function capabilitiesRestricted_1_22(_meta: Obj, spec: Obj): Result {
  const missingDropAll: string[] = [];
  const adding: string[] = [];
  const forbidden = new Set<string>();
  for (const c of containers(spec)) {
    if (!isObject(sc(c).capabilities)) {
      missingDropAll.push(nameOf(c));
      continue;
    }
    if (!capabilityList(c, 'drop').includes('ALL')) missingDropAll.push(nameOf(c));
    const extra = capabilityList(c, 'add').filter((x) => x !== 'NET_BIND_SERVICE');
    if (extra.length) adding.push(nameOf(c));
    extra.forEach((x) => forbidden.add(x));
  }
  const details: string[] = [];
  if (missingDropAll.length) details.push(`${containersPhrase(missingDropAll)} must set securityContext.capabilities.drop=["ALL"]`);
  if (adding.length) details.push(`${containersPhrase(adding)} must not include ${joinQuote(sortedSet(forbidden))} in securityContext.capabilities.add`);
  return details.length ? { reason: 'unrestricted capabilities', detail: details.join('; ') } : undefined;
}
const capabilitiesRestricted_1_25 = exemptWindows(capabilitiesRestricted_1_22);

// https://github.com/kubernetes/pod-security-admission/blob/master/policy/check_hostNamespaces.go
function hostNamespaces_1_0(_meta: Obj, spec: Obj): Result {
  const used = (['hostNetwork', 'hostPID', 'hostIPC'] as const).filter((k) => spec[k] === true).map((k) => `${k}=true`);
  return used.length ? { reason: 'host namespaces', detail: used.join(', ') } : undefined;
}

// https://github.com/kubernetes/pod-security-admission/blob/master/policy/check_hostPathVolumes.go
function hostPathVolumes_1_0(_meta: Obj, spec: Obj): Result {
  const bad = asArray(spec.volumes).filter((v) => isObject(v) && isObject(v.hostPath)).map((v) => String(v.name ?? ''));
  return bad.length ? { reason: 'hostPath volumes', detail: `${pluralize('volume', 'volumes', bad.length)} ${joinQuote(bad)}` } : undefined;
}

// https://github.com/kubernetes/pod-security-admission/blob/master/policy/check_hostPorts.go
function hostPorts_1_0(_meta: Obj, spec: Obj): Result {
  const bad: string[] = [];
  const ports = new Set<string>();
  for (const c of containers(spec)) {
    const used = asArray(c.ports).filter((p) => isObject(p) && typeof p.hostPort === 'number' && p.hostPort !== 0).map((p) => String(p.hostPort));
    if (used.length) bad.push(nameOf(c));
    used.forEach((p) => ports.add(p));
  }
  const list = sortedSet(ports);
  return bad.length
    ? { reason: 'hostPort', detail: `${containersPhrase(bad)} ${pluralize('uses', 'use', bad.length)} ${pluralize('hostPort', 'hostPorts', list.length)} ${list.join(', ')}` }
    : undefined;
}

// https://github.com/kubernetes/pod-security-admission/blob/master/policy/check_hostProbesAndhostLifecycle.go
function hostProbesAndHostLifecycle_1_34(_meta: Obj, spec: Obj): Result {
  const bad = new Set<string>();
  const hosts = new Set<string>();
  for (const c of containers(spec)) {
    const lifecycle = isObject(c.lifecycle) ? c.lifecycle : {};
    for (const handler of [c.livenessProbe, c.readinessProbe, c.startupProbe, lifecycle.postStart, lifecycle.preStop]) {
      if (!isObject(handler)) continue;
      for (const action of [handler.httpGet, handler.tcpSocket]) {
        if (isObject(action) && typeof action.host === 'string' && action.host !== '') {
          bad.add(nameOf(c));
          hosts.add(action.host);
        }
      }
    }
  }
  const names = sortedSet(bad);
  return names.length
    ? {
        reason: 'probe or lifecycle host',
        detail: `${containersPhrase(names)} ${pluralize('uses', 'use', names.length)} ${pluralize('probe or lifecycle host', 'probe or lifecycle hosts', hosts.size)} ${joinQuote(sortedSet(hosts))}`,
      }
    : undefined;
}

// https://github.com/kubernetes/pod-security-admission/blob/master/policy/check_privileged.go
function privileged_1_0(_meta: Obj, spec: Obj): Result {
  const bad = containers(spec).filter((c) => sc(c).privileged === true).map(nameOf);
  return bad.length ? { reason: 'privileged', detail: `${containersPhrase(bad)} must not set securityContext.privileged=true` } : undefined;
}

// https://github.com/kubernetes/pod-security-admission/blob/master/policy/check_procMount_baseline.go
function procMount_1_0(_meta: Obj, spec: Obj): Result {
  const bad: string[] = [];
  const types = new Set<string>();
  for (const c of containers(spec)) {
    const pm = sc(c).procMount;
    if (pm !== undefined && pm !== null && pm !== 'Default') {
      bad.push(nameOf(c));
      types.add(String(pm));
    }
  }
  return bad.length ? { reason: 'procMount', detail: `${containersPhrase(bad)} must not set securityContext.procMount to ${joinQuote(sortedSet(types))}` } : undefined;
}
/** Since 1.35 baseline allows any procMount in a user namespace; restricted keeps procMount_1_0. */
const relaxInUserNamespace = (check: CheckPod): CheckPod => (meta, spec) => (inUserNamespace(spec) ? undefined : check(meta, spec));
const procMount_1_35 = relaxInUserNamespace(procMount_1_0);

// https://github.com/kubernetes/pod-security-admission/blob/master/policy/check_restrictedVolumes.go
const ALLOWED_VOLUME_SOURCES = ['configMap', 'csi', 'downwardAPI', 'emptyDir', 'ephemeral', 'image', 'persistentVolumeClaim', 'projected', 'secret'];
/** The restricted sources, in the order the library tests them: the first one set names the type. */
const RESTRICTED_VOLUME_SOURCES = ['hostPath', 'gcePersistentDisk', 'awsElasticBlockStore', 'gitRepo', 'nfs', 'iscsi', 'glusterfs', 'rbd', 'flexVolume', 'cinder', 'cephfs', 'flocker', 'fc', 'azureFile', 'vsphereVolume', 'quobyte', 'azureDisk', 'photonPersistentDisk', 'portworxVolume', 'scaleIO', 'storageos'];
function restrictedVolumes_1_0(_meta: Obj, spec: Obj): Result {
  const bad: string[] = [];
  const types = new Set<string>();
  for (const v of asArray(spec.volumes)) {
    if (!isObject(v) || ALLOWED_VOLUME_SOURCES.some((s) => isObject(v[s]))) continue;
    bad.push(String(v.name ?? ''));
    types.add(RESTRICTED_VOLUME_SOURCES.find((s) => isObject(v[s])) ?? 'unknown');
  }
  const list = sortedSet(types);
  return bad.length
    ? {
        reason: 'restricted volume types',
        detail: `${pluralize('volume', 'volumes', bad.length)} ${joinQuote(bad)} ${pluralize('uses', 'use', bad.length)} ${pluralize('restricted volume type', 'restricted volume types', list.length)} ${joinQuote(list)}`,
      }
    : undefined;
}

// https://github.com/kubernetes/pod-security-admission/blob/master/policy/check_runAsNonRoot.go
function runAsNonRoot_1_0(_meta: Obj, spec: Obj): Result {
  const podValue = sc(spec).runAsNonRoot;
  const podBad = podValue === false;
  const podTrue = podValue === true;
  const explicit: string[] = [];
  const implicit: string[] = [];
  for (const c of containers(spec)) {
    const v = sc(c).runAsNonRoot;
    if (v === true || v === false) {
      if (v === false) explicit.push(nameOf(c));
    } else if (!podTrue) implicit.push(nameOf(c));
  }
  if (podBad || explicit.length) return { reason: 'runAsNonRoot != true', detail: `${settersPhrase(podBad, explicit)} must not set securityContext.runAsNonRoot=false` };
  return implicit.length ? { reason: 'runAsNonRoot != true', detail: `pod or ${containersPhrase(implicit)} must set securityContext.runAsNonRoot=true` } : undefined;
}
const runAsNonRoot_1_35 = relaxInUserNamespace(runAsNonRoot_1_0);

// https://github.com/kubernetes/pod-security-admission/blob/master/policy/check_runAsUser.go
function runAsUser_1_23(_meta: Obj, spec: Obj): Result {
  const podBad = sc(spec).runAsUser === 0;
  const bad = containers(spec).filter((c) => sc(c).runAsUser === 0).map(nameOf);
  return podBad || bad.length ? { reason: 'runAsUser=0', detail: `${settersPhrase(podBad, bad)} must not set runAsUser=0` } : undefined;
}
const runAsUser_1_35 = relaxInUserNamespace(runAsUser_1_23);

// https://github.com/kubernetes/pod-security-admission/blob/master/policy/check_seLinuxOptions.go
const SELINUX_TYPES_1_0 = ['', 'container_t', 'container_init_t', 'container_kvm_t'];
const SELINUX_TYPES_1_31 = [...SELINUX_TYPES_1_0, 'container_engine_t'];
function seLinuxOptions(allowedTypes: string[]): CheckPod {
  return (_meta, spec) => {
    const badTypes = new Set<string>();
    let setUser = false;
    let setRole = false;
    const valid = (o: Obj) => {
      let ok = true;
      const type = typeof o.type === 'string' ? o.type : '';
      if (!allowedTypes.includes(type)) (ok = false), badTypes.add(type);
      if (typeof o.user === 'string' && o.user !== '') (ok = false), (setUser = true);
      if (typeof o.role === 'string' && o.role !== '') (ok = false), (setRole = true);
      return ok;
    };
    const podOpts = sc(spec).seLinuxOptions;
    const podBad = isObject(podOpts) && !valid(podOpts);
    const bad = containers(spec).filter((c) => isObject(sc(c).seLinuxOptions) && !valid(sc(c).seLinuxOptions)).map(nameOf);
    if (!podBad && !bad.length) return undefined;
    const data: string[] = [];
    if (badTypes.size) data.push(`${pluralize('type', 'types', badTypes.size)} ${joinQuote(sortedSet(badTypes))}`);
    if (setUser) data.push('user may not be set');
    if (setRole) data.push('role may not be set');
    return { reason: 'seLinuxOptions', detail: `${settersPhrase(podBad, bad)} set forbidden securityContext.seLinuxOptions: ${data.join('; ')}` };
  };
}
const seLinuxOptions_1_0 = seLinuxOptions(SELINUX_TYPES_1_0);
const seLinuxOptions_1_31 = seLinuxOptions(SELINUX_TYPES_1_31);

// https://github.com/kubernetes/pod-security-admission/blob/master/policy/check_seccompProfile_baseline.go
const SECCOMP_POD_ANNOTATION = 'seccomp.security.alpha.kubernetes.io/pod';
const SECCOMP_CONTAINER_ANNOTATION_PREFIX = 'container.seccomp.security.alpha.kubernetes.io/';
const validSeccomp = (t: unknown) => t === 'RuntimeDefault' || t === 'Localhost';
const validSeccompAnnotation = (v: string) => v === 'runtime/default' || v === 'docker/default' || v.startsWith('localhost/');
/** Before 1.19 seccomp was set by annotations. */
function seccompProfileBaseline_1_0(meta: Obj, spec: Obj): Result {
  const annotations: Obj = isObject(meta.annotations) ? meta.annotations : {};
  const forbidden = new Set<string>();
  const judge = (key: string) => {
    if (!Object.prototype.hasOwnProperty.call(annotations, key)) return;
    const v = String(annotations[key] ?? '');
    if (!validSeccompAnnotation(v)) forbidden.add(`${key}=${goQuote(v)}`);
  };
  judge(SECCOMP_POD_ANNOTATION);
  for (const c of containers(spec)) judge(SECCOMP_CONTAINER_ANNOTATION_PREFIX + nameOf(c));
  const list = sortedSet(forbidden);
  return list.length ? { reason: 'seccompProfile', detail: `forbidden ${pluralize('annotation', 'annotations', list.length)} ${list.join(', ')}` } : undefined;
}
function seccompProfileBaseline_1_19(_meta: Obj, spec: Obj): Result {
  const values = new Set<string>();
  const podProfile = sc(spec).seccompProfile;
  const podBad = isObject(podProfile) && !validSeccomp(podProfile.type);
  if (podBad) values.add(String(podProfile.type ?? ''));
  const bad: string[] = [];
  for (const c of containers(spec)) {
    const p = sc(c).seccompProfile;
    if (isObject(p) && !validSeccomp(p.type)) bad.push(nameOf(c)), values.add(String(p.type ?? ''));
  }
  return podBad || bad.length
    ? { reason: 'seccompProfile', detail: `${settersPhrase(podBad, bad)} must not set securityContext.seccompProfile.type to ${joinQuote(sortedSet(values))}` }
    : undefined;
}

// https://github.com/kubernetes/pod-security-admission/blob/master/policy/check_seccompProfile_restricted.go
function seccompProfileRestricted_1_19(_meta: Obj, spec: Obj): Result {
  const values = new Set<string>();
  const podProfile = sc(spec).seccompProfile;
  let podSet = false;
  let podBad = false;
  if (isObject(podProfile)) {
    if (validSeccomp(podProfile.type)) podSet = true;
    else (podBad = true), values.add(String(podProfile.type ?? ''));
  }
  const explicit: string[] = [];
  const implicit: string[] = [];
  for (const c of containers(spec)) {
    const p = sc(c).seccompProfile;
    if (isObject(p)) {
      if (!validSeccomp(p.type)) explicit.push(nameOf(c)), values.add(String(p.type ?? ''));
    } else if (!podSet) implicit.push(nameOf(c));
  }
  if (podBad || explicit.length) {
    return { reason: 'seccompProfile', detail: `${settersPhrase(podBad, explicit)} must not set securityContext.seccompProfile.type to ${joinQuote(sortedSet(values))}` };
  }
  return implicit.length
    ? { reason: 'seccompProfile', detail: `pod or ${containersPhrase(implicit)} must set securityContext.seccompProfile.type to "RuntimeDefault" or "Localhost"` }
    : undefined;
}
const seccompProfileRestricted_1_25 = exemptWindows(seccompProfileRestricted_1_19);

// https://github.com/kubernetes/pod-security-admission/blob/master/policy/check_sysctls.go
const SYSCTLS_1_0 = ['kernel.shm_rmid_forced', 'net.ipv4.ip_local_port_range', 'net.ipv4.tcp_syncookies', 'net.ipv4.ping_group_range', 'net.ipv4.ip_unprivileged_port_start'];
const SYSCTLS_1_27 = [...SYSCTLS_1_0, 'net.ipv4.ip_local_reserved_ports'];
const SYSCTLS_1_29 = [...SYSCTLS_1_27, 'net.ipv4.tcp_keepalive_time', 'net.ipv4.tcp_fin_timeout', 'net.ipv4.tcp_keepalive_intvl', 'net.ipv4.tcp_keepalive_probes'];
const SYSCTLS_1_32 = [...SYSCTLS_1_29, 'net.ipv4.tcp_rmem', 'net.ipv4.tcp_wmem'];
const SYSCTLS_1_37 = [...SYSCTLS_1_32, 'net.ipv4.tcp_slow_start_after_idle', 'net.ipv4.tcp_notsent_lowat'];
function sysctls(allowed: string[]): CheckPod {
  return (_meta, spec) => {
    const bad = asArray(sc(spec).sysctls)
      .map((s) => (isObject(s) ? String(s.name ?? '') : ''))
      .filter((n) => !allowed.includes(n));
    return bad.length ? { reason: 'forbidden sysctls', detail: bad.join(', ') } : undefined;
  };
}

// https://github.com/kubernetes/pod-security-admission/blob/master/policy/check_windowsHostProcess.go
function windowsHostProcess_1_0(_meta: Obj, spec: Obj): Result {
  const hostProcess = (o: Obj) => isObject(sc(o).windowsOptions) && sc(o).windowsOptions.hostProcess === true;
  const podBad = hostProcess(spec);
  const bad = containers(spec).filter(hostProcess).map(nameOf);
  return podBad || bad.length ? { reason: 'hostProcess', detail: `${settersPhrase(podBad, bad)} must not set securityContext.windowsOptions.hostProcess=true` } : undefined;
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
export function podBearers(object: Obj): { object: Obj; prefix: string }[] {
  if (typeof object.kind === 'string' && object.kind.endsWith('List') && Array.isArray(object.items)) {
    return object.items.flatMap((item: unknown, i: number) => (isObject(item) ? [{ object: item, prefix: `items[${i}].` }] : []));
  }
  return [{ object, prefix: '' }];
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
    for (const { object: o, prefix } of podBearers(object)) {
      const t = podTemplate(o);
      if (!t) continue;
      const violations = checkPod(t.meta, t.spec, policy);
      if (violations.length === 0) continue;
      out.push({
        severity: 'error',
        code: 'PMC_PSS',
        message: formatViolations(policy, violations),
        location: { source, document: { index, kind: o.kind, name: o.metadata?.name }, path: prefix + t.path },
      });
    }
  }
  return out;
}
