/**
 * What Pulsar's Java code prints, reproduced where the rendered objects show it: Java's
 * Double.toString, String.hashCode and HashMap iteration order (which decides the order of
 * labels and of JSON built from a HashMap), and Math.round.
 */

/** Java's Double.toString: `1.0`, `0.769`, `0.6666666666666666`, `1.0E7`, `1.0E-4`. */
export function javaDouble(x: number): string {
  if (Number.isNaN(x)) return 'NaN';
  if (!Number.isFinite(x)) return x > 0 ? 'Infinity' : '-Infinity';
  if (x === 0) return Object.is(x, -0) ? '-0.0' : '0.0';
  const abs = Math.abs(x);
  if (abs >= 1e-3 && abs < 1e7) {
    const s = String(x);
    return s.includes('.') ? s : `${s}.0`;
  }
  // Computerized scientific notation: one digit before the point, at least one after.
  const [mantissa, exponent] = x.toExponential().split('e');
  return `${mantissa!.includes('.') ? mantissa : `${mantissa}.0`}E${Number(exponent)}`;
}

/** Java's Math.round on a double: the floor of x + 0.5. */
export function javaRound(x: number): number {
  return Math.floor(x + 0.5);
}

/** Java's String.hashCode: the 31-polynomial over UTF-16 units, wrapped to 32 bits. */
export function javaHashCode(s: string): number {
  let h = 0;
  for (let i = 0; i < s.length; i++) h = (Math.imul(31, h) + s.charCodeAt(i)) | 0;
  return h;
}

/**
 * The keys in java.util.HashMap iteration order, for a map filled in `keys` order: buckets
 * by `(h ^ (h >>> 16)) & (capacity - 1)`, insertion order inside a bucket; capacity 16, or,
 * for `new HashMap<>()` whose first fill is a `putAll` (or a copy) of m > 0 entries,
 * tableSizeFor(m / 0.75 + 1) (HashMap.putMapEntries sets the threshold before the table
 * exists, so 3 entries get 8 buckets, not 16); doubled whenever the size passes 0.75 x
 * capacity. Checked against Pulsar's SourceConfigUtils and FunctionConfigUtils by the oracle.
 */
export function hashMapOrder(keys: readonly string[], copyOf?: number): string[] {
  let capacity = 16;
  if (copyOf !== undefined && copyOf > 0) {
    const wanted = Math.max(1, Math.trunc(Math.fround(Math.fround(copyOf) / 0.75) + 1));
    capacity = 1;
    while (capacity < wanted) capacity *= 2;
  }
  const unique = [...new Set(keys)];
  while (unique.length > capacity * 0.75) capacity *= 2;
  const bucket = (k: string) => {
    const h = javaHashCode(k);
    return (h ^ (h >>> 16)) & (capacity - 1);
  };
  return unique
    .map((k, i) => ({ k, i, b: bucket(k) }))
    .sort((a, b) => a.b - b.b || a.i - b.i)
    .map((e) => e.k);
}
