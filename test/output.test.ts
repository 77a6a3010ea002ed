// The edge where pmc meets its reader: stdout written with fs.writeSync (bin/load.js),
// through pipes, readers that stop early and descriptors someone made non-blocking.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { pulsarFunctionManifests } from './support/pulsar-generated.mjs';

const pmc = join(import.meta.dirname, '..', 'bin', 'pmc.js');
const options = '{"extraLabels": {"team": "data"}}';
let dir: string;
let expected: string;

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'pmc-output-'));
  // Far more than a pipe holds (64 KiB), so writes block or fail part-way.
  const stream = Array.from({ length: 200 }, (_, i) => pulsarFunctionManifests({ tenant: 't', namespace: 'n', name: `fn-${i}` })).join('');
  writeFileSync(join(dir, 'many.yaml'), stream);
  const r = spawnSync(process.execPath, [pmc, 'customize', 'many.yaml', '--all', '-r', options], { cwd: dir, encoding: 'utf8', maxBuffer: 1 << 28 });
  expect(r.status).toBe(0);
  expected = r.stdout;
  expect(expected.length).toBeGreaterThan(1 << 19);
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const sh = (script: string) => spawnSync('bash', ['-c', script], { cwd: dir, encoding: 'utf8', maxBuffer: 1 << 28 });

describe('stdout', () => {
  it('through a pipe to a slow reader, whole and in order', () => {
    const r = sh(`"${process.execPath}" "${pmc}" customize many.yaml --all -r '${options}' | (sleep 0.3; cat)`);
    expect(r.status).toBe(0);
    expect(r.stdout).toBe(expected);
  });

  it('a reader that stops early (| head) ends pmc quietly: no stack trace, status 0', () => {
    const r = sh(`set -o pipefail; "${process.execPath}" "${pmc}" customize many.yaml --all -r '${options}' | head -c 100 > /dev/null; echo "pmc=\${PIPESTATUS[0]}" >&2`);
    expect(r.stderr).toBe('pmc=0\n');
  });

  it('a non-blocking descriptor that fills up hands the rest to the stream, losing nothing', () => {
    // Python makes the pipe's write end non-blocking before pmc inherits it, then reads late.
    const py = [
      'import fcntl, os, subprocess, sys, time',
      'r, w = os.pipe()',
      'fcntl.fcntl(w, fcntl.F_SETFL, fcntl.fcntl(w, fcntl.F_GETFL) | os.O_NONBLOCK)',
      `p = subprocess.Popen([${JSON.stringify(process.execPath)}, ${JSON.stringify(pmc)}, "customize", "many.yaml", "--all", "-r", ${JSON.stringify(options)}], stdout=w)`,
      'os.close(w)',
      'time.sleep(0.3)',
      'out = b"".join(iter(lambda: os.read(r, 65536), b""))',
      'sys.stdout.buffer.write(out)',
      'sys.exit(p.wait())',
    ].join('\n');
    const r = spawnSync('python3', ['-c', py], { cwd: dir, encoding: 'utf8', maxBuffer: 1 << 28 });
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    expect(r.stdout).toBe(expected);
  });
});
