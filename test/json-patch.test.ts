// pmc's JSON Patch against a strict RFC 6902 implementation (fast-json-patch, validating each
// operation): for random JSON values, the patch applies without error and gives the target;
// a list that grew at the end is patched with adds; what is equal yields no operation.
import fc from 'fast-check';
import { applyPatch, validate, type Operation } from 'fast-json-patch';
import { describe, expect, it } from 'vitest';
import { runs } from './support/runs.js';
import { jsonPatch } from '../src/core/base/json-patch.js';

const key = fc.oneof(fc.constantFrom('toString', 'valueOf', 'a/b', 'c~d', 'hasOwnProperty', ''), fc.string({ maxLength: 6 }));
const json = fc.letrec((tie) => ({
  value: fc.oneof({ depthSize: 'small' }, fc.oneof(fc.integer(), fc.string({ maxLength: 5 }), fc.boolean(), fc.constant(null)), tie('list'), tie('map')),
  list: fc.array(tie('value'), { maxLength: 4 }),
  map: fc.dictionary(key, tie('value'), { maxKeys: 4 }).map((d) => Object.fromEntries(Object.entries(d))),
})).value;

describe('jsonPatch', () => {
  it('applies under strict RFC 6902 and gives the target, for random values', () => {
    fc.assert(
      fc.property(json, json, (from, to) => {
        const wrap = (v: unknown) => ({ root: v });
        const patch = jsonPatch(wrap(from), wrap(to)) as Operation[];
        expect(validate(patch, structuredClone(wrap(from)))).toBeUndefined();
        expect(applyPatch(structuredClone(wrap(from)), patch, true, false).newDocument).toEqual(wrap(to));
      }),
      { numRuns: runs(2000), seed: 20261204 },
    );
  });

  it('a list that grew at the end gets adds at the new indexes; an equal value no operation', () => {
    const from = { l: [{ a: 1 }, { b: 2 }] };
    expect(jsonPatch(from, { l: [{ a: 1 }, { b: 2 }, { c: 3 }] })).toEqual([{ op: 'add', path: '/l/2', value: { c: 3 } }]);
    expect(jsonPatch(from, structuredClone(from))).toEqual([]);
    expect(jsonPatch(from, { l: [{ a: 9 }, { b: 2 }, { c: 3 }] })).toEqual([{ op: 'replace', path: '/l', value: [{ a: 9 }, { b: 2 }, { c: 3 }] }]);
  });
});
