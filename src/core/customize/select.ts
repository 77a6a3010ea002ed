/**
 * One function's identity or options never land on two functions. Options or an identity
 * given for one function (-r, -c, --tenant/--namespace/--name) pick the StatefulSet they are
 * for, and the rest pass through; when they cannot, pmc refuses and names the candidates.
 * An identity that contradicts what Pulsar embedded in the StatefulSet is refused too (the
 * job name's hash would be wrong), unless the user says to rename.
 */
import type { DiagnosticSink, Location } from '../base/diagnostics.js';
import { detached } from '../base/values.js';
import { embeddedFunctionDetails } from '../base/identity.js';
import { toValidLabelName, type FunctionIdentity } from '../base/naming.js';
import type { CustomizeSettings } from './settings.js';
import { containerCommandParts, docLocation, labelsIdentity, type Candidate } from '../base/workloads.js';

type StatefulSet = Extract<Candidate, { kind: 'StatefulSet' }>;
const FIELDS = ['tenant', 'namespace', 'name'] as const;

/** What the StatefulSet says of its function: the embedded details (exact), else its labels (lossy). */
function ownIdentity(sts: StatefulSet): { identity: Partial<FunctionIdentity>; exact: boolean } {
  const details = embeddedFunctionDetails(containerCommandParts(sts.plain));
  if (details && FIELDS.some((f) => details[f])) return { identity: details, exact: true };
  return { identity: labelsIdentity(sts.plain) ?? {}, exact: false };
}

/** The given identity agrees with what the StatefulSet says, field by field (labels compared as Pulsar writes them). */
function agrees(given: Partial<FunctionIdentity>, sts: StatefulSet): boolean {
  const { identity, exact } = ownIdentity(sts);
  return FIELDS.every((f) => !given[f] || !identity[f] || (exact ? identity[f] === given[f] : identity[f] === toValidLabelName(given[f]!)));
}

function givenIdentity(settings: CustomizeSettings): Partial<FunctionIdentity> {
  const out: Partial<FunctionIdentity> = {};
  for (const f of FIELDS) out[f] = settings.identity.map((s) => s.value[f]).find((v) => typeof v === 'string' && v !== '');
  return out;
}

const describe = (list: StatefulSet[]) => list.map((s) => s.name).join(', ');

/** The StatefulSets to customize; errors (ambiguity, contradiction) go to the sink. */
export function selectWorkloads(statefulSets: StatefulSet[], settings: CustomizeSettings & { source: string }, sink: DiagnosticSink): StatefulSet[] {
  const where: Location = { source: settings.source };
  let chosen = statefulSets;
  if (settings.select !== undefined) {
    chosen = statefulSets.filter((s) => s.name === settings.select);
    if (chosen.length !== 1) {
      sink.error('PMC_AMBIGUOUS', `--select ${settings.select}: ${chosen.length === 0 ? 'no' : 'more than one'} Pulsar StatefulSet of that name in the input (there are: ${describe(statefulSets) || 'none'})`, where);
      return [];
    }
  }
  const given = givenIdentity(settings);
  const identityGiven = FIELDS.some((f) => given[f]);
  // --all asks for every StatefulSet: the options are then meant for all of them.
  const forOne = !settings.all && (identityGiven || settings.functionOptions !== undefined);
  if (forOne && chosen.length > 1) {
    const matching = identityGiven ? chosen.filter((s) => agrees(given, s)) : [];
    if (matching.length === 1) return matching;
    const what = identityGiven ? `the function ${FIELDS.map((f) => given[f] ?? '*').join('/')}` : 'one function (customRuntimeOptions given)';
    sink.error(
      'PMC_AMBIGUOUS',
      `the options and identity given are for ${what}, and the input has ${chosen.length} Pulsar functions${identityGiven ? ` (${matching.length} of them match)` : ''}: ${describe(chosen)}; pick one with --select NAME${identityGiven ? '' : ', or name it with --tenant, --namespace and --name'}, the others pass through unchanged`,
      where,
    );
    return [];
  }
  if (identityGiven && !settings.rename) {
    for (const sts of chosen) {
      if (agrees(given, sts)) continue;
      const { identity } = ownIdentity(sts);
      sink.error(
        'PMC_IDENTITY_MISMATCH',
        `the function given is ${FIELDS.map((f) => given[f] ?? '*').join('/')}, but this StatefulSet is ${FIELDS.map((f) => identity[f] ?? '*').join('/')}: the job name's hash would be wrong. Give the right config file or flags, or pass --rename to use the given identity anyway`,
        docLocation(sts, settings.source),
      );
    }
  }
  return chosen;
}

/** Two objects of the same kind, namespace and name in the output: applying it would keep only the last. */
export function refuseDuplicates(candidates: Candidate[], source: string, sink: DiagnosticSink): void {
  const guard = new DuplicateGuard(source);
  for (const c of candidates) guard.add(c, sink);
}

/**
 * The duplicate rule one object at a time (a streamed run sees the objects as they come):
 * what it keeps of each object is its key and where it was, never the object.
 */
export class DuplicateGuard {
  private readonly seen = new Map<string, NonNullable<Location['document']>>();
  constructor(private readonly source: string) {}

  add(c: Candidate, sink: DiagnosticSink): void {
    const key = `${c.kind}\u0000${c.plain.metadata?.namespace ?? ''}\u0000${c.plain.metadata?.name ?? ''}`;
    const at = this.seen.get(key);
    if (!at) {
      // Kept for the rest of the stream: copies, so that the document's text is not kept with them.
      const { index, item } = docLocation(c, this.source).document!;
      this.seen.set(detached(key), { index, item });
      return;
    }
    sink.error(
      'PMC_DUPLICATE_OBJECT',
      `the output holds ${c.kind} ${c.plain.metadata?.namespace ? `${c.plain.metadata.namespace}/` : ''}${c.name} twice (also document ${at.index + 1}${at.item !== undefined ? ` items[${at.item}]` : ''}): applying it would keep only one`,
      docLocation(c, this.source),
    );
  }
}
