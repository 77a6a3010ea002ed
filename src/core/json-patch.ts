/**
 * The JSON Patch (RFC 6902) that turns one JSON value into another: `add` for a key that
 * is new (with its whole subtree, so a parent always comes before its children), `remove`
 * for a key that is gone, `replace` for a changed scalar; a list of the same length is
 * patched item by item (position is its items' identity), a list whose length changed is
 * replaced whole (a list that grew by an append, say). Path segments are
 * escaped as RFC 6901 says: `~` as `~0`, `/` as `~1` (`prometheus.io~1port`).
 */
export type PatchOperation = { op: 'add' | 'replace'; path: string; value: unknown } | { op: 'remove'; path: string };

export function escapePointer(segment: string): string {
  return segment.replace(/~/g, '~0').replace(/\//g, '~1');
}

const isMap = (v: unknown): v is Record<string, unknown> => v !== null && typeof v === 'object' && !Array.isArray(v);

function equal(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (Array.isArray(a) && Array.isArray(b)) return a.length === b.length && a.every((x, i) => equal(x, b[i]));
  if (isMap(a) && isMap(b)) {
    const ka = Object.keys(a);
    return ka.length === Object.keys(b).length && ka.every((k) => k in b && equal(a[k], b[k]));
  }
  return false;
}

export function jsonPatch(from: unknown, to: unknown, path = ''): PatchOperation[] {
  if (equal(from, to)) return [];
  if (Array.isArray(from) && Array.isArray(to) && from.length === to.length) return from.flatMap((item, i) => jsonPatch(item, to[i], `${path}/${i}`));
  if (!isMap(from) || !isMap(to)) return [{ op: 'replace', path, value: to }];
  const ops: PatchOperation[] = [];
  for (const key of Object.keys(from)) if (!(key in to)) ops.push({ op: 'remove', path: `${path}/${escapePointer(key)}` });
  for (const [key, value] of Object.entries(to)) {
    const at = `${path}/${escapePointer(key)}`;
    if (!(key in from)) ops.push({ op: 'add', path: at, value });
    else ops.push(...jsonPatch(from[key], value, at));
  }
  return ops;
}
