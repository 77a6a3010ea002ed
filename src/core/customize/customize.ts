/**
 * The pure core: worker options + function options -> merged options -> customized
 * documents. Text in, text out; no file system, no process, no printing.
 */
import { checkPolicyObject } from './policy.js';
import { hasRepeatedKey, tryParseJson } from '../base/json-source.js';
import { applyOptions } from '../options/apply.js';
import { kubectlJson } from '../base/kubectl-json.js';
import { applyProfile } from '../input/profile.js';
import { DiagnosticSink, PmcError, type Diagnostic, type Location } from '../base/diagnostics.js';
import { DocumentEditor, type Change } from '../base/edit.js';
import type { FunctionIdentity } from '../base/naming.js';
import type { CustomizeSettings } from './settings.js';
import type { RuntimeOpts } from '../options/registry.js';
import { applicableOptions, mergeRuntimeOpts, resolveWorkload, type ResolvedOptions } from './resolve.js';
import { hasContent, listItems, mayHoldKind, parseChunk, refuseForbiddenKeys, splitDocuments, toPlain, type ObjectChunk, type ParsedChunk, type WorkChunk } from '../base/stream.js';
import { printChunk } from '../base/print.js';
import { checkWorkload } from '../options/validate.js';
import { isObject, listItemsOf } from '../base/values.js';
import { refuseDuplicates, selectWorkloads } from './select.js';
import { docLocation, indexServices, isPulsarStatefulSet, servicesOf, type Candidate } from '../base/workloads.js';

/** A manifest stream and the settings to customize it with. */
export interface CustomizeInput extends CustomizeSettings {
  /** The manifest stream, as read. */
  manifest: string;
  /** Its name in messages: a file name or `<stdin>`. */
  source: string;
}

export interface CustomizedDocument {
  index: number;
  /** 1-based line of the stream where the document starts. */
  line: number;
  /** The document's bytes as output: the source's own when it was not edited. */
  text: string;
  edited: boolean;
  /** The parsed document, when it was parsed. */
  parsed?: ParsedChunk;
  /** The document as plain data, when pmc already has it (every edited document). */
  object?: object;
}

export interface CustomizeResult {
  documents: CustomizedDocument[];
  changes: Change[];
  warnings: Diagnostic[];
  /** The options applied to each customized StatefulSet and its Services, by document index. */
  merged: Map<number, { options: RuntimeOpts; functionOptions: RuntimeOpts; identity: Partial<FunctionIdentity>; policyDefaults?: { options: RuntimeOpts; scope: string } }>;
  /** How many StatefulSets were customized. */
  workloads: number;
  /** For documents that are items of a `kind: List`: the List's document and the item. */
  places?: Map<number, { document: number; item: number }>;
}

/** A manifest stream customized: only the documents that may be Pulsar's are parsed, edited ones printed in their own style. */
export function customize(input: CustomizeInput): CustomizeResult {
  if (!hasContent(input.manifest)) {
    throw new PmcError('PMC_EMPTY_INPUT', 'the input holds no YAML document (did the command before pmc fail?)', {
      location: { source: input.source },
    });
  }
  const chunks = splitDocuments(input.manifest);
  const parsed = new Map<number, ParsedChunk>();
  // A List's items are customized as documents of their own, numbered after the stream's.
  const items: ParsedChunk[] = [];
  if (input.customizer !== 'none') {
    for (const chunk of chunks) {
      if (!mayHoldKind(chunk, ['StatefulSet', 'Service'])) continue;
      const p = parseChunk(chunk, input.source);
      parsed.set(chunk.index, p);
      items.push(...(listItems(p, chunks.length + items.length) ?? []));
    }
  }
  const lists = new Set(items.map((i) => i.at!.document));
  const { result, edited, objects } = customizeParsed([...[...parsed.values()].filter((p) => !lists.has(p.index)), ...items], input);
  const changed = new Set(result.changes.map((c) => c.document));
  for (const item of items) if (changed.has(item.index)) changed.add(item.at!.document);
  result.places = new Map(items.map((i) => [i.index, i.at!]));
  result.documents = chunks.map((c) => {
    const p = parsed.get(c.index);
    // A List's plain data is read again after its items' edits.
    const object = lists.has(c.index) && p && changed.has(c.index) ? (toPlain(p, input.source) as object) : objects.get(c.index);
    if (p && changed.has(c.index) && (edited.has(c.index) || lists.has(c.index))) return { index: c.index, line: c.line, text: printChunk(p), edited: true, parsed: p, object };
    return { index: c.index, line: c.line, text: c.text, edited: false, parsed: p, object };
  });
  return result;
}

