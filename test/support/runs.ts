/**
 * Property-test run counts: each property's own by default (the full tier), or every property
 * PMC_PROPERTY_RUNS times (the quick tier sets a few dozen; a soak run, thousands).
 */
export function runs(fallback: number): number {
  const n = Number(process.env.PMC_PROPERTY_RUNS);
  return Number.isInteger(n) && n > 0 ? n : fallback;
}
