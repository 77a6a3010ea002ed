// Golden cases under fixtures/golden/<case>/: case.json holds the command line, run with
// the case folder as the working directory; expected.yaml (stdout) and expected.stderr
// are compared byte for byte. The expected files were reviewed by reading them.
// PMC_UPDATE_GOLDEN=1 writes what pmc prints now as the expected files instead, for review
// with `git diff` before anything is committed (the run then fails, so it is never green).
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runPmc } from './support/run.js';

const root = join(import.meta.dirname, '..', 'fixtures', 'golden');
const cases = readdirSync(root, { withFileTypes: true }).filter((d) => d.isDirectory()).map((d) => d.name).sort();

describe('golden cases', () => {
  it('has every case the issues ask for', () => {
    expect(cases.length).toBeGreaterThanOrEqual(13);
  });

  it.each(cases)('%s', async (name) => {
    const dir = join(root, name);
    const spec = JSON.parse(readFileSync(join(dir, 'case.json'), 'utf8')) as { cmd: string[]; status?: number; stdin?: string; expected?: string };
    const stdin = spec.stdin ? readFileSync(join(dir, spec.stdin), 'utf8') : '';
    const r = await runPmc(spec.cmd, { cwd: dir, stdin });
    if (process.env.PMC_UPDATE_GOLDEN) {
      if (r.stderr !== '' || existsSync(join(dir, 'expected.stderr'))) writeFileSync(join(dir, 'expected.stderr'), r.stderr);
      writeFileSync(join(dir, spec.expected ?? 'expected.yaml'), r.stdout);
      throw new Error('PMC_UPDATE_GOLDEN is set: expected files written for review, nothing compared');
    }
    const expectedStderr = existsSync(join(dir, 'expected.stderr')) ? readFileSync(join(dir, 'expected.stderr'), 'utf8') : '';
    expect(r.stderr).toBe(expectedStderr);
    expect(r.stdout).toBe(readFileSync(join(dir, spec.expected ?? 'expected.yaml'), 'utf8'));
    expect(r.status).toBe(spec.status ?? 0);
  });
});
