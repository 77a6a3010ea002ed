/**
 * What a customization changed, and why: a unified diff per document (`pmc diff`) and,
 * for each field set, the option that set it and where that option came from
 * (`pmc explain`).
 */
import { createTwoFilesPatch } from 'diff';
import type { CustomizeInput, CustomizeResult } from './customize.js';
import type { Change } from './edit.js';
import type { Diagnostic } from './diagnostics.js';
import type { RuntimeOpts, SecurityContextOpts } from './options.js';
import { splitDocuments } from './stream.js';
import { parseDocument } from 'yaml';

/** kubectl diff names objects group.version.kind.namespace.name; so do we. */
function objectLabel(text: string): string {
  try {
    const o = parseDocument(text).toJS() as Record<string, any> | null;
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

export type Source = 'worker' | 'function' | 'worker, overridden by function';

export interface ExplainedChange {
  document: number;
  resource: string;
  path: string;
  value: unknown;
  replaced: unknown;
  /** Where the option came from; with a preset, which one. */
  source: string;
  option: string;
}

function lookup(o: unknown, path: (string | number)[]): unknown {
  let v = o;
  for (const p of path) v = v && typeof v === 'object' ? (v as Record<string | number, unknown>)[p] : undefined;
  return v;
}

/** `extraLabels.team` -> ['extraLabels', 'team']; `tolerations[3]` -> ['tolerations', 3] */
function optionPath(option: string): (string | number)[] {
  const m = /^(\w+)\[(\d+)\]$/.exec(option);
  if (m) return [m[1], Number(m[2])];
  const [head, ...rest] = option.split('.');
  // Map keys may hold dots (prometheus.io/port): everything after the field is one key.
  if (['extraLabels', 'extraAnnotations', 'nodeSelectorLabels'].includes(head)) return [head, rest.join('.')];
  return [head, ...rest];
}

const SELINUX = ['seLinuxLevel', 'seLinuxRole', 'seLinuxType', 'seLinuxUser'] as const;

/** Whether this level of options sets what `option` names: itself, or through its preset. */
function sets(opts: RuntimeOpts, option: string): 'explicit' | 'preset' | undefined {
  const path = optionPath(option);
  if (path[0] === 'securityContext') {
    const sc = opts.securityContext as SecurityContextOpts | undefined;
    if (!sc) return undefined;
    const field = path[1];
    const explicit =
      field === 'seLinuxOptions'
        ? SELINUX.some((f) => sc[f] !== undefined)
        : field === 'readOnlyRootFilesystem'
          ? sc.readOnlyRootFilesystem !== undefined
          : sc[field as keyof SecurityContextOpts] !== undefined;
    if (explicit) return 'explicit';
    return sc.preset ? 'preset' : undefined;
  }
  return lookup(opts, path) !== undefined ? 'explicit' : undefined;
}

function sourceOf(change: Change, worker: RuntimeOpts, fn: RuntimeOpts): string {
  const tol = /^tolerations\[(\d+)\]$/.exec(change.option);
  if (tol) return Number(tol[1]) < (worker.tolerations?.length ?? 0) ? 'worker' : 'function';
  const w = sets(worker, change.option);
  const f = sets(fn, change.option);
  const label = (who: string, how: 'explicit' | 'preset', opts: RuntimeOpts) =>
    how === 'preset' ? `${who} (preset ${opts.securityContext?.preset})` : who;
  if (w && f) return `${label('worker', w, worker)}, overridden by ${label('function', f, fn)}`;
  if (f) return label('function', f, fn);
  if (w) return label('worker', w, worker);
  return 'pmc';
}

export interface ExplainReport {
  changes: ExplainedChange[];
  /** What was given but not applied, and why. */
  ignored: { what: string; why: string; code: string }[];
}

/** Warnings that mean "given, but not applied": explain lists them as ignored. */
export const IGNORED_CODES = new Set(['PMC_NO_CUSTOMIZER', 'PMC_SECURITY_CONTEXT_IGNORED', 'PMC_RESOURCE_IGNORED', 'PMC_OPTIONS_UNKNOWN_KEY', 'PMC_PRESET_PATH']);

export function explain(input: CustomizeInput, result: CustomizeResult, warnings: Diagnostic[] = []): ExplainReport {
  const changes = result.changes.map((c): ExplainedChange => {
    const fn = result.merged.get(c.document)?.functionOptions ?? {};
    return {
      document: c.document,
      resource: `${c.kind}/${c.name}`,
      path: formatPath(c.path),
      value: c.after,
      // null, not absent, when there was nothing: JSON consumers see every key.
      replaced: c.before ?? null,
      source: sourceOf(c, input.worker, fn),
      option: c.option,
    };
  });
  const ignored = [...warnings, ...result.warnings]
    .filter((w) => IGNORED_CODES.has(w.code))
    .map((w) => ({ what: w.location?.path ?? w.location?.source ?? '', why: w.message, code: w.code }));
  return { changes, ignored };
}

export function formatPath(path: (string | number)[]): string {
  return path.reduce<string>((out, p) => {
    if (typeof p === 'number') return `${out}[${p}]`;
    return /^[A-Za-z_][\w-]*$/.test(p) ? (out ? `${out}.${p}` : p) : `${out}[${JSON.stringify(p)}]`;
  }, '');
}
