/**
 * The Pod Security Standards checks, ported from the pod-security-admission library's
 * policy/check_*.go: one function per version of a check, each beside a link to its
 * upstream file. pss.ts says which run for a level and version.
 */
import { containers, containersPhrase, goCompare, goQuote, inUserNamespace, isWindows, joinQuote, nameOf, pluralize, sc, settersPhrase, sortedSet, type CheckPod, type Container, type Result } from './pss-helpers.js';
import { asArray, isObject, type Obj } from '../base/values.js';

// https://github.com/kubernetes/pod-security-admission/blob/master/policy/check_allowPrivilegeEscalation.go
export function allowPrivilegeEscalation_1_8(_meta: Obj, spec: Obj): Result {
  const bad = containers(spec).filter((c) => sc(c).allowPrivilegeEscalation !== false).map(nameOf);
  return bad.length ? { reason: 'allowPrivilegeEscalation != false', detail: `${containersPhrase(bad)} must set securityContext.allowPrivilegeEscalation=false` } : undefined;
}
/** Since 1.25 the library admits a pod with spec.os.name: windows: the API server refuses those fields there. */
const exemptWindows = (check: CheckPod): CheckPod => (meta, spec) => (isWindows(spec) ? undefined : check(meta, spec));
export const allowPrivilegeEscalation_1_25 = exemptWindows(allowPrivilegeEscalation_1_8);

