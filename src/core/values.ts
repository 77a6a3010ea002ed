/** Guards for values read from YAML and JSON, which may have any shape. */
export type Obj = Record<string, any>;

/** A mapping: not null, not an array. */
export function isObject(v: unknown): v is Obj {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** The array itself, or an empty one in place of anything else. */
export function asArray(v: unknown): any[] {
  return Array.isArray(v) ? v : [];
}
