// The package as users get it: `npm pack`, then `npm install -g` of the tarball into a
// temporary prefix, and every entry point run from there, far from this clone.
import { spawnSync, type SpawnSyncReturns } from 'node:child_process';
import { cpSync, mkdtempSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const root = join(import.meta.dirname, '..');
const fixtures = join(root, 'fixtures');
const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { name: string; version: string; engines: { node: string } };
const PLUGIN = join('kustomize', 'plugin', 'pmc.pulsar', 'v1alpha1', 'pulsarmanifestcustomizer', 'PulsarManifestCustomizer');

let work: string;
let prefix: string;
let installed: string; // the installed package's folder
let packed: { files: { path: string }[]; unpackedSize: number };

function ok(r: SpawnSyncReturns<string>): string {
  if (r.error) throw r.error;
  expect(r.stderr).toBe('');
  expect(r.status).toBe(0);
  return r.stdout;
}

/** Runs an installed command with a clean HOME and caches, from a folder outside the clone. */
function installedCmd(cmd: string, args: string[], opts: { input?: string; env?: Record<string, string>; cwd?: string } = {}) {
  return spawnSync(join(prefix, 'bin', cmd), args, {
    cwd: opts.cwd ?? work,
    input: opts.input,
    encoding: 'utf8',
    env: { PATH: `${join(prefix, 'bin')}:${process.env.PATH}`, HOME: join(work, 'home'), XDG_CACHE_HOME: join(work, 'cache'), ...opts.env },
  });
}

beforeAll(() => {
  work = mkdtempSync(join(tmpdir(), 'pmc-package-'));
  prefix = join(work, 'prefix');
  // `npm test` has just built dist/: pack it as it is (prepack would build it again).
  const out = ok(spawnSync('npm', ['pack', '--json', '--ignore-scripts', '--pack-destination', work], { cwd: root, encoding: 'utf8' }));
  packed = JSON.parse(out)[0];
  const tarball = join(work, `${pkg.name}-${pkg.version}.tgz`);
  // --offline: the package needs nothing from the registry (its bundle holds its dependencies).
  const r = spawnSync('npm', ['install', '-g', '--offline', '--no-audit', '--no-fund', '--prefix', prefix, tarball], { cwd: work, encoding: 'utf8' });
  expect(r.status, r.stderr).toBe(0);
  installed = join(prefix, 'lib', 'node_modules', pkg.name);
}, 120_000);

afterAll(() => rmSync(work, { recursive: true, force: true }));

describe('the tarball', () => {
  it('holds the program, its licences and docs, and nothing of the tests, fixtures or bench', () => {
    const files = packed.files.map((f) => f.path).sort();
    for (const f of ['LICENSE', 'README.md', 'CHANGELOG.md', 'package.json', 'bin/pmc.js', 'bin/pmc-krm.js', 'bin/load.js', 'bin/package.json', 'dist/pmc.cjs', 'dist/build-id', 'dist/THIRD-PARTY-LICENSES.txt']) {
      expect(files).toContain(f);
    }
    expect(files.filter((f) => /^dist\/pmc-v8-.*\.cache$/.test(f))).toHaveLength(1);
    expect(files.filter((f) => /^(test|bench|fixtures|src)\/|golden|\.map$|meta\.json$/.test(f))).toEqual([]);
    expect(files.length).toBeLessThan(20);
    expect(packed.unpackedSize).toBeLessThan(2_000_000);
  });

  it('carries the Apache-2.0 text the package.json names', () => {
    expect(readFileSync(join(installed, 'LICENSE'), 'utf8')).toContain('Apache License\n                           Version 2.0, January 2004');
  });

  it('names the licence of every package its bundle took code from', () => {
    const notices = readFileSync(join(installed, 'dist', 'THIRD-PARTY-LICENSES.txt'), 'utf8');
    for (const dep of ['yaml@', 'commander@', 'kubernetes-models@', 'deepmerge@', 'chalk@']) expect(notices).toContain(dep);
  });

  it('installs with no dependencies to fetch', () => {
    expect(readdirSync(installed)).not.toContain('node_modules');
  });
});

describe('the installed commands', () => {
  it('pmc --version', () => {
    expect(ok(installedCmd('pmc', ['--version']))).toBe(`${pkg.version}\n`);
  });

  it("deploy/ names the package's version: the image tag and the tarball the Dockerfile installs", () => {
    expect(readFileSync(join(root, 'deploy', 'kustomization.yaml'), 'utf8')).toContain(`  newTag: ${pkg.version}\n`);
    const dockerfile = readFileSync(join(root, 'deploy', 'Dockerfile'), 'utf8');
    const tarballs = [...dockerfile.matchAll(/pulsar-manifest-customizer-([\d.]+[^\s]*?)\.tgz/g)].map((m) => m[1]);
    expect(tarballs.length).toBeGreaterThan(0);
    expect(new Set(tarballs)).toEqual(new Set([pkg.version]));
    expect(dockerfile).toContain(`pulsar-manifest-customizer:${pkg.version}`);
  });

  it('engines, .ci/run, the image and the README name the same Node.js lines: the living LTS ones', () => {
    const engines = [...pkg.engines.node.matchAll(/(?:\^|>=)(\d+)/g)].map((m: RegExpMatchArray) => Number(m[1]));
    expect(engines).toEqual([22, 24]);
    const ci = /NODE_LINES="([^"]+)"/.exec(readFileSync(join(root, '.ci', 'run'), 'utf8'))![1]!.split(' ').map((v) => Number(v.split('.')[0]));
    expect(ci).toEqual(engines);
    const image = Number(/^FROM node:(\d+)/m.exec(readFileSync(join(root, 'deploy', 'Dockerfile'), 'utf8'))![1]);
    expect(engines).toContain(image);
    expect(readFileSync(join(root, 'README.md'), 'utf8')).toContain(`Node.js ${engines.join(' and ')} (\`engines\`)`);
  });

  it('pmc customize prints what `npm start` prints', () => {
    const r = installedCmd('pmc', ['customize', 'pulsar-function.yaml', '-w', 'functions_worker.yml', '-c', 'function-config.yaml'], { cwd: fixtures });
    expect(r.status).toBe(0);
    expect(r.stdout).toBe(readFileSync(join(fixtures, 'golden', 'npm-start', 'expected.yaml'), 'utf8'));
    // The same warning, its paths as given here.
    expect(r.stderr).toBe(readFileSync(join(fixtures, 'golden', 'npm-start', 'expected.stderr'), 'utf8').replaceAll('../../', ''));
  });

  it('pmc-krm transforms a ResourceList from stdin', () => {
    const out = ok(installedCmd('pmc-krm', [], { input: readFileSync(join(fixtures, 'krm', 'resource-list.yaml'), 'utf8') }));
    expect(out).toBe(readFileSync(join(fixtures, 'krm', 'expected.yaml'), 'utf8'));
  });

  it('pmc kustomize-plugin install points at the installed copy, which the real kubectl kustomize runs', () => {
    const xdg = join(work, 'xdg');
    const path = ok(installedCmd('pmc', ['kustomize-plugin', 'install'], { env: { XDG_CONFIG_HOME: xdg } }));
    expect(path).toBe(`${join(xdg, PLUGIN)}\n`);
    const script = readFileSync(join(xdg, PLUGIN), 'utf8');
    expect(script).toContain(join(installed, 'bin', 'pmc.js'));
    expect(script).not.toContain(root);
    // The kustomization, copied away from the clone: nothing refers back to it.
    const kustomization = join(work, 'kustomization');
    cpSync(join(fixtures, 'kustomize', 'good'), kustomization, { recursive: true });
    const r = spawnSync('kubectl', ['kustomize', '--enable-alpha-plugins', kustomization], { encoding: 'utf8', env: { ...process.env, XDG_CONFIG_HOME: xdg } });
    expect(r.stderr).toBe('');
    expect(r.stdout).toBe(readFileSync(join(kustomization, 'expected.yaml'), 'utf8'));
  });
});