// https://github.com/kubernetes/pod-security-admission/blob/master/policy/check_appArmorProfile.go
const APPARMOR_ANNOTATION_PREFIX = 'container.apparmor.security.beta.kubernetes.io/';
const allowedAppArmorType = (t: unknown) => t === 'RuntimeDefault' || t === 'Localhost';
const allowedAppArmorAnnotation = (v: string) => v === '' || v === 'runtime/default' || v.startsWith('localhost/');
export function appArmorProfile_1_0(meta: Obj, spec: Obj): Result {
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
export function capabilitiesBaseline_1_0(_meta: Obj, spec: Obj): Result {
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
export function capabilitiesRestricted_1_22(_meta: Obj, spec: Obj): Result {
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
export const capabilitiesRestricted_1_25 = exemptWindows(capabilitiesRestricted_1_22);

// https://github.com/kubernetes/pod-security-admission/blob/master/policy/check_hostNamespaces.go
export function hostNamespaces_1_0(_meta: Obj, spec: Obj): Result {
  const used = (['hostNetwork', 'hostPID', 'hostIPC'] as const).filter((k) => spec[k] === true).map((k) => `${k}=true`);
  return used.length ? { reason: 'host namespaces', detail: used.join(', ') } : undefined;
}

// https://github.com/kubernetes/pod-security-admission/blob/master/policy/check_hostPathVolumes.go
export function hostPathVolumes_1_0(_meta: Obj, spec: Obj): Result {
  const bad = asArray(spec.volumes).filter((v) => isObject(v) && isObject(v.hostPath)).map((v) => String(v.name ?? ''));
  return bad.length ? { reason: 'hostPath volumes', detail: `${pluralize('volume', 'volumes', bad.length)} ${joinQuote(bad)}` } : undefined;
}

// https://github.com/kubernetes/pod-security-admission/blob/master/policy/check_hostPorts.go
export function hostPorts_1_0(_meta: Obj, spec: Obj): Result {
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
export function hostProbesAndHostLifecycle_1_34(_meta: Obj, spec: Obj): Result {
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
export function privileged_1_0(_meta: Obj, spec: Obj): Result {
  const bad = containers(spec).filter((c) => sc(c).privileged === true).map(nameOf);
  return bad.length ? { reason: 'privileged', detail: `${containersPhrase(bad)} must not set securityContext.privileged=true` } : undefined;
}

// https://github.com/kubernetes/pod-security-admission/blob/master/policy/check_procMount_baseline.go
export function procMount_1_0(_meta: Obj, spec: Obj): Result {
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
export const procMount_1_35 = relaxInUserNamespace(procMount_1_0);

// https://github.com/kubernetes/pod-security-admission/blob/master/policy/check_restrictedVolumes.go
const ALLOWED_VOLUME_SOURCES = ['configMap', 'csi', 'downwardAPI', 'emptyDir', 'ephemeral', 'image', 'persistentVolumeClaim', 'projected', 'secret'];
/** The restricted sources, in the order the library tests them: the first one set names the type. */
const RESTRICTED_VOLUME_SOURCES = ['hostPath', 'gcePersistentDisk', 'awsElasticBlockStore', 'gitRepo', 'nfs', 'iscsi', 'glusterfs', 'rbd', 'flexVolume', 'cinder', 'cephfs', 'flocker', 'fc', 'azureFile', 'vsphereVolume', 'quobyte', 'azureDisk', 'photonPersistentDisk', 'portworxVolume', 'scaleIO', 'storageos'];
export function restrictedVolumes_1_0(_meta: Obj, spec: Obj): Result {
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
export function runAsNonRoot_1_0(_meta: Obj, spec: Obj): Result {
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
export const runAsNonRoot_1_35 = relaxInUserNamespace(runAsNonRoot_1_0);

// https://github.com/kubernetes/pod-security-admission/blob/master/policy/check_runAsUser.go
export function runAsUser_1_23(_meta: Obj, spec: Obj): Result {
  const podBad = sc(spec).runAsUser === 0;
  const bad = containers(spec).filter((c) => sc(c).runAsUser === 0).map(nameOf);
  return podBad || bad.length ? { reason: 'runAsUser=0', detail: `${settersPhrase(podBad, bad)} must not set runAsUser=0` } : undefined;
}
export const runAsUser_1_35 = relaxInUserNamespace(runAsUser_1_23);

// https://github.com/kubernetes/pod-security-admission/blob/master/policy/check_seLinuxOptions.go
export const SELINUX_TYPES_1_0 = ['', 'container_t', 'container_init_t', 'container_kvm_t'];
export const SELINUX_TYPES_1_31 = [...SELINUX_TYPES_1_0, 'container_engine_t'];
export function seLinuxOptions(allowedTypes: string[]): CheckPod {
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
export const seLinuxOptions_1_0 = seLinuxOptions(SELINUX_TYPES_1_0);
export const seLinuxOptions_1_31 = seLinuxOptions(SELINUX_TYPES_1_31);

// https://github.com/kubernetes/pod-security-admission/blob/master/policy/check_seccompProfile_baseline.go
const SECCOMP_POD_ANNOTATION = 'seccomp.security.alpha.kubernetes.io/pod';
const SECCOMP_CONTAINER_ANNOTATION_PREFIX = 'container.seccomp.security.alpha.kubernetes.io/';
const validSeccomp = (t: unknown) => t === 'RuntimeDefault' || t === 'Localhost';
const validSeccompAnnotation = (v: string) => v === 'runtime/default' || v === 'docker/default' || v.startsWith('localhost/');
/** Before 1.19 seccomp was set by annotations. */
export function seccompProfileBaseline_1_0(meta: Obj, spec: Obj): Result {
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
export function seccompProfileBaseline_1_19(_meta: Obj, spec: Obj): Result {
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
export function seccompProfileRestricted_1_19(_meta: Obj, spec: Obj): Result {
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
export const seccompProfileRestricted_1_25 = exemptWindows(seccompProfileRestricted_1_19);

// https://github.com/kubernetes/pod-security-admission/blob/master/policy/check_sysctls.go
export const SYSCTLS_1_0 = ['kernel.shm_rmid_forced', 'net.ipv4.ip_local_port_range', 'net.ipv4.tcp_syncookies', 'net.ipv4.ping_group_range', 'net.ipv4.ip_unprivileged_port_start'];
export const SYSCTLS_1_27 = [...SYSCTLS_1_0, 'net.ipv4.ip_local_reserved_ports'];
export const SYSCTLS_1_29 = [...SYSCTLS_1_27, 'net.ipv4.tcp_keepalive_time', 'net.ipv4.tcp_fin_timeout', 'net.ipv4.tcp_keepalive_intvl', 'net.ipv4.tcp_keepalive_probes'];
export const SYSCTLS_1_32 = [...SYSCTLS_1_29, 'net.ipv4.tcp_rmem', 'net.ipv4.tcp_wmem'];
export const SYSCTLS_1_37 = [...SYSCTLS_1_32, 'net.ipv4.tcp_slow_start_after_idle', 'net.ipv4.tcp_notsent_lowat'];
export function sysctls(allowed: string[]): CheckPod {
  return (_meta, spec) => {
    const bad = asArray(sc(spec).sysctls)
      .map((s) => (isObject(s) ? String(s.name ?? '') : ''))
      .filter((n) => !allowed.includes(n));
    return bad.length ? { reason: 'forbidden sysctls', detail: bad.join(', ') } : undefined;
  };
}

// https://github.com/kubernetes/pod-security-admission/blob/master/policy/check_windowsHostProcess.go
export function windowsHostProcess_1_0(_meta: Obj, spec: Obj): Result {
  const hostProcess = (o: Obj) => isObject(sc(o).windowsOptions) && sc(o).windowsOptions.hostProcess === true;
  const podBad = hostProcess(spec);
  const bad = containers(spec).filter(hostProcess).map(nameOf);
  return podBad || bad.length ? { reason: 'hostProcess', detail: `${settersPhrase(podBad, bad)} must not set securityContext.windowsOptions.hostProcess=true` } : undefined;
}
