/**
 * The Kubernetes Pod Security Standards, as the pod-security-admission library evaluates
 * them at "latest": each check's ID, and its reason and detail in the library's words, so
 * a violation reads as the API server's refusal would.
 */

import type { Diagnostic } from './diagnostics.js';
import { asArray, isObject, type Obj } from './values.js';

export type PssLevel = 'baseline' | 'restricted';
export const PSS_LEVELS: readonly PssLevel[] = ['baseline', 'restricted'];

export interface PssViolation {
  /** The library's check ID, e.g. allowPrivilegeEscalation. */
  check: string;
  reason: string;
  detail: string;
}

type Container = Obj & { name?: string };

interface Check {
  id: string;
  level: PssLevel;
  /** Baseline checks this one replaces at the restricted level (the library's OverrideCheckIDs). */
  overrides?: string[];
  /** Since 1.25 the library exempts pods with spec.os.name: windows from some checks. */
  skipWindows?: boolean;
  run: (meta: Obj, spec: Obj) => Omit<PssViolation, 'check'> | undefined;
}

const joinQuote = (items: string[]) => (items.length ? `"${items.join('", "')}"` : '');
const pluralize = (one: string, many: string, n: number) => (n === 1 ? one : many);
const sorted = (s: Iterable<string>) => [...new Set(s)].sort();
const containersPhrase = (names: string[]) => `${pluralize('container', 'containers', names.length)} ${joinQuote(names)}`;

/** containers, initContainers and ephemeralContainers, as the library visits them. */
function containers(spec: Obj): Container[] {
  return [...asArray(spec.initContainers), ...asArray(spec.containers), ...asArray(spec.ephemeralContainers)].filter(isObject);
}
const sc = (c: Obj): Obj => (isObject(c.securityContext) ? c.securityContext : {});

/** The names of the containers for which `test` holds, in the library's order. */
function containersWhere(spec: Obj, test: (c: Container) => boolean): string[] {
  return containers(spec)
    .filter(test)
    .map((c) => c.name ?? '');
}

/** The containers with forbidden values (`valuesOf` lists a container's), and those values, sorted and unique. */
function offendingValues(spec: Obj, valuesOf: (c: Container) => unknown[]): { names: string[]; values: string[] } {
  const names: string[] = [];
  const values: string[] = [];
  for (const c of containers(spec)) {
    const found = valuesOf(c);
    if (found.length) {
      names.push(c.name ?? '');
      values.push(...found.map(String));
    }
  }
  return { names, values: sorted(values) };
}
const podSc = (spec: Obj): Obj => (isObject(spec.securityContext) ? spec.securityContext : {});

const ALLOWED_CAPABILITIES = new Set(['AUDIT_WRITE', 'CHOWN', 'DAC_OVERRIDE', 'FOWNER', 'FSETID', 'KILL', 'MKNOD', 'NET_BIND_SERVICE', 'SETFCAP', 'SETGID', 'SETPCAP', 'SETUID', 'SYS_CHROOT']);
const ALLOWED_SELINUX_TYPES = new Set(['', 'container_t', 'container_init_t', 'container_kvm_t', 'container_engine_t']);
const ALLOWED_SYSCTLS = new Set([
  'kernel.shm_rmid_forced',
  'net.ipv4.ip_local_port_range',
  'net.ipv4.ip_unprivileged_port_start',
  'net.ipv4.tcp_syncookies',
  'net.ipv4.ping_group_range',
  'net.ipv4.ip_local_reserved_ports',
  'net.ipv4.tcp_keepalive_time',
  'net.ipv4.tcp_fin_timeout',
  'net.ipv4.tcp_keepalive_intvl',
  'net.ipv4.tcp_keepalive_probes',
  'net.ipv4.tcp_rmem',
  'net.ipv4.tcp_wmem',
]);
const RESTRICTED_VOLUME_SOURCES = ['configMap', 'csi', 'downwardAPI', 'emptyDir', 'ephemeral', 'persistentVolumeClaim', 'projected', 'secret'];
const APPARMOR_ANNOTATION = 'container.apparmor.security.beta.kubernetes.io/';
const validSeccomp = (t: unknown) => t === 'RuntimeDefault' || t === 'Localhost';

