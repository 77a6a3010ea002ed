// flowScalarOffsets undoes YAML's flow quoting character by character: for any string the
// yaml library writes double-quoted, single-quoted or plain (folded at a short width), the
// value comes back exactly, and every character that is not an escape sits at its own offset.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { runs } from './support/runs.js';
import { parseDocument, Scalar, stringify } from 'yaml';
import { flowScalarOffsets, type FlowStyle } from '../src/core/base/scalar-offsets.js';

const text = fc.array(fc.oneof(fc.constantFrom(' ', '  ', '\n', '\t', '"', "'", '\\', ':', '#', 'é', '😀', '\r'), fc.string({ maxLength: 12 })), { maxLength: 30 }).map((parts) => parts.join(''));

function written(value: string, style: FlowStyle): { source: string; start: number; parsed: string } | undefined {
  const node = new Scalar(value);
  node.type = style;
  const yaml = stringify({ k: node }, { lineWidth: 24, minContentWidth: 0 });
  const doc = parseDocument(yaml);
  const v = doc.get('k', true) as Scalar<string> | undefined;
  if (!v || v.type !== style || typeof v.value !== 'string' || !v.range) return undefined;
  return { source: yaml.slice(v.range[0], v.range[1]), start: v.range[0], parsed: v.value };
}

describe('flowScalarOffsets', () => {
  it.each(['QUOTE_DOUBLE', 'QUOTE_SINGLE', 'PLAIN'] as const)('%s: the value as yaml reads it, each plain character at its offset', (style) => {
    fc.assert(
      fc.property(text, (value) => {
        const w = written(value, style);
        if (!w) return;
        const r = flowScalarOffsets(w.source, style, w.start);
        expect(r?.value).toBe(w.parsed);
        const full = ' '.repeat(w.start) + w.source;
        r!.offsets.forEach((off, i) => {
          const ch = r!.value[i]!;
          if (/[A-Za-z0-9:#]/.test(ch)) expect(full[off]).toBe(ch);
        });
      }),
      { numRuns: runs(400), seed: 20261204 },
    );
  });

  it("kubectl's folding: an escaped leading space and an escaped line break", () => {
    const source = '"a  \\n\n    \\  b\\\n    c"';
    const r = flowScalarOffsets(source, 'QUOTE_DOUBLE', 0)!;
    expect(r.value).toBe('a  \n   bc');
    expect(source[r.offsets[r.value.indexOf('b')]!]).toBe('b');
    expect(source[r.offsets[r.value.indexOf('c')]!]).toBe('c');
  });

  it('what is not such a scalar is undefined, never a guess', () => {
    expect(flowScalarOffsets('"a\\qb"', 'QUOTE_DOUBLE', 0)).toBeUndefined();
    expect(flowScalarOffsets('"a\\x4"', 'QUOTE_DOUBLE', 0)).toBeUndefined();
    expect(flowScalarOffsets("'a'b'", 'QUOTE_SINGLE', 0)).toBeUndefined();
  });
});
