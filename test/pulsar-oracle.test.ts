// pmc against Apache Pulsar's own classes (test/support/pulsar-oracle/): every golden case
// Pulsar's classes can take and generated cases (fixed seed; PMC_ORACLE_RUNS per op and
// version, 150 by default) run through pmc and through the real BasicKubernetesManifestCustomizer,
// the seed's SecurityContext class compiled against it, and KubernetesRuntime's own Service and
// StatefulSet. No difference may stand unexplained; a deliberate one must be named by a rule
// (differential.ts) that accounts for it exactly. `npm run oracle` is the large run.
import { appendFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { baseManifests, generatedCustomizeCases, generatedRenderCases, goldenCases } from './support/pulsar-oracle/cases.js';
import { differences } from './support/pulsar-oracle/compare.js';
import { runDifferential, summaryLine, type OracleCase } from './support/pulsar-oracle/differential.js';
import { missingTools, ORACLE_VERSIONS, PulsarOracle } from './support/pulsar-oracle/pulsar.js';

const RUNS = Number(process.env.PMC_ORACLE_RUNS ?? 150);
const SEED = Number(process.env.PMC_ORACLE_SEED ?? 20261203);
const missing = missingTools();
if (missing.length) {
  const why = `the Pulsar oracle needs ${missing.join(', ')} (Java 17 and Maven)`;
  if (process.env.CI) throw new Error(why);
  console.error(`\n*** SKIPPING test/pulsar-oracle.test.ts: ${why} ***\n`);
}
// 3.0.0 resolves (pom-3.0.xml) but is not yet part of the differential: see CHANGELOG.
const CHECKED = ORACLE_VERSIONS.filter((v) => v.line !== '3.0');

describe.runIf(missing.length === 0)('pmc agrees with Pulsar', () => {
  let cases: OracleCase[] = [];
  it('has the golden and generated cases', async () => {
    const golden = goldenCases();
    cases = [...golden.cases, ...generatedCustomizeCases(await baseManifests(), RUNS, SEED), ...generatedRenderCases(RUNS, SEED)];
    expect(golden.cases.length).toBeGreaterThanOrEqual(40);
    expect(cases.length).toBeGreaterThanOrEqual(golden.cases.length + 2 * RUNS);
  }, 120_000);

  it.each(CHECKED.map((v) => [v.pulsar, v] as const))('pulsar %s: no unexplained difference', async (_, version) => {
    const summary = await runDifferential(new PulsarOracle(version), cases);
    const line = summaryLine(summary);
    if (process.env.PMC_ORACLE_SUMMARY) appendFileSync(process.env.PMC_ORACLE_SUMMARY, `${line}\n`);
    const shown = summary.different.slice(0, 5).map((d) => `${d.id}: ${d.verdict.reason} ${JSON.stringify(d.verdict.differences.slice(0, 3))}`);
    expect(shown, line).toEqual([]);
    // Most cases agree outright; the rules explain the rest.
    expect(summary.customize.agree).toBeGreaterThan(summary.customize.total / 2);
    expect(summary.render.agree).toBeGreaterThan(summary.render.total / 2);
  }, 900_000);
});

describe('the comparison can fail', () => {
  it('a changed value is a difference at its JSON path', () => {
    const a = { spec: { template: { spec: { nodeSelector: { disktype: 'ssd' } } } } };
    const b = { spec: { template: { spec: { nodeSelector: { disktype: 'hdd' } } } } };
    expect(differences([a], [b])).toEqual([{ path: '$[0].spec.template.spec.nodeSelector.disktype', pmc: 'ssd', pulsar: 'hdd' }]);
  });
  it('an extra label, and a key that needs quoting', () => {
    expect(differences({ metadata: { labels: { 'app.kubernetes.io/name': 'x', team: 'a' } } }, { metadata: { labels: { team: 'a' } } })).toEqual([
      { path: '$.metadata.labels["app.kubernetes.io/name"]', pmc: 'x', pulsar: undefined },
    ]);
  });
  it('empty and absent alike; quantities by value', () => {
    expect(differences({ a: [], b: {}, r: { resources: { limits: { cpu: '1000m', memory: '1Gi' } } } }, { r: { resources: { limits: { cpu: '1', memory: '1073741824' } } } })).toEqual([]);
    expect(differences({ resources: { limits: { cpu: '1500m' } } }, { resources: { limits: { cpu: '1' } } })).toHaveLength(1);
  });
});
