// The Pulsar releases are one table (src/core/render/pulsar.ts): --pulsar-version's choices and
// default, every render stage, the README's list and the oracle's releases all come from it,
// and adding a release is one entry there.
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { CHANGES, DEFAULT_PULSAR_VERSION, has, PULSAR_VERSIONS, RELEASES } from '../src/core/render/pulsar.js';
import { ORACLE_VERSIONS } from './support/pulsar-oracle/pulsar.js';
import { runPmc } from './support/run.js';

const root = join(import.meta.dirname, '..');

describe('the release table', () => {
  it('--pulsar-version offers its lines, with its default', async () => {
    for (const command of ['render', 'audit']) {
      const help = (await runPmc([command, '--help'])).stdout.replace(/\s+/g, ' ');
      expect(help).toContain(`(choices: ${PULSAR_VERSIONS.map((v) => `"${v}"`).join(', ')}, default: "${DEFAULT_PULSAR_VERSION}")`);
    }
  });

  it("the README's list is the table's", () => {
    const readme = readFileSync(join(root, 'README.md'), 'utf8');
    expect(readme).toContain(`**\`--pulsar-version\`** (default ${DEFAULT_PULSAR_VERSION}; ${PULSAR_VERSIONS.join(', ')})`);
  });

  it("the oracle runs Pulsar's own classes at each line's release", () => {
    expect(ORACLE_VERSIONS.map((v) => `${v.line} ${v.pulsar}`).sort()).toEqual(RELEASES.map((r) => `${r.line} ${r.patch}`).sort());
  });

  it('a change holds from its line on, and not before', () => {
    expect(PULSAR_VERSIONS.map((v) => has(v, 'sanitizedFileName'))).toEqual([false, true, true, true]);
    for (const change of Object.values(CHANGES)) expect(PULSAR_VERSIONS).toContain(change.from);
  });

  const work = mkdtempSync(join(tmpdir(), 'pmc-releases-'));
  afterAll(() => rmSync(work, { recursive: true, force: true }));

  it('a release added as one entry, in a copy of the source, is offered and renders through every stage', async () => {
    cpSync(join(root, 'src'), join(work, 'src'), { recursive: true });
    const table = join(work, 'src', 'core', 'render', 'pulsar.ts');
    const text = readFileSync(table, 'utf8');
    const anchor = "  { line: '4.2', patch: '4.2.4' },\n";
    expect(text).toContain(anchor);
    writeFileSync(table, text.replace(anchor, `${anchor}  { line: '4.3', patch: '4.3.0' },\n`));
    const copy = (await import(join(work, 'src', 'cli', 'main.ts'))) as typeof import('../src/cli/main.js');
    const run = async (argv: string[]) => {
      let stdout = '';
      let stderr = '';
      const status = await copy.main(argv, { stdin: '', stdout: { write: (s: string) => (stdout += s) }, stderr: { write: (s: string) => (stderr += s) }, env: {}, cwd: root });
      return { status, stdout, stderr };
    };
    expect((await run(['render', '--help'])).stdout.replace(/\s+/g, ' ')).toContain('"4.2", "4.3"');
    // Each runtime and kind: the new line renders as the newest known one, stage by stage.
    for (const config of ['word-count-java.yaml', 'exclamation-python.yaml', 'exclamation-go.yaml', 'kafka-source.yaml', 'elastic-sink.yaml']) {
      const argv = ['render', '-c', `fixtures/render/${config}`, '-w', 'fixtures/render/functions_worker.yml', '--function-id', 'a', '--function-version', 'b'];
      const newest = await run([...argv, '--pulsar-version', '4.2']);
      const added = await run([...argv, '--pulsar-version', '4.3']);
      expect(newest.status).toBe(0);
      expect([added.status, added.stdout, added.stderr]).toEqual([0, newest.stdout, newest.stderr]);
    }
  }, 30_000);
});
