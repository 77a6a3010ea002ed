// The pod-security-admission library's own unit tests (policy/check_*_test.go), ported: the
// same pods, and the reason and detail word for word. Each check function is called as the
// library's tests call it: directly, at the version the test names, without API defaults.
import { describe, expect, it } from 'vitest';
import { checkAt } from '../src/core/checks/pss.js';

type Obj = Record<string, any>;
interface Case {
  /** The library's check ID and the version of it the upstream test calls. */
  check: string;
  minor: number;
  name: string;
  meta?: Obj;
  spec: Obj;
  /** undefined: allowed. */
  reason?: string;
  detail?: string;
}

const c = (name: string, securityContext?: Obj): Obj => (securityContext === undefined ? { name } : { name, securityContext });
const cases: Case[] = [
  // check_allowPrivilegeEscalation_test.go
  ...[8, 25].map((minor) => ({ check: 'allowPrivilegeEscalation', minor, name: 'multiple containers', spec: { containers: [c('a'), c('b', {}), c('c', { allowPrivilegeEscalation: true }), c('d', { allowPrivilegeEscalation: false })] }, reason: 'allowPrivilegeEscalation != false', detail: 'containers "a", "b", "c" must set securityContext.allowPrivilegeEscalation=false' })),
  { check: 'allowPrivilegeEscalation', minor: 25, name: 'windows pod, admit without checking privilegeEscalation', spec: { os: { name: 'windows' }, containers: [c('a')] } },
  { check: 'allowPrivilegeEscalation', minor: 25, name: 'linux pod, reject if security context is not set', spec: { os: { name: 'linux' }, containers: [c('a')] }, reason: 'allowPrivilegeEscalation != false', detail: 'container "a" must set securityContext.allowPrivilegeEscalation=false' },
  // check_appArmorProfile_test.go
  { check: 'appArmorProfile', minor: 0, name: 'container with default AppArmor + extra annotations', meta: { annotations: { 'container.apparmor.security.beta.kubernetes.io/test': 'runtime/default', env: 'prod' } }, spec: {} },
  { check: 'appArmorProfile', minor: 0, name: 'container with local AppArmor + extra annotations', meta: { annotations: { 'container.apparmor.security.beta.kubernetes.io/test': 'localhost/sec-profile01', env: 'dev' } }, spec: {} },
  { check: 'appArmorProfile', minor: 0, name: 'pod with runtime default', spec: { securityContext: { appArmorProfile: { type: 'RuntimeDefault' } } } },
  { check: 'appArmorProfile', minor: 0, name: 'unconfined pod', spec: { securityContext: { appArmorProfile: { type: 'Unconfined' } } }, reason: 'forbidden AppArmor profile', detail: 'pod must not set AppArmor profile type to "Unconfined"' },
  { check: 'appArmorProfile', minor: 0, name: 'unconfined container', spec: { securityContext: { appArmorProfile: { type: 'RuntimeDefault' } }, containers: [c('foo', { appArmorProfile: { type: 'Unconfined' } })] }, reason: 'forbidden AppArmor profile', detail: 'container "foo" must not set AppArmor profile type to "Unconfined"' },
  { check: 'appArmorProfile', minor: 0, name: 'unconfined init container', spec: { securityContext: { appArmorProfile: { type: 'RuntimeDefault' } }, containers: [c('foo')], initContainers: [c('bar', { appArmorProfile: { type: 'Unconfined' } })] }, reason: 'forbidden AppArmor profile', detail: 'container "bar" must not set AppArmor profile type to "Unconfined"' },
  {
    check: 'appArmorProfile',
    minor: 0,
    name: 'multiple containers (annotations)',
    meta: {
      annotations: {
        'container.apparmor.security.beta.kubernetes.io/': 'bogus',
        'container.apparmor.security.beta.kubernetes.io/a': '',
        'container.apparmor.security.beta.kubernetes.io/b': 'runtime/default',
        'container.apparmor.security.beta.kubernetes.io/c': 'localhost/',
        'container.apparmor.security.beta.kubernetes.io/d': 'localhost/foo',
        'container.apparmor.security.beta.kubernetes.io/e': 'unconfined',
        'container.apparmor.security.beta.kubernetes.io/f': 'unknown',
      },
    },
    spec: {},
    reason: 'forbidden AppArmor profiles',
    detail: 'annotations must not set AppArmor profile type to "container.apparmor.security.beta.kubernetes.io/="bogus"", "container.apparmor.security.beta.kubernetes.io/e="unconfined"", "container.apparmor.security.beta.kubernetes.io/f="unknown""',
  },
  // check_capabilities_baseline_test.go
  { check: 'capabilities_baseline', minor: 0, name: 'multiple containers', spec: { containers: [c('a', { capabilities: { add: ['FOO', 'BAR'] } }), c('b', { capabilities: { add: ['BAR', 'BAZ'] } })] }, reason: 'non-default capabilities', detail: 'containers "a", "b" must not include "BAR", "BAZ", "FOO" in securityContext.capabilities.add' },
  // check_capabilities_restricted_test.go
  ...[22, 25].map((minor) => ({
    check: 'capabilities_restricted',
    minor,
    name: 'multiple containers',
    spec: { containers: [c('a', { capabilities: { add: ['FOO', 'BAR'] } }), c('b', { capabilities: { add: ['BAR', 'BAZ'] } }), c('c', { capabilities: { add: ['NET_BIND_SERVICE', 'CHOWN'], drop: ['ALL', 'FOO'] } })] },
    reason: 'unrestricted capabilities',
    detail: 'containers "a", "b" must set securityContext.capabilities.drop=["ALL"]; containers "a", "b", "c" must not include "BAR", "BAZ", "CHOWN", "FOO" in securityContext.capabilities.add',
  })),
  { check: 'capabilities_restricted', minor: 25, name: 'windows pod, admit without checking capabilities', spec: { os: { name: 'windows' }, containers: [c('a')] } },
  { check: 'capabilities_restricted', minor: 25, name: 'linux pod, reject if security context is not set', spec: { os: { name: 'linux' }, containers: [c('a')] }, reason: 'unrestricted capabilities', detail: 'container "a" must set securityContext.capabilities.drop=["ALL"]' },
  // check_hostNamespaces_test.go
  { check: 'hostNamespaces', minor: 0, name: 'multiple host namespaces', spec: { hostNetwork: true, hostIPC: true, hostPID: true }, reason: 'host namespaces', detail: 'hostNetwork=true, hostPID=true, hostIPC=true' },
  // check_hostPathVolumes_test.go
  { check: 'hostPathVolumes', minor: 0, name: 'host path volumes', spec: { volumes: [{ name: 'a', hostPath: {} }, { name: 'b', hostPath: {} }, { name: 'c', emptyDir: {} }] }, reason: 'hostPath volumes', detail: 'volumes "a", "b"' },
  // check_hostPorts_test.go
  { check: 'hostPorts', minor: 0, name: 'one container, one host port', spec: { containers: [{ name: 'a', ports: [{ hostPort: 0 }] }, { name: 'b', ports: [{ hostPort: 0 }, { hostPort: 20 }] }] }, reason: 'hostPort', detail: 'container "b" uses hostPort 20' },
  { check: 'hostPorts', minor: 0, name: 'multiple containers, multiple host port', spec: { containers: [{ name: 'a', ports: [{ hostPort: 0 }] }, { name: 'b', ports: [{ hostPort: 0 }, { hostPort: 10 }, { hostPort: 20 }] }, { name: 'c', ports: [{ hostPort: 0 }, { hostPort: 10 }, { hostPort: 30 }] }] }, reason: 'hostPort', detail: 'containers "b", "c" use hostPorts 10, 20, 30' },
  // check_hostProbesAndhostLifecycle_test.go
  { check: 'hostProbesAndHostLifecycle', minor: 34, name: 'valid pod with unset hosts', spec: { containers: [{ name: 'a', livenessProbe: { httpGet: {} }, readinessProbe: { tcpSocket: {} }, lifecycle: { postStart: { httpGet: {} } } }] } },
  { check: 'hostProbesAndHostLifecycle', minor: 34, name: 'invalid pod with local host IP as probe host', spec: { containers: [{ name: 'a', livenessProbe: { httpGet: { host: '127.0.0.1' } }, readinessProbe: { tcpSocket: { host: '::1' } }, startupProbe: { httpGet: { host: 'localhost' } } }] }, reason: 'probe or lifecycle host', detail: 'container "a" uses probe or lifecycle hosts "127.0.0.1", "::1", "localhost"' },
  { check: 'hostProbesAndHostLifecycle', minor: 34, name: 'invalid poststart tcpsocket host', spec: { containers: [{ name: 'd', lifecycle: { postStart: { tcpSocket: { host: 'invalid.host' } } } }] }, reason: 'probe or lifecycle host', detail: 'container "d" uses probe or lifecycle host "invalid.host"' },
  { check: 'hostProbesAndHostLifecycle', minor: 34, name: 'invalid prestop httpget host', spec: { containers: [{ name: 'e', lifecycle: { preStop: { httpGet: { host: 'another.invalid.host' } } } }] }, reason: 'probe or lifecycle host', detail: 'container "e" uses probe or lifecycle host "another.invalid.host"' },
  {
    check: 'hostProbesAndHostLifecycle',
    minor: 34,
    name: 'multiple containers with multiple invalid hosts',
    spec: { containers: [{ name: 'valid' }, { name: 'invalid1', livenessProbe: { httpGet: { host: 'a.com' } } }, { name: 'invalid2', lifecycle: { preStop: { tcpSocket: { host: 'b.com' } } }, startupProbe: { httpGet: { host: 'a.com' } } }] },
    reason: 'probe or lifecycle host',
    detail: 'containers "invalid1", "invalid2" use probe or lifecycle hosts "a.com", "b.com"',
  },
  { check: 'hostProbesAndHostLifecycle', minor: 34, name: 'invalid host in initcontainer', spec: { initContainers: [{ name: 'init', livenessProbe: { httpGet: { host: 'invalid.init.host' } } }] }, reason: 'probe or lifecycle host', detail: 'container "init" uses probe or lifecycle host "invalid.init.host"' },
  // check_privileged_test.go
  { check: 'privileged', minor: 0, name: 'privileged', spec: { containers: [c('a'), c('b', {}), c('c', { privileged: false }), c('d', { privileged: true }), c('e', { privileged: true })] }, reason: 'privileged', detail: 'containers "d", "e" must not set securityContext.privileged=true' },
  // check_procMount_baseline_test.go and check_procMount_restricted_test.go
  ...[
    { check: 'procMount', minor: 35, hostUsers: true, allowed: false },
    { check: 'procMount', minor: 35, hostUsers: false, allowed: true },
    { check: 'procMount_restricted', minor: 35, hostUsers: true, allowed: false },
    { check: 'procMount_restricted', minor: 35, hostUsers: false, allowed: false },
  ].map(({ check, minor, hostUsers, allowed }) => ({
    check,
    minor,
    name: `procMount, hostUsers: ${hostUsers}`,
    spec: { hostUsers, containers: [c('a'), c('b', {}), c('c', { procMount: 'Default' }), c('d', { procMount: 'Unmasked' }), c('e', { procMount: 'other' })] },
    ...(allowed ? {} : { reason: 'procMount', detail: 'containers "d", "e" must not set securityContext.procMount to "Unmasked", "other"' }),
  })),
  // check_restrictedVolumes_test.go
  {
    check: 'restrictedVolumes',
    minor: 0,
    name: 'host path volumes',
    spec: {
      volumes: [
        ...['emptyDir', 'secret', 'persistentVolumeClaim', 'downwardAPI', 'configMap', 'projected', 'csi', 'ephemeral', 'image'].map((s, i) => ({ name: `a${i + 1}`, [s]: {} })),
        ...['hostPath', 'gcePersistentDisk', 'awsElasticBlockStore', 'gitRepo', 'nfs', 'iscsi', 'glusterfs', 'rbd', 'flexVolume', 'cinder', 'cephfs', 'flocker', 'fc', 'azureFile', 'vsphereVolume', 'quobyte', 'azureDisk', 'photonPersistentDisk', 'portworxVolume', 'scaleIO', 'storageos'].map((s, i) => ({ name: `b${i + 1}`, [s]: {} })),
        { name: 'c1' },
      ],
    },
    reason: 'restricted volume types',
    detail:
      'volumes "b1", "b2", "b3", "b4", "b5", "b6", "b7", "b8", "b9", "b10", "b11", "b12", "b13", "b14", "b15", "b16", "b17", "b18", "b19", "b20", "b21", "c1" use restricted volume types ' +
      '"awsElasticBlockStore", "azureDisk", "azureFile", "cephfs", "cinder", "fc", "flexVolume", "flocker", "gcePersistentDisk", "gitRepo", "glusterfs", ' +
      '"hostPath", "iscsi", "nfs", "photonPersistentDisk", "portworxVolume", "quobyte", "rbd", "scaleIO", "storageos", "unknown", "vsphereVolume"',
  },
  // check_runAsNonRoot_test.go
  { check: 'runAsNonRoot', minor: 35, name: 'no explicit runAsNonRoot', spec: { containers: [c('a')] }, reason: 'runAsNonRoot != true', detail: 'pod or container "a" must set securityContext.runAsNonRoot=true' },
  { check: 'runAsNonRoot', minor: 35, name: 'pod runAsNonRoot=false', spec: { securityContext: { runAsNonRoot: false }, containers: [c('a')] }, reason: 'runAsNonRoot != true', detail: 'pod must not set securityContext.runAsNonRoot=false' },
  { check: 'runAsNonRoot', minor: 35, name: 'containers runAsNonRoot=false', spec: { securityContext: { runAsNonRoot: true }, containers: [c('a'), c('b', {}), c('c', { runAsNonRoot: false }), c('d', { runAsNonRoot: false }), c('e', { runAsNonRoot: true }), c('f', { runAsNonRoot: true })] }, reason: 'runAsNonRoot != true', detail: 'containers "c", "d" must not set securityContext.runAsNonRoot=false' },
  { check: 'runAsNonRoot', minor: 35, name: 'pod nil, container fallthrough', spec: { containers: [c('a'), c('b', {}), c('d', { runAsNonRoot: true }), c('e', { runAsNonRoot: true })] }, reason: 'runAsNonRoot != true', detail: 'pod or containers "a", "b" must set securityContext.runAsNonRoot=true' },
  { check: 'runAsNonRoot', minor: 35, name: 'host users false allowed', spec: { hostUsers: false, securityContext: { runAsNonRoot: false }, containers: [c('a', { runAsNonRoot: false })] } },
  // check_runAsUser_test.go
  { check: 'runAsUser', minor: 35, name: 'pod runAsUser=0', spec: { securityContext: { runAsUser: 0 }, containers: [c('a')] }, reason: 'runAsUser=0', detail: 'pod must not set runAsUser=0' },
  { check: 'runAsUser', minor: 35, name: 'pod runAsUser=non-zero', spec: { securityContext: { runAsUser: 1000 }, containers: [c('a')] } },
  { check: 'runAsUser', minor: 35, name: 'containers runAsUser=0', spec: { securityContext: { runAsUser: 1000 }, containers: [c('a'), c('b', {}), c('c', { runAsUser: 0 }), c('d', { runAsUser: 0 }), c('e', { runAsUser: 1 }), c('f', { runAsUser: 1 })] }, reason: 'runAsUser=0', detail: 'containers "c", "d" must not set runAsUser=0' },
  { check: 'runAsUser', minor: 35, name: 'host users false allowed', spec: { hostUsers: false, securityContext: { runAsUser: 0 }, containers: [c('a', { runAsUser: 0 })] } },
  // check_seLinuxOptions_test.go (run at 1.31, where container_engine_t is allowed)
  {
    check: 'seLinuxOptions',
    minor: 31,
    name: 'invalid pod and containers',
    spec: {
      securityContext: { seLinuxOptions: { type: 'foo', user: 'bar', role: 'baz' } },
      containers: [c('a', { seLinuxOptions: { type: 'container_t' } }), c('b', { seLinuxOptions: { type: 'container_init_t' } }), c('c', { seLinuxOptions: { type: 'container_kvm_t' } }), c('d', { seLinuxOptions: { type: 'container_engine_t' } }), c('e', { seLinuxOptions: { type: 'bar' } }), c('f', { seLinuxOptions: { user: 'bar' } }), c('g', { seLinuxOptions: { role: 'baz' } })],
    },
    reason: 'seLinuxOptions',
    detail: 'pod and containers "e", "f", "g" set forbidden securityContext.seLinuxOptions: types "bar", "foo"; user may not be set; role may not be set',
  },
  { check: 'seLinuxOptions', minor: 31, name: 'invalid pod', spec: { securityContext: { seLinuxOptions: { type: 'foo', user: 'bar', role: 'baz' } }, containers: [c('a', { seLinuxOptions: { type: 'container_t' } }), c('d', { seLinuxOptions: { type: 'container_engine_t' } })] }, reason: 'seLinuxOptions', detail: 'pod set forbidden securityContext.seLinuxOptions: type "foo"; user may not be set; role may not be set' },
  { check: 'seLinuxOptions', minor: 31, name: 'bad type', spec: { securityContext: { seLinuxOptions: { type: 'bad' } } }, reason: 'seLinuxOptions', detail: 'pod set forbidden securityContext.seLinuxOptions: type "bad"' },
  { check: 'seLinuxOptions', minor: 31, name: 'bad user', spec: { securityContext: { seLinuxOptions: { user: 'bad' } } }, reason: 'seLinuxOptions', detail: 'pod set forbidden securityContext.seLinuxOptions: user may not be set' },
  { check: 'seLinuxOptions', minor: 31, name: 'bad role', spec: { securityContext: { seLinuxOptions: { role: 'bad' } } }, reason: 'seLinuxOptions', detail: 'pod set forbidden securityContext.seLinuxOptions: role may not be set' },
  { check: 'seLinuxOptions', minor: 30, name: 'container_engine_t before 1.31', spec: { containers: [c('d', { seLinuxOptions: { type: 'container_engine_t' } })] }, reason: 'seLinuxOptions', detail: 'container "d" set forbidden securityContext.seLinuxOptions: type "container_engine_t"' },
  // check_seccompProfile_baseline_test.go
  { check: 'seccompProfile_baseline', minor: 0, name: 'pod seccomp invalid (annotation)', meta: { annotations: { 'seccomp.security.alpha.kubernetes.io/pod': 'unconfined' } }, spec: {}, reason: 'seccompProfile', detail: 'forbidden annotation seccomp.security.alpha.kubernetes.io/pod="unconfined"' },
  {
    check: 'seccompProfile_baseline',
    minor: 0,
    name: 'pod and containers seccomp invalid (annotations)',
    meta: { annotations: { 'seccomp.security.alpha.kubernetes.io/pod': 'unconfined', 'container.seccomp.security.alpha.kubernetes.io/a': 'unconfined', 'container.seccomp.security.alpha.kubernetes.io/b': 'unknown' } },
    spec: { containers: [c('a'), c('b'), c('c')] },
    reason: 'seccompProfile',
    detail: 'forbidden annotations container.seccomp.security.alpha.kubernetes.io/a="unconfined", container.seccomp.security.alpha.kubernetes.io/b="unknown", seccomp.security.alpha.kubernetes.io/pod="unconfined"',
  },
  {
    check: 'seccompProfile_baseline',
    minor: 19,
    name: 'pod and containers seccomp invalid',
    spec: { securityContext: { seccompProfile: { type: 'Unconfined' } }, containers: [c('a'), c('b', {}), c('c', { seccompProfile: { type: 'Unconfined' } }), c('d', { seccompProfile: { type: 'Unconfined' } }), c('e', { seccompProfile: { type: 'RuntimeDefault' } })] },
    reason: 'seccompProfile',
    detail: 'pod and containers "c", "d" must not set securityContext.seccompProfile.type to "Unconfined"',
  },
  // check_seccompProfile_restricted_test.go
  { check: 'seccompProfile_restricted', minor: 25, name: 'no explicit seccomp', spec: { containers: [c('a')] }, reason: 'seccompProfile', detail: 'pod or container "a" must set securityContext.seccompProfile.type to "RuntimeDefault" or "Localhost"' },
  { check: 'seccompProfile_restricted', minor: 25, name: 'no explicit seccomp, windows Pod', spec: { os: { name: 'windows' }, containers: [c('a')] } },
  { check: 'seccompProfile_restricted', minor: 19, name: 'no explicit seccomp, windows Pod before 1.25', spec: { os: { name: 'windows' }, containers: [c('a')] }, reason: 'seccompProfile', detail: 'pod or container "a" must set securityContext.seccompProfile.type to "RuntimeDefault" or "Localhost"' },
  { check: 'seccompProfile_restricted', minor: 25, name: 'containers seccomp invalid', spec: { securityContext: { seccompProfile: { type: 'RuntimeDefault' } }, containers: [c('a'), c('b', {}), c('c', { seccompProfile: { type: 'Unconfined' } }), c('d', { seccompProfile: { type: 'Unconfined' } })] }, reason: 'seccompProfile', detail: 'containers "c", "d" must not set securityContext.seccompProfile.type to "Unconfined"' },
  { check: 'seccompProfile_restricted', minor: 25, name: 'pod nil, container fallthrough', spec: { containers: [c('a'), c('b', {}), c('d', { seccompProfile: { type: 'RuntimeDefault' } }), c('e', { seccompProfile: { type: 'RuntimeDefault' } })] }, reason: 'seccompProfile', detail: 'pod or containers "a", "b" must set securityContext.seccompProfile.type to "RuntimeDefault" or "Localhost"' },
  // check_sysctls_test.go: each version's allowed set
  ...[0, 27, 29, 32, 37].map((minor) => ({ check: 'sysctls', minor, name: 'forbidden sysctls', spec: { securityContext: { sysctls: [{ name: 'a' }, { name: 'b' }] } }, reason: 'forbidden sysctls', detail: 'a, b' })),
  ...([
    ['net.ipv4.ip_local_reserved_ports', 27],
    ['net.ipv4.tcp_keepalive_time', 29],
    ['net.ipv4.tcp_fin_timeout', 29],
    ['net.ipv4.tcp_keepalive_intvl', 29],
    ['net.ipv4.tcp_keepalive_probes', 29],
    ['net.ipv4.tcp_rmem', 32],
    ['net.ipv4.tcp_wmem', 32],
    ['net.ipv4.tcp_slow_start_after_idle', 37],
    ['net.ipv4.tcp_notsent_lowat', 37],
  ] as const).flatMap(([sysctl, since]) => [
    { check: 'sysctls', minor: since - 1, name: `${sysctl} before v1.${since}`, spec: { securityContext: { sysctls: [{ name: sysctl, value: '1' }] } }, reason: 'forbidden sysctls', detail: sysctl },
    { check: 'sysctls', minor: since, name: `${sysctl} from v1.${since}`, spec: { securityContext: { sysctls: [{ name: sysctl, value: '1' }] } } },
  ]),
  // check_windowsHostProcess_test.go
  {
    check: 'windowsHostProcess',
    minor: 0,
    name: 'host process',
    spec: { securityContext: { windowsOptions: { hostProcess: true } }, containers: [c('a'), c('b', {}), c('c', { windowsOptions: {} }), c('d', { windowsOptions: { hostProcess: false } }), c('e', { windowsOptions: { hostProcess: true } }), c('f', { windowsOptions: { hostProcess: true } })] },
    reason: 'hostProcess',
    detail: 'pod and containers "e", "f" must not set securityContext.windowsOptions.hostProcess=true',
  },
];

describe('the library\'s check tests, ported', () => {
  it.each(cases)('$check v1.$minor: $name', ({ check, minor, meta, spec, reason, detail }) => {
    const run = checkAt(check, minor);
    expect(run).toBeDefined();
    const result = run!(meta ?? {}, spec);
    if (reason === undefined) expect(result).toBeUndefined();
    else expect(result).toEqual({ reason, detail });
  });

  it('a check does not exist before its first version', () => {
    expect(checkAt('hostProbesAndHostLifecycle', 33)).toBeUndefined();
    expect(checkAt('runAsUser', 22)).toBeUndefined();
    expect(checkAt('allowPrivilegeEscalation', 7)).toBeUndefined();
  });
});
