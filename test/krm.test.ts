// The KRM transform as a core function on a ResourceList, with no CLI and no I/O.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { PmcError } from '../src/core/base/diagnostics.js';
import { printResourceList, readResourceList, resultOf, transformResourceList } from '../src/core/faces/krm.js';
import { settingsFrom } from '../src/core/customize/settings.js';

const fixtures = join(import.meta.dirname, '..', 'fixtures', 'krm');
const text = readFileSync(join(fixtures, 'resource-list.yaml'), 'utf8');
const settings = (options: string, customizer: 'security-context' | 'basic' = 'security-context') =>
  settingsFrom({ customizer, options: { text: options, source: 'test' }, identity: { tenant: 'public', namespace: 'default', name: 'my-function' } }).settings;

describe('transformResourceList', () => {
  it('edits the items in place and keeps every orchestrator annotation', () => {
    const list = readResourceList(text, 'test');
    const warnings = transformResourceList(list, settings('{"extraLabels": {"team": "data"}}'));
    expect(warnings).toEqual([]);
    const out = printResourceList(list, []);
    expect(out.match(/team: data\n/g)?.length).toBe(3); // the Service, the StatefulSet and its pod template
    expect(out).toContain('config.kubernetes.io/path: pulsar-function.yaml');
    expect(out).not.toContain('results:');
  });

  it('a failed Pod Security check leaves the items as they came', () => {
    const list = readResourceList(text, 'test');
    const before = printResourceList(readResourceList(text, 'test'), []);
    expect(() => transformResourceList(list, settings('{"extraLabels": {"team": "data"}}'), { checkPss: { level: 'restricted', minor: 'latest' } })).toThrow(PmcError);
    expect(printResourceList(list, [])).toBe(before);
  });

  it('a warning becomes a result pointing at nothing in particular; an error at its item and field', () => {
    const list = readResourceList(text, 'test');
    const warnings = transformResourceList(list, settings('{"securityContext": {"runAsUser": 1}}', 'basic'));
    expect(warnings.map((w) => resultOf(w, list.plainItems))).toEqual([
      expect.objectContaining({ severity: 'warning', tags: { code: 'PMC_SECURITY_CONTEXT_IGNORED' } }),
    ]);
    const result = resultOf(
      { severity: 'error', code: 'PMC_SCHEMA', message: 'bad', location: { document: { index: 2, kind: 'StatefulSet' }, path: 'spec.replicas' } },
      list.plainItems,
    );
    expect(result).toEqual({ message: 'bad', severity: 'error', tags: { code: 'PMC_SCHEMA' }, field: { path: 'spec.replicas' }, resourceRef: expect.objectContaining({ kind: 'StatefulSet', apiVersion: 'apps/v1' }) });
  });

  it('refuses what is not a ResourceList', () => {
    expect(() => readResourceList('apiVersion: v1\nkind: List\nitems: []\n', 'test')).toThrow(/expected a ResourceList/);
  });
});
