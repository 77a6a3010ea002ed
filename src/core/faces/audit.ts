/**
 * `pmc audit`: what runs against what the worker would create now. The worker only ever
 * creates: on a restart or an upgrade its CREATE meets "already exists", counts that as
 * success and keeps the old object, so a changed worker config, image, JVM flags or customizer
 * never reaches running functions (apache/pulsar#6880, #19583, #12504). For each function's
 * config, pmc renders and customizes it as `pmc render` does and compares the result with the
 * live StatefulSet field by field; it also names live functions no config was given for, two
 * StatefulSets for one function (after a job name or namespace change), and replicas that
 * differ from parallelism. Everything comes from files or pipes; pmc fetches nothing.
 */
import { customizeObjects } from '../customize/customize.js';
import type { AdmissionCustomizer, AdmissionMode } from '../customize/modes.js';
import { APPLIED_ANNOTATION, settingsStamp } from './webhook.js';
import { render } from '../render/render.js';
import type { PulsarVersion } from '../render/runtime.js';
import type { CustomizeSettings, GivenText } from '../customize/settings.js';
import { streamObjects } from '../base/stream.js';
import { isObject, listItemsOf, type Obj } from '../base/values.js';
import { isPulsarStatefulSet, PULSAR_CONTAINER } from '../base/workloads.js';

export type FindingKind = 'drift' | 'not-running' | 'no-config' | 'duplicate' | 'replicas' | 'unstamped' | 'stale-stamp';

export interface Finding {
  kind: FindingKind;
  /** tenant/namespace/name of the function. */
  function: string;
  /** namespace/name of the StatefulSet. */
  statefulSet: string;
  field?: string;
  running?: unknown;
  expected?: unknown;
}

export interface AuditInput {
  worker: GivenText;
  live: GivenText;
  functions: GivenText[];
  settings: CustomizeSettings;
  pulsarVersion: PulsarVersion;
  /** pmc webhook runs in this mode: what it applies is expected too, and its stamp on every function. */
  webhook?: { mode: AdmissionMode; version: string; applies?: AdmissionCustomizer };
}

const FUNCTION_LABELS = ['tenant', 'namespace', 'name'] as const;

export function audit(input: AuditInput): Finding[] {
  const findings: Finding[] = [];
  const live = liveStatefulSets(input.live);
  // namespace/name of each live StatefulSet, the first of a name when two share one.
  const liveAt = new Map<string, Obj>();
  for (const o of live) if (!liveAt.has(objectAt(o))) liveAt.set(objectAt(o), o);
  const matched = new Set<Obj>();
  // With pmc webhook, what it applies in admission after the worker's customizer, and the stamp it writes.
  const stamp = input.webhook ? settingsStamp({ ...input.settings, mode: input.webhook.mode, applies: input.webhook.applies }, input.webhook.version) : undefined;
  for (const config of input.functions) {
    const rendered = render({ config, worker: input.worker, identity: {}, pulsarVersion: input.pulsarVersion });
    // Pulsar's objects customized as objects, as the worker's customizer would: no YAML printed and read back.
    let expected = customizeObjects(rendered.objects, { ...input.settings, source: config.source }).objects.find((o): o is Obj => isObject(o) && o.kind === 'StatefulSet');
    if (!expected) continue;
    if (input.webhook) expected = customizeObjects([expected], { ...input.settings, customizer: input.webhook.applies ?? 'security-context', admission: input.webhook.mode, source: config.source }).objects[0] as Obj;
    const where = objectAt(expected);
    const fn = functionOf(expected);
    const running = liveAt.get(where);
    if (!running) {
      findings.push({ kind: 'not-running', function: fn, statefulSet: where });
      continue;
    }
    matched.add(running);
    if (stamp !== undefined) {
      const has = (running.metadata?.annotations ?? {})[APPLIED_ANNOTATION];
      if (has === undefined) findings.push({ kind: 'unstamped', function: fn, statefulSet: where });
      else if (has !== stamp) findings.push({ kind: 'stale-stamp', function: fn, statefulSet: where, running: has, expected: stamp });
    }
    const download = rendered.downloadDirectory;
    for (const [field, get] of FIELDS) {
      const a = normalise(get(running), download);
      const b = normalise(get(expected), download);
      if (JSON.stringify(a) !== JSON.stringify(b)) findings.push({ kind: field === 'spec.replicas' ? 'replicas' : 'drift', function: fn, statefulSet: where, field, running: get(running), expected: get(expected) });
    }
  }
  for (const o of live) {
    if (!matched.has(o)) findings.push({ kind: 'no-config', function: functionOf(o), statefulSet: objectAt(o) });
  }
  const byFunction = new Map<string, Obj[]>();
  for (const o of live) {
    const fn = functionOf(o);
    byFunction.set(fn, [...(byFunction.get(fn) ?? []), o]);
  }
  for (const [fn, sets] of byFunction) {
    if (sets.length > 1) findings.push({ kind: 'duplicate', function: fn, statefulSet: sets.map(objectAt).join(', ') });
  }
  return findings;
}