/** "pod and containers "a"" style subjects, for checks that look at both levels. */
function setters(pod: boolean, names: string[]): string {
  const out = pod ? ['pod'] : [];
  if (names.length) out.push(containersPhrase(names));
  return out.join(' and ');
}

function procMount(_meta: Obj, spec: Obj): Omit<PssViolation, 'check'> | undefined {
  if (spec.hostUsers === false) return undefined;
  const { names, values } = offendingValues(spec, (c) => {
    const pm = sc(c).procMount;
    return pm !== undefined && pm !== null && pm !== 'Default' ? [pm] : [];
  });
  return names.length ? { reason: 'procMount', detail: `${containersPhrase(names)} must not set securityContext.procMount to ${joinQuote(values)}` } : undefined;
}

const CHECKS: Check[] = [
  {
    id: 'allowPrivilegeEscalation',
    level: 'restricted',
    skipWindows: true,
    run: (_m, spec) => {
      const bad = containersWhere(spec, (c) => sc(c).allowPrivilegeEscalation !== false);
      return bad.length
        ? { reason: 'allowPrivilegeEscalation != false', detail: `${containersPhrase(bad)} must set securityContext.allowPrivilegeEscalation=false` }
        : undefined;
    },
  },
  {
    id: 'appArmorProfile',
    level: 'baseline',
    run: (meta, spec) => {
      const bad: string[] = [];
      for (const [k, v] of Object.entries(isObject(meta.annotations) ? meta.annotations : {})) {
        const profile = String(v);
        if (k.startsWith(APPARMOR_ANNOTATION) && !(profile === '' || profile === 'runtime/default' || profile.startsWith('localhost/'))) {
          bad.push(`${k}=${JSON.stringify(profile)}`);
        }
      }
      if (podSc(spec).appArmorProfile?.type === 'Unconfined') bad.push('pod must not set securityContext.appArmorProfile.type to "Unconfined"');
      const unconfined = containersWhere(spec, (c) => sc(c).appArmorProfile?.type === 'Unconfined');
      if (unconfined.length) bad.push(`${containersPhrase(unconfined)} must not set securityContext.appArmorProfile.type to "Unconfined"`);
      return bad.length
        ? { reason: pluralize('forbidden AppArmor profile', 'forbidden AppArmor profiles', bad.length), detail: bad.sort().join(', ') }
        : undefined;
    },
  },
  {
    id: 'capabilities_baseline',
    level: 'baseline',
    run: (_m, spec) => {
      const { names, values } = offendingValues(spec, (c) => asArray(sc(c).capabilities?.add).map(String).filter((x) => !ALLOWED_CAPABILITIES.has(x)));
      return names.length
        ? { reason: 'non-default capabilities', detail: `${containersPhrase(names)} must not include ${joinQuote(values)} in securityContext.capabilities.add` }
        : undefined;
    },
  },
  {
    id: 'capabilities_restricted',
    level: 'restricted',
    overrides: ['capabilities_baseline'],
    skipWindows: true,
    run: (_m, spec) => {
      const missingDrop = containersWhere(spec, (c) => !asArray(sc(c).capabilities?.drop).includes('ALL'));
      const adding = offendingValues(spec, (c) => asArray(sc(c).capabilities?.add).map(String).filter((x) => x !== 'NET_BIND_SERVICE'));
      const details: string[] = [];
      if (missingDrop.length) details.push(`${containersPhrase(missingDrop)} must set securityContext.capabilities.drop=["ALL"]`);
      if (adding.names.length) details.push(`${containersPhrase(adding.names)} must not include ${joinQuote(adding.values)} in securityContext.capabilities.add`);
      return details.length ? { reason: 'unrestricted capabilities', detail: details.join('; ') } : undefined;
    },
  },
  {
    id: 'hostNamespaces',
    level: 'baseline',
    run: (_m, spec) => {
      const used = (['hostIPC', 'hostNetwork', 'hostPID'] as const).filter((k) => spec[k] === true);
      return used.length ? { reason: 'host namespaces', detail: used.join(', ') } : undefined;
    },
  },
  {
    id: 'hostPathVolumes',
    level: 'baseline',
    run: (_m, spec) => {
      const bad = asArray(spec.volumes).filter((v) => isObject(v) && isObject(v.hostPath)).map((v) => String(v.name));
      return bad.length ? { reason: 'hostPath volumes', detail: `${pluralize('volume', 'volumes', bad.length)} ${joinQuote(bad)}` } : undefined;
    },
  },
  {
    id: 'hostPorts',
    level: 'baseline',
    run: (_m, spec) => {
      const { names, values } = offendingValues(spec, (c) => asArray(c.ports).filter((p) => isObject(p) && p.hostPort && p.hostPort !== 0).map((p) => p.hostPort));
      return names.length
        ? {
            reason: 'hostPort',
            detail: `${containersPhrase(names)} ${pluralize('uses', 'use', names.length)} ${pluralize('hostPort', 'hostPorts', values.length)} ${values.join(', ')}`,
          }
        : undefined;
    },
  },
  {
    id: 'hostProbesAndHostLifecycle',
    level: 'baseline',
    run: (_m, spec) => {
      const { names, values: h } = offendingValues(spec, (c) =>
        [c.livenessProbe, c.readinessProbe, c.startupProbe, c.lifecycle?.postStart, c.lifecycle?.preStop]
          .flatMap((handler) => [handler?.httpGet, handler?.tcpSocket])
          .filter((action) => isObject(action) && action.host)
          .map((action) => action.host),
      );
      const b = sorted(names);
      return b.length
        ? {
            reason: 'probe or lifecycle host',
            detail: `${containersPhrase(b)} ${pluralize('uses', 'use', b.length)} ${pluralize('probe or lifecycle host', 'probe or lifecycle hosts', h.length)} ${joinQuote(h)}`,
          }
        : undefined;
    },
  },
  {
    id: 'privileged',
    level: 'baseline',
    run: (_m, spec) => {
      const bad = containersWhere(spec, (c) => sc(c).privileged === true);
      return bad.length ? { reason: 'privileged', detail: `${containersPhrase(bad)} must not set securityContext.privileged=true` } : undefined;
    },
  },
  { id: 'procMount', level: 'baseline', run: (meta, spec) => procMount(meta, spec) },
  {
    // Restricted keeps the stricter rule even for user-namespace pods (1.35+).
    id: 'procMount_restricted',
    level: 'restricted',
    overrides: ['procMount'],
    run: (meta, spec) => procMount(meta, { ...spec, hostUsers: undefined }),
  },
  {
    id: 'restrictedVolumes',
    level: 'restricted',
    overrides: ['hostPathVolumes'],
    run: (_m, spec) => {
      const bad = sorted(
        asArray(spec.volumes)
          .filter((v) => isObject(v) && !RESTRICTED_VOLUME_SOURCES.some((s) => isObject(v[s])))
          .map((v) => String(v.name)),
      );
      // Go's %q of a []string: ["a" "b"]
      return bad.length ? { reason: 'restricted volume types', detail: `volumes [${bad.map((b) => JSON.stringify(b)).join(' ')}] have restricted types` } : undefined;
    },
  },
  {
    id: 'runAsNonRoot',
    level: 'restricted',
    run: (_m, spec) => {
      if (spec.hostUsers === false) return undefined;
      const podValue = podSc(spec).runAsNonRoot;
      const podBad = podValue === false;
      const explicit: string[] = [];
      const implicit: string[] = [];
      for (const c of containers(spec)) {
        const v = sc(c).runAsNonRoot;
        if (v === false) explicit.push(c.name ?? '');
        else if (v === undefined || v === null) {
          if (podValue !== true) implicit.push(c.name ?? '');
        }
      }
      if (podBad || explicit.length) {
        return { reason: 'runAsNonRoot != true', detail: `${setters(podBad, explicit)} must not set securityContext.runAsNonRoot=false` };
      }
      return implicit.length ? { reason: 'runAsNonRoot != true', detail: `pod or ${containersPhrase(implicit)} must set securityContext.runAsNonRoot=true` } : undefined;
    },
  },
  {
    id: 'runAsUser',
    level: 'restricted',
    run: (_m, spec) => {
      if (spec.hostUsers === false) return undefined;
      const podBad = podSc(spec).runAsUser === 0;
      const bad = containersWhere(spec, (c) => sc(c).runAsUser === 0);
      return podBad || bad.length ? { reason: 'runAsUser=0', detail: `${setters(podBad, bad)} must not set runAsUser=0` } : undefined;
    },
  },
  {
    id: 'seLinuxOptions',
    level: 'baseline',
    run: (_m, spec) => {
      const badTypes = new Set<string>();
      let setUser = false;
      let setRole = false;
      const valid = (o: Obj) => {
        let ok = true;
        if (!ALLOWED_SELINUX_TYPES.has(String(o.type ?? ''))) {
          ok = false;
          badTypes.add(String(o.type));
        }
        if (o.user) (ok = false), (setUser = true);
        if (o.role) (ok = false), (setRole = true);
        return ok;
      };
      const podOpts = podSc(spec).seLinuxOptions;
      const podBad = isObject(podOpts) && !valid(podOpts);
      const bad = containersWhere(spec, (c) => isObject(sc(c).seLinuxOptions) && !valid(sc(c).seLinuxOptions));
      if (!podBad && !bad.length) return undefined;
      const data: string[] = [];
      if (badTypes.size) data.push(`${pluralize('type', 'types', badTypes.size)} ${joinQuote(sorted(badTypes))}`);
      if (setUser) data.push('user may not be set');
      if (setRole) data.push('role may not be set');
      return { reason: 'seLinuxOptions', detail: `${setters(podBad, bad)} set forbidden securityContext.seLinuxOptions: ${data.join('; ')}` };
    },
  },
  {
    id: 'seccompProfile_baseline',
    level: 'baseline',
    run: (_m, spec) => {
      const podProfile = podSc(spec).seccompProfile;
      const podBad = isObject(podProfile) && !validSeccomp(podProfile.type);
      const { names, values } = offendingValues(spec, (c) => {
        const p = sc(c).seccompProfile;
        return isObject(p) && !validSeccomp(p.type) ? [p.type] : [];
      });
      const all = sorted([...(podBad ? [String(podProfile.type)] : []), ...values]);
      return podBad || names.length
        ? { reason: 'seccompProfile', detail: `${setters(podBad, names)} must not set securityContext.seccompProfile.type to ${joinQuote(all)}` }
        : undefined;
    },
  },
  {
    id: 'seccompProfile_restricted',
    level: 'restricted',
    overrides: ['seccompProfile_baseline'],
    skipWindows: true,
    run: (_m, spec) => {
      const values = new Set<string>();
      const podProfile = podSc(spec).seccompProfile;
      let podSet = false;
      let podBad = false;
      if (isObject(podProfile)) {
        if (validSeccomp(podProfile.type)) podSet = true;
        else (podBad = true), values.add(String(podProfile.type));
      }
      const explicit: string[] = [];
      const implicit: string[] = [];
      for (const c of containers(spec)) {
        const p = sc(c).seccompProfile;
        if (isObject(p)) {
          if (!validSeccomp(p.type)) explicit.push(c.name ?? ''), values.add(String(p.type));
        } else if (!podSet) implicit.push(c.name ?? '');
      }
      if (podBad || explicit.length) {
        return { reason: 'seccompProfile', detail: `${setters(podBad, explicit)} must not set securityContext.seccompProfile.type to ${joinQuote(sorted(values))}` };
      }
      return implicit.length
        ? { reason: 'seccompProfile', detail: `pod or ${containersPhrase(implicit)} must set securityContext.seccompProfile.type to "RuntimeDefault" or "Localhost"` }
        : undefined;
    },
  },
  {
    id: 'sysctls',
    level: 'baseline',
    run: (_m, spec) => {
      const bad = asArray(podSc(spec).sysctls)
        .map((s) => String(s?.name))
        .filter((n) => !ALLOWED_SYSCTLS.has(n));
      return bad.length ? { reason: 'forbidden sysctls', detail: bad.join(', ') } : undefined;
    },
  },
  {
    id: 'windowsHostProcess',
    level: 'baseline',
    run: (_m, spec) => {
      const podBad = podSc(spec).windowsOptions?.hostProcess === true;
      const bad = containersWhere(spec, (c) => sc(c).windowsOptions?.hostProcess === true);
      return podBad || bad.length
        ? { reason: 'hostProcess', detail: `${setters(podBad, bad)} must not set securityContext.windowsOptions.hostProcess=true` }
        : undefined;
    },
  },
];

