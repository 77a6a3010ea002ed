// Pod Security Standards: every check has a failing and a passing pod template, judged at
// both levels, with the admission library's own words.
import { describe, expect, it } from 'vitest';
import { checkPod, formatViolations, type PssLevel, type PssPolicy } from '../src/core/checks/pss.js';
import { runPmc } from './support/run.js';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

type Obj = Record<string, any>;
/** A pod spec that passes restricted: every variant below changes one thing. */
function compliant(): Obj {
  return {
    securityContext: { runAsNonRoot: true, seccompProfile: { type: 'RuntimeDefault' } },
    initContainers: [{ name: 'init', image: 'x', securityContext: { allowPrivilegeEscalation: false, capabilities: { drop: ['ALL'] } } }],
    containers: [{ name: 'pulsarfunction', image: 'x', securityContext: { allowPrivilegeEscalation: false, capabilities: { drop: ['ALL'] } } }],
    volumes: [{ name: 'tmp', emptyDir: {} }],
  };
}
const main = (spec: Obj) => spec.containers[0];
const init = (spec: Obj) => spec.initContainers[0];

interface Case {
  check: string;
  level: PssLevel;
  fail: (spec: Obj, meta: Obj) => void;
  pass: (spec: Obj, meta: Obj) => void;
  detail: string;
  /** The restricted check that replaces this baseline one at the restricted level. */
  restricted?: { check: string; detail: string };
}

