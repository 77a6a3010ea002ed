/**
 * `pmc customize --stream`: a manifest stream customized one document at a time, each
 * written as soon as it is final and dropped after, so that memory holds the documents not
 * yet final, never the stream (a cluster's `kubectl get sts,svc -A -o yaml` of 30,000
 * functions is 110 MB of text and about 35 times that parsed).
 *
 * The rules are customize's own (customize.ts, resolve.ts), applied in the stream's order:
 * - a Pulsar StatefulSet is customized when it arrives, with the Services already seen that
 *   are its own (Pulsar's headless Service: named by spec.serviceName, or with its function
 *   labels);
 * - a Service is customized when it arrives after its StatefulSet, and otherwise waits for
 *   it; whatever follows a waiting Service waits too, so that the output keeps the input's
 *   order. `kubectl get sts,svc` lists the StatefulSets first, and Pulsar's own order (the
 *   Service, then its StatefulSet) keeps one document waiting at a time; a stream of every
 *   Service first holds them all until their StatefulSets come;
 * - the duplicate rule keeps each object's key and place, not the object; a `kind: List` is
 *   one document, final when all its items are;
 * - a Service whose StatefulSet never came passes unchanged at the end (with --all it gets
 *   the options, as a lone Service does), and so does everything held behind it.
 * What needs the whole stream before the first document can be judged (options or an
 * identity for one function, --select) is refused: those pick one function out of the
 * stream, which is a run over the whole input.
 */
import { DiagnosticSink, PmcError, type Diagnostic, type Location } from '../base/diagnostics.js';
import type { Change } from '../base/edit.js';
import { DocumentEditor } from '../base/edit.js';
import { printChunk } from '../base/print.js';
import { hasContent, listItems, mayHoldKind, parseChunk, refuseForbiddenKeys, toPlain, type DocumentChunk, type ParsedChunk } from '../base/stream.js';
import { isObject } from '../base/values.js';
import { docLocation, isPulsarStatefulSet, servicesOf, indexServices, type Candidate } from '../base/workloads.js';
import { checkWorkload } from '../options/validate.js';
import { cleanLiveObject, customizeDocument, customizeLoneService, customizeParsed, resolveStatefulSet } from './customize.js';
import { serviceNameAllowed, type ResolvedOptions } from './resolve.js';
import { DuplicateGuard } from './select.js';
import type { CustomizeSettings } from './settings.js';

type StatefulSet = Extract<Candidate, { kind: 'StatefulSet' }>;

/** A document of the output, final: its bytes, and its plain data when pmc parsed it. */
export interface StreamedDocument {
  index: number;
  line: number;
  text: string;
  edited: boolean;
  /** The document as plain data, when it was parsed (--check-pss judges it). */
  object?: unknown;
}

/** A document read and not yet written. */
interface Entry {
  chunk: DocumentChunk;
  parsed?: ParsedChunk;
  /** Its items' or its own candidates (a List has several; a StatefulSet or Service one). */
  candidates: Candidate[];
  /** Its Services still waiting for their StatefulSet. */
  waiting: number;
  changes: number;
  list: boolean;
}

/**
 * What a customized StatefulSet leaves for its Service still to come: its options and where
 * it was, not the object. Dropped once a Service took it (Pulsar makes one per function).
 */
interface Claim {
  order: number;
  resolved: ResolvedOptions & { where: Location };
  namespace?: string;
  serviceName?: string;
  labels?: string;
}

/** Why a run cannot stream, or undefined: settings that pick one function out of the whole stream. */
export function whyNotStreamed(settings: CustomizeSettings): string | undefined {
  if (settings.select !== undefined) return '--select picks one StatefulSet out of the whole stream';
  if (settings.all) return undefined;
  if (settings.functionOptions !== undefined) return "options given for one function (-r, --custom-runtime-options-file, a function config's customRuntimeOptions) pick it out of the whole stream";
  if (settings.identity.some((s) => Object.values(s.value).some((v) => typeof v === 'string' && v !== ''))) return 'an identity given (--tenant, --namespace, --name, a function config) picks one function out of the whole stream';
  return undefined;
}

export class StreamCustomizer {
  private readonly sink = new DiagnosticSink();
  private readonly queue: Entry[] = [];
  private readonly waiting: { entry: Entry; candidate: Candidate }[] = [];
  private claimed = 0;
  private readonly byName = new Map<string, Claim[]>();
  private readonly byLabels = new Map<string, Claim[]>();
  private readonly duplicates: DuplicateGuard;
  /** The candidates customize applied options to, or cleaned: the ones the checks judge (as customize judges its edited ones). */
  private readonly edited = new WeakSet<Candidate>();
  /** The candidates whose name the job name set. */
  private readonly named = new WeakSet<Candidate>();
  private itemIndex = 0;
  private said = 0;
  /** How many StatefulSets were customized. */
  workloads = 0;
  /** Whether any document had content (an empty stream is refused, as customize refuses it). */
  private content = false;

