/**
 * Edits to one parsed manifest document through yaml's Document API, so that whatever
 * is not edited keeps its comments, key order and scalar styles. Every edit is recorded
 * as a Change, which `explain` and `diff` report.
 */
import { isCollection, isMap, isScalar, isSeq, YAMLMap, YAMLSeq, type Document } from 'yaml';
import { PmcError } from './diagnostics.js';

export type FieldPath = (string | number)[];

export interface Change {
  /** 0-based index of the document in the stream. */
  document: number;
  kind: string;
  name: string;
  path: FieldPath;
  before: unknown;
  after: unknown;
  /** The option that caused it, as a path into the merged options: `extraLabels.team`. */
  option: string;
}

export class DocumentEditor {
  readonly changes: Change[] = [];

  constructor(
    readonly doc: Document,
    /** The document as plain data, kept equal to `doc` by every edit (for the checks after). */
    readonly plain: Record<string, unknown>,
    readonly index: number,
    readonly kind: string,
    readonly name: string,
    private readonly source: string,
  ) {}

  get(path: FieldPath): unknown {
    const node = this.doc.getIn(path, true);
    if (node === undefined) return undefined;
    if (isScalar(node)) return node.value;
    return isCollection(node) ? node.toJSON() : node;
  }

  /** Sets a value, creating the maps on the way; records a change when it differs. */
  set(path: FieldPath, value: unknown, option: string): void {
    const before = this.get(path);
    if (sameValue(before, value)) return;
    this.ensureMap(path.slice(0, -1));
    const node = typeof value === 'object' && value !== null ? this.doc.createNode(value) : value;
    this.doc.setIn(path, node);
    mirrorSet(this.plain, path, structuredClone(value));
    this.changes.push({ document: this.index, kind: this.kind, name: this.name, path, before, after: value, option });
  }

  /** Appends to a list, creating it when absent. */
  append(path: FieldPath, value: unknown, option: string): void {
    const seq = this.ensure(path, 'seq') as YAMLSeq;
    seq.items.push(this.doc.createNode(value));
    (mirrorGet(this.plain, path) as unknown[]).push(structuredClone(value));
    this.changes.push({
      document: this.index,
      kind: this.kind,
      name: this.name,
      path: [...path, seq.items.length - 1],
      before: undefined,
      after: value,
      option,
    });
  }

  /** How many items the list at `path` has (0 when absent). */
  length(path: FieldPath): number {
    const node = this.doc.getIn(path, true);
    return isSeq(node) ? node.items.length : 0;
  }

  /** Makes every collection on `path` exist: a list where the next step is an index, else a map. */
  ensureMap(path: FieldPath): void {
    for (let i = 1; i <= path.length; i++) {
      this.ensure(path.slice(0, i), typeof path[i] === 'number' ? 'seq' : 'map');
    }
  }

  private ensure(path: FieldPath, type: 'map' | 'seq'): YAMLMap | YAMLSeq {
    const node = this.doc.getIn(path, true);
    if (type === 'map' ? isMap(node) : isSeq(node)) return node as YAMLMap | YAMLSeq;
    const empty = node === undefined || node === null || (isScalar(node) && node.value === null);
    if (!empty) {
      throw new PmcError('PMC_MANIFEST_SHAPE', `${path.join('.')} must be ${type === 'map' ? 'a map' : 'a list'}`, {
        location: { source: this.source, document: { index: this.index, kind: this.kind, name: this.name }, path: path.join('.') },
      });
    }
    if (path.length > 1) this.ensureMap(path.slice(0, -1));
    const created = type === 'map' ? new YAMLMap() : new YAMLSeq();
    this.doc.setIn(path, created);
    mirrorSet(this.plain, path, type === 'map' ? {} : []);
    return created;
  }
}

function sameValue(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return false;
  return JSON.stringify(a) === JSON.stringify(b);
}

function mirrorGet(plain: unknown, path: FieldPath): unknown {
  let v = plain;
  for (const p of path) v = (v as Record<string | number, unknown>)[p];
  return v;
}

function mirrorSet(plain: Record<string, unknown>, path: FieldPath, value: unknown): void {
  const parent = mirrorGet(plain, path.slice(0, -1)) as Record<string | number, unknown>;
  parent[path[path.length - 1]] = value;
}