const cases: Case[] = [
  { check: 'privileged', level: 'baseline', fail: (s) => (main(s).securityContext.privileged = true), pass: (s) => (main(s).securityContext.privileged = false), detail: 'privileged (container "pulsarfunction" must not set securityContext.privileged=true)' },
  { check: 'hostNamespaces', level: 'baseline', fail: (s) => ((s.hostNetwork = true), (s.hostPID = true)), pass: (s) => (s.hostNetwork = false), detail: 'host namespaces (hostNetwork=true, hostPID=true)' },
  { check: 'capabilities_baseline', level: 'baseline', fail: (s) => (main(s).securityContext.capabilities.add = ['SYS_ADMIN', 'NET_RAW']), pass: (s) => (main(s).securityContext.capabilities.add = ['NET_BIND_SERVICE']), detail: 'non-default capabilities (container "pulsarfunction" must not include "NET_RAW", "SYS_ADMIN" in securityContext.capabilities.add)', restricted: { check: 'capabilities_restricted', detail: 'unrestricted capabilities (container "pulsarfunction" must not include "NET_RAW", "SYS_ADMIN" in securityContext.capabilities.add)' } },
  { check: 'hostPathVolumes', level: 'baseline', fail: (s) => s.volumes.push({ name: 'host', hostPath: { path: '/' } }), pass: (s) => s.volumes.push({ name: 'cfg', configMap: { name: 'c' } }), detail: 'hostPath volumes (volume "host")', restricted: { check: 'restrictedVolumes', detail: 'restricted volume types (volume "host" uses restricted volume type "hostPath")' } },
  { check: 'hostPorts', level: 'baseline', fail: (s) => (main(s).ports = [{ containerPort: 9093, hostPort: 9093 }]), pass: (s) => (main(s).ports = [{ containerPort: 9093, hostPort: 0 }]), detail: 'hostPort (container "pulsarfunction" uses hostPort 9093)' },
  { check: 'appArmorProfile', level: 'baseline', fail: (_s, m) => (m.annotations = { 'container.apparmor.security.beta.kubernetes.io/pulsarfunction': 'unconfined' }), pass: (_s, m) => (m.annotations = { 'container.apparmor.security.beta.kubernetes.io/pulsarfunction': 'runtime/default' }), detail: 'forbidden AppArmor profile (annotation must not set AppArmor profile type to "container.apparmor.security.beta.kubernetes.io/pulsarfunction="unconfined"")' },
  { check: 'seLinuxOptions', level: 'baseline', fail: (s) => (main(s).securityContext.seLinuxOptions = { type: 'spc_t', user: 'system_u' }), pass: (s) => (main(s).securityContext.seLinuxOptions = { type: 'container_t', level: 's0:c1,c2' }), detail: 'seLinuxOptions (container "pulsarfunction" set forbidden securityContext.seLinuxOptions: type "spc_t"; user may not be set)' },
  { check: 'procMount', level: 'baseline', fail: (s) => (main(s).securityContext.procMount = 'Unmasked'), pass: (s) => (main(s).securityContext.procMount = 'Default'), detail: 'procMount (container "pulsarfunction" must not set securityContext.procMount to "Unmasked")', restricted: { check: 'procMount_restricted', detail: 'procMount (container "pulsarfunction" must not set securityContext.procMount to "Unmasked")' } },
  { check: 'seccompProfile_baseline', level: 'baseline', fail: (s) => (s.securityContext.seccompProfile = { type: 'Unconfined' }), pass: (s) => (s.securityContext.seccompProfile = { type: 'Localhost', localhostProfile: 'p.json' }), detail: 'seccompProfile (pod must not set securityContext.seccompProfile.type to "Unconfined")', restricted: { check: 'seccompProfile_restricted', detail: 'seccompProfile (pod must not set securityContext.seccompProfile.type to "Unconfined")' } },
  { check: 'sysctls', level: 'baseline', fail: (s) => (s.securityContext.sysctls = [{ name: 'kernel.msgmax', value: '1' }]), pass: (s) => (s.securityContext.sysctls = [{ name: 'net.ipv4.tcp_keepalive_time', value: '60' }]), detail: 'forbidden sysctls (kernel.msgmax)' },
  { check: 'windowsHostProcess', level: 'baseline', fail: (s) => (main(s).securityContext.windowsOptions = { hostProcess: true }), pass: (s) => (main(s).securityContext.windowsOptions = { hostProcess: false }), detail: 'hostProcess (container "pulsarfunction" must not set securityContext.windowsOptions.hostProcess=true)' },
  { check: 'hostProbesAndHostLifecycle', level: 'baseline', fail: (s) => (main(s).livenessProbe = { httpGet: { host: '10.0.0.1', port: 9094 } }), pass: (s) => (main(s).livenessProbe = { httpGet: { port: 9094 } }), detail: 'probe or lifecycle host (container "pulsarfunction" uses probe or lifecycle host "10.0.0.1")' },
  { check: 'restrictedVolumes', level: 'restricted', fail: (s) => s.volumes.push({ name: 'nfs', nfs: { server: 'x', path: '/' } }), pass: (s) => s.volumes.push({ name: 'data', persistentVolumeClaim: { claimName: 'd' } }), detail: 'restricted volume types (volume "nfs" uses restricted volume type "nfs")' },
  { check: 'allowPrivilegeEscalation', level: 'restricted', fail: (s) => delete main(s).securityContext.allowPrivilegeEscalation, pass: (s) => (main(s).securityContext.allowPrivilegeEscalation = false), detail: 'allowPrivilegeEscalation != false (container "pulsarfunction" must set securityContext.allowPrivilegeEscalation=false)' },
  { check: 'runAsNonRoot', level: 'restricted', fail: (s) => delete s.securityContext.runAsNonRoot, pass: (s) => ((main(s).securityContext.runAsNonRoot = true), (init(s).securityContext.runAsNonRoot = true), delete s.securityContext.runAsNonRoot), detail: 'runAsNonRoot != true (pod or containers "init", "pulsarfunction" must set securityContext.runAsNonRoot=true)' },
  { check: 'runAsUser', level: 'restricted', fail: (s) => (s.securityContext.runAsUser = 0), pass: (s) => (s.securityContext.runAsUser = 10000), detail: 'runAsUser=0 (pod must not set runAsUser=0)' },
  { check: 'seccompProfile_restricted', level: 'restricted', fail: (s) => delete s.securityContext.seccompProfile, pass: (s) => ((delete s.securityContext.seccompProfile), (main(s).securityContext.seccompProfile = { type: 'RuntimeDefault' }), (init(s).securityContext.seccompProfile = { type: 'Localhost', localhostProfile: 'p' })), detail: 'seccompProfile (pod or containers "init", "pulsarfunction" must set securityContext.seccompProfile.type to "RuntimeDefault" or "Localhost")' },
  { check: 'capabilities_restricted', level: 'restricted', fail: (s) => (main(s).securityContext.capabilities = { add: ['NET_BIND_SERVICE'] }), pass: (s) => (main(s).securityContext.capabilities = { drop: ['ALL'], add: ['NET_BIND_SERVICE'] }), detail: 'unrestricted capabilities (container "pulsarfunction" must set securityContext.capabilities.drop=["ALL"])' },
];

