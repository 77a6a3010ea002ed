/**
 * What a customization changed, and why: a unified diff per document (`pmc diff`) and,
 * for each field set, the option that set it and where that option came from
 * (`pmc explain`).
 */
import { formatPath } from '../base/paths.js';
import { createTwoFilesPatch } from 'diff';
import type { CustomizeInput, CustomizeResult } from './customize.js';
import type { Change, OptionPath } from '../base/edit.js';
import type { Diagnostic, ErrorCode } from '../base/diagnostics.js';
import { entryOf, OPTION_KEYS, type OptionKey, type Provenance, type RuntimeOpts } from '../options/registry.js';
import { splitDocuments } from '../base/stream.js';
import { readYamlFile } from '../input/parse.js';
import { mergeRuntimeOpts } from './resolve.js';

/** kubectl diff names objects group.version.kind.namespace.name; so do we. */
function objectLabel(text: string): string {
  try {
    const o = readYamlFile(text, 'document').values as Record<string, any> | null;
    if (!o || typeof o !== 'object') return 'document';
    const gv = String(o.apiVersion ?? 'v1').replace('/', '.');
    return [gv, o.kind, o.metadata?.namespace, o.metadata?.name].filter(Boolean).join('.');
  } catch {
    return 'document';
  }
}

export interface DocumentDiff {
  index: number;
  patch: string;
}

/** One unified diff per document that the customization changed, in stream order. */
export function documentDiffs(input: CustomizeInput, result: CustomizeResult): DocumentDiff[] {
  const before = splitDocuments(input.manifest);
  const out: DocumentDiff[] = [];
  for (const d of result.documents) {
    const was = before[d.index]?.text ?? '';
    if (!d.edited || d.text === was) continue;
    const patch = createTwoFilesPatch(`a/${objectLabel(was)}`, `b/${objectLabel(d.text)}`, was, d.text, '', '', { context: 3 });
    // jsdiff starts with a ==== rule and puts a tab after empty headers; diff(1) does neither.
    out.push({ index: d.index, patch: patch.replace(/^=+\n/, '').replace(/\t\n/g, '\n') });
  }
  return out;
}

export interface ExplainedChange {
  /** 1-based position in the stream. */
  document: number;
  /** In a `kind: List`, the item's 0-based position. */
  item?: number;
  resource: string;
  path: string;
  value: unknown;
  replaced: unknown;
  /** Where the option came from; with a preset, which one. */
  source: string;
  option: string;
  /**
   * Set when the worker runs the seed's SecurityContext class and that class as published
   * would not apply this field (a worker-level default, or a field it does not declare).
   */
  ignoredBy?: string;
}

const ignoredByOf = (change: Change, input: CustomizeInput, fn: RuntimeOpts): { ignoredBy?: string } => {
  const by = ignoredAsPublished(change, input, fn);
  return by ? { ignoredBy: by } : {};
};

/** Whether the worker's customizer as published would not apply a change pmc made (the registry's ignoredAsPublished). */
function ignoredAsPublished(change: Change, input: CustomizeInput, fn: RuntimeOpts): string | undefined {
  if (input.admission) return undefined;
  const { path, sources } = change.optionRef;
  const key = path[0] as OptionKey;
  if (!(OPTION_KEYS as string[]).includes(key)) return undefined;
  const rule = entryOf(key).ignoredAsPublished;
  if (!rule) return undefined;
  for (const p of sources ?? [path]) {
    const by = rule(p, fn[key] as never, input.customizer);
    if (by) return by;
  }
  return undefined;
}

function lookup(o: unknown, path: OptionPath): unknown {
  let v = o;
  for (const p of path) v = v && typeof v === 'object' ? (v as Record<string | number, unknown>)[p] : undefined;
  return v;
}

/** Who set the option behind a change: the registry's rule for its field, else whoever's options hold its path. */
function sourceOf(change: Change, worker: RuntimeOpts, fn: RuntimeOpts, policy?: { options: RuntimeOpts; scope: string }): string {
  const { path, sources } = change.optionRef;
  const key = path[0] as OptionKey;
  const registered = (OPTION_KEYS as string[]).includes(key);
  // Not an option: a flag such as --clean did it. (A profile's option is in the options, as Pulsar's are.)
  if (!registered && lookup(worker, [key]) === undefined && lookup(fn, [key]) === undefined) return `pmc (${key})`;
  const entry = registered ? entryOf(key) : undefined;
  let w: string | undefined;
  let d: string | undefined;
  let f: string | undefined;
  // The policy's defaults sit between the worker's options and the function's: asked as a
  // worker level of their own (the registry's rule, a toleration's place in the list, applies).
  const withPolicy = policy ? mergeRuntimeOpts(worker, policy.options) : worker;
  for (const p of sources ?? [path]) {
    const by = (level: RuntimeOpts): Provenance =>
      entry?.provenance
        ? entry.provenance(p, level[key], fn[key])
        : { worker: lookup(level, p) !== undefined ? 'worker' : undefined, function: lookup(fn, p) !== undefined ? 'function' : undefined };
    const own = by(worker);
    const both = by(withPolicy);
    w ??= own.worker;
    if (policy && both.worker && !own.worker) d ??= `policy (${policy.scope})`;
    f ??= both.function;
  }
  const levels = [w, d, f].filter((x): x is string => x !== undefined);
  if (levels.length > 1) return `${levels.slice(0, -1).join(', ')}, overridden by ${levels.at(-1)}`;
  return levels[0] ?? 'pmc';
}

export interface ExplainReport {
  changes: ExplainedChange[];
  /** What was given but not applied, and why. */
  ignored: { what: string; why: string; code: string }[];
}

/** Warnings that mean "given, but not applied": explain lists them as ignored. */
export const IGNORED_CODES: ReadonlySet<ErrorCode> = new Set<ErrorCode>(['PMC_NO_CUSTOMIZER', 'PMC_SECURITY_CONTEXT_IGNORED', 'PMC_SEED_CLASS_IGNORES', 'PMC_RESOURCE_IGNORED', 'PMC_OPTIONS_UNKNOWN_KEY', 'PMC_PRESET_PATH']);

export function explain(input: CustomizeInput, result: CustomizeResult, warnings: Diagnostic[] = []): ExplainReport {
  const changes = result.changes.map((c): ExplainedChange => {
    const merged = result.merged.get(c.document);
    const fn = merged?.functionOptions ?? {};
    return {
      // 1-based, as every message numbers documents ("document 2"); a List's item by its place.
      document: (result.places?.get(c.document)?.document ?? c.document) + 1,
      ...(result.places?.has(c.document) ? { item: result.places.get(c.document)!.item } : {}),
      resource: `${c.kind}/${c.name}`,
      path: formatPath(c.path),
      value: c.after,
      // null, not absent, when there was nothing: JSON consumers see every key.
      replaced: c.before ?? null,
      source: sourceOf(c, input.worker, fn, merged?.policyDefaults),
      option: c.option,
      ...ignoredByOf(c, input, fn),
    };
  });
  const ignored = [...warnings, ...result.warnings]
    .filter((w) => IGNORED_CODES.has(w.code))
    .map((w) => ({ what: w.location?.path ?? w.location?.source ?? '', why: w.message, code: w.code }));
  return { changes, ignored };
}

export { formatPath };
