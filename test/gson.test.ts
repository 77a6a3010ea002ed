// customRuntimeOptions read as Pulsar reads them, checked against the real Gson: a Java
// helper (test/support/gson/GsonOracle.java) mirrors the worker's options classes and prints
// Gson's reading of each string; pmc's reading must agree wherever pmc accepts the string,
// refuse wherever Gson throws, and say why wherever it is stricter.
//
// Gson is pinned at 2.13.2: Pulsar 3.x and 4.0 ship 2.8.9 and are moving to 2.13.2, and
// 2.8.9's jar is not on these machines (its pom is). The reading pmc mirrors (nextString's
// literal number text, nextLong, Boolean.parseBoolean for strings, the map adapter's
// duplicate-key check and its null values) is the same in 2.10.1, 2.11.0 and 2.13.2 here;
// PMC_GSON_VERSION=2.10.1 runs this file against another version.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { homedir, tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readCustomRuntimeOptions } from '../src/core/input/config.js';
import { DiagnosticSink, PmcError, type Diagnostic } from '../src/core/base/diagnostics.js';
import { customJobName, toValidLabelName, toValidPodName } from '../src/core/base/naming.js';
import { specAt } from '../src/core/options/options.js';
import { RUNTIME_OPTS_SPEC, type RuntimeOpts } from '../src/core/options/registry.js';
import { runPmc } from './support/run.js';
import { TOOLS, missingMessage, present } from './support/tools.mjs';

const GSON_VERSION = process.env.PMC_GSON_VERSION ?? '2.13.2';
const GSON_JAR = join(homedir(), '.m2', 'repository', 'com', 'google', 'code', 'gson', 'gson', GSON_VERSION, `gson-${GSON_VERSION}.jar`);
const ORACLE = join(import.meta.dirname, 'support', 'gson', 'GsonOracle.java');

// What tools.json says this file needs (Gson at another version than its own: that jar instead).
const missing = TOOLS.tools
  .filter((t: { tests: string[]; file?: string }) => t.tests.includes('gson') && !(t.file && process.env.PMC_GSON_VERSION) && !present(t))
  .map(missingMessage);
if (process.env.PMC_GSON_VERSION && !existsSync(GSON_JAR)) missing.push(`Gson ${GSON_VERSION} is not at ${GSON_JAR}`);
const javaFound = missing.length === 0;
if (!javaFound) {
  const why = missing.join('; ');
  // CI has both: there, their absence is a failure, never a skip.
  if (process.env.CI) throw new Error(why);
  console.error(`\n*** SKIPPING test/gson.test.ts: ${why} ***\n`);
}

let classes: string;
beforeAll(() => {
  if (!javaFound) return;
  classes = mkdtempSync(join(tmpdir(), 'pmc-gson-'));
  const r = spawnSync('javac', ['-d', classes, '-cp', GSON_JAR, ORACLE], { encoding: 'utf8' });
  expect(r.stderr).toBe('');
  expect(r.status).toBe(0);
}, 60_000);
afterAll(() => classes && rmSync(classes, { recursive: true, force: true }));

type OracleKind = 'OPTS' | 'POD' | 'LABEL';

/** Gson's answers for a batch, in one JVM. */
function oracle(kind: OracleKind, inputs: string[]): string[] {
  const input = inputs.map((t) => `${kind} ${Buffer.from(t, 'utf8').toString('base64')}\n`).join('');
  const r = spawnSync('java', ['-cp', `${classes}:${GSON_JAR}`, 'GsonOracle'], { input, encoding: 'utf8', maxBuffer: 64 << 20 });
  expect(r.stderr).toBe('');
  const lines = r.stdout.split('\n').slice(0, -1);
  expect(lines).toHaveLength(inputs.length);
  return lines;
}

interface PmcReading {
  opts?: RuntimeOpts;
  errors: Diagnostic[];
  warnings: Diagnostic[];
}

function pmcRead(json: string): PmcReading {
  const sink = new DiagnosticSink();
  try {
    const opts = readCustomRuntimeOptions(json, { source: '--custom-runtime-options' }, sink);
    return { opts: sink.errors.length ? undefined : opts, errors: sink.errors, warnings: sink.warnings };
  } catch (e) {
    if (!(e instanceof PmcError)) throw e;
    return { errors: e.diagnostics(), warnings: sink.warnings };
  }
}