// The library reports violations in the order of the check IDs.
CHECKS.sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));

/** Every violation of `level` (restricted includes baseline) by one pod's metadata and spec. */
export function checkPod(meta: Obj, spec: Obj, level: PssLevel): PssViolation[] {
  const active = CHECKS.filter((c) => level === 'restricted' || c.level === 'baseline');
  const overridden = new Set(active.flatMap((c) => c.overrides ?? []));
  const windows = spec.os?.name === 'windows';
  const out: PssViolation[] = [];
  for (const check of active) {
    if (overridden.has(check.id) || (windows && check.skipWindows)) continue;
    const v = check.run(meta, spec);
    if (v) out.push({ check: check.id, ...v });
  }
  return out;
}

/** The pod template of a workload: metadata, spec, and where it sits. */
export function podTemplate(object: Obj): { meta: Obj; spec: Obj; path: string } | undefined {
  switch (object.kind) {
    case 'Pod':
      return isObject(object.spec) ? { meta: isObject(object.metadata) ? object.metadata : {}, spec: object.spec, path: 'spec' } : undefined;
    case 'CronJob': {
      const t = object.spec?.jobTemplate?.spec?.template;
      return isObject(t?.spec) ? { meta: isObject(t.metadata) ? t.metadata : {}, spec: t.spec, path: 'spec.jobTemplate.spec.template.spec' } : undefined;
    }
    case 'StatefulSet':
    case 'Deployment':
    case 'DaemonSet':
    case 'ReplicaSet':
    case 'Job':
    case 'ReplicationController': {
      const t = object.spec?.template;
      return isObject(t?.spec) ? { meta: isObject(t.metadata) ? t.metadata : {}, spec: t.spec, path: 'spec.template.spec' } : undefined;
    }
    default:
      return undefined;
  }
}

/** The admission message: violates PodSecurity "restricted:latest": reason (detail), ... */
export function formatViolations(level: PssLevel, violations: PssViolation[]): string {
  return `violates PodSecurity "${level}:latest": ${violations.map((v) => `${v.reason} (${v.detail})`).join(', ')}`;
}

/** One error per document whose pod template violates `level`. */
export function pssDiagnostics(
  documents: { index: number; object: unknown }[],
  level: PssLevel,
  source: string,
): Diagnostic[] {
  const out: Diagnostic[] = [];
  for (const { index, object } of documents) {
    if (!isObject(object)) continue;
    const t = podTemplate(object);
    if (!t) continue;
    const violations = checkPod(t.meta, t.spec, level);
    if (violations.length === 0) continue;
    out.push({
      severity: 'error',
      code: 'PMC_PSS',
      message: formatViolations(level, violations),
      location: { source, document: { index, kind: object.kind, name: object.metadata?.name }, path: t.path },
    });
  }
  return out;
}