  constructor(private readonly input: CustomizeSettings & { source: string }) {
    const why = whyNotStreamed(input);
    if (why) throw new PmcError('PMC_USAGE', `--stream cannot be used here: ${why}; leave out --stream (the whole input is then read first)`);
    this.duplicates = new DuplicateGuard(input.source);
  }

  /** The next document of the stream: the documents now final, in the stream's order. */
  push(chunk: DocumentChunk): StreamedDocument[] {
    const entry: Entry = { chunk, candidates: [], waiting: 0, changes: 0, list: false };
    this.queue.push(entry);
    if (!this.content && hasContent(chunk.text)) this.content = true;
    if (this.customizes() && mayHoldKind(chunk, ['StatefulSet', 'Service'])) this.read(entry);
    this.sink.throwIfErrors();
    return this.flush(false);
  }

  /** The stream has ended: the rest, in order, with what only the end can say. */
  end(): StreamedDocument[] {
    if (!this.content) {
      throw new PmcError('PMC_EMPTY_INPUT', 'the input holds no YAML document (did the command before pmc fail?)', { location: { source: this.input.source } });
    }
    for (const { entry, candidate } of this.waiting.splice(0)) {
      if (this.input.all) {
        const result = { changes: [] as Change[] };
        customizeLoneService(candidate, this.input, this.sink, result);
        entry.changes += result.changes.length;
        this.edited.add(candidate);
      }
      entry.waiting--;
    }
    if (!this.customizes()) {
      // No customizer: customize's own warning about the options that are then not applied.
      const { result } = customizeParsed([], this.input);
      for (const w of result.warnings) this.sink.warn(w.code, w.message, w.location);
    } else if (this.workloads === 0) {
      this.sink.warn('PMC_NO_WORKLOAD', 'no Pulsar function StatefulSet in the input; the output is the input, unchanged', { source: this.input.source });
    }
    const out = this.flush(true);
    this.sink.throwIfErrors();
    return out;
  }

  /** The warnings (and notes) found since the last call. */
  takeWarnings(): Diagnostic[] {
    const all = this.sink.warnings;
    const fresh = all.slice(this.said);
    this.said = all.length;
    return fresh;
  }

  private customizes(): boolean {
    return this.input.customizer !== 'none' || this.input.profile !== undefined;
  }

  private read(entry: Entry): void {
    const parsed = parseChunk(entry.chunk, this.input.source);
    entry.parsed = parsed;
    const items = listItems(parsed, 1e9 + this.itemIndex);
    const works = items ?? [parsed];
    if (items) (entry.list = items.length > 0), (this.itemIndex += items.length);
    for (const work of works) {
      const plain = toPlain(work, this.input.source);
      if (!isObject(plain)) continue;
      refuseForbiddenKeys(plain, { source: this.input.source, line: work.line, document: work.at ? { index: work.at.document, item: work.at.item } : { index: work.index } });
      if (plain.kind !== 'StatefulSet' && plain.kind !== 'Service') continue;
      const candidate = { chunk: work, plain, kind: plain.kind, name: String((plain.metadata as { name?: unknown } | undefined)?.name ?? '') } as Candidate;
      entry.candidates.push(candidate);
      if (candidate.kind === 'StatefulSet') this.statefulSet(entry, candidate);
      else this.service(entry, candidate);
    }
  }

  private statefulSet(entry: Entry, sts: StatefulSet): void {
    if (!this.input.all && !isPulsarStatefulSet(sts.plain)) return;
    // How its Services are found, read before customizing moves or renames it.
    const serviceName = typeof sts.plain.spec?.serviceName === 'string' ? sts.plain.spec.serviceName : undefined;
    const namespace = sts.plain.metadata?.namespace;
    const labels = labelsKey(sts.plain.metadata?.labels);
    const own = servicesOf(sts.plain, indexServices(this.waiting.map((w) => w.candidate)));
    // A StatefulSet whose Service is still to come is resolved without the Service's name
    // check, which the Service makes when it arrives (the job name becomes both names).
    const resolved = resolveStatefulSet(sts, own.length > 0, this.input, this.sink);
    this.workloads++;
    if (!resolved) return;
    entry.changes += this.apply(sts, resolved);
    for (const svc of own) {
      const at = this.waiting.findIndex((w) => w.candidate === svc);
      const { entry: svcEntry } = this.waiting.splice(at, 1)[0]!;
      svcEntry.changes += this.apply(svc, resolved);
      svcEntry.waiting--;
    }
    if (own.length > 0) return;
    // Copies (structuredClone makes strings of its own), so that the claim does not keep the document's text.
    const claim: Claim = structuredClone({ order: this.claimed++, resolved, namespace, serviceName, labels });
    if (claim.serviceName !== undefined) this.byName.set(claim.serviceName, [...(this.byName.get(claim.serviceName) ?? []), claim]);
    if (claim.labels !== undefined) this.byLabels.set(claim.labels, [...(this.byLabels.get(claim.labels) ?? []), claim]);
  }

