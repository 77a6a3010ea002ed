// Property tests: for random valid options and manifests the result parses and is valid,
// and a second run adds nothing but what Pulsar's append rule says (tolerations);
// random bytes and random JSON never crash pmc.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runs } from './support/runs.js';
import { parseAllDocuments, parseDocument } from 'yaml';
import { customize, outputYaml } from '../src/core/customize/customize.js';
import { mergeRuntimeOpts } from '../src/core/customize/resolve.js';
import type { RuntimeOpts } from '../src/core/options/registry.js';
import type { SchemaValidator } from '../src/core/options/validate.js';
import { loadSchemaValidator } from '../src/cli/schema.js';
import { pulsarFunctionManifests } from './support/pulsar-generated.mjs';
import { runPmc } from './support/run.js';

const SELECTOR_KEYS = ['component', 'tenant', 'namespace', 'name'];
const name = fc.stringMatching(/^[a-z0-9]([-a-z0-9_.]{0,8}[a-z0-9])?$/);
const labelKey = fc
  .tuple(fc.option(fc.constantFrom('example.com/', 'pulsar.apache.org/'), { nil: undefined }), name)
  .map(([p, n]) => `${p ?? ''}${n}`)
  .filter((k) => !SELECTOR_KEYS.includes(k));
const labelValue = fc.stringMatching(/^([A-Za-z0-9]([-A-Za-z0-9_.]{0,10}[A-Za-z0-9])?)?$/);
const dnsLabel = fc.stringMatching(/^[a-z]([-a-z0-9]{0,10}[a-z0-9])?$/);
const quantity = fc.oneof(
  fc.integer({ min: 1, max: 64 }).map(String),
  fc.integer({ min: 1, max: 4000 }).map((n) => `${n}m`),
  fc.integer({ min: 1, max: 64 }).map((n) => `${n}Gi`),
  fc.integer({ min: 1, max: 4096 }).map((n) => `${n}Mi`),
  fc.integer({ min: 1, max: 64 }).map((n) => `${n}G`),
);
const toleration = fc.oneof(
  fc.record({ key: name, operator: fc.constant('Equal'), value: labelValue, effect: fc.constantFrom('NoSchedule', 'PreferNoSchedule') }),
  fc.record({ key: name, operator: fc.constant('Exists'), effect: fc.constant('NoExecute'), tolerationSeconds: fc.integer({ min: 0, max: 3600 }) }),
);
const capability = fc.constantFrom('ALL', 'NET_BIND_SERVICE', 'NET_RAW', 'CHOWN', 'SYS_TIME');
const securityContext = fc
  .record(
    {
      runAsUser: fc.integer({ min: 0, max: 65534 }),
      runAsGroup: fc.integer({ min: 0, max: 65534 }),
      fsGroup: fc.integer({ min: 0, max: 65534 }),
      runAsNonRoot: fc.boolean(),
      privileged: fc.boolean(),
      allowPrivilegeEscalation: fc.boolean(),
      readOnlyRootFilesystem: fc.boolean(),
      addCapabilities: fc.array(capability, { maxLength: 2 }),
      dropCapabilities: fc.array(capability, { maxLength: 2 }),
      seLinuxType: fc.constantFrom('spc_t', 'container_t'),
      seLinuxLevel: fc.constantFrom('s0:c123,c456', 's0'),
      seccompProfile: fc.constantFrom({ type: 'RuntimeDefault' }, { type: 'Localhost', localhostProfile: 'profiles/fn.json' }),
      supplementalGroups: fc.array(fc.integer({ min: 1, max: 65534 }), { maxLength: 3 }),
      fsGroupChangePolicy: fc.constantFrom('OnRootMismatch', 'Always'),
    },
    { requiredKeys: [] },
  )
  ;

/** The two combinations Kubernetes refuses, which pmc refuses too (see errors.test.ts). */
function admissible(worker: RuntimeOpts, fnOpts: RuntimeOpts): boolean {
  const s = mergeRuntimeOpts(worker, fnOpts).securityContext ?? {};
  return !(s.privileged === true && s.allowPrivilegeEscalation === false) && !(s.runAsNonRoot === true && s.runAsUser === 0);
}
const options: fc.Arbitrary<RuntimeOpts> = fc.record(
  {
    jobNamespace: dnsLabel,
    jobName: dnsLabel,
    extraLabels: fc.dictionary(labelKey, labelValue, { maxKeys: 4 }),
    extraAnnotations: fc.dictionary(labelKey, fc.string({ maxLength: 40 }), { maxKeys: 4 }),
    nodeSelectorLabels: fc.dictionary(labelKey, labelValue, { maxKeys: 3 }),
    // Valid means what the API server takes: a request at most its limit, so each resource
    // given is given both ways, the request a fraction of the limit.
    resourceRequirements: fc
      .record({ cpu: fc.integer({ min: 1, max: 64 }), memory: fc.integer({ min: 1, max: 4096 }) }, { requiredKeys: [] })
      .chain((limits) =>
        fc.constantFrom(1, 2, 4).map((div) => ({
          limits: Object.fromEntries(Object.entries(limits).map(([r, n]) => [r, r === 'cpu' ? String(n) : `${n}Mi`])),
          requests: Object.fromEntries(Object.entries(limits).map(([r, n]) => [r, r === 'cpu' ? `${Math.floor((n * 1000) / div)}m` : `${Math.max(1, Math.floor(n / div))}Mi`])),
        })),
      ),
    tolerations: fc.array(toleration, { maxLength: 3 }),
    securityContext,
  },
  { requiredKeys: [] },
);
const fn = fc.record({
  tenant: name,
  namespace: name,
  name,
  component: fc.constantFrom('function', 'source', 'sink'),
});

