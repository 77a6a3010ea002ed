// npm run oracle: the large differential against Pulsar's own classes (PMC_ORACLE_RUNS
// generated cases per op and version, 5,000 by default), one summary line per version,
// non-zero exit on any difference no rule explains.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const summary = join(mkdtempSync(join(tmpdir(), 'pmc-oracle-')), 'summary.txt');
const r = spawnSync('npx', ['vitest', 'run', 'test/pulsar-oracle.test.ts'], {
  stdio: ['ignore', 'ignore', 'inherit'],
  env: { ...process.env, PMC_ORACLE_RUNS: process.env.PMC_ORACLE_RUNS ?? '5000', PMC_ORACLE_SUMMARY: summary },
});
if (existsSync(summary)) process.stdout.write(readFileSync(summary, 'utf8'));
process.exit(r.status ?? 1);