/** Deeper than any Kubernetes object (a pod template's deepest fields are about 15 levels down). */
const MAX_OBJECT_DEPTH = 200;

/** How deep a value nests, counted without recursion and no further than `limit` + 1. */
function depthOf(value: unknown, limit: number): number {
  let deepest = 0;
  const stack: [unknown, number][] = [[value, 0]];
  while (stack.length > 0) {
    const [v, d] = stack.pop()!;
    if (d > deepest) deepest = d;
    if (deepest > limit) return deepest;
    if (v !== null && typeof v === 'object') for (const child of Object.values(v)) if (child !== null && typeof child === 'object') stack.push([child, d + 1]);
  }
  return deepest;
}

/**
 * Objects customized as objects (an AdmissionReview's, pmc audit's): each is edited as plain
 * data (the editor's object mode), never printed to text and parsed back (that cost the webhook
 * fifty times the object in memory and time), and goes through the same customization as the
 * CLI's text.
 * The objects given are not changed; the customized ones come back in the same order.
 */
export function customizeObjects(objects: readonly object[], input: CustomizeSettings & { source: string }): { result: CustomizeResult; objects: object[] } {
  objects.forEach((object, index) => {
    if (depthOf(object, MAX_OBJECT_DEPTH) > MAX_OBJECT_DEPTH) {
      throw new PmcError('PMC_YAML_TOO_DEEP', `the object is nested more than ${MAX_OBJECT_DEPTH} levels deep, which no Kubernetes object is: refusing to read it`, { location: { source: input.source, document: { index } } });
    }
  });
  const documents: ObjectChunk[] = objects.map((object, index) => ({ index, text: '', line: 1, object }));
  const { result, objects: customized } = customizeParsed(documents, input);
  return { result, objects: objects.map((o, i) => customized.get(i) ?? o) };
}

/**
 * kubectl's `-o json` (one object, or a `kind: List`) read at JSON's speed: JSON.parse, a
 * duplicate-key scan, and the items customized as objects, where the YAML parser took twenty
 * times as long on the same text. Only for a run with nothing to say: undefined when the input
 * is not such JSON, has a repeated key, or its run gives an error or a warning about the
 * manifest, so that the YAML path then says it, with lines and columns.
 */
