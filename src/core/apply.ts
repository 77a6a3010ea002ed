/**
 * The generic applier: every option's value written at each of its targets, in the order
 * the registry's WRITE_ORDER gives, each edit recorded with the option it came from.
 */
import type { DiagnosticSink, Location } from './diagnostics.js';
import type { DocumentEditor, FieldPath } from './edit.js';
import type { IStatefulSet } from './k8s.js';
import { entryOf, OPTION_KEYS, WRITE_ORDER, type RuntimeOpts, type WorkloadKind } from './registry.js';

export interface ApplyContext {
  /** The name Pulsar gives the StatefulSet and its Service for the options' job name, when there is one. */
  workloadName?: string;
  sink: DiagnosticSink;
  where: Location;
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

/** Writes every option that targets this kind into the document, site by site. */
export function applyOptions(editor: DocumentEditor, kind: WorkloadKind, options: RuntimeOpts, ctx: ApplyContext): void {
  for (const site of WRITE_ORDER) {
    for (const key of OPTION_KEYS) {
      const value = options[key];
      if (value === undefined) continue;
      const entry = entryOf(key);
      for (const target of entry.targets) {
        if (target.kind !== kind || target.path !== site) continue;
        const write = target.write ?? entry.write;
        for (const at of expandTarget(target.path, editor)) {
          write(value, { editor, key, at, workloadName: ctx.workloadName, podSpec: (editor.plain as IStatefulSet).spec?.template?.spec, sink: ctx.sink, where: ctx.where });
        }
      }
    }
  }
}