/** The live Pulsar StatefulSets of `kubectl get sts,svc -A -o yaml|json` (Lists included). */
function liveStatefulSets(live: GivenText): Obj[] {
  const out: Obj[] = [];
  const take = (o: unknown) => {
    if (!isObject(o)) return;
    const items = listItemsOf(o);
    if (items) return items.forEach(take);
    if (o.kind === 'StatefulSet' && isPulsarStatefulSet(o as never)) out.push(o);
  };
  streamObjects(live.text, live.source).forEach((d) => take(d.object));
  return out;
}

/** namespace/name of an object. */
function objectAt(o: Obj): string {
  return `${o.metadata?.namespace}/${o.metadata?.name}`;
}

function functionOf(o: Obj): string {
  const labels = (o.metadata?.labels ?? {}) as Record<string, string>;
  return FUNCTION_LABELS.map((k) => labels[k] ?? '?').join('/');
}

const container = (o: Obj): Obj => (o.spec?.template?.spec?.containers ?? []).find((c: Obj) => c?.name === PULSAR_CONTAINER) ?? {};
const podSpec = (o: Obj): Obj => o.spec?.template?.spec ?? {};

/** What is compared, field by field: what a worker's settings, its image or its customizer decide. */
const FIELDS: [string, (o: Obj) => unknown][] = [
  ['spec.replicas', (o) => o.spec?.replicas],
  ['containers[].image', (o) => container(o).image],
  ['containers[].imagePullPolicy', (o) => container(o).imagePullPolicy],
  ['containers[].command', (o) => container(o).command],
  ['containers[].resources', (o) => container(o).resources],
  ['containers[].env', (o) => container(o).env],
  ['containers[].securityContext', (o) => container(o).securityContext],
  ['metadata.labels', (o) => o.metadata?.labels],
  ['spec.template.metadata.labels', (o) => o.spec?.template?.metadata?.labels],
  ['spec.template.metadata.annotations', (o) => withoutOwn(o.spec?.template?.metadata?.annotations)],
  ['spec.template.spec.nodeSelector', (o) => podSpec(o).nodeSelector],
  ['spec.template.spec.tolerations', (o) => podSpec(o).tolerations],
  ['spec.template.spec.securityContext', (o) => podSpec(o).securityContext],
  ['spec.template.spec.serviceAccountName', (o) => podSpec(o).serviceAccountName],
  ['spec.template.spec.volumes', (o) => podSpec(o).volumes],
];

/** Annotations the cluster or kubectl adds (kubectl.kubernetes.io/restartedAt) are not the worker's. */
function withoutOwn(annotations: unknown): unknown {
  if (!isObject(annotations)) return annotations;
  return Object.fromEntries(Object.entries(annotations).filter(([k]) => !k.startsWith('kubectl.kubernetes.io/')));
}

/**
 * What only the running worker knows is masked on both sides: the function's id and version
 * (random at each start) and the uploaded file's name under the download directory.
 */
