// The option registry: its invariants, the generic applier and the special cases at core
// level (no CLI), and the proof that adding an option is one entry in the registry.
import { cpSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { build } from 'esbuild';
import { afterAll, describe, expect, it } from 'vitest';
import { parseAllDocuments, parseDocument } from 'yaml';
import { applyOptions, expandTarget } from '../src/core/options/apply.js';
import { DiagnosticSink, ERROR_CODES } from '../src/core/base/diagnostics.js';
import { DocumentEditor } from '../src/core/base/edit.js';
import { entryOf, OPTION_KEYS, OPTIONS, WRITE_ORDER, type RuntimeOpts } from '../src/core/options/registry.js';
import { applicableOptions, checkOptions } from '../src/core/customize/resolve.js';
import { loadSchemaValidator } from '../src/cli/schema.js';
import { pulsarFunctionManifests } from './support/pulsar-generated.mjs';
import type { Main } from './support/main-type.js';

const root = join(import.meta.dirname, '..');
const fn = pulsarFunctionManifests({ tenant: 'public', namespace: 'default', name: 'f' });
const [serviceText, stsText] = fn.split(/^---\n/m).filter((d: string) => d.includes('kind:'));

function editorFor(kind: 'StatefulSet' | 'Service') {
  const doc = parseDocument(kind === 'StatefulSet' ? stsText : serviceText);
  const plain = doc.toJS() as Record<string, any>;
  return { editor: new DocumentEditor(doc, plain, 0, kind, plain.metadata.name, 'test'), plain };
}

/** The fields of a class in the Gson oracle, which mirrors Pulsar's and the extension's options classes. */
function javaFields(className: string): string[] {
  const java = readFileSync(join(root, 'test', 'support', 'gson', 'GsonOracle.java'), 'utf8');
  const body = new RegExp(`static class ${className}[^{]*\\{([^}]*)\\}`).exec(java)![1]!;
  return [...body.matchAll(/^\s+[\w<>, [\]]+\s+(\w+);/gm)].map((m) => m[1]!);
}

describe('registry invariants', () => {
  const readBy = (c: 'basic' | 'security-context' | 'pod-policy') => OPTION_KEYS.filter((k) => entryOf(k).customizers.includes(c));

  it("has exactly Pulsar's RuntimeOpts fields and the extension's securityContext, in Pulsar's order, then pmc's pod-policy options", () => {
    // BasicKubernetesManifestCustomizer.RuntimeOpts, mirrored field for field in the Gson oracle.
    const pulsar = [...javaFields('RuntimeOpts'), ...javaFields('ExtendedRuntimeOpts')];
    expect(OPTION_KEYS.slice(0, pulsar.length)).toEqual(pulsar);
    // The rest are pmc's own, read by its pod-policy customizer alone: no class of Pulsar's knows them.
    expect(OPTION_KEYS.slice(pulsar.length).every((k) => entryOf(k).customizers.join() === 'pod-policy')).toBe(true);
  });

  it("the customizer filter matches Pulsar's classes: Basic reads RuntimeOpts, the extension adds securityContext, pod-policy reads every option", () => {
    expect(readBy('basic')).toEqual(javaFields('RuntimeOpts'));
    expect(readBy('security-context')).toEqual([...javaFields('RuntimeOpts'), ...javaFields('ExtendedRuntimeOpts')]);
    expect(readBy('pod-policy')).toEqual(OPTION_KEYS);
  });

  it('every entry has a schema, a merge rule, a writer and at least one target, each target at a site in WRITE_ORDER', () => {
    for (const key of OPTION_KEYS) {
      const e = entryOf(key);
      expect(e.spec.t, key).toBeTruthy();
      expect(typeof e.merge, key).toBe('function');
      expect(typeof e.write, key).toBe('function');
      // A setting (allowedFunctionOptions) says what a function may set; it writes nothing.
      if (e.setting) expect(e.targets, key).toEqual([]);
      else expect(e.targets.length, key).toBeGreaterThan(0);
      for (const t of e.targets) expect(WRITE_ORDER, `${key} -> ${t.kind} ${t.path}`).toContain(t.path);
    }
  });

  it("every target is a path the Kubernetes schema of its kind has: writing there gives a valid object", async () => {
    const schema = await loadSchemaValidator();
    const sample: RuntimeOpts = {
      jobNamespace: 'ns',
      extraLabels: { team: 'data' },
      extraAnnotations: { note: 'x' },
      nodeSelectorLabels: { disk: 'ssd' },
      resourceRequirements: { limits: { cpu: '2', memory: '1Gi' } },
      tolerations: [{ key: 'k', operator: 'Exists', effect: 'NoSchedule' }],
      securityContext: { preset: 'restricted', readOnlyRootFilesystem: true, seLinuxType: 'container_t', addCapabilities: ['NET_BIND_SERVICE'] },
    };
    for (const kind of ['StatefulSet', 'Service'] as const) {
      const { editor, plain } = editorFor(kind);
      applyOptions(editor, kind, sample, { workloadName: 'renamed-1a2b3c4d', sink: new DiagnosticSink(), where: {} });
      const written = new Set(editor.changes.map((c) => c.path.filter((p) => typeof p === 'string').slice(0, 5).join('.')));
      expect(written.size).toBeGreaterThan(0);
      expect(schema(kind, plain)).toEqual([]);
    }
  });

  it('each option key is named in at most two files under src/ (Kubernetes field paths aside)', () => {
    const files: string[] = [];
    const walk = (d: string) => {
      for (const e of readdirSync(d, { withFileTypes: true })) e.isDirectory() ? walk(join(d, e.name)) : files.push(join(d, e.name));
    };
    walk(join(root, 'src'));
    // render/ is not about options: it writes Pulsar's objects as Kubernetes field literals
    // (tolerations: ...) and reads functionRuntimeFactoryConfigs, whose jobName and
    // jobNamespace are the KubernetesRuntimeFactory's own settings.
    const render = join('src', 'core', 'render');
    // The Helm chart's values.yaml keys (affinity, volumes, ...): the chart's words, not options.
    const helmValues = join('src', 'core', 'input', 'helm-values.ts');
    for (const key of OPTION_KEYS) {
      // `spec.securityContext`, `/tolerations/0`: Kubernetes' fields of the same name, not the option.
      const named = new RegExp(`(?<![./\\w])${key}(?![./\\w])`);
      const where = files
        .filter((f) => !f.includes(render) && !f.endsWith(helmValues))
        .filter((f) => named.test(readFileSync(f, 'utf8')))
        .map((f) => f.slice(root.length + 1));
      expect(where.length, `${key}: ${where.join(', ')}`).toBeLessThanOrEqual(2);
      expect(where).toContain('src/core/options/registry.ts');
    }
  });

  it('every code is in the closed list once, and the README lists each', () => {
    expect(new Set(ERROR_CODES).size).toBe(ERROR_CODES.length);
    const readme = readFileSync(join(root, 'README.md'), 'utf8');
    const table = readme.slice(readme.indexOf('| code | what |'));
    for (const code of ERROR_CODES) expect(table, code).toContain(`\`${code}\``);
    const documented = new Set(table.slice(0, table.indexOf('\n\n')).match(/PMC_[A-Z_]+/g));
    expect([...documented].filter((c) => !(ERROR_CODES as readonly string[]).includes(c))).toEqual([]);
  });
});

describe('the generic applier', () => {
  it('expands [] into each item of a list', () => {
    const { editor } = editorFor('StatefulSet');
    expect(expandTarget('spec.template.spec.containers[].resources', editor)).toEqual([['spec', 'template', 'spec', 'containers', 0, 'resources']]);
    expect(expandTarget('metadata.labels', editor)).toEqual([['metadata', 'labels']]);
  });

  it('writes a map option at every target of the kind, in WRITE_ORDER, with its provenance as data', () => {
    const { editor } = editorFor('StatefulSet');
    applyOptions(editor, 'StatefulSet', { extraAnnotations: { a: '1' }, extraLabels: { team: 'data' } }, { sink: new DiagnosticSink(), where: {} });
    expect(editor.changes.map((c) => [c.path.join('.'), c.optionRef.path])).toEqual([
      ['metadata.labels.team', ['extraLabels', 'team']],
      ['metadata.annotations.a', ['extraAnnotations', 'a']],
      ['spec.template.metadata.labels.team', ['extraLabels', 'team']],
      ['spec.template.metadata.annotations.a', ['extraAnnotations', 'a']],
    ]);
  });

  it('a Service gets only what targets Services', () => {
    const { editor } = editorFor('Service');
    applyOptions(editor, 'Service', { extraLabels: { team: 'data' }, nodeSelectorLabels: { disk: 'ssd' }, tolerations: [{ key: 'k', operator: 'Exists' }] }, { sink: new DiagnosticSink(), where: {} });
    expect(editor.changes.map((c) => c.path.join('.'))).toEqual(['metadata.labels.team']);
  });

  it('appends list items after what is there, each with its index in the merged list', () => {
    const { editor, plain } = editorFor('StatefulSet');
    const before = plain.spec.template.spec.tolerations.length;
    applyOptions(editor, 'StatefulSet', { tolerations: [{ key: 'a', operator: 'Exists' }, { key: 'b', operator: 'Exists' }] }, { sink: new DiagnosticSink(), where: {} });
    expect(editor.changes.map((c) => [c.path.at(-1), c.option])).toEqual([
      [before, 'tolerations[0]'],
      [before + 1, 'tolerations[1]'],
    ]);
  });
});

describe('the special cases', () => {
  it('job name: the name written is the computed one, never the option value', () => {
    const { editor } = editorFor('StatefulSet');
    applyOptions(editor, 'StatefulSet', { jobName: 'My Job' }, { workloadName: 'my-job-1a2b3c4d', sink: new DiagnosticSink(), where: {} });
    expect(editor.changes.map((c) => [c.path.join('.'), c.after])).toEqual([
      ['metadata.name', 'my-job-1a2b3c4d'],
      ['spec.serviceName', 'my-job-1a2b3c4d'],
    ]);
  });

  it('resources: cpu and memory only, limits then requests', () => {
    const { editor } = editorFor('StatefulSet');
    applyOptions(editor, 'StatefulSet', { resourceRequirements: { limits: { cpu: '2', 'nvidia.com/gpu': '1' }, requests: { memory: '1Gi', 'ephemeral-storage': '1Gi' } } }, { sink: new DiagnosticSink(), where: {} });
    expect(editor.changes.map((c) => c.option)).toEqual(['resourceRequirements.limits.cpu', 'resourceRequirements.requests.memory']);
  });

  it('securityContext: flat options become seLinuxOptions and capabilities, with the fields that made them', () => {
    const { editor } = editorFor('StatefulSet');
    applyOptions(editor, 'StatefulSet', { securityContext: { runAsUser: 1000, seLinuxType: 'container_t', seLinuxLevel: 's0', dropCapabilities: ['ALL'] } }, { sink: new DiagnosticSink(), where: {} });
    const byPath = Object.fromEntries(editor.changes.map((c) => [c.path.join('.'), c]));
    expect(byPath['spec.template.spec.securityContext.runAsUser']!.after).toBe(1000);
    expect(byPath['spec.template.spec.containers.0.securityContext.seLinuxOptions']!.after).toEqual({ level: 's0', type: 'container_t' });
    expect(byPath['spec.template.spec.containers.0.securityContext.seLinuxOptions']!.optionRef.sources).toEqual([
      ['securityContext', 'seLinuxLevel'],
      ['securityContext', 'seLinuxType'],
    ]);
    expect(byPath['spec.template.spec.containers.0.securityContext.capabilities']!.after).toEqual({ drop: ['ALL'] });
  });

  it('writable directories: only a preset with readOnlyRootFilesystem adds them', () => {
    for (const [sc, volumes] of [
      [{ readOnlyRootFilesystem: true }, 0],
      [{ preset: 'restricted', readOnlyRootFilesystem: true }, 3],
    ] as const) {
      const { editor } = editorFor('StatefulSet');
      applyOptions(editor, 'StatefulSet', { securityContext: { ...sc } }, { sink: new DiagnosticSink(), where: {} });
      expect(editor.changes.filter((c) => c.path.join('.').startsWith('spec.template.spec.volumes.')).length, JSON.stringify(sc)).toBe(volumes);
    }
  });

  it('selector protection: an extra label may not replace one the selector needs', () => {
    const sink = new DiagnosticSink();
    const sts = parseDocument(stsText).toJS();
    checkOptions({ extraLabels: { component: 'other', team: 'x' } }, {}, { source: 'test' }, sink, sts);
    expect(sink.errors.map((e) => [e.code, e.location?.path])).toEqual([['PMC_SELECTOR_MISMATCH', 'runtimeCustomizerConfig.extraLabels.component']]);
  });

  it("the customizer filter: Basic drops securityContext with the warning Pulsar's silence deserves", () => {
    const sink = new DiagnosticSink();
    expect(applicableOptions({ extraLabels: { a: 'b' }, securityContext: { runAsUser: 1 } }, 'basic', sink, { source: 'x' })).toEqual({ extraLabels: { a: 'b' } });
    expect(sink.warnings.map((w) => w.code)).toEqual(['PMC_SECURITY_CONTEXT_IGNORED']);
    expect(applicableOptions({ extraLabels: { a: 'b' } }, 'none', new DiagnosticSink(), {})).toEqual({});
  });
});

describe('adding an option is one registry entry', () => {
  const work = mkdtempSync(join(tmpdir(), 'pmc-registry-'));
  afterAll(() => rmSync(work, { recursive: true, force: true }));

  it('exampleHostname (an option no one will add: the pods of a StatefulSet take their hostname from their name), added to registry.ts alone, is read, merged, applied by the extension only, checked and explained', async () => {
    cpSync(join(root, 'src'), join(work, 'src'), { recursive: true });
    const registry = join(work, 'src', 'core', 'options', 'registry.ts');
    let text = readFileSync(registry, 'utf8');
    const entry = `
  exampleHostname: option<string>({
    about: "the pods' hostname (a test's option)",
    spec: str,
    merge: firstNonEmpty,
    customizers: ['security-context'],
    targets: [{ kind: 'StatefulSet', path: \`\${POD_SPEC}.hostname\` }],
    write: setValue,
    check: (value, { at, sink }) => {
      if (!/^[a-z0-9]([-a-z0-9.]*[a-z0-9])?$/.test(value)) sink.error('PMC_NAME', \`"\${value}" is not a valid hostname\`, at([]));
    },
  }),
};

export type OptionKey`;
    expect(text).toContain('\n};\n\nexport type OptionKey');
    text = text.replace('\n};\n\nexport type OptionKey', entry).replace("  `${POD_SPEC}.volumes`,\n", "  `${POD_SPEC}.volumes`,\n  `${POD_SPEC}.hostname`,\n");
    writeFileSync(registry, text);
    await build({
      entryPoints: [join(work, 'src', 'cli', 'main.ts')],
      bundle: true,
      platform: 'node',
      format: 'cjs',
      outfile: join(work, 'pmc.cjs'),
      nodePaths: [join(root, 'node_modules')],
      mainFields: ['module', 'main'],
      logLevel: 'silent',
    });
    const { main } = createRequire(import.meta.url)(join(work, 'pmc.cjs')) as { main: Main };
    const run = async (argv: string[]) => {
      let stdout = '';
      let stderr = '';
      const status = await main(argv, { stdin: fn, stdout: { write: (s: string) => (stdout += s) }, stderr: { write: (s: string) => (stderr += s) }, env: {}, cwd: root });
      return { status, stdout, stderr };
    };

    const applied = await run(['customize', '-r', '{"exampleHostname": "fn-sa"}']);
    expect(applied.stderr).toBe('');
    const sts = parseAllDocuments(applied.stdout).map((d) => d.toJS()).find((o) => o?.kind === 'StatefulSet');
    expect(sts.spec.template.spec.hostname).toBe('fn-sa');

    const explained = await run(['explain', '-o', 'json', '-r', '{"exampleHostname": "fn-sa"}']);
    expect(JSON.parse(explained.stdout).changes).toContainEqual(expect.objectContaining({ path: 'spec.template.spec.hostname', option: 'exampleHostname', source: 'function' }));

    const basic = await run(['customize', '--customizer', 'basic', '-r', '{"exampleHostname": "fn-sa"}']);
    expect(basic.status).toBe(0);
    expect(basic.stdout).not.toContain('hostname: fn-sa');

    const bad = await run(['customize', '-r', '{"exampleHostname": "Not A Valid Name"}']);
    expect(bad.status).toBe(1);
    expect(bad.stdout).toBe('');
    expect(bad.stderr).toContain('customRuntimeOptions.exampleHostname: "Not A Valid Name" is not a valid hostname [PMC_NAME]');

    const typo = await run(['customize', '-r', '{"exampleHostnme": "fn-sa"}']);
    expect(typo.stderr).toContain('did you mean "exampleHostname"?');
  }, 60_000);

  it('leaves this very registry unchanged (the test edits a copy)', () => {
    expect(Object.keys(OPTIONS)).not.toContain('exampleHostname');
  });
});