describe('the V8 code cache is an optimisation only', () => {
  const args = () => ['customize', join(fixtures, 'pulsar-function.yaml'), '-r', '{"extraLabels": {"team": "data"}}'];
  const cacheProbe = (cacheHome: string) =>
    // What bin/load.js found: cachedDataRejected is undefined when it read no cache at all.
    ok(
      spawnSync(process.execPath, ['-e', `const r = require(${JSON.stringify(join(installed, 'bin', 'load.js'))}).loadPmc({ env: { XDG_CACHE_HOME: ${JSON.stringify(cacheHome)} } }); console.log(String(r.script.cachedDataRejected))`], { encoding: 'utf8' }),
    ).trim();

  it('the shipped cache is the one this Node reads, and V8 accepts it', () => {
    expect(cacheProbe(join(work, 'unused-cache'))).toBe('false');
  });

  it('a cache made for another V8 is never read; this Node makes its own in the user cache directory and uses it next time', () => {
    const shipped = readdirSync(join(installed, 'dist')).find((f) => f.endsWith('.cache'))!;
    const expected = ok(installedCmd('pmc', args()));
    renameSync(join(installed, 'dist', shipped), join(installed, 'dist', 'pmc-v8-0.0.0-other.cache'));
    try {
      const cacheHome = join(work, 'cache-other-v8');
      expect(cacheProbe(cacheHome)).toBe('undefined'); // nothing for this V8 yet
      expect(ok(installedCmd('pmc', args(), { env: { XDG_CACHE_HOME: cacheHome } }))).toBe(expected);
      const made = readdirSync(join(cacheHome, 'pulsar-manifest-customizer'));
      const buildId = readFileSync(join(installed, 'dist', 'build-id'), 'utf8').trim();
      expect(made).toEqual([`${buildId}-${shipped}`]);
      expect(cacheProbe(cacheHome)).toBe('false'); // the next start reads it
      expect(ok(installedCmd('pmc', args(), { env: { XDG_CACHE_HOME: cacheHome } }))).toBe(expected);
    } finally {
      renameSync(join(installed, 'dist', 'pmc-v8-0.0.0-other.cache'), join(installed, 'dist', shipped));
    }
  });

  it('a corrupt cache is rejected by V8 and pmc runs as usual', () => {
    const shipped = join(installed, 'dist', readdirSync(join(installed, 'dist')).find((f) => f.endsWith('.cache'))!);
    const expected = ok(installedCmd('pmc', args()));
    const good = readFileSync(shipped);
    try {
      for (const bad of [Buffer.alloc(0), good.subarray(0, 64), Buffer.from(good.map((b, i) => (i >= 16 && i < 32 ? b ^ 0xff : b)))]) {
        writeFileSync(shipped, bad);
        expect(ok(installedCmd('pmc', args()))).toBe(expected);
      }
    } finally {
      writeFileSync(shipped, good);
    }
  });

  it('an unwritable cache directory is no error', () => {
    const file = join(work, 'not-a-dir');
    writeFileSync(file, '');
    const shipped = readdirSync(join(installed, 'dist')).find((f) => f.endsWith('.cache'))!;
    renameSync(join(installed, 'dist', shipped), join(installed, 'dist', 'pmc-v8-0.0.0-other.cache'));
    try {
      const r = installedCmd('pmc', ['--version'], { env: { XDG_CACHE_HOME: file } });
      expect(ok(r)).toBe(`${pkg.version}\n`);
    } finally {
      renameSync(join(installed, 'dist', 'pmc-v8-0.0.0-other.cache'), join(installed, 'dist', shipped));
    }
  });
});