  private drop(claim: Claim): void {
    const without = (m: Map<string, Claim[]>, key: string | undefined) => {
      if (key === undefined) return;
      const left = (m.get(key) ?? []).filter((c) => c !== claim);
      if (left.length) m.set(key, left);
      else m.delete(key);
    };
    without(this.byName, claim.serviceName);
    without(this.byLabels, claim.labels);
  }

  private service(entry: Entry, svc: Candidate): void {
    const labels = labelsKey(svc.plain.metadata?.labels);
    const ns = svc.plain.metadata?.namespace;
    const found = new Set([...(svc.name ? (this.byName.get(svc.name) ?? []) : []), ...(labels !== undefined ? (this.byLabels.get(labels) ?? []) : [])]);
    const claims = [...found].filter((c) => !ns || !c.namespace || ns === c.namespace);
    if (claims.length === 0) {
      this.waiting.push({ entry, candidate: svc });
      entry.waiting++;
      return;
    }
    // In the StatefulSets' order, as customize applies each StatefulSet's options to its Services.
    for (const claim of claims.sort((a, b) => a.order - b.order)) {
      this.drop(claim);
      const { workloadName, nameOptionAt } = claim.resolved;
      if (workloadName !== undefined && this.input.validate && !serviceNameAllowed(workloadName, nameOptionAt ?? claim.resolved.where, this.sink)) continue;
      entry.changes += this.apply(svc, claim.resolved);
    }
  }

  private apply(doc: Candidate, resolved: ResolvedOptions & { where: Location }): number {
    const changes = customizeDocument(doc, resolved, this.input, this.sink);
    this.edited.add(doc);
    if (changes.some((c) => c.path.length === 2 && c.path[0] === 'metadata' && c.path[1] === 'name')) this.named.add(doc);
    return changes.length;
  }

  /** Documents from the head of the queue while they are final (all of them at the end). */
  private flush(atEnd: boolean): StreamedDocument[] {
    const out: StreamedDocument[] = [];
    // Until a document has content the stream may still be empty, which is refused with nothing written.
    if (!this.content) return out;
    while (this.queue.length > 0 && (atEnd || this.queue[0]!.waiting === 0)) {
      const entry = this.queue.shift()!;
      out.push(this.finish(entry));
    }
    return out;
  }

  /** The rules of a final document (clean, duplicates, the checks), then its bytes. */
  private finish(entry: Entry): StreamedDocument {
    const { input } = this;
    for (const c of entry.candidates) {
      if (input.clean) {
        const editor = new DocumentEditor(c.chunk.doc, c.plain, c.chunk.index, c.kind, c.name, input.source);
        cleanLiveObject(editor);
        if (editor.changes.length) (this.edited.add(c), (entry.changes += editor.changes.length));
      }
      if (input.validate) this.duplicates.add(c, this.sink);
    }
    if (input.validate) {
      for (const c of entry.candidates) {
        if (this.edited.has(c)) checkWorkload(c.kind, c.plain, docLocation(c, input.source), this.sink, { schema: input.schema, nameSet: this.named.has(c), lint: input.admission === undefined });
      }
    }
    const { chunk, parsed } = entry;
    const edited = entry.changes > 0 && parsed !== undefined;
    const object = parsed && entry.changes > 0 ? (entry.list ? toPlain(parsed, input.source) : entry.candidates[0]?.plain) : undefined;
    return { index: chunk.index, line: chunk.line, text: edited ? printChunk(parsed!) : chunk.text, edited, object };
  }
}

/** Pulsar's function labels as one key (workloads.ts pairs a Service by them the same way). */
function labelsKey(labels: unknown): string | undefined {
  const keys = ['component', 'tenant', 'namespace', 'name'];
  if (!isObject(labels) || !keys.every((k) => typeof labels[k] === 'string')) return undefined;
  return keys.map((k) => labels[k]).join('\u0000');
}
