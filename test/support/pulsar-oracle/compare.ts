// Comparing pmc's objects with Pulsar's as data. What the API server stores alike is treated
// alike: an empty collection and an absent one (client-java 19+ initialises every collection,
// 23.0.0 prints them), and a quantity and its canonical form (client-java prints `1` for
// `1000m`). Everything else must be equal, the instance command line to the character.

export interface Difference {
  path: string;
  pmc: unknown;
  pulsar: unknown;
}

const isMap = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

const BINARY: Record<string, bigint> = { Ki: 1n << 10n, Mi: 1n << 20n, Gi: 1n << 30n, Ti: 1n << 40n, Pi: 1n << 50n, Ei: 1n << 60n };
const DECIMAL: Record<string, number> = { n: -9, u: -6, m: -3, '': 0, k: 3, M: 6, G: 9, T: 12, P: 15, E: 18 };

/** A quantity's value in billionths (the API server's finest unit), as text: `1000m`, `1` and `1e0` alike. */
export function quantityValue(v: unknown): unknown {
  if (typeof v !== 'string' && typeof v !== 'number') return v;
  const m = /^([+-]?)(\d*)(?:\.(\d*))?(?:([eE])([+-]?\d+)|(Ki|Mi|Gi|Ti|Pi|Ei|n|u|m|k|M|G|T|P|E))?$/.exec(String(v));
  if (!m || (m[2] === '' && !m[3])) return v;
  const [, sign, whole, fraction = '', , exp, suffix = ''] = m;
  let value = BigInt((whole || '0') + fraction) * 10n ** 9n;
  let scale = -fraction.length + (exp !== undefined ? Number(exp) : (DECIMAL[suffix] ?? 0));
  if (BINARY[suffix]) value *= BINARY[suffix];
  for (; scale > 0; scale--) value *= 10n;
  for (; scale < 0; scale++) value /= 10n;
  return `${sign === '-' ? '-' : ''}${value}n`;
}

/** Drops empty and absent alike; quantities in canonical form. */
export function normalize(v: unknown, path: string[] = []): unknown {
  if (Array.isArray(v)) {
    const items = v.map((x, i) => normalize(x, [...path, String(i)]));
    return items.length === 0 ? undefined : items;
  }
  if (isMap(v)) {
    const parent = path[path.length - 1];
    const inResources = (parent === 'limits' || parent === 'requests') && path[path.length - 2] === 'resources';
    const out: Record<string, unknown> = {};
    for (const [k, x] of Object.entries(v)) {
      const n = inResources ? quantityValue(x) : normalize(x, [...path, k]);
      if (n !== undefined && n !== null) out[k] = n;
    }
    return Object.keys(out).length === 0 ? undefined : out;
  }
  return v === null ? undefined : v;
}

const segment = (k: string) => (/^[A-Za-z_][A-Za-z0-9_]*$/.test(k) ? `.${k}` : `[${JSON.stringify(k)}]`);

/** Every place where the two differ, as JSON paths (`$.spec.template...`). */
export function differences(pmc: unknown, pulsar: unknown, path = '$'): Difference[] {
  return diff(normalize(pmc), normalize(pulsar), path);
}

function diff(a: unknown, b: unknown, path: string): Difference[] {
  if (Array.isArray(a) && Array.isArray(b)) {
    const out: Difference[] = [];
    for (let i = 0; i < Math.max(a.length, b.length); i++) out.push(...diff(a[i], b[i], `${path}[${i}]`));
    return out;
  }
  if (isMap(a) && isMap(b)) {
    const out: Difference[] = [];
    for (const k of new Set([...Object.keys(a), ...Object.keys(b)])) out.push(...diff(a[k], b[k], path + segment(k)));
    return out;
  }
  return Object.is(a, b) ? [] : [{ path, pmc: a, pulsar: b }];
}
