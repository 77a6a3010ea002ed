/**
 * Where each character of a flow scalar's value sits in its source. A file held in a
 * ConfigMap's data is printed by kubectl as a double-quoted string whenever one of its lines
 * ends in spaces (`"a: 1  \nb: 2\n"`, folded at 80 columns, `\ ` for a leading space): a
 * message about a line of that file must point into the ConfigMap's own lines, which only
 * undoing the quoting character by character can tell. The rules are YAML 1.2's for
 * double-quoted, single-quoted and plain scalars (escapes, escaped line breaks, line folding):
 * https://yaml.org/spec/1.2.2/#73-flow-scalar-styles
 */

export type FlowStyle = 'QUOTE_DOUBLE' | 'QUOTE_SINGLE' | 'PLAIN';

const ESCAPES: Record<string, string> = {
  '0': '\0',
  a: '\x07',
  b: '\b',
  t: '\t',
  '\t': '\t',
  n: '\n',
  v: '\v',
  f: '\f',
  r: '\r',
  e: '\x1b',
  ' ': ' ',
  '"': '"',
  '/': '/',
  '\\': '\\',
  N: '\x85',
  _: '\xa0',
  L: '\u2028',
  P: '\u2029',
};
const HEX_DIGITS: Record<string, number> = { x: 2, u: 4, U: 8 };

/**
 * The value of the scalar written as `source` (with its quotes, when quoted) starting at
 * `start` in its file, and for each UTF-16 unit of the value the file offset it came from.
 * Undefined for what is not a well-formed scalar of that style.
 */
export function flowScalarOffsets(source: string, style: FlowStyle, start: number): { value: string; offsets: number[] } | undefined {
  const quoted = style !== 'PLAIN';
  const open = quoted ? 1 : 0;
  const close = quoted ? source.length - 1 : source.length;
  if (quoted && (source.length < 2 || source[0] !== source[close])) return undefined;
  let value = '';
  const offsets: number[] = [];
  // Whether each unit came as a literal space or tab: folding trims those before a line break.
  const literalBlank: boolean[] = [];
  const push = (text: string, at: number, blank = false) => {
    for (let k = 0; k < text.length; k++) {
      value += text[k];
      offsets.push(start + at);
      literalBlank.push(blank);
    }
  };
  const isBreak = (i: number) => source[i] === '\n' || (source[i] === '\r' && source[i + 1] === '\n');
  const breakLength = (i: number) => (source[i] === '\r' ? 2 : 1);
  const skipBlanks = (i: number) => {
    while (i < close && (source[i] === ' ' || source[i] === '\t')) i++;
    return i;
  };
  let i = open;
  while (i < close) {
    const c = source[i]!;
    if (style === 'QUOTE_DOUBLE' && c === '\\') {
      const n = source[i + 1];
      if (n === undefined) return undefined;
      if (isBreak(i + 1)) {
        // An escaped line break: the lines join with nothing between them.
        i = skipBlanks(i + 1 + breakLength(i + 1));
        continue;
      }
      const digits = HEX_DIGITS[n];
      if (digits !== undefined) {
        const hex = source.slice(i + 2, i + 2 + digits);
        if (!/^[0-9a-fA-F]+$/.test(hex) || hex.length !== digits) return undefined;
        push(String.fromCodePoint(Number.parseInt(hex, 16)), i);
        i += 2 + digits;
        continue;
      }
      const escaped = ESCAPES[n];
      if (escaped === undefined) return undefined;
      push(escaped, i);
      i += 2;
      continue;
    }
    if (style === 'QUOTE_SINGLE' && c === "'") {
      if (source[i + 1] !== "'") return undefined;
      push("'", i);
      i += 2;
      continue;
    }
    if (isBreak(i)) {
      // Line folding: blanks around the break go; one break is a space, n breaks n-1 newlines.
      while (literalBlank.length > 0 && literalBlank[literalBlank.length - 1]) {
        value = value.slice(0, -1);
        offsets.pop();
        literalBlank.pop();
      }
      const at = i;
      let breaks = 0;
      while (i < close && isBreak(i)) {
        breaks++;
        i = skipBlanks(i + breakLength(i));
      }
      push(breaks === 1 ? ' ' : '\n'.repeat(breaks - 1), at);
      continue;
    }
    push(c, i, c === ' ' || c === '\t');
    i++;
  }
  return { value, offsets };
}
