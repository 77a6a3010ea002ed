import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseAllDocuments } from 'yaml';
import { planMounts, writablePaths } from '../src/core/options/presets.js';
import { pulsarFunctionManifests } from './support/pulsar-generated.mjs';
import { runPmc } from './support/run.js';

const seed4 = join(import.meta.dirname, '..', 'fixtures', 'golden', 'seed-example-4-high-security');
const fn = pulsarFunctionManifests({ tenant: 'public', namespace: 'default', name: 'f' });
const sts = (out: string) => parseAllDocuments(out).map((d) => d.toJS()).find((o) => o.kind === 'StatefulSet');

describe('securityContext presets', () => {
  it("the seed's Example 4 with the restricted preset passes restricted", async () => {
    const options = JSON.parse(readFileSync(join(seed4, 'options.json'), 'utf8'));
    options.securityContext.preset = 'restricted';
    // As written, its AppArmor annotation names a container Pulsar's pod does not have.
    options.extraAnnotations = { 'container.apparmor.security.beta.kubernetes.io/pulsarfunction': 'runtime/default' };
    const r = await runPmc(['customize', 'input.yaml', '-r', JSON.stringify(options), '--check-pss', 'restricted'], { cwd: seed4 });
    // The only word: the seed's class as published would not apply the preset (pmc webhook does).
    expect(r.stderr.split('\n').filter(Boolean)).toEqual([expect.stringMatching(/customRuntimeOptions\.securityContext: the seed's .* does not declare preset \(.*\[PMC_SEED_CLASS_IGNORES\]$/)]);
    expect(r.status).toBe(0);
    expect(sts(r.stdout).spec.template.spec.securityContext.seccompProfile).toEqual({ type: 'RuntimeDefault' });
  });

  it('restricted alone passes restricted; baseline alone passes baseline and not restricted', async () => {
    expect((await runPmc(['customize', '-r', '{"securityContext": {"preset": "restricted"}}', '--check-pss', 'restricted'], { stdin: fn })).status).toBe(0);
    expect((await runPmc(['customize', '-r', '{"securityContext": {"preset": "baseline"}}', '--check-pss', 'baseline'], { stdin: fn })).status).toBe(0);
    const r = await runPmc(['customize', '-r', '{"securityContext": {"preset": "baseline"}}', '--check-pss', 'restricted'], { stdin: fn });
    expect(r.status).toBe(1);
    expect(r.stderr).toContain('runAsNonRoot != true');
  });

  it('explicit fields beside the preset override it', async () => {
    const r = await runPmc(['customize', '-r', '{"securityContext": {"preset": "restricted", "runAsUser": 2000, "dropCapabilities": ["NET_RAW"]}}'], { stdin: fn });
    const s = sts(r.stdout).spec.template.spec;
    expect(s.securityContext).toMatchObject({ runAsUser: 2000, runAsGroup: 10000, runAsNonRoot: true });
    expect(s.containers[0].securityContext.capabilities).toEqual({ drop: ['NET_RAW'] });
  });

  it("a worker's preset is every function's default, and a function's field overrides it", async () => {
    const r = await runPmc(['customize', '-w', join(import.meta.dirname, 'support', 'preset-worker.yml'), '-r', '{"securityContext": {"runAsUser": 20000}}'], { stdin: fn });
    expect(r.status).toBe(0);
    expect(sts(r.stdout).spec.template.spec.securityContext).toEqual({
      runAsUser: 20000,
      runAsGroup: 10000,
      fsGroup: 10000,
      runAsNonRoot: true,
      seccompProfile: { type: 'RuntimeDefault' },
    });
  });

  it('readOnlyRootFilesystem with a preset: an emptyDir for each path the instance writes, none over the image', async () => {
    const r = await runPmc(['customize', '-r', '{"securityContext": {"preset": "restricted", "readOnlyRootFilesystem": true}}'], { stdin: fn });
    const s = sts(r.stdout).spec.template.spec;
    expect(s.volumes).toEqual([
      { name: 'pmc-logs', emptyDir: {} },
      { name: 'pmc-download', emptyDir: {} },
      { name: 'pmc-tmp', emptyDir: {} },
    ]);
    expect(s.containers[0].volumeMounts).toEqual([
      { name: 'pmc-logs', mountPath: '/pulsar/logs/functions/public/default/f' },
      { name: 'pmc-download', mountPath: '/pulsar/download/pulsar_functions/public/default/f' },
      { name: 'pmc-tmp', mountPath: '/tmp' },
    ]);
    // Customizing twice adds nothing more.
    const again = await runPmc(['customize', '-r', '{"securityContext": {"preset": "restricted", "readOnlyRootFilesystem": true}}'], { stdin: r.stdout });
    expect(again.stdout).toBe(r.stdout);
  });

  it('without a preset, readOnlyRootFilesystem is applied as the seed applies it, with no volumes', async () => {
    const r = await runPmc(['customize', '-r', '{"securityContext": {"readOnlyRootFilesystem": true}}'], { stdin: fn });
    expect(sts(r.stdout).spec.template.spec.volumes).toBeUndefined();
  });

  it('code downloaded into /pulsar itself gets no emptyDir, and a warning that says what to set', async () => {
    const atRoot = fn.replace(/--destination-file \S+/, '--destination-file /pulsar/f.jar');
    const r = await runPmc(['customize', '-r', '{"securityContext": {"preset": "restricted", "readOnlyRootFilesystem": true}}'], { stdin: atRoot });
    expect(r.status).toBe(0);
    expect(r.stderr).toContain('writes its downloaded code to /pulsar, which the image ships');
    expect(r.stderr).toContain('functionRuntimeFactoryConfigs.downloadDirectory');
    expect(sts(r.stdout).spec.template.spec.containers[0].volumeMounts.map((m: any) => m.mountPath)).not.toContain('/pulsar');
  });
});

describe('writablePaths and planMounts', () => {
  it('reads a Python instance command', () => {
    const cmd = 'python /pulsar/instances/python-instance/python_instance_main.py --py /pulsar/download/f.py --logging_directory /pulsar/logs/functions --logging_file f --destination-file /pulsar/download/f.py';
    expect(writablePaths(cmd)).toEqual([
      { what: 'logs', path: '/pulsar/logs/functions' },
      { what: 'download', path: '/pulsar/download' },
      { what: 'tmp', path: '/tmp' },
    ]);
  });

  it('never mounts over what the image ships, and not inside another mount', () => {
    const plan = planMounts([
      { what: 'logs', path: '/pulsar/conf' },
      { what: 'download', path: '/pulsar' },
      { what: 'nar', path: '/tmp/pulsar-nar' },
      { what: 'tmp', path: '/tmp' },
    ]);
    expect(plan.mounts).toEqual([{ what: 'tmp', path: '/tmp' }]);
    expect(plan.refused.map((r) => r.path)).toEqual(['/pulsar/conf', '/pulsar']);
  });
});

// Pulsar's Kubernetes runtime passes the instance a relative log directory ("logs/functions"),
// which the instance resolves against the image's working directory /pulsar: the writable
// volumes must be mounted there, not at the relative path (which the kubelet puts under /).
describe('relative paths in the instance command resolve against the working directory', () => {
  const render = join(import.meta.dirname, '..', 'fixtures', 'render');
  const hardened = '{"securityContext": {"preset": "restricted", "readOnlyRootFilesystem": true}}';
  it.each([
    ['Python', 'exclamation-python.yaml', '--logging_directory logs/functions', '/pulsar/logs/functions'],
    ['Java', 'word-count-java.yaml', '-Dpulsar.function.log.dir=logs/functions/public/default/word-count', '/pulsar/logs/functions/public/default/word-count'],
  ])('%s through the restricted preset with a read-only root', async (_, config, flag, logMount) => {
    const r = await runPmc(['render', '-c', join(render, config), '-w', join(render, 'functions_worker.yml'), '--customizer', 'security-context', '-r', hardened, '--check-pss', 'restricted']);
    expect(r.status).toBe(0);
    const s = sts(r.stdout);
    const container = s.spec.template.spec.containers[0];
    expect(container.command.join(' ')).toContain(flag);
    const mounts = container.volumeMounts.map((m: { mountPath: string }) => m.mountPath);
    expect(mounts).toContain(logMount);
    expect(mounts.every((m: string) => m.startsWith('/'))).toBe(true);
    expect(mounts).not.toContain('logs/functions');
  });

  it("a container's own workingDir wins, and /tmp is named once", () => {
    expect(writablePaths('exec python3 x.py --logging_directory logs/functions --nar_extraction_directory /tmp', '/opt/app').map((w) => w.path)).toEqual(['/opt/app/logs/functions', '/tmp']);
    expect(writablePaths('--logging_directory ../var/log').map((w) => w.path)).toEqual(['/var/log', '/tmp']);
  });

  it('a custom image with another WORKDIR: imageWorkingDir moves the mounts and the check (a relative one is refused)', async () => {
    const options = '{"securityContext": {"preset": "restricted", "readOnlyRootFilesystem": true, "imageWorkingDir": "/opt/pulsar"}}';
    const r = await runPmc(['render', '-c', join(render, 'exclamation-python.yaml'), '-w', join(render, 'functions_worker.yml'), '--customizer', 'security-context', '-r', options]);
    expect(r.status).toBe(0);
    const mounts = sts(r.stdout).spec.template.spec.containers[0].volumeMounts.map((m: { mountPath: string }) => m.mountPath);
    expect(mounts).toContain('/opt/pulsar/logs/functions');
    expect(mounts).not.toContain('/pulsar/logs/functions');
    const check = await runPmc(['render', '-c', join(render, 'exclamation-python.yaml'), '-w', join(render, 'functions_worker.yml'), '--customizer', 'security-context', '-r', '{"securityContext": {"readOnlyRootFilesystem": true, "imageWorkingDir": "/opt/pulsar"}}']);
    expect(check.stderr).toMatch(/writes to \/opt\/pulsar\/logs\/functions, /);
    const relative = await runPmc(['render', '-c', join(render, 'exclamation-python.yaml'), '-w', join(render, 'functions_worker.yml'), '--customizer', 'security-context', '-r', '{"securityContext": {"imageWorkingDir": "opt/pulsar"}}']);
    expect(relative.status).toBe(1);
    expect(relative.stderr).toContain('imageWorkingDir must be an absolute path');
  });

  it('the read-only-root check names the absolute log directory', async () => {
    const r = await runPmc([
      'render', '-c', join(render, 'exclamation-python.yaml'), '-w', join(render, 'functions_worker.yml'), '--customizer', 'security-context',
      '-r', '{"securityContext": {"readOnlyRootFilesystem": true}}',
    ]);
    expect(r.status).toBe(0);
    expect(r.stderr).toMatch(/writes to \/pulsar\/logs\/functions, \/pulsar\/download\/pulsar_functions, \/tmp, where nothing writable is mounted/);
  });
});
