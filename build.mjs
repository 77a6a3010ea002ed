// Builds pmc into one CommonJS bundle (dist/pmc.cjs) that bin/pmc.js loads, then a V8
// code cache for it (dist/pmc-v8-<version>.cache) from a warm-up run over the fixtures, so
// that a start does not compile again what every run uses. The bundle holds every
// dependency: the installed package needs nothing from node_modules, and carries the
// bundled packages' licences in dist/THIRD-PARTY-LICENSES.txt.
import { createHash } from 'node:crypto';
import { readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { build } from 'esbuild';

// Built-ins that only some runs need, with the functions pmc and its dependencies call:
// each loads on its first call. (commander spawns executable subcommands, which pmc has
// none of; crypto hashes a jobName; both cost a few milliseconds at every start.)
// A capitalised name is a class: its stub constructs the real one.
const LAZY_BUILTINS = { child_process: ['spawn'], crypto: ['createHash', 'randomBytes', 'createPrivateKey', 'X509Certificate'] };

rmSync('dist', { recursive: true, force: true });
const result = await build({
  entryPoints: ['src/cli/main.ts'],
  bundle: true,
  format: 'cjs',
  platform: 'node',
  target: 'node20',
  // The version, from package.json (src/cli/version.ts).
  define: { __PMC_VERSION__: JSON.stringify(JSON.parse(readFileSync('package.json', 'utf8')).version) },
  outfile: 'dist/pmc.cjs',
  // Dependencies' ESM builds: esbuild can follow them (jsonc-parser's UMD hides its requires).
  mainFields: ['module', 'main'],
  // Less for V8 to parse at every start.
  minify: process.env.PMC_NO_MINIFY ? false : true,
  sourcemap: 'linked',
  legalComments: 'none',
  metafile: true,
  logLevel: 'warning',
  plugins: [
    {
      name: 'lazy-builtins',
      setup(b) {
        const filter = new RegExp(`^(node:)?(${Object.keys(LAZY_BUILTINS).join('|')})$`);
        b.onResolve({ filter }, (args) =>
          // The stub's own require() is the real built-in.
          args.namespace === 'lazy-builtin' ? { path: args.path, external: true } : { path: args.path.replace(/^node:/, ''), namespace: 'lazy-builtin' },
        );
        b.onLoad({ filter: /.*/, namespace: 'lazy-builtin' }, ({ path }) => ({
          contents: LAZY_BUILTINS[path]
            .map((name) =>
              /^[A-Z]/.test(name)
                ? `export class ${name} { constructor(...args) { return new (require('node:${path}').${name})(...args); } }`
                : `export function ${name}(...args) { return require('node:${path}').${name}(...args); }`,
            )
            .join('\n'),
          loader: 'js',
        }));
      },
    },
    {
      // Only the formats the two schemas use (see src/cli/k8s-formats.ts).
      name: 'k8s-formats',
      setup(b) {
        b.onResolve({ filter: /^@kubernetes-models\/validate$/ }, () => ({ path: new URL('./src/cli/k8s-formats.ts', import.meta.url).pathname }));
      },
    },
  ],
});
writeFileSync('dist/meta.json', JSON.stringify(result.metafile));
// Names the user-directory code cache a Node without a shipped cache makes (bin/load.js).
writeFileSync('dist/build-id', `${createHash('sha256').update(readFileSync('dist/pmc.cjs')).digest('hex').slice(0, 16)}\n`);
writeFileSync('dist/THIRD-PARTY-LICENSES.txt', thirdPartyLicenses(Object.keys(result.metafile.inputs)));

// The warm-up: what a typical run compiles goes into the cache.
const { loadPmc, SHIPPED_CACHE } = createRequire(import.meta.url)('./bin/load.js');
const { pmc, script } = loadPmc({ useCache: false });
const quiet = { write: () => true };
const io = { stdin: '', stdout: quiet, stderr: quiet, env: {}, cwd: process.cwd() };
const fixture = ['fixtures/pulsar-function.yaml', '-w', 'fixtures/functions_worker.yml', '-c', 'fixtures/function-config.yaml'];
for (const argv of [['customize', ...fixture]]) {
  await pmc.main(argv, io);
}
writeFileSync(SHIPPED_CACHE, script.createCachedData());

if (process.argv.includes('--analyze')) {
  const { analyzeMetafile } = await import('esbuild');
  console.log(await analyzeMetafile(result.metafile));
}

/** The licence text of every package the bundle took code from, one after another. */
function thirdPartyLicenses(inputs) {
  const packages = new Set();
  for (const input of inputs) {
    const m = /^node_modules\/((?:@[^/]+\/)?[^/]+)\//.exec(input);
    if (m) packages.add(m[1]);
  }
  const parts = [...packages].sort().map((name) => {
    const dir = `node_modules/${name}`;
    const { version, license } = JSON.parse(readFileSync(`${dir}/package.json`, 'utf8'));
    const file = readdirSync(dir).find((f) => /^(licen[cs]e|copying)(\.|$)/i.test(f));
    if (!file) throw new Error(`build: ${name} has no licence file to ship with the bundle`);
    return `${name}@${version} (${license})\n\n${readFileSync(`${dir}/${file}`, 'utf8').trim()}\n`;
  });
  return `pmc's bundle (dist/pmc.cjs) includes code from these packages, under these licences.\n\n${parts.join('\n' + '-'.repeat(72) + '\n\n')}`;
}