function normalise(value: unknown, downloadDirectory: string): unknown {
  if (value === undefined || value === null) return undefined;
  if (Array.isArray(value)) return value.map((v) => (typeof v === 'string' ? maskCommand(v, downloadDirectory) : normalise(v, downloadDirectory)));
  if (isObject(value)) return Object.fromEntries(Object.entries(value).sort(([a], [b]) => (a < b ? -1 : 1)).map(([k, v]) => [k, normalise(v, downloadDirectory)]));
  return value;
}

function maskCommand(text: string, downloadDirectory: string): string {
  const dir = downloadDirectory.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  return text
    .replace(/(--function_(?:id|version) )\S+/g, '$1<id>')
    .replace(/("func(?:ID|Version)":)"[^"]*"/g, '$1"<id>"')
    .replace(new RegExp(`${dir}/[^\\s'"]+`, 'g'), `${downloadDirectory}/<file>`);
}

/** A finding as one line of the table. */
export function findingLine(f: Finding): string {
  const what: Record<FindingKind, string> = {
    drift: `${f.field} differs from what the worker would create now`,
    replicas: 'replicas differ from the function\'s parallelism',
    'not-running': 'no StatefulSet runs for it',
    'no-config': 'runs, but no config was given for it (an orphan, or a config left out)',
    duplicate: 'two StatefulSets run for one function (after a job name or namespace change)',
    unstamped: 'pmc webhook never customized it (admitted while the webhook was down, or before it was installed): recreate it',
    'stale-stamp': 'pmc webhook customized it under other settings: recreate it to apply those of now',
  };
  const values = f.kind === 'drift' || f.kind === 'replicas' || f.kind === 'stale-stamp' ? `: running ${short(f.running)}, expected ${short(f.expected)}` : '';
  return `${f.function} (${f.statefulSet}): ${what[f.kind]}${values}`;
}

function short(v: unknown): string {
  const s = v === undefined ? 'none' : JSON.stringify(v);
  return s.length > 160 ? `${s.slice(0, 157)}...` : s;
}

/** What each kind of finding is, for SARIF's rules. */
const RULES: Record<FindingKind, string> = {
  drift: 'A field of a running function differs from what the worker would create now.',
  replicas: "A running function's replicas differ from its parallelism.",
  'not-running': 'No StatefulSet runs for a function whose config was given.',
  'no-config': 'A Pulsar StatefulSet runs that no given config describes.',
  duplicate: 'Two StatefulSets run for one function.',
  unstamped: 'pmc webhook never customized a running function.',
  'stale-stamp': 'pmc webhook customized a running function under other settings.',
};

/**
 * The findings as SARIF 2.1.0, for CI systems that show it (GitHub code scanning and others):
 * one rule per kind of finding, each result at the live objects' file (when it is a file) and
 * at the StatefulSet as a logical location.
 * https://docs.oasis-open.org/sarif/sarif/v2.1.0/sarif-v2.1.0.html
 */
export function auditSarif(findings: Finding[], live: string, version: string): object {
  const kinds = Object.keys(RULES) as FindingKind[];
  return {
    $schema: 'https://json.schemastore.org/sarif-2.1.0.json',
    version: '2.1.0',
    runs: [
      {
        tool: {
          driver: {
            name: 'pmc audit',
            version,
            informationUri: 'https://github.com/pulsar-manifest-customizer/pmc',
            rules: kinds.map((id) => ({ id, shortDescription: { text: RULES[id] } })),
          },
        },
        results: findings.map((f) => ({
          ruleId: f.kind,
          ruleIndex: kinds.indexOf(f.kind),
          level: f.kind === 'no-config' ? 'warning' : 'error',
          message: { text: findingLine(f) },
          locations: [
            {
              ...(live === '-' || live.startsWith('<') ? {} : { physicalLocation: { artifactLocation: { uri: encodeURI(live) } } }),
              logicalLocations: [{ name: f.statefulSet, fullyQualifiedName: f.function, kind: 'object' }],
            },
          ],
        })),
      },
    ],
  };
}