/**
 * Gson's reading as pmc's options: a field Gson left null is a field not set. Only
 * fields of the mirrored classes are dropped; a null map value or list item is kept, so
 * that pmc accepting one would show as a difference.
 */
function fromGson(value: unknown, path: (string | number)[] = []): unknown {
  if (Array.isArray(value)) return value.map((v, i) => fromGson(v, [...path, i]));
  if (value === null || typeof value !== 'object') return value;
  const isClass = (specAt(RUNTIME_OPTS_SPEC, path)?.t ?? 'object') === 'object';
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value)) {
    if (v === null && isClass) continue;
    out[k] = fromGson(v, [...path, k]);
  }
  return out;
}

/** The refusals where pmc is knowingly stricter than Gson, each with its reason in the message. */
const STRICTER: Record<string, RegExp> = {
  PMC_OPTIONS_DUPLICATE_KEY: /given twice; Pulsar would silently keep the last one/,
  PMC_OPTIONS_NULL: /is null; Pulsar would send it on/,
  PMC_OPTIONS_JSON: /pmc reads strict JSON only/,
  PMC_OPTIONS_TYPE: /Pulsar would read it as false|pmc reads only plain integer text|Pulsar would read a list as \[key, value\] pairs/,
  PMC_OPTIONS_RANGE: /must be at least 0|is too large: pmc takes integers up to/,
  PMC_OPTIONS_VALUE: /is not one of/,
  PMC_OPTIONS_QUANTITY: /is not a Kubernetes quantity/,
};

function agree(json: string, gson: string): void {
  const pmc = pmcRead(json);
  const context = `customRuntimeOptions ${json}\nGson: ${gson}\npmc: ${JSON.stringify(pmc)}`;
  if (gson.startsWith('ERR ')) {
    expect(pmc.errors.length, context).toBeGreaterThan(0);
  } else if (pmc.opts) {
    expect(pmc.opts, context).toEqual(fromGson(JSON.parse(gson.slice(3))) ?? {});
  } else {
    for (const e of pmc.errors) {
      expect(Object.keys(STRICTER), context).toContain(e.code);
      expect(e.message, context).toMatch(STRICTER[e.code]!);
    }
  }
}