const latest = (level: PssLevel): PssPolicy => ({ level, minor: 'latest' });
const run = (mutate: Case['fail'], level: PssLevel) => {
  const spec = compliant();
  const meta: Obj = {};
  mutate(spec, meta);
  return checkPod(meta, spec, latest(level));
};

describe('the compliant base', () => {
  it('passes restricted and baseline', () => {
    expect(checkPod({}, compliant(), latest('restricted'))).toEqual([]);
    expect(checkPod({}, compliant(), latest('baseline'))).toEqual([]);
  });
});

describe.each(cases)('$check ($level)', (c) => {
  it('fails where the standard says, with the admission message', () => {
    const baseline = run(c.fail, 'baseline');
    expect(baseline.map((v) => v.check)).toEqual(c.level === 'baseline' ? [c.check] : []);
    if (c.level === 'baseline') expect(`${baseline[0].reason} (${baseline[0].detail})`).toBe(c.detail);
    const restricted = run(c.fail, 'restricted');
    const expected = c.restricted ?? { check: c.check, detail: c.detail };
    expect(restricted.map((v) => v.check)).toEqual([expected.check]);
    expect(`${restricted[0].reason} (${restricted[0].detail})`).toBe(expected.detail);
  });

  it('passes with an allowed value, at both levels', () => {
    expect(run(c.pass, 'restricted')).toEqual([]);
    expect(run(c.pass, 'baseline')).toEqual([]);
  });
});

describe('init and ephemeral containers count', () => {
  it('a violation only an init container has', () => {
    const v = run((s) => (init(s).securityContext.privileged = true), 'baseline');
    expect(v).toEqual([{ check: 'privileged', reason: 'privileged', detail: 'container "init" must not set securityContext.privileged=true' }]);
  });

  it('an ephemeral container without the restricted settings', () => {
    const v = run((s) => (s.ephemeralContainers = [{ name: 'debug', image: 'busybox' }]), 'restricted');
    expect(v.map((x) => x.detail)).toEqual([
      'container "debug" must set securityContext.allowPrivilegeEscalation=false',
      'container "debug" must set securityContext.capabilities.drop=["ALL"]',
    ]);
  });
});

describe('what the library exempts', () => {
  it('user-namespace pods from baseline procMount, but not from restricted', () => {
    const mutate = (s: Obj) => ((s.hostUsers = false), (main(s).securityContext.procMount = 'Unmasked'));
    expect(run(mutate, 'baseline')).toEqual([]);
    expect(run(mutate, 'restricted').map((v) => v.check)).toEqual(['procMount_restricted']);
  });

  it('Windows pods from the Linux-only restricted checks', () => {
    const mutate = (s: Obj) => ((s.os = { name: 'windows' }), delete main(s).securityContext.allowPrivilegeEscalation, delete s.securityContext.seccompProfile);
    expect(run(mutate, 'restricted')).toEqual([]);
  });
});

describe('the admission message', () => {
  it('joins violations in check order, as the API server prints them', () => {
    const v = run((s) => ((s.hostNetwork = true), (s.securityContext.runAsUser = 0)), 'restricted');
    expect(formatViolations(latest('restricted'), v)).toBe('violates PodSecurity "restricted:latest": host namespaces (hostNetwork=true), runAsUser=0 (pod must not set runAsUser=0)');
  });

  it('names the pinned version', () => {
    const v = run((s) => (s.securityContext.runAsUser = 0), 'restricted');
    expect(formatViolations({ level: 'restricted', minor: 25 }, v)).toBe('violates PodSecurity "restricted:v1.25": runAsUser=0 (pod must not set runAsUser=0)');
  });
});

