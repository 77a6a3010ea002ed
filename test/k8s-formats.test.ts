// src/cli/k8s-formats.ts stands in for @kubernetes-models/validate in the bundle, with only
// the formats the StatefulSet and Service schemas use. This keeps it honest: every format
// the bundled schemas call is there, and each agrees with the library's own.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { formats as library } from '@kubernetes-models/validate';
import { describe, expect, it } from 'vitest';
import { formats as ours } from '../src/cli/k8s-formats.js';

const root = join(import.meta.dirname, '..');
const meta = JSON.parse(readFileSync(join(root, 'dist', 'meta.json'), 'utf8')) as { inputs: Record<string, unknown> };

/** The formats the schema files in the bundle call (`formats.int32`, `formats["date-time"]`). */
function formatsCalledByBundledSchemas(): Set<string> {
  const called = new Set<string>();
  const schemas = Object.keys(meta.inputs).filter((p) => p.includes('/_schemas/'));
  expect(schemas.length).toBeGreaterThan(20);
  for (const p of schemas) {
    for (const m of readFileSync(join(root, p), 'utf8').matchAll(/formats(?:\.(\w+)|\["([^"]+)"\])/g)) called.add(m[1] ?? m[2]!);
  }
  return called;
}

type Format = RegExp | ((v: unknown) => boolean) | { validate: RegExp | ((v: unknown) => boolean) };
function accepts(format: Format, value: unknown): boolean {
  if (format instanceof RegExp) return format.test(String(value));
  if (typeof format === 'function') return format(value);
  return accepts(format.validate, value);
}

const samples: Record<string, unknown[]> = {
  'date-time': ['2026-11-25T13:30:00Z', '2026-11-25T13:30:00.123+01:00', '2026-11-25', 'yesterday', '2026-13-01T00:00:00Z'],
  int32: [0, 1, -1, 2147483647, 2147483648, -2147483649, 1.5],
  int64: [0, 9007199254740991, -5, 1.5],
  quantity: ['1', '500m', '1Gi', '4G', '1.5', '.5', '1e3', '+1', '1Gb', 'lots', '', '1 Gi'],
};

describe('k8s-formats: the bundle validates formats as kubernetes-models does', () => {
  it('has every format the bundled schemas call, and no other', () => {
    expect(Object.keys(ours).sort()).toEqual([...formatsCalledByBundledSchemas()].sort());
  });

  it.each(Object.keys(samples))('%s agrees with @kubernetes-models/validate', (name) => {
    const mine = ours[name as keyof typeof ours] as Format;
    const theirs = (library as Record<string, Format>)[name]!;
    for (const value of samples[name]!) expect([value, accepts(mine, value)]).toEqual([value, accepts(theirs, value)]);
  });

  it('refuses what a quantity is not', () => {
    expect(accepts(ours.quantity as Format, '1Gb')).toBe(false);
    expect(accepts(ours.quantity as Format, '1Gi')).toBe(true);
  });
});
