// pmc customize --stream: documents read, customized and written one at a time. What it must
// keep of the whole-input run: the same bytes on stdout and the same exit status for every
// input, however the input arrives in pieces; what it changes: an error after output began
// leaves the documents before it on stdout (and, with --in-place, the file as it was).
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import { main } from '../src/cli/main.js';
import { DocumentSplitter, splitDocuments, type DocumentChunk } from '../src/core/base/stream.js';
import { pulsarFunctionManifests } from './support/pulsar-generated.mjs';
import { runPmc, type RunResult } from './support/run.js';
import { runs } from './support/runs.js';

const root = join(import.meta.dirname, '..');
const fixtures = join(root, 'fixtures');
const work = mkdtempSync(join(tmpdir(), 'pmc-stream-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

/** The cut as it was before the splitter existed: the rule the splitter must keep. */
function referenceSplit(text: string): { text: string; line: number }[] {
  const chunks: { text: string; line: number }[] = [];
  const marker = /^(?:---|\.\.\.)(?=[ \t\r\n]|$)/gm;
  let start = 0;
  const lineOf = (offset: number) => text.slice(0, offset).split('\n').length;
  const cut = (end: number) => {
    if (end > start) chunks.push({ text: text.slice(start, end), line: lineOf(start) });
    start = end;
  };
  for (let m = marker.exec(text); m; m = marker.exec(text)) {
    if (m[0] === '---') cut(m.index);
    else {
      const eol = text.indexOf('\n', m.index);
      cut(eol === -1 ? text.length : eol + 1);
    }
  }
  cut(text.length);
  const onlyComments = (t: string) => t.split('\n').every((l) => l.trim() === '' || l.trim().startsWith('#') || l.trim().startsWith('%'));
  const hasDirective = (t: string) => t.split('\n').some((l) => l.trim().startsWith('%'));
  const joined: { text: string; line: number }[] = [];
  for (let i = 0; i < chunks.length; i++) {
    const c = chunks[i]!;
    const next = chunks[i + 1];
    if (next && !c.text.startsWith('---') && onlyComments(c.text) && (hasDirective(c.text) || i === 0)) {
      chunks[i + 1] = { text: c.text + next.text, line: c.line };
      continue;
    }
    joined.push(c);
  }
  return joined;
}

/** `text` fed to a splitter in pieces cut at `cuts` (offsets). */
function splitInPieces(text: string, cuts: number[]): DocumentChunk[] {
  const splitter = new DocumentSplitter();
  const out: DocumentChunk[] = [];
  let at = 0;
  for (const c of [...new Set(cuts)].sort((a, b) => a - b)) {
    out.push(...splitter.push(text.slice(at, c)));
    at = c;
  }
  out.push(...splitter.push(text.slice(at)), ...splitter.end());
  return out;
}

const line = fc.constantFrom('---', '--- # c', '...', '# comment', '%YAML 1.2', 'a: 1', 'b: |', '  ---x', ' ---', '----', 'c: "---"', '', 'kind: Service', '--- !!map', '---\r');
const yamlish = fc.array(line, { maxLength: 30 }).map((ls) => ls.join('\n'));

describe('the document splitter', () => {
  it('cuts a whole text as the cut before it did, chunk for chunk (text and first line)', () => {
    fc.assert(
      fc.property(fc.oneof(yamlish, yamlish.map((t) => `${t}\n`)), (text) => {
        expect(splitDocuments(text).map(({ text: t, line: l }) => ({ text: t, line: l }))).toEqual(referenceSplit(text));
      }),
      { numRuns: runs(2000) },
    );
  });

  it('cuts the same documents however the text arrives in pieces, even inside a marker or a CRLF', () => {
    fc.assert(
      fc.property(
        yamlish.chain((text) => fc.tuple(fc.constant(text), fc.array(fc.nat({ max: Math.max(0, text.length) }), { maxLength: 12 }))),
        ([text, cuts]) => {
          expect(splitInPieces(text, cuts)).toEqual(splitDocuments(text));
        },
      ),
      { numRuns: runs(2000) },
    );
  });

  it('holds only the document not yet ended', () => {
    const splitter = new DocumentSplitter();
    const doc = 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: x}\n';
    let out = 0;
    for (let i = 0; i < 1000; i++) out += splitter.push(`---\n${doc}`).length;
    expect(out).toBe(999);
    expect(splitter.held).toBe(doc.length + 4);
  });
});

/** pmc's whole CLI in-process, stdin given in pieces (a real stream of Buffers). */
async function runPieces(argv: string[], input: string, cuts: number[], cwd = root): Promise<RunResult> {
  let stdout = '';
  let stderr = '';
  const bytes = Buffer.from(input);
  const pieces: Buffer[] = [];
  let at = 0;
  for (const c of [...new Set(cuts)].filter((c) => c > 0 && c < bytes.length).sort((a, b) => a - b)) {
    pieces.push(bytes.subarray(at, c));
    at = c;
  }
  pieces.push(bytes.subarray(at));
  const status = await main(argv, {
    stdin: Readable.from(pieces),
    stdout: { write: (s: string) => (stdout += s) },
    stderr: { write: (s: string) => (stderr += s) },
    env: {},
    cwd,
  });
  return { status, stdout, stderr };
}

const lines = (s: string) => s.split('\n').filter(Boolean).sort();
/** The codes of the errors (a streamed run has said its warnings before the error came). */
const codes = (s: string) => [...new Set(s.split('\n').filter((l) => l.startsWith('pmc: error:')).flatMap((l) => l.match(/\[PMC_[A-Z_]+\]/g) ?? []))].sort();
const errorLines = (s: string) => s.split(/\n(?=pmc: )/).filter((l) => l.startsWith('pmc: error:')).join('\n');

/** --stream against the whole-input run: the same stdout and status, the same warnings (in any order). */
function expectSameRun(whole: RunResult, streamed: RunResult): void {
  expect(streamed.status).toBe(whole.status);
  if (whole.status === 0) {
    expect(streamed.stdout).toBe(whole.stdout);
    expect(lines(streamed.stderr)).toEqual(lines(whole.stderr));
  } else {
    expect(codes(streamed.stderr)).toEqual(codes(whole.stderr));
  }
}

const goldenRoot = join(fixtures, 'golden');
const goldenCustomize = readdirSync(goldenRoot)
  .filter((name) => existsSync(join(goldenRoot, name, 'case.json')))
  .map((name) => ({ name, spec: JSON.parse(readFileSync(join(goldenRoot, name, 'case.json'), 'utf8')) as { cmd: string[] } }))
  .filter(({ spec }) => spec.cmd[0] === 'customize');
const ONE_FUNCTION_FLAGS = ['-r', '--custom-runtime-options', '--custom-runtime-options-file', '-c', '--function-config', '--tenant', '--namespace', '--name', '--select'];

describe('--stream against the whole-input run', () => {
  it('has golden cases of both kinds: streamed, and refused as options for one function', () => {
    expect(goldenCustomize.filter(({ spec }) => spec.cmd.some((a) => ONE_FUNCTION_FLAGS.includes(a))).length).toBeGreaterThan(3);
    expect(goldenCustomize.filter(({ spec }) => !spec.cmd.some((a) => ONE_FUNCTION_FLAGS.includes(a))).length).toBeGreaterThan(3);
  });

  it.each(goldenCustomize)('golden case $name', async ({ name, spec }) => {
    const dir = join(goldenRoot, name);
    const whole = await runPmc(spec.cmd, { cwd: dir });
    const streamed = await runPmc(['customize', '--stream', ...spec.cmd.slice(1)], { cwd: dir });
    if (spec.cmd.some((a) => ONE_FUNCTION_FLAGS.includes(a))) {
      // Options or an identity for one function pick it out of the whole stream.
      expect(streamed.status).toBe(2);
      expect(streamed.stdout).toBe('');
      expect(streamed.stderr).toMatch(/--stream cannot be used here: .*leave out --stream.*\[PMC_USAGE\]/);
      return;
    }
    expectSameRun(whole, streamed);
  });

  // Inputs pmc did not write: what pmc render prints for Pulsar's own configs (Java, Python,
  // Go, sources, sinks), kubectl's captured List and JSON, with Pulsar's shipped worker file,
  // the Helm chart's ConfigMap and the seed's worker.
  const rendered = readdirSync(goldenRoot).filter((n) => n.startsWith('render-') && existsSync(join(goldenRoot, n, 'expected.yaml')) && !n.includes('error') && !n.includes('json'));
  const inputs = [...rendered.map((n) => join(goldenRoot, n, 'expected.yaml')), join(fixtures, 'kubectl', 'get-list.yaml'), join(fixtures, 'kubectl', 'get-sts.json'), join(fixtures, 'pulsar-function.yaml')];
  const workers = [join(fixtures, 'functions_worker.yml'), join(fixtures, 'pulsar', 'functions_worker.yml'), join(fixtures, 'worker-configmap.yaml'), join(fixtures, 'render', 'worker-security-context.yml')];
  const cases = inputs.flatMap((input) => workers.flatMap((worker) => [[], ['--clean'], ['--all']].map((extra) => ({ input, worker, extra }))));

  it('has the inputs it names', () => {
    expect(rendered.length).toBeGreaterThan(10);
    for (const f of [...inputs, ...workers]) expect(existsSync(f)).toBe(true);
  });

  it.each(cases.map((c) => ({ ...c, label: `${c.input.replace(`${fixtures}/`, '')} -w ${c.worker.replace(`${fixtures}/`, '')} ${c.extra.join(' ')}` })))('$label', async ({ input, worker, extra }) => {
    const args = [input, '-w', worker, ...extra];
    const whole = await runPmc(['customize', ...args]);
    expectSameRun(whole, await runPmc(['customize', '--stream', ...args]));
  });
});

/** One function's Service and StatefulSet, as separate documents. */
function functionDocs(f: { tenant: string; namespace: string; name: string; customRuntimeOptions?: string }): string[] {
  return pulsarFunctionManifests(f)
    .split(/^(?=---\n)/m)
    .filter((d: string) => d.trim() !== '');
}

const CONFIG_MAP = '---\napiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: settings # kept as written\ndata: {a: "1"}\n';
const OPTIONS = ['', '{"extraLabels": {"team": "a"}}', '{"jobName": "custom"}', '{"nodeSelectorLabels": {"pool": "x"}, "tolerations": [{"key": "k", "operator": "Exists"}]}', '{"jobNamespace": "other"}'];

describe('--stream on generated clusters', () => {
  const worker = join(work, 'worker.yml');
  writeFileSync(worker, readFileSync(join(fixtures, 'functions_worker.yml')));
  const fn = fc.record({
    name: fc.stringMatching(/^[a-z][a-z0-9-]{0,6}[a-z0-9]$/),
    options: fc.constantFrom(...OPTIONS),
  });
  // Functions, their documents in any order (Pulsar's, kubectl's StatefulSets-first, shuffled),
  // some gathered in a kind: List, ConfigMaps between them; the input cut at random places.
  const cluster = fc
    .record({
      functions: fc.uniqueArray(fn, { selector: (f) => f.name, minLength: 0, maxLength: 6 }),
      order: fc.constantFrom('pulsar', 'statefulsets-first', 'services-first', 'shuffled'),
      configMaps: fc.nat({ max: 2 }),
      list: fc.boolean(),
      seed: fc.integer(),
      cuts: fc.array(fc.nat({ max: 20000 }), { maxLength: 8 }),
      extra: fc.constantFrom([], ['--clean'], ['--all'], ['--no-validate']),
    })
    .map((c) => {
      const docs = c.functions.map((f) => functionDocs({ tenant: 'public', namespace: 'default', name: f.name, ...(f.options ? { customRuntimeOptions: f.options } : {}) }));
      let flat: string[] = [];
      if (c.order === 'pulsar') flat = docs.flat();
      else if (c.order === 'statefulsets-first') flat = [...docs.map((d) => d[1]!), ...docs.map((d) => d[0]!)];
      else if (c.order === 'services-first') flat = [...docs.map((d) => d[0]!), ...docs.map((d) => d[1]!)];
      else flat = fc.sample(fc.shuffledSubarray(docs.flat(), { minLength: docs.length * 2 }), { numRuns: 1, seed: c.seed })[0]!;
      for (let i = 0; i < c.configMaps; i++) flat.splice(Math.abs(c.seed + i) % (flat.length + 1), 0, CONFIG_MAP);
      if (c.list && flat.length > 1) {
        const items = flat.slice(1).map((d) => d.replace(/^---\n/, '').replace(/^/gm, '    ').replace(/^ {4}/, '  - '));
        flat = [flat[0]!, `---\napiVersion: v1\nkind: List\nitems:\n${items.join('')}metadata:\n  resourceVersion: ""\n`];
      }
      return { ...c, text: flat.join('') };
    });

  it('prints what the whole-input run prints, with its status, whatever the order and the pieces', async () => {
    await fc.assert(
      fc.asyncProperty(cluster, async (c) => {
        const args = ['-w', worker, ...c.extra];
        const whole = await runPmc(['customize', ...args], { stdin: c.text });
        const streamed = await runPieces(['customize', '--stream', ...args], c.text, c.cuts);
        expectSameRun(whole, streamed);
      }),
      { numRuns: runs(150) },
    );
  });
});

describe('--stream when something is wrong', () => {
  const worker = join(fixtures, 'functions_worker.yml');
  const good = (name: string) => functionDocs({ tenant: 'public', namespace: 'default', name }).join('');
  const bad = functionDocs({ tenant: 'public', namespace: 'default', name: 'bad', customRuntimeOptions: '{"resourceRequirements": {"limits": {"cpu": "lots"}}}' }).join('');
  const input = good('first') + bad + good('last');

  it('an error in the middle: the documents before it on stdout, whole; the error on stderr; the same exit status', async () => {
    const whole = await runPmc(['customize', '-w', worker], { stdin: input });
    expect(whole.status).not.toBe(0);
    expect(whole.stdout).toBe('');
    const streamed = await runPieces(['customize', '--stream', '-w', worker], input, [100, 5000]);
    expect(streamed.status).toBe(whole.status);
    expect(codes(streamed.stderr)).toEqual(codes(whole.stderr));
    expect(streamed.stderr).toContain('<stdin>:');
    // The first function (its Service and StatefulSet) as the run without the bad one prints it.
    const firstAlone = await runPmc(['customize', '-w', worker], { stdin: good('first') });
    expect(streamed.stdout).toBe(firstAlone.stdout);
    expect(streamed.stdout).not.toContain('name: bad');
  });

  it('an error with --in-place: the file as it was, and no temporary file beside it', async () => {
    const dir = mkdtempSync(join(work, 'in-place-'));
    const file = join(dir, 'cluster.yaml');
    writeFileSync(file, input);
    const r = await runPmc(['customize', '--stream', '--in-place', 'cluster.yaml', '-w', worker], { cwd: dir });
    expect(r.status).not.toBe(0);
    expect(r.stdout).toBe('');
    expect(readFileSync(file, 'utf8')).toBe(input);
    expect(readdirSync(dir)).toEqual(['cluster.yaml']);
  });

  it('--in-place without an error: the file replaced with what stdout would have had', async () => {
    const dir = mkdtempSync(join(work, 'in-place-'));
    const file = join(dir, 'cluster.yaml');
    writeFileSync(file, good('a') + good('b'));
    const printed = await runPmc(['customize', 'cluster.yaml', '-w', worker], { cwd: dir });
    const r = await runPmc(['customize', '--stream', '-i', 'cluster.yaml', '-w', worker], { cwd: dir });
    expect(r.status).toBe(0);
    expect(r.stdout).toBe('');
    expect(readFileSync(file, 'utf8')).toBe(printed.stdout);
    expect(readdirSync(dir)).toEqual(['cluster.yaml']);
  });

  it('a bad YAML document later in the stream is located in the whole stream, line and column', async () => {
    const text = `${good('first')}---\napiVersion: v1\nkind: Service\nmetadata: {name: [x}\n`;
    const whole = await runPmc(['customize', '-w', worker], { stdin: text });
    const streamed = await runPieces(['customize', '--stream', '-w', worker], text, [7, 900, 1500]);
    expect(streamed.status).toBe(whole.status);
    expect(errorLines(streamed.stderr)).toBe(errorLines(whole.stderr));
    expect(errorLines(streamed.stderr)).toMatch(/<stdin>:\d+:\d+/);
  });

  it('a control character and a character cut between two pieces: located, and decoded', async () => {
    const text = `${good('first')}---\napiVersion: v1\nkind: ConfigMap\nmetadata: {name: é}\ndata: {a: "\u0001"}\n`;
    const whole = await runPmc(['customize', '-w', worker], { stdin: text });
    const at = Buffer.from(text).indexOf('é') + 1;
    const streamed = await runPieces(['customize', '--stream', '-w', worker], text, [at, at + 30]);
    expect(whole.stderr).toMatch(/<stdin>:\d+:\d+: .*control character 0x01/);
    expect(errorLines(streamed.stderr)).toBe(errorLines(whole.stderr));
    expect(streamed.status).toBe(whole.status);
    const fine = text.replace('\u0001', 'ok');
    expectSameRun(await runPmc(['customize', '-w', worker], { stdin: fine }), await runPieces(['customize', '--stream', '-w', worker], fine, [at]));
  });

  it('is refused with -o json, and with options or an identity for one function', async () => {
    const json = await runPmc(['customize', '--stream', '-o', 'json', '-w', worker], { stdin: good('a') });
    expect(json.status).toBe(2);
    expect(json.stderr).toContain('--stream with -o json');
    for (const flags of [['-r', '{}'], ['--select', 'x'], ['--tenant', 't']]) {
      const r = await runPmc(['customize', '--stream', '-w', worker, ...flags], { stdin: good('a') });
      expect(r.status).toBe(2);
      expect(r.stderr).toContain('[PMC_USAGE]');
    }
  });

  it('an empty stream is refused as without --stream', async () => {
    const whole = await runPmc(['customize', '-w', worker], { stdin: '# nothing\n---\n' });
    const streamed = await runPieces(['customize', '--stream', '-w', worker], '# nothing\n---\n', [3]);
    expect(streamed).toEqual(whole);
    expect(whole.stderr).toContain('PMC_EMPTY_INPUT');
  });
});

describe('--stream as a process', () => {
  it('writes the first function before the input has ended', async () => {
    const pmc = join(root, 'bin', 'pmc.js');
    const child = spawn(process.execPath, [pmc, 'customize', '--stream', '-w', join(fixtures, 'functions_worker.yml')], { stdio: ['pipe', 'pipe', 'pipe'] });
    let stdout = '';
    const firstOutput = new Promise<void>((resolve) => child.stdout.on('data', (d) => ((stdout += d), resolve())));
    child.stdin.write(functionDocs({ tenant: 'public', namespace: 'default', name: 'early' }).join(''));
    // The StatefulSet is final once the next document begins.
    child.stdin.write('---\n');
    await firstOutput;
    expect(stdout).toContain('kind: StatefulSet');
    expect(stdout).toContain('name: pf-public-default-early');
    child.stdin.end(functionDocs({ tenant: 'public', namespace: 'default', name: 'late' }).join('').replace(/^---\n/, ''));
    const status = await new Promise<number | null>((resolve) => child.on('close', resolve));
    expect(status).toBe(0);
    expect(stdout).toContain('name: pf-public-default-late');
  });
});