let schema: SchemaValidator;
beforeAll(async () => {
  schema = await loadSchemaValidator();
});

function run(manifest: string, worker: RuntimeOpts, fnOpts: RuntimeOpts) {
  return customize({ manifest, source: '<prop>', customizer: 'security-context', worker, functionOptions: fnOpts, schema, identity: [], all: false, strict: false, optionsGiven: true, validate: true });
}

function withoutTolerations(text: string) {
  return parseAllDocuments(text).map((d) => {
    const o = d.toJS();
    if (o.kind === 'StatefulSet') delete o.spec.template.spec.tolerations;
    return o;
  });
}

function tolerations(text: string): unknown[] {
  return parseAllDocuments(text).map((d) => d.toJS()).find((o) => o.kind === 'StatefulSet').spec.template.spec.tolerations;
}

describe('properties of customize', () => {
  it('valid options and manifests give a valid result; a second run only appends the tolerations again', () => {
    fc.assert(
      fc.property(fn, options, options, (f, worker, fnOpts) => {
        fc.pre(admissible(worker, fnOpts));
        const input = pulsarFunctionManifests(f);
        const once = outputYaml(run(input, worker, fnOpts));
        for (const doc of parseAllDocuments(once)) {
          expect(doc.errors).toEqual([]);
          const o = doc.toJS();
          expect(schema(o.kind, o)).toEqual([]);
        }
        // The plain object pmc checks and prints as JSON is the document it printed.
        const result = run(input, worker, fnOpts);
        for (const d of result.documents.filter((x) => x.edited)) expect(d.object).toEqual(parseDocument(d.text).toJS());
        const twice = outputYaml(run(once, worker, fnOpts));
        expect(withoutTolerations(twice)).toEqual(withoutTolerations(once));
        const added = mergeRuntimeOpts(worker, fnOpts).tolerations ?? [];
        expect(tolerations(twice)).toEqual([...tolerations(once), ...added]);
      }),
      { numRuns: runs(150) },
    );
  });

  it('the labels and annotations set are exactly the merged options, on all three metadata', () => {
    fc.assert(
      fc.property(fn, options, options, (f, worker, fnOpts) => {
        fc.pre(admissible(worker, fnOpts));
        const merged = mergeRuntimeOpts(worker, fnOpts);
        const docs = parseAllDocuments(outputYaml(run(pulsarFunctionManifests(f), worker, fnOpts))).map((d) => d.toJS());
        const sts = docs.find((o) => o.kind === 'StatefulSet');
        const svc = docs.find((o) => o.kind === 'Service');
        for (const meta of [sts.metadata, sts.spec.template.metadata, svc.metadata]) {
          expect(meta.labels).toMatchObject(merged.extraLabels ?? {});
          expect(meta.annotations ?? {}).toMatchObject(merged.extraAnnotations ?? {});
        }
        expect(sts.spec.selector.matchLabels).toEqual(svc.spec.selector);
        expect(Object.keys(sts.spec.selector.matchLabels).sort()).toEqual([...SELECTOR_KEYS].sort());
      }),
      { numRuns: runs(100) },
    );
  });
});

describe('never a crash', () => {
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'pmc-fuzz-'));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  const noCrash = (r: { status: number; stdout: string; stderr: string }) => {
    expect([0, 1]).toContain(r.status);
    expect(r.stderr).not.toContain('internal error');
    if (r.status !== 0) {
      expect(r.stdout).toBe('');
      expect(r.stderr).toMatch(/^pmc: error: .*\[PMC_[A-Z_]+\]$/m);
    }
  };

  it('random bytes as the manifest', async () => {
    await fc.assert(
      fc.asyncProperty(fc.uint8Array({ maxLength: 300 }), async (bytes) => {
        const file = join(dir, 'bytes.yaml');
        writeFileSync(file, bytes);
        noCrash(await runPmc(['customize', file, '-r', '{"extraLabels": {"a": "b"}}']));
      }),
      { numRuns: runs(200) },
    );
  });

  it('random text as the manifest, on stdin', async () => {
    await fc.assert(
      fc.asyncProperty(fc.string({ unit: 'binary', maxLength: 300 }), async (text) => {
        noCrash(await runPmc(['customize', '-r', '{}'], { stdin: `kind: StatefulSet\n${text}` }));
      }),
      { numRuns: runs(200) },
    );
  });

  it('random JSON as customRuntimeOptions and as runtimeCustomizerConfig', async () => {
    const manifest = pulsarFunctionManifests({ tenant: 't', namespace: 'n', name: 'f' });
    await fc.assert(
      fc.asyncProperty(fc.jsonValue({ maxDepth: 4 }), fc.jsonValue({ maxDepth: 4 }), async (a, b) => {
        const worker = join(dir, 'worker.yml');
        writeFileSync(worker, `runtimeCustomizerClassName: x\nruntimeCustomizerConfig: ${JSON.stringify(b)}\n`);
        noCrash(await runPmc(['customize', '-w', worker, '-r', JSON.stringify(a)], { stdin: manifest }));
      }),
      { numRuns: runs(200) },
    );
  });

  it('random JSON shaped like options, with known keys', async () => {
    const manifest = pulsarFunctionManifests({ tenant: 't', namespace: 'n', name: 'f' });
    const keys = ['jobName', 'jobNamespace', 'extraLabels', 'extraAnnotations', 'nodeSelectorLabels', 'resourceRequirements', 'tolerations', 'securityContext'];
    await fc.assert(
      fc.asyncProperty(fc.dictionary(fc.constantFrom(...keys), fc.jsonValue({ maxDepth: 3 })), async (o) => {
        noCrash(await runPmc(['customize', '-r', JSON.stringify(o)], { stdin: manifest }));
      }),
      { numRuns: runs(200) },
    );
  });
});
