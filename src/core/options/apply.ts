/**
 * The generic applier: every option's value written at each of its targets, in the order
 * the registry's WRITE_ORDER gives, each edit recorded with the option it came from.
 */
import type { DiagnosticSink, Location } from '../base/diagnostics.js';
import type { DocumentEditor, FieldPath } from '../base/edit.js';
import type { IStatefulSet } from '../base/k8s.js';
import { entryOf, OPTION_KEYS, WRITE_ORDER, type OptionKey, type RuntimeOpts, type WorkloadKind } from './registry.js';
import type { Writer } from './writers.js';

export interface ApplyContext {
  /** The name Pulsar gives the StatefulSet and its Service for the options' job name, when there is one. */
  workloadName?: string;
  sink: DiagnosticSink;
  where: Location;
  /** Applied in admission (pmc webhook). */
  admission?: boolean;
}

/** A target path as field paths in this document: `containers[]` becomes one path per container. */
export function expandTarget(path: string, editor: DocumentEditor): FieldPath[] {
  let out: FieldPath[] = [[]];
  for (const segment of path.split('.')) {
    if (!segment.endsWith('[]')) {
      out = out.map((p) => [...p, segment]);
      continue;
    }
    const list = segment.slice(0, -2);
    out = out.flatMap((p) => Array.from({ length: editor.length([...p, list]) }, (_, i) => [...p, list, i]));
  }
  return out;
}

type Step = { key: OptionKey; path: string; write: Writer<unknown> };

/** For each kind, every (option, target) pair in WRITE_ORDER, then registry order: computed once. */
const PLAN: Record<WorkloadKind, Step[]> = { StatefulSet: [], Service: [] };
for (const site of WRITE_ORDER) {
  for (const key of OPTION_KEYS) {
    const entry = entryOf(key);
    for (const target of entry.targets) if (target.path === site) PLAN[target.kind].push({ key, path: site, write: target.write ?? entry.write });
  }
}

/** Writes every option that targets this kind into the document, site by site. */
export function applyOptions(editor: DocumentEditor, kind: WorkloadKind, options: RuntimeOpts, ctx: ApplyContext): void {
  for (const { key, path, write } of PLAN[kind]) {
    const value = options[key];
    if (value === undefined) continue;
    for (const at of expandTarget(path, editor)) {
      write(value, { editor, key, at, workloadName: ctx.workloadName, podSpec: (editor.plain as IStatefulSet).spec?.template?.spec, sink: ctx.sink, where: ctx.where, admission: ctx.admission });
    }
  }
}