export function customizeJson(input: CustomizeInput): CustomizeResult | undefined {
  if (!/^\s*\{/.test(input.manifest)) return undefined;
  const parsed = tryParseJson(input.manifest);
  if (!parsed) return undefined;
  const value = parsed.value;
  if (!isObject(value) || hasRepeatedKey(input.manifest, value)) return undefined;
  const listed = listItemsOf(value);
  const isList = listed !== undefined;
  const items: unknown[] = listed ?? [value];
  // The objects are this run's own (parsed here): edited in place. A run that falls back to the YAML path reads the text again.
  const chunks: ObjectChunk[] = items.map((object, i) => ({ index: isList ? i + 1 : 0, text: '', line: 1, object, owned: true, ...(isList ? { at: { document: 0, item: i } } : {}) }));
  let out: ReturnType<typeof customizeParsed>;
  try {
    out = customizeParsed(chunks, input);
  } catch (e) {
    if (e instanceof PmcError || e instanceof RangeError) return undefined;
    throw e;
  }
  // A warning about a document is said the YAML way, at its line; one about the worker file or
  // the options (located there) reads the same either way.
  if (out.result.warnings.some((w) => w.location?.document !== undefined || w.location?.source === input.source)) return undefined;
  const customized = items.map((o, i) => out.objects.get(chunks[i]!.index) ?? o);
  const object = isList ? { ...value, items: customized } : customized[0]!;
  const edited = out.result.changes.length > 0;
  out.result.documents = [{ index: 0, line: 1, text: edited ? kubectlJson(object) : input.manifest, edited, object }];
  out.result.places = isList ? new Map(chunks.map((c) => [c.index, c.at!])) : new Map();
  return out.result;
}


/**
 * The customization of parsed documents, edited in place (their yaml Documents and their
 * plain data together): the StatefulSets that are a Pulsar function's, each with its
 * Services. The KRM function calls this on a ResourceList's items.
 */
export function customizeParsed(
  documents: WorkChunk[],
  input: CustomizeSettings & { source: string },
): { result: CustomizeResult; edited: Set<number>; objects: Map<number, object> } {
  const sink = new DiagnosticSink();
  const result: CustomizeResult = { documents: [], changes: [], warnings: [], merged: new Map(), workloads: 0 };
  const edited = new Set<number>();
  if (input.customizer === 'none' && !input.profile) {
    // A class pmc does not know has had its own warning (PMC_CUSTOMIZER_UNKNOWN).
    if (input.optionsGiven && !(input.foreignClass && !input.customizerChosenBy)) {
      sink.warn(
        'PMC_NO_CUSTOMIZER',
        input.customizerChosenBy
          ? `${input.customizerChosenBy}: no customizer runs, so the options are not applied and the manifest is unchanged`
          : 'no runtimeCustomizerClassName in the worker config: Pulsar ignores customRuntimeOptions, so the manifest is unchanged',
      );
    }
    result.warnings = sink.warnings;
    return { result, edited, objects: new Map() };
  }

  const candidates: Candidate[] = [];
  for (const p of documents) {
    const plain = toPlain(p, input.source);
    if (!isObject(plain)) continue;
    refuseForbiddenKeys(plain, { source: input.source, line: p.line, document: p.at ? { index: p.at.document, item: p.at.item } : { index: p.index } });
    if (plain.kind === 'StatefulSet' || plain.kind === 'Service') {
      candidates.push({ chunk: p, plain, kind: plain.kind, name: String(plain.metadata?.name ?? '') } as Candidate);
    }
  }

  const statefulSets = candidates.filter((c): c is Extract<Candidate, { kind: 'StatefulSet' }> => c.kind === 'StatefulSet' && (input.all || isPulsarStatefulSet(c.plain)));
  const services = candidates.filter((c) => c.kind === 'Service');
  const pairedServices = new Set<number>();
  const serviceIndex = indexServices(services);
  const chosen = selectWorkloads(statefulSets, input, sink);
  sink.throwIfErrors();
  for (const sts of chosen) {
    const own = servicesOf(sts.plain, serviceIndex);
    own.forEach((s) => pairedServices.add(s.chunk.index));
    customizeWorkload(sts, own, input, sink, result);
    edited.add(sts.chunk.index);
    own.forEach((s) => edited.add(s.chunk.index));
    result.workloads++;
  }
  if (input.all) {
    for (const svc of services) {
      if (pairedServices.has(svc.chunk.index)) continue;
      customizeLoneService(svc, input, sink, result);
      edited.add(svc.chunk.index);
    }
  }
  if (input.clean) {
    for (const c of candidates) {
      const editor = new DocumentEditor(c.chunk.doc, c.plain, c.chunk.index, c.kind, c.name, input.source);
      cleanLiveObject(editor);
      if (editor.changes.length) (result.changes.push(...editor.changes), edited.add(c.chunk.index));
    }
  }
  if (input.validate) refuseDuplicates(candidates, input.source, sink);
  if (result.workloads === 0) sink.warn('PMC_NO_WORKLOAD', 'no Pulsar function StatefulSet in the input; the output is the input, unchanged', { source: input.source });
  sink.throwIfErrors();
  if (input.validate) {
    const named = new Set(result.changes.filter((ch) => ch.path.length === 2 && ch.path[0] === 'metadata' && ch.path[1] === 'name').map((ch) => ch.document));
    for (const c of candidates) {
      if (!edited.has(c.chunk.index)) continue;
      // c.plain has followed every edit (DocumentEditor mirrors them): no second toJS.
      checkWorkload(c.kind, c.plain, docLocation(c, input.source), sink, { schema: input.schema, nameSet: named.has(c.chunk.index), lint: input.admission === undefined });
    }
    sink.throwIfErrors();
  }
  result.warnings = sink.warnings;
  return { result, edited, objects: new Map(candidates.map((c) => [c.chunk.index, c.plain])) };
}

/** One StatefulSet and its Services, customized with the options resolved for them. */
function customizeWorkload(sts: Extract<Candidate, { kind: 'StatefulSet' }>, services: Candidate[], input: CustomizeSettings & { source: string }, sink: DiagnosticSink, result: CustomizeResult) {
  const resolved = resolveStatefulSet(sts, services.length > 0, input, sink);
  if (!resolved) return;
  for (const doc of [sts, ...services]) result.changes.push(...customizeDocument(doc, resolved, input, sink, result));
}

/** A StatefulSet's options, resolved once for it and its Services; undefined when an error stops it (in the sink). */
export function resolveStatefulSet(sts: Extract<Candidate, { kind: 'StatefulSet' }>, hasServices: boolean, input: CustomizeSettings & { source: string }, sink: DiagnosticSink): (ResolvedOptions & { where: Location }) | undefined {
  if (!isObject(sts.plain.spec?.template)) {
    sink.error('PMC_MANIFEST_SHAPE', 'the StatefulSet has no pod template (spec.template)', docLocation(sts, input.source, 'spec.template'));
    return undefined;
  }
  const resolved = resolveWorkload(sts, hasServices, input, sink);
  return resolved && { ...resolved, where: docLocation(sts, input.source) };
}

/** One document of a workload (the StatefulSet or one of its Services) customized with its StatefulSet's options: its changes. */
export function customizeDocument(doc: Candidate, resolved: ResolvedOptions & { where: Location }, input: CustomizeSettings & { source: string }, sink: DiagnosticSink, result?: Pick<CustomizeResult, 'merged'>): Change[] {
  const { options, functionOptions, identity, workloadName, profiled, where, policyDefaults } = resolved;
  result?.merged.set(doc.chunk.index, { options, functionOptions, identity, policyDefaults });
  const live = doc.plain.metadata?.uid ?? doc.plain.metadata?.resourceVersion;
  const editor = new DocumentEditor(doc.chunk.doc, doc.plain, doc.chunk.index, doc.kind, doc.name, input.source);
  applyOptions(editor, doc.kind, options, { workloadName, sink, where, admission: input.admission !== undefined });
  if (input.profile && profiled) applyProfile(editor, doc.kind, input.profile, profiled, sink, where);
  if (input.policy && doc.kind === 'StatefulSet') checkPolicyObject(input.policy, doc.plain, identity, where, sink);
  const moved = editor.changes.find((c) => c.path.length === 2 && c.path[0] === 'metadata' && (c.path[1] === 'name' || c.path[1] === 'namespace'));
  if (live !== undefined && moved) {
    sink.warn(
      'PMC_LIVE_OBJECT',
      `this is a live object (it has ${doc.plain.metadata?.uid ? `uid ${doc.plain.metadata.uid}` : 'a resourceVersion'}) and its ${moved.path[1]} becomes ${JSON.stringify(moved.after)}: applying it creates a second ${doc.kind} beside the old one, which keeps running (delete the old one; --clean drops the uid and resourceVersion)`,
      docLocation(doc, input.source, moved.path.join('.')),
    );
  }
  return editor.changes;
}

/** What the cluster adds to a live object (`kubectl get -o yaml`), dropped as kubectl neat users expect. */
const LIVE_FIELDS = [['status'], ['metadata', 'managedFields'], ['metadata', 'uid'], ['metadata', 'resourceVersion'], ['metadata', 'generation'], ['metadata', 'creationTimestamp']];

export function cleanLiveObject(editor: DocumentEditor): void {
  for (const path of LIVE_FIELDS) editor.delete(path, { path: ['--clean'] });
}

/** With --all, a Service without a StatefulSet gets the worker's and the given options' metadata. */
export function customizeLoneService(svc: Candidate, input: CustomizeSettings & { source: string }, sink: DiagnosticSink, result: Pick<CustomizeResult, 'changes'>) {
  const where = docLocation(svc, input.source);
  const options = applicableOptions(mergeRuntimeOpts(input.worker, input.functionOptions ?? {}), input.customizer, sink, where, input.customizerChosenBy);
  const editor = new DocumentEditor(svc.chunk.doc, svc.plain, svc.chunk.index, 'Service', svc.name, input.source);
  applyOptions(editor, 'Service', options, { sink, where });
  result.changes.push(...editor.changes);
}

/** Every document of the output as plain data (null for an empty one), in order. */
export function outputObjects(result: CustomizeResult, source: string): { index: number; object: unknown }[] {
  return result.documents.map((d) => {
    if (d.object) return { index: d.index, object: d.object };
    // A parse of the original bytes for a document that was passed over.
    const parsed = d.parsed ?? parseChunk({ index: d.index, text: d.text, line: d.line }, source);
    return { index: d.index, object: toPlain(parsed, source) };
  });
}

/** The whole output stream as YAML. */
export function outputYaml(result: CustomizeResult): string {
  return result.documents.map((d) => d.text).join('');
}

export { PmcError };