describe('pmc check-pss and --check-pss', () => {
  const fixture = join(import.meta.dirname, '..', 'fixtures', 'pulsar-function.yaml');

  it('the Pulsar-generated StatefulSet passes baseline', async () => {
    const r = await runPmc(['check-pss', '--level', 'baseline', fixture]);
    expect(r.status).toBe(0);
    expect(r.stdout).toBe(`${fixture}: document 2 StatefulSet/pf-public-default-my-function: passes PodSecurity "baseline:latest"\n`);
  });

  it('and fails restricted with every expected check named', async () => {
    const r = await runPmc(['check-pss', fixture]);
    expect(r.status).toBe(1);
    expect(r.stdout).toBe('');
    expect(r.stderr).toBe(
      `pmc: error: ${fixture}: document 2 StatefulSet/pf-public-default-my-function: spec.template.spec: violates PodSecurity "restricted:latest": ` +
        'allowPrivilegeEscalation != false (container "pulsarfunction" must set securityContext.allowPrivilegeEscalation=false), ' +
        'unrestricted capabilities (container "pulsarfunction" must set securityContext.capabilities.drop=["ALL"]), ' +
        'runAsNonRoot != true (pod or container "pulsarfunction" must set securityContext.runAsNonRoot=true), ' +
        'seccompProfile (pod or container "pulsarfunction" must set securityContext.seccompProfile.type to "RuntimeDefault" or "Localhost") [PMC_PSS]\n',
    );
  });

  it("the seed's Example 4 ('high-security'), its AppArmor container name fixed, fails restricted on seccomp alone", async () => {
    const dir = join(import.meta.dirname, '..', 'fixtures', 'golden', 'seed-example-4-high-security');
    const options = readFileSync(join(dir, 'options.json'), 'utf8').replace('/pulsar-function"', '/pulsarfunction"');
    const r = await runPmc(['customize', 'input.yaml', '-r', options, '--check-pss', 'restricted'], { cwd: dir });
    expect(r.status).toBe(1);
    expect(r.stdout).toBe('');
    expect(r.stderr).toContain(
      'violates PodSecurity "restricted:latest": seccompProfile (pod or container "pulsarfunction" must set securityContext.seccompProfile.type to "RuntimeDefault" or "Localhost") [PMC_PSS]',
    );
  });

  it('checks every pod template kind in a stream', async () => {
    const stream = ['Deployment', 'DaemonSet', 'Job', 'ReplicaSet']
      .map((kind) => `---\napiVersion: apps/v1\nkind: ${kind}\nmetadata: {name: w}\nspec:\n  template:\n    spec:\n      hostPID: true\n      containers: [{name: c, image: x}]\n`)
      .concat('---\napiVersion: batch/v1\nkind: CronJob\nmetadata: {name: cj}\nspec:\n  jobTemplate:\n    spec:\n      template:\n        spec:\n          hostIPC: true\n          containers: [{name: c, image: x}]\n')
      .concat('---\napiVersion: v1\nkind: Pod\nmetadata: {name: p}\nspec:\n  hostNetwork: true\n  containers: [{name: c, image: x}]\n')
      .join('');
    const r = await runPmc(['check-pss', '--level', 'baseline'], { stdin: stream });
    expect(r.status).toBe(1);
    expect(r.stderr.match(/violates PodSecurity "baseline:latest": host namespaces/g)).toHaveLength(6);
    expect(r.stderr).toContain('document 5 CronJob/cj: spec.jobTemplate.spec.template.spec: violates PodSecurity "baseline:latest": host namespaces (hostIPC=true)');
  });
});

