// Renders and customizes many pulsar-admin config files in one process, as a CI step that
// previews every function of a repository would (each config is one `pmc render` run,
// through the same entry point as the command line), and writes everything to stdout.
//
//   node bench/render-many.mjs WORKER CONFIG...
const { writeSync } = await import('node:fs');
const { createRequire } = await import('node:module');
const require = createRequire(import.meta.url);
const { main } = require('../dist/pmc.cjs');

const [worker, ...configs] = process.argv.slice(2);
let out = '';
let failed = 0;
for (const config of configs) {
  const io = {
    stdin: '',
    stdout: { write: (s) => void (out += s) },
    stderr: { write: () => {} },
    env: {},
    cwd: process.cwd(),
  };
  const status = await main(['render', '-c', config, '-w', worker, '--function-id', 'f', '--function-version', 'v'], io);
  if (status !== 0) failed++;
  if (out.length > 1 << 24) {
    writeSync(1, out);
    out = '';
  }
}
writeSync(1, out);
if (failed) {
  process.stderr.write(`render-many: ${failed} configs failed\n`);
  process.exit(1);
}
