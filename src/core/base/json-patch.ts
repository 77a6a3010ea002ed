/**
 * The JSON Patch (RFC 6902) that turns one JSON value into another: `add` for a key that
 * is new (with its whole subtree, so a parent always comes before its children), `remove`
 * for a key that is gone, `replace` for a changed scalar. A list is patched item by item
 * where its length is unchanged or it grew at the end (an append: each new item `add`ed at
 * its index), so items pmc did not touch are never written back, not even as the same
 * value (a `tolerationSeconds` beyond 2^53 that JSON.parse rounded stays as the API server
 * has it); any other list is replaced whole. Keys are own properties only: `toString` is a
 * valid label key. Path segments are escaped as RFC 6901 says: `~` as `~0`, `/` as `~1`
 * (`prometheus.io~1port`).
 */
export type PatchOperation = { op: 'add' | 'replace'; path: string; value: unknown } | { op: 'remove'; path: string };

export function escapePointer(segment: string): string {
  return segment.replace(/~/g, '~0').replace(/\//g, '~1');
}

const isMap = (v: unknown): v is Record<string, unknown> => v !== null && typeof v === 'object' && !Array.isArray(v);

export function jsonPatch(from: unknown, to: unknown, path = ''): PatchOperation[] {
  // One walk: each subtree is compared once, where it is (no deep equality first at every level).
  if (from === to) return [];
  if (Array.isArray(from) && Array.isArray(to)) {
    if (from.length <= to.length) {
      const items = from.flatMap((item, i) => jsonPatch(item, to[i], `${path}/${i}`));
      if (from.length === to.length) return items;
      if (items.length === 0) return to.slice(from.length).map((value, i) => ({ op: 'add' as const, path: `${path}/${from.length + i}`, value }));
    }
    return [{ op: 'replace', path, value: to }];
  }
  if (!isMap(from) || !isMap(to)) return [{ op: 'replace', path, value: to }];
  const ops: PatchOperation[] = [];
  for (const key of Object.keys(from)) if (!Object.hasOwn(to, key)) ops.push({ op: 'remove', path: `${path}/${escapePointer(key)}` });
  for (const [key, value] of Object.entries(to)) {
    const at = `${path}/${escapePointer(key)}`;
    if (!Object.hasOwn(from, key)) ops.push({ op: 'add', path: at, value });
    else ops.push(...jsonPatch(from[key], value, at));
  }
  return ops;
}
