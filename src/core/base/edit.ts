/**
 * Edits to one parsed manifest document through yaml's Document API, so that whatever
 * is not edited keeps its comments, key order and scalar styles. Every edit is recorded
 * as a Change, which `explain` and `diff` report.
 */
import { formatPath } from './paths.js';
import { isAlias, isCollection, isMap, isPair, isScalar, isSeq, visit, YAMLMap, YAMLSeq, type Document, type Node } from 'yaml';
import { PmcError } from './diagnostics.js';

export type FieldPath = (string | number)[];

/** A path into the options: the option's key, then the keys and indexes inside its value. */
export type OptionPath = (string | number)[];

/**
 * The option an edit comes from: its path, and (when several option fields make one value,
 * as the four seLinux* fields make seLinuxOptions) the fields that made it.
 */
export interface OptionRef {
  path: OptionPath;
  sources?: OptionPath[];
}

/** An option path as messages and explain show it: `key.sub`, `key[3]`. */
export function formatOption(path: OptionPath): string {
  return formatPath(path);
}

export interface Change {
  /** 0-based index of the document in the stream. */
  document: number;
  kind: string;
  name: string;
  path: FieldPath;
  before: unknown;
  after: unknown;
  /** The option that caused it, as explain shows it (formatOption). */
  option: string;
  /** The same, as data: the path into the merged options, and the fields that made the value. */
  optionRef: OptionRef;
}

/**
 * Edits one document: through its yaml Document and its plain mirror together, or, for an
 * object (no Document: an AdmissionReview's), through the plain data alone.
 */
export class DocumentEditor {
  readonly changes: Change[] = [];

  constructor(
    readonly doc: Document | undefined,
    /** The document as plain data, kept equal to `doc` by every edit (for the checks after). */
    readonly plain: object,
    readonly index: number,
    readonly kind: string,
    readonly name: string,
    private readonly source: string,
  ) {}

  /** Sets a value, creating the maps on the way; records a change when it differs. */
  set(path: FieldPath, value: unknown, option: OptionRef): void {
    const key = path[path.length - 1]!;
    const { node: parent, plain } = this.descend(path.slice(0, -1));
    let before: unknown;
    if (parent) {
      const existing: unknown = parent.get(key, true);
      before = isScalar(existing) ? existing.value : isCollection(existing) ? existing.toJSON() : existing;
    } else before = ownValue(plain, key);
    if (sameValue(before, value)) return;
    const isObject = typeof value === 'object' && value !== null;
    if (parent) parent.set(key, isObject ? this.doc!.createNode(value) : value);
    if (!parent && isObject && before !== undefined) before = structuredClone(before);
    (plain as Record<string | number, unknown>)[key] = isObject ? structuredClone(value) : value;
    this.changes.push({ document: this.index, kind: this.kind, name: this.name, path, before, after: value, option: formatOption(option.path), optionRef: option });
  }

  /** Appends to a list, creating it when absent. */
  append(path: FieldPath, value: unknown, option: OptionRef): void {
    const { node, plain } = this.descend(path, 'seq');
    if (node) (node as YAMLSeq).items.push(this.doc!.createNode(value));
    (plain as unknown[]).push(structuredClone(value));
    this.changes.push({
      document: this.index,
      kind: this.kind,
      name: this.name,
      path: [...path, (plain as unknown[]).length - 1],
      before: undefined,
      after: value,
      option: formatOption(option.path),
      optionRef: option,
    });
  }

  /** Removes the value at `path`, if there is one; recorded like any edit. */
  delete(path: FieldPath, option: OptionRef): void {
    const key = path[path.length - 1]!;
    let plain: unknown = this.plain;
    for (const p of path.slice(0, -1)) plain = ownValue(plain, p);
    let before: unknown;
    if (this.doc) {
      const parent = this.doc.getIn(path.slice(0, -1), true);
      if (!isMap(parent) || !parent.has(key)) return;
      before = (parent.get(key, true) as { toJSON?: () => unknown } | undefined)?.toJSON?.() ?? parent.get(key);
      parent.delete(key);
    } else {
      if (!plain || typeof plain !== 'object' || Array.isArray(plain) || !Object.hasOwn(plain, key)) return;
      before = (plain as Record<string | number, unknown>)[key];
    }
    if (plain && typeof plain === 'object') delete (plain as Record<string | number, unknown>)[key];
    this.changes.push({ document: this.index, kind: this.kind, name: this.name, path, before, after: undefined, option: formatOption(option.path), optionRef: option });
  }

  /** How many items the list at `path` has (0 when absent). */
  length(path: FieldPath): number {
    if (!this.doc) {
      let plain: unknown = this.plain;
      for (const p of path) plain = ownValue(plain, p);
      return Array.isArray(plain) ? plain.length : 0;
    }
    const node = this.doc.getIn(path, true);
    return isSeq(node) ? node.items.length : 0;
  }

