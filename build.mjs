// Builds pmc into one CommonJS bundle (dist/pmc.cjs) that bin/pmc.js loads, then a V8
// code cache for it (dist/pmc.cache) from a warm-up run over the fixtures, so that a
// start does not compile again what every run uses.
import { rmSync, writeFileSync } from 'node:fs';
import { build } from 'esbuild';

rmSync('dist', { recursive: true, force: true });
const result = await build({
  entryPoints: ['src/cli/main.ts'],
  bundle: true,
  format: 'cjs',
  platform: 'node',
  target: 'node20',
  outfile: 'dist/pmc.cjs',
  // Dependencies' ESM builds: esbuild can follow them (jsonc-parser's UMD hides its requires).
  mainFields: ['module', 'main'],
  // Less for V8 to parse at every start.
  minify: true,
  sourcemap: 'linked',
  legalComments: 'none',
  metafile: true,
  logLevel: 'warning',
  plugins: [
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

// The warm-up: what a typical run compiles goes into the cache.
const { loadPmc, CODE_CACHE } = await import('./bin/load.js');
const { pmc, script } = loadPmc({ useCache: false });
const quiet = { write: () => true };
const io = { stdin: '', stdout: quiet, stderr: quiet, env: {}, cwd: process.cwd() };
const fixture = ['fixtures/pulsar-function.yaml', '-w', 'fixtures/functions_worker.yml', '-c', 'fixtures/function-config.yaml'];
for (const argv of [['customize', ...fixture], ['customize', ...fixture, '-o', 'json'], ['diff', ...fixture], ['check-pss', '--level', 'baseline', fixture[0]]]) {
  await pmc.main(argv, io);
}
writeFileSync(CODE_CACHE, script.createCachedData());

if (process.argv.includes('--analyze')) {
  const { analyzeMetafile } = await import('esbuild');
  console.log(await analyzeMetafile(result.metafile));
}
