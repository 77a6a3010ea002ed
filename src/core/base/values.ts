/** Guards for values read from YAML and JSON, which may have any shape. */
export type Obj = Record<string, any>;

/** A mapping: not null, not an array. */
export function isObject(v: unknown): v is Obj {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** The items of a `kind: List` as plain data (kubectl's `v1` List, or any `*List`); undefined for anything else. */
export function listItemsOf(v: unknown): unknown[] | undefined {
  return isObject(v) && typeof v.kind === 'string' && v.kind.endsWith('List') && Array.isArray(v.items) ? v.items : undefined;
}

/** The array itself, or an empty one in place of anything else. */
export function asArray(v: unknown): any[] {
  return Array.isArray(v) ? v : [];
}

/**
 * A key that could reach Object.prototype in a later consumer of the data: `__proto__`
 * anywhere, `constructor` and `prototype` when they hold an object. The one rule for
 * manifests, options and config files (a label or a ConfigMap key named "constructor" with a
 * string value is data like any other).
 */
export function isForbiddenKey(key: string, value: unknown): boolean {
  return key === '__proto__' || ((key === 'constructor' || key === 'prototype') && typeof value === 'object' && value !== null);
}

/**
 * A copy of a string that shares no memory with the text it was cut from. V8 keeps a
 * substring of 13 characters or more as a view into its parent, so a name read from a
 * document and kept after it (a streamed run's duplicate keys) would keep the whole
 * document's text alive; structuredClone makes a string of its own (measured: 50 substrings of
 * 2 MB texts kept 103 MB alive, their clones 5 MB).
 */
export function detached(s: string): string {
  return structuredClone(s);
}