  /**
   * Walks down `path` once, in the document and in its plain mirror together, creating
   * what is missing: a list where the next step is an index (or where `last` says), else
   * a map. Returns the collection at the end of the path.
   */
  private descend(path: FieldPath, last: 'map' | 'seq' = 'map'): { node?: YAMLMap | YAMLSeq; plain: unknown } {
    if (!this.doc) return { plain: this.descendPlain(path, last) };
    let node = this.doc.contents as unknown;
    let plain: unknown = this.plain;
    if (!isMap(node)) throw this.shapeError([], 'map');
    this.separate(node, []);
    for (let i = 0; i < path.length; i++) {
      const type = i + 1 < path.length ? (typeof path[i + 1] === 'number' ? 'seq' : 'map') : last;
      const parent = node as YAMLMap | YAMLSeq;
      let child: unknown = (parent as YAMLMap).get(path[i], true);
      if (isAlias(child)) {
        // Reached through an alias: this place gets a copy of its own, so that the edit
        // does not change the anchored node (or any other alias of it).
        const copy = (child.resolve(this.doc) as Node).clone() as Node & { anchor?: string };
        delete copy.anchor;
        (parent as YAMLMap).set(path[i], copy);
        (plain as Record<string | number, unknown>)[path[i]] = structuredClone((plain as Record<string | number, unknown>)[path[i]]);
        child = copy;
      }
      if (child) this.separate(child, path.slice(0, i + 1));
      if (!(type === 'map' ? isMap(child) : isSeq(child))) {
        const empty = child === undefined || child === null || (isScalar(child) && child.value === null);
        if (!empty) throw this.shapeError(path.slice(0, i + 1), type);
        child = type === 'map' ? new YAMLMap() : new YAMLSeq();
        (parent as YAMLMap).set(path[i], child);
        (plain as Record<string | number, unknown>)[path[i]] = type === 'map' ? {} : [];
      }
      node = child;
      plain = (plain as Record<string | number, unknown>)[path[i]];
    }
    return { node: node as YAMLMap | YAMLSeq, plain };
  }

  /** The same walk on plain data alone (an object has no anchors to keep apart). */
  private descendPlain(path: FieldPath, last: 'map' | 'seq'): unknown {
    let plain: unknown = this.plain;
    if (!isPlainMap(plain)) throw this.shapeError([], 'map');
    for (let i = 0; i < path.length; i++) {
      const type = i + 1 < path.length ? (typeof path[i + 1] === 'number' ? 'seq' : 'map') : last;
      const parent = plain as Record<string | number, unknown>;
      let child = ownValue(parent, path[i]!);
      if (!(type === 'map' ? isPlainMap(child) : Array.isArray(child))) {
        if (child !== undefined && child !== null) throw this.shapeError(path.slice(0, i + 1), type);
        child = type === 'map' ? {} : [];
        parent[path[i]!] = child;
      }
      plain = child;
    }
    return plain;
  }

  /**
   * A node about to change that carries an anchor: every alias of it elsewhere first gets a
   * copy of the node as it is, so that those places keep their value.
   */
  private separate(node: unknown, path: FieldPath): void {
    const anchor = (node as { anchor?: string }).anchor;
    if (!anchor) return;
    const copies: { parent: YAMLMap | YAMLSeq; key: unknown }[] = [];
    visit(this.doc!, {
      Alias: (_key, alias, parents) => {
        if (alias.source !== anchor) return;
        const parent = parents[parents.length - 1];
        if (isPair(parent)) {
          const map = parents[parents.length - 2] as YAMLMap;
          copies.push({ parent: map, key: parent.key });
        } else if (isSeq(parent)) copies.push({ parent, key: parent.items.indexOf(alias) });
      },
    });
    for (const { parent, key } of copies) {
      const copy = (node as Node).clone() as Node & { anchor?: string };
      delete copy.anchor;
      (parent as YAMLMap).set(key, copy);
    }
    // The plain mirror shared the anchored value with its aliases: this place takes its own.
    if (copies.length > 0 && path.length > 0) {
      let plainParent: unknown = this.plain;
      for (const p of path.slice(0, -1)) plainParent = (plainParent as Record<string | number, unknown>)[p];
      const last = path[path.length - 1]!;
      (plainParent as Record<string | number, unknown>)[last] = structuredClone((plainParent as Record<string | number, unknown>)[last]);
    }
    delete (node as { anchor?: string }).anchor;
  }

  private shapeError(path: FieldPath, type: 'map' | 'seq'): PmcError {
    return new PmcError('PMC_MANIFEST_SHAPE', `${formatPath(path) || 'the document'} must be ${type === 'map' ? 'a map' : 'a list'}`, {
      location: { source: this.source, document: { index: this.index, kind: this.kind, name: this.name }, path: formatPath(path) },
    });
  }
}

/** A key's own value (never one Object.prototype lends: `toString` is a valid label key). */
function ownValue(v: unknown, key: string | number): unknown {
  return v !== null && typeof v === 'object' && Object.hasOwn(v, key) ? (v as Record<string | number, unknown>)[key] : undefined;
}

function isPlainMap(v: unknown): v is Record<string, unknown> {
  return v !== null && typeof v === 'object' && !Array.isArray(v);
}

function sameValue(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return false;
  return JSON.stringify(a) === JSON.stringify(b);
}
