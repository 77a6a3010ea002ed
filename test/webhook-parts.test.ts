// The webhook's parts on their own, in-process: the review queue, the body reader and its
// limits, and the admission modes as one table (a new mode is one entry: it shows in --help
// and in option resolution, proved on a copy of the source).
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import type { IncomingMessage } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { parseAllDocuments } from 'yaml';
import { afterAll, describe, expect, it } from 'vitest';
import { readBody, type BodyOutcome } from '../src/cli/webhook/body.js';
import { ReviewQueue } from '../src/cli/webhook/queue.js';
import { ADMISSION_MODE_NAMES, admissionModesHelp, workerMismatch } from '../src/core/customize/modes.js';
import { runPmc } from './support/run.js';

const root = join(import.meta.dirname, '..');

describe('the review queue', () => {
  it('runs up to its concurrency at once, queues up to its length, refuses past both, and runs the next on release', () => {
    const q = new ReviewQueue(2, 1);
    const ran: number[] = [];
    expect([1, 2, 3].map((n) => q.admit(() => ran.push(n)))).toEqual([true, true, true]);
    expect(ran).toEqual([1, 2]);
    expect([q.inFlight, q.waitingCount]).toEqual([2, 1]);
    expect(q.admit(() => ran.push(4))).toBe(false);
    q.release();
    expect(ran).toEqual([1, 2, 3]);
    expect([q.inFlight, q.waitingCount]).toEqual([2, 0]);
    q.release();
    q.release();
    expect([q.inFlight, q.waitingCount]).toEqual([0, 0]);
  });
});

describe('the body reader', () => {
  const read = (limits: { maxBytes: number; timeoutMs: number }, feed: (s: PassThrough) => void) =>
    new Promise<BodyOutcome>((done) => {
      const s = new PassThrough();
      readBody(s as unknown as IncomingMessage, limits, done);
      feed(s);
    });

  it('gives the whole body', async () => {
    const o = await read({ maxBytes: 10, timeoutMs: 1000 }, (s) => {
      s.write('{"a":');
      s.end('1}');
    });
    expect(o).toEqual({ kind: 'body', body: Buffer.from('{"a":1}') });
  });

  it('refuses a body past the limit as it arrives, once', async () => {
    const seen: BodyOutcome[] = [];
    const o = await read({ maxBytes: 4, timeoutMs: 1000 }, (s) => {
      s.write('123');
      s.write('45');
      s.end('6');
    });
    seen.push(o);
    expect(seen).toEqual([{ kind: 'too-large', message: 'request body over 4 bytes' }]);
  });

  it('cuts off a client too slow to send it', async () => {
    const o = await read({ maxBytes: 100, timeoutMs: 30 }, (s) => s.write('{'));
    expect(o).toEqual({ kind: 'too-slow', message: 'the request was not sent within 30 ms' });
  });

  it('says when the client went away', async () => {
    const o = await read({ maxBytes: 100, timeoutMs: 1000 }, (s) => s.destroy(new Error('reset')));
    expect(o).toEqual({ kind: 'gone' });
  });
});

describe('the admission modes are one table', () => {
  it("--mode's choices, default and help come from it", async () => {
    const help = await runPmc(['webhook', '--help']);
    expect(help.stdout.replace(/\s+/g, ' ')).toContain(`(choices: ${ADMISSION_MODE_NAMES.map((m) => `"${m}"`).join(', ')}, default: "hybrid")`);
    expect(help.stdout.replace(/\s+/g, ' ')).toContain(admissionModesHelp());
    const audit = await runPmc(['audit', '--help']);
    expect(audit.stdout.replace(/\s+/g, ' ')).toContain('(choices: "hybrid", "webhook-only")');
  });

  it('the start-up check reads the worker each mode expects', () => {
    expect(workerMismatch('hybrid', 'basic')).toBeUndefined();
    expect(workerMismatch('hybrid', 'none')).toBe("hybrid mode expects the worker's runtimeCustomizerClassName to be BasicKubernetesManifestCustomizer (found: none); only the security context is applied here");
    expect(workerMismatch('webhook-only', 'none')).toBeUndefined();
    expect(workerMismatch('webhook-only', 'basic')).toContain('webhook-only mode expects a worker without runtimeCustomizerClassName (found: basic)');
  });

  const work = mkdtempSync(join(tmpdir(), 'pmc-modes-'));
  afterAll(() => rmSync(work, { recursive: true, force: true }));

  it('a mode added as one entry, in a copy of the source, shows in --help and in resolution', async () => {
    cpSync(join(root, 'src'), join(work, 'src'), { recursive: true });
    const table = join(work, 'src', 'core', 'customize', 'modes.ts');
    const text = readFileSync(table, 'utf8');
    const anchor = '} as const satisfies Record<string, AdmissionModeSpec>;';
    expect(text).toContain(anchor);
    // A mode for a worker that runs the SecurityContext extension itself: nothing is left for admission to apply.
    const entry = `  'after-extension': {
    help: 'the worker runs the SecurityContext extension; the webhook only stamps',
    worker: 'security-context',
    expects: "the worker's runtimeCustomizerClassName to be the SecurityContext extension",
    otherwise: '; nothing is applied here',
    workerApplies: 'security-context',
    sayWhatAdmissionCannot: false,
  },
`;
    writeFileSync(table, text.replace(anchor, entry + anchor));

    const copy = (await import(join(work, 'src', 'cli', 'main.ts'))) as typeof import('../src/cli/main.js');
    let stdout = '';
    const status = await copy.main(['webhook', '--help'], { stdin: '', stdout: { write: (s: string) => (stdout += s) }, stderr: { write: () => true }, env: {}, cwd: root });
    expect(status).toBe(0);
    expect(stdout.replace(/\s+/g, ' ')).toContain('"hybrid", "webhook-only", "after-extension"');
    expect(stdout.replace(/\s+/g, ' ')).toContain('after-extension: the worker runs the SecurityContext extension; the webhook only stamps');

    // Resolution: the same StatefulSet reviewed in each mode; the new one applies nothing.
    const webhook = (await import(join(work, 'src', 'core', 'faces', 'webhook.ts'))) as typeof import('../src/core/faces/webhook.js');
    const { loadSettings } = (await import(join(work, 'src', 'cli', 'inputs.ts'))) as typeof import('../src/cli/inputs.js');
    const io = { stdin: '', stdout: { write: () => true }, stderr: { write: () => true }, env: {}, cwd: root };
    const { settings } = await loadSettings({ workerConfig: 'fixtures/functions_worker.yml' }, io);
    const sts = parseAllDocuments(readFileSync(join(root, 'fixtures', 'pulsar-function.yaml'), 'utf8'))
      .map((d) => d.toJS())
      .find((o) => o?.kind === 'StatefulSet');
    sts.metadata.annotations = { ...sts.metadata.annotations };
    const review = { apiVersion: 'admission.k8s.io/v1', kind: 'AdmissionReview', request: { uid: 'u', kind: { group: 'apps', version: 'v1', kind: 'StatefulSet' }, operation: 'CREATE', object: sts } };
    const ops = (mode: string) => {
      const r = webhook.reviewAdmission(structuredClone(review), { ...settings, mode } as never, 'test');
      const patch = r.review.response.patch ? JSON.parse(Buffer.from(r.review.response.patch, 'base64').toString()) : [];
      return patch.map((o: { path: string }) => o.path).filter((p: string) => !p.includes('pulsar-manifest-customizer'));
    };
    expect(ops('webhook-only').length).toBeGreaterThan(ops('hybrid').length);
    expect(ops('after-extension')).toEqual([]);
  }, 30_000);
});
