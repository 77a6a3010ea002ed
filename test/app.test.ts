// The application layer called directly: request -> outcome tables at core level (what every
// face shares: Pod Security on the output, the output's format, the warnings policy), and
// argv -> status, stdout, stderr at CLI level, one row per face.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parsePssPolicy, type PssPolicy } from '../src/core/checks/pss.js';
import { customizeRequest, settle, strictFlag, type CustomizeRequest } from '../src/core/app/run.js';
import { renderRequest } from '../src/core/app/render.js';
import { PmcError, type Diagnostic } from '../src/core/base/diagnostics.js';
import { settingsFrom } from '../src/core/customize/settings.js';
import { pulsarFunctionManifests } from './support/pulsar-generated.mjs';
import { runPmc } from './support/run.js';

const root = join(import.meta.dirname, '..');
const fixture = (f: string) => readFileSync(join(root, 'fixtures', f), 'utf8');
const manifest = pulsarFunctionManifests({ tenant: 'public', namespace: 'default', name: 'fn' });
const restricted = parsePssPolicy('restricted') as PssPolicy;

/**
 * A request as the CLI builds it from `-r OPTIONS`, on the generated function; `strict` is
 * the policy's (the reading's warnings, met before, are then refused by the application layer).
 */
function request(options: string | undefined, more: Partial<CustomizeRequest> & { strict?: boolean; text?: string } = {}): CustomizeRequest {
  const { settings, warnings } = settingsFrom({
    identity: {},
    ...(options !== undefined ? { options: { text: options, source: '--custom-runtime-options' } } : {}),
  });
  const { strict, text, ...rest } = more;
  return { input: { ...settings, manifest: text ?? manifest, source: '<stdin>' }, earlier: warnings, policy: strictFlag(!!strict), ...rest };
}

const warning = (code: string, message = 'x'): Diagnostic => ({ severity: 'warning', code: code as Diagnostic['code'], message });

describe('core: request -> outcome', () => {
  const secure = '{"securityContext": {"runAsNonRoot": true, "runAsUser": 10000, "allowPrivilegeEscalation": false, "dropCapabilities": ["ALL"], "seccompProfile": {"type": "RuntimeDefault"}}}';
  const rows: [string, CustomizeRequest, (o: ReturnType<typeof customizeRequest>) => void][] = [
    ['no options: the stream comes back byte for byte', request(undefined), (o) => expect(o.text).toBe(manifest)],
    ['a label: written, nothing to say', request('{"extraLabels": {"team": "data"}}'), (o) => {
      expect(o.text).toContain('team: data');
      expect(o.warnings).toEqual([]);
    }],
    ['-o json: kubectl\'s List', request('{"extraLabels": {"team": "data"}}', { output: 'json' }), (o) => expect(JSON.parse(o.text).kind).toBe('List')],
    ['output none: the result only (diff, explain)', request('{"extraLabels": {"team": "data"}}', { output: 'none' }), (o) => {
      expect(o.text).toBe('');
      expect(o.result.changes.length).toBeGreaterThan(0);
    }],
    ['a byte order mark given back', request(undefined, { bom: true }), (o) => expect(o.text.charCodeAt(0)).toBe(0xfeff)],
    ['--check-pss restricted, met', request(secure, { checkPss: restricted }), (o) => expect(o.text).toContain('runAsNonRoot: true')],
    ['an unknown key: a warning to report', request('{"extraLabelz": {}}'), (o) => expect(o.warnings.map((w) => w.code)).toEqual(['PMC_OPTIONS_UNKNOWN_KEY'])],
    ['a lint: its warnings after customize\'s', request('{"extraLabelz": {}}', { lint: () => [warning('PMC_JVM_MEMORY')] }), (o) => expect(o.warnings.map((w) => w.code)).toEqual(['PMC_OPTIONS_UNKNOWN_KEY', 'PMC_JVM_MEMORY'])],
    ['a plugin\'s accepted code: refused warnings none, the accepted one not reported', request('{"extraLabelz": {}}', { policy: { strict: true, allowed: new Set(['PMC_OPTIONS_UNKNOWN_KEY']), why: () => '(plugin)' } }), (o) => expect(o.warnings).toEqual([])],
  ];
  it.each(rows)('%s', (_name, req, check) => check(customizeRequest(req)));

  const refusals: [string, () => CustomizeRequest, string, RegExp][] = [
    ['--strict: a warning refuses the run', () => request('{"extraLabelz": {}}', { strict: true }), 'PMC_OPTIONS_UNKNOWN_KEY', /\(an error under --strict\)$/],
    ['--check-pss restricted, not met', () => request(undefined, { checkPss: restricted }), 'PMC_PSS', /restricted/],
    ['a plugin refuses what it did not accept', () => request('{"extraLabelz": {}}', { policy: { strict: true, allowed: new Set(['PMC_OTHER']), why: (w) => `(accept it with allowWarnings: [${w.code}])` } }), 'PMC_OPTIONS_UNKNOWN_KEY', /accept it with allowWarnings: \[PMC_OPTIONS_UNKNOWN_KEY\]\)$/],
    ['a value Kubernetes refuses, found while customizing', () => request('{"extraLabels": {"team": "has space"}}'), 'PMC_LABEL_VALUE', /has space/],
  ];
  it.each(refusals)('%s', (_name, req, code, message) => {
    let thrown: unknown;
    try {
      customizeRequest(req());
    } catch (e) {
      thrown = e;
    }
    expect(thrown).toBeInstanceOf(PmcError);
    const diags = (thrown as PmcError).diagnostics();
    expect(diags.map((d) => d.code)).toContain(code);
    expect(diags.find((d) => d.code === code)!.message).toMatch(message);
  });

  it('settle: strict refuses warnings only, notes pass; allowed codes are dropped first', () => {
    const note: Diagnostic = { severity: 'info', code: 'PMC_RBAC', message: 'n' };
    expect(settle([note], { strict: true, why: () => '' })).toEqual([note]);
    expect(settle([warning('PMC_A'), note], { strict: false, why: () => '' })).toEqual([warning('PMC_A'), note]);
    expect(settle([warning('PMC_A'), note], { strict: true, allowed: new Set(['PMC_A']), why: () => '' })).toEqual([note]);
    expect(() => settle([warning('PMC_A')], { strict: true, why: () => '(why)' })).toThrow('x (why)');
  });

  it('render: a request of its own, customized and linted as the others', () => {
    const { settings, warnings } = settingsFrom({ identity: {}, worker: { text: fixture('render/functions_worker.yml'), source: 'functions_worker.yml' } });
    const outcome = renderRequest({
      render: { config: { text: fixture('render/word-count-java.yaml'), source: 'word-count-java.yaml' }, worker: { text: fixture('render/functions_worker.yml'), source: 'functions_worker.yml' }, identity: {}, pulsarVersion: '4.0' },
      settings,
      earlier: warnings,
    });
    expect(outcome.text).toContain('kind: StatefulSet');
    expect(outcome.text).toContain('kind: Service');
    expect(outcome.result.documents.length).toBe(2);
  });
});

