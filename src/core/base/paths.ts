/**
 * Paths into data, one module for every use: a path is the keys and indexes from the root
 * (`['metadata', 'labels', 'app.kubernetes.io/name']`), written for people by one quoting rule
 * (`metadata.labels["app.kubernetes.io/name"]`, `spec.containers[0].name`) in messages, in
 * explain's fields and options, and in KRM results; read from and written as a JSON Pointer
 * (RFC 6901, the API server's and JSON Patch's form).
 */
export type PathPart = string | number;

/** A key written bare after a dot: a word of letters, digits, `_` and `-`, not led by a digit. */
const BARE = /^[A-Za-z_][\w-]*$/;

/** The path as people read it, after `root` when given: `root.key`, `root["a.b"]`, `root[3]`. */
export function formatPath(path: readonly PathPart[], root = ''): string {
  let out = root;
  for (const p of path) {
    if (typeof p === 'number') out += `[${p}]`;
    else if (BARE.test(p)) out += out ? `.${p}` : p;
    else out += `[${JSON.stringify(p)}]`;
  }
  return out;
}

/** `/spec/template/spec/containers/3/name` -> `['spec', 'template', 'spec', 'containers', 3, 'name']`. */
export function pathFromPointer(pointer: string): PathPart[] {
  return pointer
    .split('/')
    .slice(1)
    .map((s) => s.replace(/~1/g, '/').replace(/~0/g, '~'))
    .map((s) => (/^\d+$/.test(s) ? Number(s) : s));
}

/** The path as a JSON Pointer. */
export function toPointer(path: readonly PathPart[]): string {
  return path.map((p) => `/${String(p).replace(/~/g, '~0').replace(/\//g, '~1')}`).join('');
}

/** The value at `path`, or undefined where the data has none. */
export function valueAt(value: unknown, path: readonly PathPart[]): unknown {
  let v = value;
  for (const p of path) v = v !== null && typeof v === 'object' ? (v as Record<PathPart, unknown>)[p] : undefined;
  return v;
}