describe.skipIf(!javaFound)(`customRuntimeOptions as Gson ${GSON_VERSION} reads them`, () => {
  // The issue's cases, and what each side must do with them.
  const table: { about: string; json: string; gson: RegExp; pmc: { ok?: unknown; error?: [string, RegExp] } }[] = [
    {
      about: 'a duplicate key in a map: Gson throws, so Pulsar refuses the function',
      json: '{"extraLabels": {"team": "a", "team": "b"}}',
      gson: /^ERR com\.google\.gson\.JsonSyntaxException: duplicate key: team$/,
      pmc: { error: ['PMC_OPTIONS_DUPLICATE_KEY', /customRuntimeOptions\.extraLabels.*"team" is given twice; Pulsar refuses this \(Gson: "duplicate key: team"\)/] },
    },
    {
      about: 'a duplicate key in resourceRequirements.requests',
      json: '{"resourceRequirements": {"requests": {"cpu": "1", "cpu": "2"}}}',
      gson: /^ERR .*duplicate key: cpu$/,
      pmc: { error: ['PMC_OPTIONS_DUPLICATE_KEY', /Gson: "duplicate key: cpu"/] },
    },
    {
      about: 'a duplicate field: Gson keeps the last silently; pmc refuses and says so',
      json: '{"jobName": "a", "jobName": "b"}',
      gson: /^OK .*"jobName":"b"/,
      pmc: { error: ['PMC_OPTIONS_DUPLICATE_KEY', /"jobName" is given twice; Pulsar would silently keep the last one/] },
    },
    {
      about: 'numbers in a String field keep their literal text',
      json: '{"extraLabels": {"version": 1.50, "build": 1E3, "n": 100, "z": -0}}',
      gson: /"extraLabels":\{"version":"1\.50","build":"1E3","n":"100","z":"-0"\}/,
      pmc: { ok: { extraLabels: { version: '1.50', build: '1E3', n: '100', z: '-0' } } },
    },
    {
      about: 'a toleration value 0.50',
      json: '{"tolerations": [{"key": "k", "operator": "Equal", "value": 0.50, "effect": "NoSchedule"}]}',
      gson: /"value":"0\.50"/,
      pmc: { ok: { tolerations: [{ key: 'k', operator: 'Equal', value: '0.50', effect: 'NoSchedule' }] } },
    },
    {
      about: 'a quantity written as a number keeps its text',
      json: '{"resourceRequirements": {"limits": {"memory": 1.50, "cpu": 2e3}}}',
      gson: /"limits":\{"memory":"1\.50","cpu":"2e3"\}/,
      pmc: { ok: { resourceRequirements: { limits: { memory: '1.50', cpu: '2e3' } } } },
    },
    {
      about: 'a null list item: Pulsar would send an empty toleration',
      json: '{"tolerations": [{"key": "k", "operator": "Exists"}, null]}',
      gson: /"tolerations":\[\{.*\},null\]/,
      pmc: { error: ['PMC_OPTIONS_NULL', /customRuntimeOptions\.tolerations\[1\]: a list item is null/] },
    },
    {
      about: 'a null capability',
      json: '{"securityContext": {"dropCapabilities": ["ALL", null]}}',
      gson: /"dropCapabilities":\["ALL",null\]/,
      pmc: { error: ['PMC_OPTIONS_NULL', /securityContext\.dropCapabilities\[1\]: a list item is null/] },
    },
    {
      about: 'a null map value: Pulsar would remove the annotation',
      json: '{"extraAnnotations": {"prometheus.io/scrape": null}}',
      gson: /"extraAnnotations":\{"prometheus\.io\/scrape":null\}/,
      pmc: { error: ['PMC_OPTIONS_NULL', /extraAnnotations\["prometheus\.io\/scrape"\]: a value is null/] },
    },
    {
      about: 'a null limit',
      json: '{"resourceRequirements": {"limits": {"cpu": null}}}',
      gson: /"limits":\{"cpu":null\}/,
      pmc: { error: ['PMC_OPTIONS_NULL', /resourceRequirements\.limits\.cpu: a value is null/] },
    },
    {
      about: 'a big number is quoted as written, never as JavaScript rounds it',
      json: '{"securityContext": {"runAsUser": 9223372036854775807}}',
      gson: /"runAsUser":9223372036854775807/,
      pmc: { error: ['PMC_OPTIONS_RANGE', /runAsUser: 9223372036854775807 is too large: pmc takes integers up to/] },
    },
    {
      about: 'a number past a long: Gson refuses, pmc quotes it as written',
      json: '{"tolerations": [{"key": "k", "operator": "Exists", "tolerationSeconds": 12345678901234567890}]}',
      gson: /^ERR .*NumberFormatException/,
      pmc: { error: ['PMC_OPTIONS_RANGE', /tolerationSeconds: 12345678901234567890 is too large/] },
    },
    {
      about: 'an integer written with a fraction of zero: nextLong takes it, pmc too (with a warning)',
      json: '{"securityContext": {"runAsUser": 1000.0, "fsGroup": "2000"}}',
      gson: /"runAsUser":1000,.*"fsGroup":2000/,
      pmc: { ok: { securityContext: { runAsUser: 1000, fsGroup: 2000 } } },
    },
    {
      about: 'a fraction in an integer field: both refuse',
      json: '{"securityContext": {"runAsUser": 1.5}}',
      gson: /^ERR /,
      pmc: { error: ['PMC_OPTIONS_TYPE', /got 1\.5; Pulsar refuses a fraction here/] },
    },
    {
      about: '"TRUE" is true for Boolean.parseBoolean, and for pmc (with a warning)',
      json: '{"securityContext": {"runAsNonRoot": "TRUE"}}',
      gson: /"runAsNonRoot":true/,
      pmc: { ok: { securityContext: { runAsNonRoot: true } } },
    },
    {
      about: '"yes" is false for Boolean.parseBoolean: pmc refuses and says so',
      json: '{"securityContext": {"runAsNonRoot": "yes"}}',
      gson: /"runAsNonRoot":false/,
      pmc: { error: ['PMC_OPTIONS_TYPE', /got "yes" \(Pulsar would read it as false\)/] },
    },
    {
      about: 'lenient syntax Gson accepts: pmc reads strict JSON and says so',
      json: "{'jobName': abc}",
      gson: /"jobName":"abc"/,
      pmc: { error: ['PMC_OPTIONS_JSON', /pmc reads strict JSON only/] },
    },
  ];

  // Gson's answers for the whole table from one JVM.
  let answers: Map<string, string>;
  beforeAll(() => {
    const got = oracle('OPTS', table.map((c) => c.json));
    answers = new Map(table.map((c, i) => [c.json, got[i]!]));
  });

  it.each(table)('$about', ({ json, gson, pmc }) => {
    const answer = answers.get(json);
    expect(answer).toMatch(gson);
    const read = pmcRead(json);
    if (pmc.ok) {
      expect(read.errors).toEqual([]);
      expect(read.opts).toEqual(pmc.ok);
    } else {
      const [code, message] = pmc.error!;
      expect(read.errors.map((e) => e.code)).toContain(code);
      const e = read.errors.find((d) => d.code === code)!;
      expect(`${e.location?.path}: ${e.message}`).toMatch(message);
    }
    agree(json, answer!);
  });

  it('the whole CLI refuses a duplicate label with the JSON path, nothing on stdout', async () => {
    const r = await runPmc(['customize', join(import.meta.dirname, '..', 'fixtures', 'pulsar-function.yaml'), '-r', '{"extraLabels": {"team": "a", "team": "b"}}']);
    expect(r.status).toBe(1);
    expect(r.stdout).toBe('');
    expect(r.stderr).toContain('customRuntimeOptions.extraLabels.team: the key "team" is given twice');
  });

  // Generated option strings: valid, coerced, lenient, duplicated, null, big, unicode.
  const nullLit = fc.constant('null');
  const bools = fc.constantFrom('true', 'false');
  const jsonString = fc.string({ unit: 'grapheme', maxLength: 6 }).map((s) => JSON.stringify(s));
  const numberLit = fc.oneof(
    fc.integer({ min: -5, max: 70000 }).map(String),
    fc.constantFrom('0', '-0', '1.50', '1E3', '1e3', '2.0', '1.5', '0.50', '1e-2', '2E+2', '12345678901234567890', '9007199254740993', '9223372036854775807', '-9223372036854775809', '1e400'),
  );
  const stringField = fc.oneof({ weight: 4, arbitrary: jsonString }, { weight: 3, arbitrary: numberLit }, bools, nullLit, fc.constantFrom('{}', '[]'));
  const intField = fc.oneof(
    { weight: 4, arbitrary: numberLit },
    fc.constantFrom('"42"', '"1.0"', '"+1"', '" 7"', '"abc"', '""', '"1e3"', '"-1"', '"007"'),
    bools,
    nullLit,
  );
  const boolField = fc.oneof(bools, fc.constantFrom('"true"', '"TRUE"', '"False"', '"yes"', '""', '1', '0'), nullLit);
  const quantityField = fc.oneof(fc.constantFrom('"500m"', '"2Gi"', '"1.50"', '"lots"', '"4G"', '1', '1.50', '2e3', 'true'), nullLit);
  const enumField = (values: string[]) => fc.oneof(fc.constantFrom(...values.map((v) => JSON.stringify(v))), fc.constantFrom('"Bogus"', '1', 'true'), nullLit);
  const key = fc.oneof(fc.constantFrom('team', 'app', 'example.com/tier', 'x'), fc.string({ unit: 'grapheme', minLength: 1, maxLength: 4 }));
  const text = (entries: [string, string][]) => `{${entries.map(([k, v]) => `${JSON.stringify(k)}: ${v}`).join(', ')}}`;

  /** A map: entries, sometimes a repeated key or a null value; now and then a list of pairs. */
  const mapOf = (value: fc.Arbitrary<string>) =>
    fc.oneof(
      { weight: 8, arbitrary: fc.tuple(fc.array(fc.tuple(key, value), { maxLength: 3 }), fc.nat(5)).map(([e, dup]) => text(dup === 0 && e.length ? [...e, [e[0]![0], '"again"']] : e)) },
      { weight: 1, arbitrary: fc.array(fc.tuple(key, value), { maxLength: 2 }).map((e) => `[${e.map(([k, v]) => `[${JSON.stringify(k)}, ${v}]`).join(', ')}]`) },
      nullLit,
    );
  const listOf = (item: fc.Arbitrary<string>) => fc.oneof({ weight: 6, arbitrary: fc.array(fc.oneof({ weight: 6, arbitrary: item }, nullLit), { maxLength: 3 }).map((i) => `[${i.join(', ')}]`) }, nullLit);
  /** An object: some of its fields; sometimes an unknown key or a repeated field. */
  const objectOf = (fields: Record<string, fc.Arbitrary<string>>) =>
    fc
      .subarray(Object.keys(fields))
      .chain((chosen) => fc.tuple(fc.tuple(...chosen.map((n) => fields[n]!.map((v): [string, string] => [n, v]))), fc.nat(7)))
      .map(([entries, extra]) => text(extra === 0 ? [...entries, ['unknownKey', '1']] : extra === 1 && entries.length ? [...entries, entries[0]!] : entries));

  const toleration = objectOf({
    key: stringField,
    operator: enumField(['Exists', 'Equal', '']),
    value: stringField,
    effect: enumField(['NoSchedule', 'PreferNoSchedule', 'NoExecute', '']),
    tolerationSeconds: intField,
  });
  const securityContext = objectOf({
    runAsUser: intField,
    runAsGroup: intField,
    fsGroup: intField,
    runAsNonRoot: boolField,
    privileged: boolField,
    allowPrivilegeEscalation: boolField,
    readOnlyRootFilesystem: boolField,
    addCapabilities: listOf(jsonString),
    dropCapabilities: listOf(fc.oneof(fc.constantFrom('"ALL"', '"NET_RAW"'), numberLit)),
    seLinuxType: stringField,
    seccompProfile: objectOf({ type: enumField(['RuntimeDefault', 'Localhost', 'Unconfined']), localhostProfile: stringField }),
    supplementalGroups: listOf(intField.filter((v) => v !== 'null')),
    fsGroupChangePolicy: enumField(['OnRootMismatch', 'Always']),
  });
  const options = objectOf({
    jobName: stringField,
    jobNamespace: stringField,
    extraLabels: mapOf(stringField),
    extraAnnotations: mapOf(stringField),
    nodeSelectorLabels: mapOf(stringField),
    resourceRequirements: objectOf({ limits: mapOf(quantityField), requests: mapOf(quantityField) }),
    tolerations: listOf(toleration),
    securityContext,
  });
  /** Now and then what Gson's lenient reader takes: a comment, unquoted or single-quoted names. */
  const lenient = fc.tuple(options, fc.nat(11)).map(([json, how]) =>
    how === 0 ? `/* c */ ${json}` : how === 1 ? json.replace(/"(\w+)":/, '$1:') : how === 2 ? json.replace(/"(\w+)":/, "'$1':") : json,
  );

  const runs = Number(process.env.PMC_GSON_RUNS ?? 600);
  const seed = Number(process.env.PMC_GSON_SEED ?? 20261126);

  it(`agrees with Gson on ${runs} generated option strings (seed ${seed})`, () => {
    const cases = fc.sample(lenient, { numRuns: runs, seed });
    const answers = oracle('OPTS', cases);
    let accepted = 0;
    let gsonRefused = 0;
    cases.forEach((json, i) => {
      agree(json, answers[i]!);
      if (pmcRead(json).opts) accepted++;
      if (answers[i]!.startsWith('ERR ')) gsonRefused++;
    });
    // The generator reaches every side: accepted, refused by both, refused by pmc alone.
    expect(accepted).toBeGreaterThan(runs / 20);
    expect(gsonRefused).toBeGreaterThan(runs / 20);
    expect(runs - accepted - gsonRefused).toBeGreaterThan(runs / 20);
  });

  it('converts names and labels per code point, as Java\'s regex does', () => {
    const names = [
      'fn😀',
      'Ab😀c',
      '😀lead',
      'trail😀',
      'x'.repeat(62) + '😀',
      ...fc.sample(fc.string({ unit: 'grapheme', maxLength: 12 }), { numRuns: 300, seed }),
    ];
    const pods = oracle('POD', names);
    const labels = oracle('LABEL', names);
    names.forEach((n, i) => {
      expect(toValidPodName(n), n).toBe(JSON.parse(pods[i]!));
      expect(toValidLabelName(n), n).toBe(JSON.parse(labels[i]!));
    });
    expect(customJobName('fn😀', { tenant: 'public', namespace: 'default', name: 'f' })).toMatch(/^fn--[0-9a-f]{8}$/);
  });
});