describe('CLI: argv -> status, stdout, stderr, one row per face', () => {
  const fn = 'fixtures/pulsar-function.yaml';
  const kustomize = (dir: string) => ({ cwd: join(root, 'fixtures', 'kustomize', dir), stdin: readFileSync(join(root, 'fixtures', 'kustomize', dir, 'pulsar-function.yaml'), 'utf8') });
  const rows: [string, string[], { stdin?: string; cwd?: string }, number, RegExp, RegExp][] = [
    ['customize', ['customize', fn, '-r', '{"extraLabels": {"team": "data"}}'], {}, 0, /team: data/, /^$/],
    ['customize --strict', ['customize', fn, '--strict', '-r', '{"extraLabelz": {}}'], {}, 1, /^$/, /pmc: error: .*unknown key "extraLabelz".* \[PMC_OPTIONS_UNKNOWN_KEY\]/],
    ['customize --check-pss', ['customize', fn, '--check-pss', 'restricted'], {}, 1, /^$/, /\[PMC_PSS\]/],
    ['diff', ['diff', fn, '-r', '{"extraLabels": {"team": "data"}}'], {}, 3, /^\+ +team: data$/m, /^$/],
    ['explain', ['explain', fn, '-r', '{"extraLabels": {"team": "data"}}'], {}, 0, /metadata\.labels\.team +data +- +function/, /^$/],
    ['render', ['render', '-c', 'fixtures/render/word-count-java.yaml', '-w', 'fixtures/render/functions_worker.yml'], {}, 0, /kind: StatefulSet/, /note/],
    ['krm', ['krm'], { stdin: readFileSync(join(root, 'fixtures', 'krm', 'resource-list.yaml'), 'utf8') }, 0, /kind: ResourceList/, /^$/],
    ['the kustomize plugin (a config file alone)', ['pmc.yaml'], kustomize('good'), 0, /disktype: ssd/, /^$/],
    ['the kustomize plugin: a warning fails the build', ['pmc.yaml'], kustomize('warning'), 1, /^$/, /accept it with allowWarnings: \[PMC_OPTIONS_UNKNOWN_KEY\] in the PulsarManifestCustomizer spec\) \[PMC_OPTIONS_UNKNOWN_KEY\]/],
  ];
  it.each(rows)('%s', async (_name, argv, opts, status, stdout, stderr) => {
    const r = await runPmc(argv, { cwd: root, ...opts, env: { KUSTOMIZE_PLUGIN_CONFIG_ROOT: opts.cwd } });
    expect(r.stdout).toMatch(stdout);
    expect(r.stderr).toMatch(stderr);
    expect(r.status).toBe(status);
  });
});
