// The differential: each case run through pmc (the whole CLI, in-process, on files) and
// through Pulsar's own classes (PmcOracle.java), and the two answers compared as data.
// A difference is explained only by a named deliberate rule, and a rule explains a case only
// when removing what the rule is about makes pmc agree with Pulsar exactly, so a rule can never
// hide another difference in the same case.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseAllDocuments, parseDocument, stringify } from 'yaml';
import { runPmc } from '../run.js';
import { differences, type Difference } from './compare.js';
import type { PulsarAnswer, PulsarOracle } from './pulsar.js';

export const SEED_CLASS = 'com.yourcompany.pulsar.runtime.SecurityContextKubernetesManifestCustomizer';
export const BASIC_CLASS = 'org.apache.pulsar.functions.runtime.kubernetes.BasicKubernetesManifestCustomizer';

export interface CustomizeCase {
  op: 'customize';
  id: string;
  /** functions_worker.yml text; none: pmc runs without -w and Pulsar sees an empty worker file. */
  worker?: string;
  /** A YAML stream of Pulsar-made StatefulSets and Services. */
  manifest: string;
  /** customRuntimeOptions given with -r; none: each StatefulSet's own embedded options. */
  options?: string;
  /** Extra pmc flags (e.g. --no-validate in a golden case). */
  flags?: string[];
}

export interface RenderCase {
  op: 'render';
  id: string;
  worker: string;
  config: string;
  kind: 'function' | 'source' | 'sink';
  originalFileName: string;
  options?: string;
  functionId: string;
  functionVersion: string;
  transformFunctionId?: string;
  transformOriginalFileName?: string;
  authSecretId?: string;
  flags?: string[];
}

export type OracleCase = CustomizeCase | RenderCase;

export interface Outcome {
  ok: boolean;
  /** pmc's error codes, or Pulsar's exception. */
  error?: string;
  objects: Record<string, unknown>[];
}

/**
 * A deliberate difference: what pmc does on purpose, where in the objects it shows, and the
 * case without it. A case is explained by the rule only when every difference from Pulsar lies
 * in the rule's paths and pmc on the case without the rule's input agrees with Pulsar there.
 */
export interface DeliberateRule {
  name: string;
  why: string;
  /** The JSON paths (as `differences` prints them) the rule's feature writes. */
  paths: RegExp;
  /** The case without what the rule is about, or undefined when the rule does not concern it. */
  without?(c: OracleCase): OracleCase | undefined;
  /**
   * For a value neither side can know (the worker picks it at run time): both answers with
   * that value blanked, or undefined when the rule does not concern the case. They must then
   * agree exactly.
   */
  mask?(c: OracleCase, line: string, objects: Obj[]): Obj[] | undefined;
}

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);

