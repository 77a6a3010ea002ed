// Agreement with the pod-security-admission library on its own fixtures
// (fixtures/pss-admission/, copied from kubernetes/pod-security-admission test/testdata):
// every pass Pod is admitted and every fail Pod refused with the substring the library's
// test runner expects, at each copied level and version; the versions the issue names also
// through the CLI, as a Pod and wrapped in a StatefulSet template.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse, stringify } from 'yaml';
import { CHECKS, PSS_LATEST_MINOR, checkPod, formatViolations, type PssLevel } from '../src/core/checks/pss.js';
import { runPmc } from './support/run.js';

const root = join(import.meta.dirname, '..', 'fixtures', 'pss-admission');

/**
 * What the library's runner looks for in a refusal (test/fixtures_*.go: expectErrorSubstring,
 * or the check ID where none is given), by fixture file prefix.
 */
const EXPECTED: Record<string, string> = {
  allowprivilegeescalation: 'allowPrivilegeEscalation',
  apparmorprofile: 'forbidden AppArmor profile',
  capabilities_baseline: 'capabilities',
  capabilities_restricted: 'unrestricted capabilities',
  hostnamespaces: 'host namespaces',
  hostpathvolumes: 'hostPath',
  hostports: 'hostPort',
  hostprobesandhostlifecycle: 'probe or lifecycle host',
  privileged: 'privileged',
  procmount: 'procMount',
  procmount_restricted: 'procMount',
  restrictedvolumes: 'restricted volume types',
  runasnonroot: 'runAsNonRoot',
  runasuser: 'runAsUser',
  seccompprofile_baseline: 'seccompProfile',
  seccompprofile_restricted: 'seccompProfile',
  selinuxoptions: 'seLinuxOptions',
  sysctls: 'forbidden sysctl',
  windowshostprocess: 'hostProcess',
};

interface Fixture {
  level: PssLevel;
  minor: number;
  pass: boolean;
  file: string;
  path: string;
  expected?: string;
}

const fixtures: Fixture[] = [];
for (const level of ['baseline', 'restricted'] as const) {
  for (const dir of readdirSync(join(root, level))) {
    const minor = Number(dir.replace('v1.', ''));
    for (const outcome of ['pass', 'fail'] as const) {
      for (const file of readdirSync(join(root, level, dir, outcome)).sort()) {
        const prefix = file.replace(/\d*\.yaml$/, '');
        fixtures.push({ level, minor, pass: outcome === 'pass', file: `${level}/${dir}/${outcome}/${file}`, path: join(root, level, dir, outcome, file), expected: outcome === 'fail' ? EXPECTED[prefix] : undefined });
      }
    }
  }
}
/** The check a fixture file is named for, and the restricted checks that override it. */
function checksNamed(path: string): string[] {
  const prefix = path.replace(/^.*\//, '').replace(/\d*\.yaml$/, '');
  const id = CHECKS.find((c) => c.id.toLowerCase() === prefix)!.id;
  return [id, ...CHECKS.filter((c) => c.versions.some((v) => v.overrides?.includes(id))).map((c) => c.id)];
}

const copiedMinors = [...new Set(fixtures.map((f) => f.minor))].sort((a, b) => a - b);

describe('the fixtures', () => {
  it('are all there: both levels, the versions the issue names, every check', () => {
    expect(fixtures.length).toBeGreaterThan(1700);
    for (const minor of [22, 25, 30, PSS_LATEST_MINOR]) expect(copiedMinors).toContain(minor);
    expect(fixtures.filter((f) => !f.pass && !f.expected)).toEqual([]);
  });

  it('cover every version at which a check changes', () => {
    const changePoints = new Set(CHECKS.flatMap((c) => c.versions.map((v) => v.since)));
    for (const since of changePoints) expect(copiedMinors).toContain(since);
    expect(Math.max(...changePoints)).toBe(PSS_LATEST_MINOR);
  });
});

describe('pmc agrees with the pod-security-admission library on its fixtures', () => {
  it.each(fixtures)('$file', ({ level, minor, pass, path, expected }) => {
    const pod = parse(readFileSync(path, 'utf8'));
    const violations = checkPod(pod.metadata ?? {}, pod.spec, { level, minor });
    if (pass) {
      expect(violations).toEqual([]);
    } else {
      // The rule the fixture's name says is among those broken (a privileged container also
      // escalates privileges; a restricted check may stand in for the baseline one it overrides).
      expect(violations.map((v) => v.check)).toEqual(expect.arrayContaining([expect.toBeOneOf(checksNamed(path))]));
      const message = formatViolations({ level, minor }, violations);
      expect(message.startsWith(`violates PodSecurity "${level}:v1.${minor}": `)).toBe(true);
      expect(message).toContain(expected);
    }
  });
});

/** The Pod as the template of a StatefulSet: metadata (annotations) and spec carried over. */
function asStatefulSet(pod: Record<string, any>): string {
  return stringify({
    apiVersion: 'apps/v1',
    kind: 'StatefulSet',
    metadata: { name: pod.metadata.name },
    spec: { serviceName: pod.metadata.name, selector: { matchLabels: { app: 'x' } }, template: { metadata: { ...pod.metadata, labels: { app: 'x' } }, spec: pod.spec } },
  });
}

describe.each([22, 25, 30, PSS_LATEST_MINOR])('pmc check-pss --level LEVEL:v1.%i on the fixtures', (minor) => {
  const here = fixtures.filter((f) => f.minor === minor);
  it.each(here)('$file, as a Pod and as a StatefulSet template', async ({ level, pass, path, expected }) => {
    const text = readFileSync(path, 'utf8');
    for (const [input, stdin] of [
      [path, ''],
      ['-', asStatefulSet(parse(text))],
    ] as const) {
      const r = await runPmc(['check-pss', '--level', `${level}:v1.${minor}`, input], { stdin });
      if (pass) {
        expect(r.stderr).toBe('');
        expect(r.status).toBe(0);
        expect(r.stdout).toContain(`passes PodSecurity "${level}:v1.${minor}"`);
      } else {
        expect(r.status).toBe(1);
        expect(r.stdout).toBe('');
        expect(r.stderr).toContain(`violates PodSecurity "${level}:v1.${minor}": `);
        expect(r.stderr).toContain(expected);
      }
    }
  });
});

describe('latest is the newest version the library knows', () => {
  it('restricted and restricted:latest judge as v1.37 and say latest', async () => {
    const path = join(root, 'restricted', `v1.${PSS_LATEST_MINOR}`, 'fail', 'sysctls0.yaml');
    const pinned = await runPmc(['check-pss', '--level', `restricted:v1.${PSS_LATEST_MINOR}`, path]);
    for (const level of ['restricted', 'restricted:latest']) {
      const r = await runPmc(['check-pss', '--level', level, path]);
      expect(r.status).toBe(1);
      expect(r.stderr).toBe(pinned.stderr.replace(`restricted:v1.${PSS_LATEST_MINOR}`, 'restricted:latest'));
    }
  });

  it('a version newer than the library knows is judged as the newest, and named as asked', () => {
    const pod = parse(readFileSync(join(root, 'restricted', `v1.${PSS_LATEST_MINOR}`, 'fail', 'sysctls0.yaml'), 'utf8'));
    const v = checkPod(pod.metadata, pod.spec, { level: 'restricted', minor: 99 });
    expect(v.map((x) => x.check)).toEqual(['sysctls']);
    expect(formatViolations({ level: 'restricted', minor: 99 }, v)).toMatch(/^violates PodSecurity "restricted:v1.99": forbidden sysctls/);
  });
});
