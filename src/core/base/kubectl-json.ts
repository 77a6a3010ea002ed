/** kubectl's JSON printing, apart so that the core's customize and the output both use it. */
/**
 * JSON as kubectl prints it (Go's json.MarshalIndent with four spaces): keys in their order,
 * and `<`, `>`, `&`, U+2028 and U+2029 escaped as Go escapes them.
 */
export function kubectlJson(value: unknown): string {
  const escapes: Record<string, string> = { '<': '\\u003c', '>': '\\u003e', '&': '\\u0026', '\u2028': '\\u2028', '\u2029': '\\u2029' };
  return `${JSON.stringify(value, null, 4).replace(/[<>&\u2028\u2029]/g, (c) => escapes[c]!)}\n`;
}