/** The function's identity and embedded options in a StatefulSet Pulsar made (its --function_details, or the Go -instance-conf). */
export function embeddedDetails(sts: Obj): { tenant: string; namespace: string; name: string; customRuntimeOptions: string } | undefined {
  const command = JSON.stringify(((sts.spec as Obj)?.template as Obj)?.spec ?? {});
  const text = JSON.parse(command) as Obj;
  const args = ((text.containers as Obj[])?.[0]?.command as string[]) ?? [];
  const line = args[args.length - 1] ?? '';
  const m = /--function_details '([^']*)'/.exec(line) ?? /-instance-conf '([^']*)'/.exec(line);
  if (!m) return undefined;
  const json = JSON.parse(m[1]!) as Obj;
  const d = (isObj(json.funcDetails) ? json.funcDetails : json) as Obj;
  const go = isObj(json.funcDetails) || 'tenant' in json && !('className' in json) ? json : d;
  return {
    tenant: String(d.tenant ?? go.tenant ?? ''),
    namespace: String(d.namespace ?? go.nameSpace ?? go.namespace ?? ''),
    name: String(d.name ?? go.name ?? ''),
    customRuntimeOptions: String(d.customRuntimeOptions ?? go.customRuntimeOptions ?? ''),
  };
}

function docs(text: string): Obj[] {
  return parseAllDocuments(text)
    .map((d) => d.toJS({ maxAliasCount: 100 }) as unknown)
    .flatMap((o) => (isObj(o) && o.kind === 'List' && Array.isArray(o.items) ? (o.items as Obj[]) : [o]))
    .filter(isObj);
}

/** The Java requests for one case: one per StatefulSet for customize, one for render. */
export function pulsarRequests(c: OracleCase): Obj[] {
  if (c.op === 'render') {
    return [
      {
        id: c.id,
        op: 'render',
        worker: c.worker,
        config: c.config,
        kind: c.kind,
        customRuntimeOptions: c.options,
        originalFileName: c.originalFileName,
        functionId: c.functionId,
        functionVersion: c.functionVersion,
        transformFunctionId: c.transformFunctionId,
        transformOriginalFileName: c.transformOriginalFileName,
        transformPackageUrl: c.transformOriginalFileName ? 'transform' : undefined,
        authSecretId: c.authSecretId,
      },
    ];
  }
  const objects = docs(c.manifest);
  return objects
    .filter((o) => o.kind === 'StatefulSet')
    .map((sts, i) => {
      const d = embeddedDetails(sts);
      if (!d) throw new Error(`${c.id}: StatefulSet ${i} carries no function details`);
      const serviceName = (sts.spec as Obj).serviceName;
      const service = objects.find((o) => o.kind === 'Service' && (o.metadata as Obj)?.name === serviceName) ?? null;
      return { id: `${c.id}#${i}`, op: 'customize', worker: c.worker ?? null, details: { ...d, customRuntimeOptions: c.options ?? d.customRuntimeOptions }, statefulSet: sts, service };
    });
}

/** Pulsar's answers for one case, as pmc's output is laid out: customize keeps the input's documents in order. */
export function pulsarOutcome(c: OracleCase, answers: PulsarAnswer[]): Outcome {
  const failed = answers.find((a) => !a.ok);
  if (failed) return { ok: false, error: failed.error, objects: [] };
  if (c.op === 'render') return { ok: true, objects: [answers[0]!.service!, answers[0]!.statefulSet!] };
  const objects = docs(c.manifest);
  const out = [...objects];
  let k = 0;
  for (let i = 0; i < objects.length; i++) {
    if (objects[i]!.kind !== 'StatefulSet') continue;
    const a = answers[k++]!;
    if (a.customizer === false) continue;
    out[i] = a.statefulSet!;
    const serviceName = (objects[i]!.spec as Obj).serviceName;
    const j = objects.findIndex((o) => o.kind === 'Service' && (o.metadata as Obj)?.name === serviceName);
    if (j >= 0 && a.service) out[j] = a.service;
  }
  return { ok: true, objects: out };
}

/** pmc's answer: the CLI in-process on files in a scratch folder. */
export async function pmcOutcome(c: OracleCase, line: string): Promise<Outcome> {
  const dir = mkdtempSync(join(tmpdir(), 'pmc-oracle-case-'));
  try {
    mkdirSync(dir, { recursive: true });
    let argv: string[];
    if (c.op === 'render') {
      writeFileSync(join(dir, 'worker.yml'), c.worker);
      writeFileSync(join(dir, 'config.yaml'), c.config);
      argv = ['render', '-c', 'config.yaml', '-w', 'worker.yml', '--kind', c.kind, '--pulsar-version', line];
      argv.push('--function-id', c.functionId, '--function-version', c.functionVersion, '--original-file-name', c.originalFileName);
      if (c.transformFunctionId) argv.push('--transform-function-id', c.transformFunctionId);
      if (c.authSecretId) argv.push('--function-auth-secret-id', c.authSecretId);
      if (c.options !== undefined) argv.push('-r', c.options);
    } else {
      writeFileSync(join(dir, 'input.yaml'), c.manifest);
      argv = ['customize', 'input.yaml'];
      if (c.worker !== undefined) {
        writeFileSync(join(dir, 'worker.yml'), c.worker);
        argv.push('-w', 'worker.yml');
      }
      if (c.options !== undefined) argv.push('-r', c.options);
    }
    argv.push(...(c.flags ?? []));
    const r = await runPmc(argv, { cwd: dir });
    if (r.status !== 0) {
      const codes = [...new Set([...r.stderr.matchAll(/\b(PMC_[A-Z_]+)\b/g)].map((m) => m[1]))];
      return { ok: false, error: codes.join(',') || r.stderr.trim(), objects: [] };
    }
    return { ok: true, objects: docs(r.stdout) };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

export type Verdict =
  | { kind: 'agree' }
  | { kind: 'deliberate'; rule: string }
  | { kind: 'different'; reason: string; differences: Difference[] };

function compareOutcomes(pmc: Outcome, pulsar: Outcome): Difference[] | string | undefined {
  if (!pmc.ok && !pulsar.ok) return undefined;
  if (!pmc.ok) return `pmc refused (${pmc.error}); Pulsar accepted`;
  if (!pulsar.ok) return `Pulsar refused (${pulsar.error}); pmc accepted`;
  const d = differences(pmc.objects, pulsar.objects);
  return d.length ? d : undefined;
}

/**
 * pmc refusals stricter than the worker, each a rule of Kubernetes' or a type Gson would guess
 * at: pmc says so before anything is deployed, where Pulsar submits what the API server then
 * refuses, or reads a value differently from what was written.
 */
export const STRICTER_CODES: readonly string[] = [
  'PMC_OPTIONS_TYPE',
  'PMC_OPTIONS_VALUE',
  'PMC_OPTIONS_RANGE',
  'PMC_OPTIONS_QUANTITY',
  'PMC_OPTIONS_NULL',
  'PMC_LABEL_KEY',
  'PMC_LABEL_VALUE',
  'PMC_ANNOTATION_KEY',
  'PMC_ANNOTATION_SIZE',
  'PMC_NAMESPACE',
  'PMC_TOLERATION',
  'PMC_SECURITY_CONTEXT',
  'PMC_RESOURCES',
  'PMC_SELECTOR_MISMATCH',
  'PMC_SCHEMA',
  'PMC_CAPABILITY_NAME',
  // pmc's own boundaries: its webhook's annotation prefix, and the worker's enforced floor.
  'PMC_RESERVED_KEY',
  'PMC_SECURITY_FLOOR',
];

/** Judges one case, trying the deliberate rules where the two differ. */
export async function judge(c: OracleCase, pulsar: Outcome, line: string, rules: readonly DeliberateRule[], pmc?: Outcome): Promise<Verdict> {
  let mine = pmc ?? (await pmcOutcome(c, line));
  let found = compareOutcomes(mine, pulsar);
  if (found === undefined) return { kind: 'agree' };
  if (!mine.ok && pulsar.ok) {
    const codes = (mine.error ?? '').split(',');
    if (codes.length > 0 && codes.every((code) => STRICTER_CODES.includes(code))) return { kind: 'deliberate', rule: `stricter refusal ${codes.join('+')}` };
  }
  // Values nobody can know are blanked on both sides first; what is left must then agree or be
  // explained by one of the other rules.
  const first = found;
  const masks = rules.filter((r) => r.mask && typeof first !== 'string' && first.some((d) => r.paths.test(d.path)));
  const masked: string[] = [];
  const blank = (o: Outcome): Outcome => (o.ok ? { ...o, objects: masks.reduce((objs, r) => r.mask!(c, line, objs) ?? objs, o.objects) } : o);
  for (const r of masks) if (mine.ok && r.mask!(c, line, mine.objects)) masked.push(r.name);
  if (masked.length) {
    mine = blank(mine);
    pulsar = blank(pulsar);
    found = compareOutcomes(mine, pulsar);
    if (found === undefined) return { kind: 'deliberate', rule: masked.join(' + ') };
  }
  const named = (rule: string) => [...masked, rule].join(' + ');
  for (const rule of rules) {
    if (!rule.without || typeof found === 'string' || !found.every((d) => rule.paths.test(d.path))) continue;
    const without = rule.without(c);
    if (!without) continue;
    const again = blank(await pmcOutcome(without, line));
    const there = compareOutcomes(again, pulsar);
    if (there === undefined || (typeof there !== 'string' && !there.some((d) => rule.paths.test(d.path)))) return { kind: 'deliberate', rule: named(rule.name) };
  }
  return typeof found === 'string' ? { kind: 'different', reason: found, differences: [] } : { kind: 'different', reason: 'objects differ', differences: found };
}

/** A worker file's YAML with a change to its runtimeCustomizerConfig. */
function editWorker(worker: string | undefined, edit: (config: Obj) => boolean): string | undefined {
  if (worker === undefined) return undefined;
  const doc = parseDocument(worker);
  const all = doc.toJS() as Obj | null;
  if (!isObj(all) || !isObj(all.runtimeCustomizerConfig)) return undefined;
  if (!edit(all.runtimeCustomizerConfig)) return undefined;
  return stringify(all);
}

/** customRuntimeOptions JSON with a change to it (undefined: nothing to change). */
function editOptions(options: string | undefined, edit: (o: Obj) => boolean): string | undefined {
  if (options === undefined) return undefined;
  let o: unknown;
  try {
    o = JSON.parse(options);
  } catch {
    return undefined;
  }
  if (!isObj(o) || !edit(o)) return undefined;
  return JSON.stringify(o);
}

/** A pulsar-admin config's customRuntimeOptions string with a change to it. */
function editConfigOptions(config: string, edit: (o: Obj) => boolean): string | undefined {
  const all = parseDocument(config).toJS() as Obj | null;
  if (!isObj(all) || typeof all.customRuntimeOptions !== 'string') return undefined;
  const options = editOptions(all.customRuntimeOptions, edit);
  return options === undefined ? undefined : stringify({ ...all, customRuntimeOptions: options });
}

const workerClass = (worker: string | undefined): string | undefined => {
  if (worker === undefined) return undefined;
  const all = parseDocument(worker).toJS() as Obj | null;
  return isObj(all) && typeof all.runtimeCustomizerClassName === 'string' ? all.runtimeCustomizerClassName : undefined;
};

/** The fields pmc's securityContext has beyond the seed's SecurityContextOpts (its published class skips them). */
export const BEYOND_SEED_FIELDS = ['seccompProfile', 'supplementalGroups', 'fsGroupChangePolicy', 'preset', 'enforce', 'imageWorkingDir'];

const dropBeyondSeed = (o: Obj): boolean => {
  const sc = o.securityContext;
  if (!isObj(sc)) return false;
  const had = BEYOND_SEED_FIELDS.filter((f) => f in sc);
  for (const f of had) delete sc[f];
  return had.length > 0;
};

/** Where the security contexts are written (and a preset's writable volumes). */
const SECURITY_PATHS = /^\$\[\d+\]\.spec\.template\.spec\.(securityContext|containers\[\d+\]\.(securityContext|volumeMounts)|volumes)\b/;

export const DELIBERATE_RULES: readonly DeliberateRule[] = [
  {
    name: 'worker-level securityContext',
    why: "pmc applies the worker's runtimeCustomizerConfig.securityContext to every function (the seed's two-level design); the seed's published class reads only the function's options",
    paths: SECURITY_PATHS,
    without(c) {
      if (!workerClass(c.worker)?.endsWith('.SecurityContextKubernetesManifestCustomizer')) return undefined;
      const worker = editWorker(c.worker, (config) => 'securityContext' in config && delete config.securityContext);
      return worker === undefined ? undefined : { ...c, worker };
    },
  },
  {
    name: 'securityContext fields beyond the seed',
    why: "seccompProfile, supplementalGroups, fsGroupChangePolicy and preset are pmc's; the seed's SecurityContextOpts does not declare them and Gson skips them",
    paths: SECURITY_PATHS,
    without(c): OracleCase | undefined {
      if (c.worker !== undefined && !workerClass(c.worker)?.endsWith('.SecurityContextKubernetesManifestCustomizer')) return undefined;
      const options = editOptions(c.options, dropBeyondSeed);
      const worker = editWorker(c.worker, dropBeyondSeed);
      const config = c.op === 'render' ? editConfigOptions(c.config, dropBeyondSeed) : undefined;
      if (options === undefined && worker === undefined && config === undefined) return undefined;
      if (c.op === 'render') return { ...c, options: options ?? c.options, worker: worker ?? c.worker, config: config ?? c.config };
      return { ...c, options: options ?? c.options, worker: worker ?? c.worker };
    },
  },
  {
    name: 'both securityContext rules',
    why: 'the two rules above in one case',
    paths: SECURITY_PATHS,
    without(c) {
      const a = DELIBERATE_RULES[0]!.without!(c);
      return a ? DELIBERATE_RULES[1]!.without!(a) : undefined;
    },
  },
  {
    name: "3.0's Go instance port",
    why: "Pulsar 3.0's factory leaves the Go instance's port as FunctionActioner set it, a free port of the worker's own host (findAvailablePort); pmc shows grpcPort and says so",
    paths: /^\$\[\d+\]\.spec\.template\.spec\.containers\[0\]\.command\[2\]$/,
    mask(c, line, objects) {
      if (c.op !== 'render' || line !== '3.0') return undefined;
      return objects.map((o) => JSON.parse(JSON.stringify(o).replace(/(-instance-conf '\{[^']*?\\"port\\":)\d+/, '$1?')) as Obj);
    },
  },
];

export interface VersionSummary {
  pulsar: string;
  customize: { agree: number; total: number };
  render: { agree: number; total: number };
  deliberate: Map<string, number>;
  different: { id: string; verdict: Extract<Verdict, { kind: 'different' }> }[];
}

/** Every case through one version: Pulsar's answers in one JVM, pmc's (cached per line) beside them. */
export async function runDifferential(oracle: PulsarOracle, cases: readonly OracleCase[], pmcCache = new Map<string, Outcome>()): Promise<VersionSummary> {
  const line = oracle.version.line;
  const requests = cases.map((c) => pulsarRequests(c));
  const answers = oracle.ask(requests.flat());
  const byId = new Map(answers.map((a) => [a.id, a]));
  const summary: VersionSummary = { pulsar: oracle.version.pulsar, customize: { agree: 0, total: 0 }, render: { agree: 0, total: 0 }, deliberate: new Map(), different: [] };
  for (let i = 0; i < cases.length; i++) {
    const c = cases[i]!;
    const pulsar = pulsarOutcome(c, requests[i]!.map((r) => byId.get(r.id as string)!));
    const key = `${c.op === 'render' ? line : '*'} ${c.id}`;
    let mine = pmcCache.get(key);
    if (!mine) pmcCache.set(key, (mine = await pmcOutcome(c, line)));
    const verdict = await judge(c, pulsar, line, DELIBERATE_RULES, mine);
    const tally = summary[c.op];
    tally.total++;
    if (verdict.kind === 'agree') tally.agree++;
    else if (verdict.kind === 'deliberate') summary.deliberate.set(verdict.rule, (summary.deliberate.get(verdict.rule) ?? 0) + 1);
    else summary.different.push({ id: c.id, verdict });
  }
  return summary;
}

/** `pulsar 4.2.4: customize A/B agree, render C/D agree, deliberate differences E (by rule)` */
export function summaryLine(s: VersionSummary): string {
  const total = [...s.deliberate.values()].reduce((a, b) => a + b, 0);
  const rules = [...s.deliberate.entries()].sort((a, b) => b[1] - a[1]).map(([r, n]) => `${r}: ${n}`).join('; ');
  const line = `pulsar ${s.pulsar}: customize ${s.customize.agree}/${s.customize.total} agree, render ${s.render.agree}/${s.render.total} agree, deliberate differences ${total}${rules ? ` (${rules})` : ''}`;
  return s.different.length ? `${line}, UNEXPLAINED ${s.different.length}` : line;
}