describe('LEVEL[:VERSION] wherever a level is taken', () => {
  const fixture = join(import.meta.dirname, '..', 'fixtures', 'pulsar-function.yaml');
  // runAsUser=0 is a restricted violation from v1.23 on, not before.
  const rootPod = '---\napiVersion: v1\nkind: Pod\nmetadata: {name: p}\nspec:\n  securityContext: {runAsNonRoot: true, runAsUser: 0, seccompProfile: {type: RuntimeDefault}}\n  containers:\n  - name: c\n    image: x\n    securityContext: {allowPrivilegeEscalation: false, capabilities: {drop: [ALL]}}\n';

  it('check-pss --level judges at the pinned version', async () => {
    const before = await runPmc(['check-pss', '--level', 'restricted:v1.22'], { stdin: rootPod });
    expect(before.stderr).toBe('');
    expect(before.stdout).toBe('<stdin>: document 1 Pod/p: passes PodSecurity "restricted:v1.22"\n');
    const after = await runPmc(['check-pss', '--level', 'restricted:v1.23'], { stdin: rootPod });
    expect(after.status).toBe(1);
    expect(after.stderr).toBe('pmc: error: <stdin>: document 1 Pod/p: spec: violates PodSecurity "restricted:v1.23": runAsUser=0 (pod must not set runAsUser=0) [PMC_PSS]\n');
  });

  it('--check-pss on customize takes a version too', async () => {
    const r = await runPmc(['customize', fixture, '-r', '{"securityContext": {"preset": "restricted", "runAsNonRoot": false}}', '--check-pss', 'restricted:v1.25']);
    expect(r.status).toBe(1);
    expect(r.stderr).toContain('violates PodSecurity "restricted:v1.25": runAsNonRoot != true (pod must not set securityContext.runAsNonRoot=false) [PMC_PSS]');
  });

  it.each([
    ['restricted:v2.0', '"v2.0" is not a Pod Security policy version: use latest or v1.0 to v1.37'],
    ['restricted:1.25', '"1.25" is not a Pod Security policy version'],
    ['privileged', '"privileged" is not a Pod Security level: use baseline or restricted'],
    ['restricted:v1.25:x', 'is not a Pod Security level'],
  ])('%s is a usage error', async (level, message) => {
    for (const argv of [['check-pss', '--level', level, fixture], ['customize', fixture, '--check-pss', level]]) {
      const r = await runPmc(argv);
      expect(r.status).toBe(2);
      expect(r.stdout).toBe('');
      expect(r.stderr).toContain(message);
    }
  });

  it('the KRM functionConfig takes checkPss', async () => {
    const list = readFileSync(join(import.meta.dirname, '..', 'fixtures', 'krm', 'resource-list.yaml'), 'utf8').replace('    customizer: security-context\n', '    customizer: security-context\n    checkPss: restricted:v1.25\n');
    const r = await runPmc(['krm'], { stdin: list });
    expect(r.status).toBe(1);
    expect(r.stdout).toContain(`- message: 'violates PodSecurity "restricted:v1.25": allowPrivilegeEscalation != false`);
  });

  it('a bad checkPss in the plugin config names spec.checkPss', async () => {
    const list = readFileSync(join(import.meta.dirname, '..', 'fixtures', 'krm', 'resource-list.yaml'), 'utf8').replace('    customizer: security-context\n', '    customizer: security-context\n    checkPss: strict\n');
    const r = await runPmc(['krm'], { stdin: list });
    expect(r.status).toBe(1);
    expect(r.stdout).toContain('"strict" is not a Pod Security level');
  });
});

describe('inside a kind: List', () => {
  it('check-pss judges every item and names it', async () => {
    const list = JSON.stringify({
      apiVersion: 'v1',
      kind: 'List',
      items: [
        { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'c' } },
        { apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'd' }, spec: { template: { spec: { hostNetwork: true, containers: [{ name: 'c', image: 'x', securityContext: { privileged: true }, ports: [{ containerPort: 8080 }] }] } } } },
      ],
    });
    const r = await runPmc(['check-pss', '--level', 'baseline'], { stdin: list });
    expect(r.status).toBe(1);
    // hostNetwork makes the API server give each containerPort a hostPort.
    expect(r.stderr).toBe(
      'pmc: error: <stdin>: document 1 items[1] Deployment/d: spec.template.spec: violates PodSecurity "baseline:latest": host namespaces (hostNetwork=true), hostPort (container "c" uses hostPort 8080), privileged (container "c" must not set securityContext.privileged=true) [PMC_PSS]\n',
    );
  });
});
