/**
 * `pmc webhook`: a mutating admission webhook that applies the SecurityContext extension
 * (hybrid) or every option admission can apply (webhook-only) to the StatefulSets the
 * Pulsar worker creates. HTTPS on --port (POST /mutate); health, readiness and Prometheus
 * metrics on plain HTTP on --health-port. One JSON log line per review on stderr, never an
 * object: a function's command can carry --client_auth_params tokens.
 */
import { watchFile, unwatchFile, readFileSync } from 'node:fs';
import { createServer as createHttpServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import { resolve } from 'node:path';
import { PmcError } from '../../core/diagnostics.js';
import type { AdmissionMode } from '../../core/resolve.js';
import { BadReview, reviewAdmission, type ReviewOutcome, type WebhookSettings } from '../../core/webhook.js';
import { EXIT_OK } from '../exit.js';
import { loadSettings } from '../inputs.js';
import type { Io } from '../io.js';
import { VERSION } from '../main.js';

export interface WebhookFlags {
  workerConfig?: string;
  tlsCertFile?: string;
  tlsKeyFile?: string;
  port: number;
  healthPort: number;
  host: string;
  mode: AdmissionMode;
  strict?: boolean;
  /** The largest request body read (bytes); the API server sends at most 3 MiB objects. */
  maxBodyBytes: number;
  /** How long a client may take to send its request (ms). */
  requestTimeout: number;
  /** How often the certificate and key files are looked at for a renewal (ms). */
  tlsReloadInterval: number;
}

/** Stops the webhook: SIGTERM in a process; tests pass their own. */
export type StopSignal = (stop: () => void) => void;

const LATENCY_BUCKETS = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1];

/** Prometheus counters and a latency histogram, in the text format. */
class Metrics {
  private reviews = new Map<ReviewOutcome, number>();
  badRequests = 0;
  tlsReloads = 0;
  private buckets = LATENCY_BUCKETS.map(() => 0);
  private count = 0;
  private sum = 0;

  review(outcome: ReviewOutcome, seconds: number): void {
    this.reviews.set(outcome, (this.reviews.get(outcome) ?? 0) + 1);
    this.count++;
    this.sum += seconds;
    LATENCY_BUCKETS.forEach((b, i) => {
      if (seconds <= b) this.buckets[i]!++;
    });
  }

  text(): string {
    const lines = [
      '# HELP pmc_webhook_reviews_total AdmissionReviews answered, by outcome (passed: not a Pulsar StatefulSet CREATE; unchanged; patched; refused).',
      '# TYPE pmc_webhook_reviews_total counter',
      ...(['passed', 'unchanged', 'patched', 'refused'] as const).map((o) => `pmc_webhook_reviews_total{outcome="${o}"} ${this.reviews.get(o) ?? 0}`),
      '# HELP pmc_webhook_bad_requests_total Requests that were not an AdmissionReview, too large, or not POST /mutate.',
      '# TYPE pmc_webhook_bad_requests_total counter',
      `pmc_webhook_bad_requests_total ${this.badRequests}`,
      '# HELP pmc_webhook_tls_reloads_total Times a renewed certificate and key were loaded.',
      '# TYPE pmc_webhook_tls_reloads_total counter',
      `pmc_webhook_tls_reloads_total ${this.tlsReloads}`,
      '# HELP pmc_webhook_review_duration_seconds Time to answer one AdmissionReview, from the whole request read to the answer.',
      '# TYPE pmc_webhook_review_duration_seconds histogram',
      ...LATENCY_BUCKETS.map((b, i) => `pmc_webhook_review_duration_seconds_bucket{le="${b}"} ${this.buckets[i]}`),
      `pmc_webhook_review_duration_seconds_bucket{le="+Inf"} ${this.count}`,
      `pmc_webhook_review_duration_seconds_sum ${this.sum}`,
      `pmc_webhook_review_duration_seconds_count ${this.count}`,
    ];
    return `${lines.join('\n')}\n`;
  }
}

function readTls(flags: WebhookFlags, io: Io): { cert: Buffer; key: Buffer } {
  const read = (file: string, what: string) => {
    try {
      return readFileSync(resolve(io.cwd, file));
    } catch (e) {
      throw new PmcError('PMC_READ', `cannot read the ${what} ${file}: ${(e as Error).message}`, { location: { source: file } });
    }
  };
  return { cert: read(flags.tlsCertFile!, 'TLS certificate'), key: read(flags.tlsKeyFile!, 'TLS key') };
}

export async function runWebhook(flags: WebhookFlags, io: Io, onStop: StopSignal = (stop) => process.once('SIGTERM', stop)): Promise<number> {
  for (const [flag, value] of [['--worker-config', flags.workerConfig], ['--tls-cert-file', flags.tlsCertFile], ['--tls-key-file', flags.tlsKeyFile]] as const) {
    if (!value) throw new PmcError('PMC_USAGE', `pmc webhook needs ${flag}`);
  }
  const { settings: base, warnings } = await loadSettings({ workerConfig: flags.workerConfig, strict: flags.strict }, io);
  const settings: WebhookSettings = { ...base, mode: flags.mode };
  const log = (fields: Record<string, unknown>) => io.stderr.write(`${JSON.stringify({ time: new Date().toISOString(), ...fields })}\n`);
  for (const w of warnings) log({ level: 'warning', msg: 'worker config', code: w.code, detail: w.message });
  // Each mode expects the worker to be set up for it; a mismatch applies options twice or never.
  if (flags.mode === 'hybrid' && base.customizer !== 'basic') {
    log({ level: 'warning', msg: `hybrid mode expects the worker's runtimeCustomizerClassName to be BasicKubernetesManifestCustomizer (found: ${base.customizer}); only the security context is applied here` });
  }
  if (flags.mode === 'webhook-only' && base.customizer !== 'none') {
    log({ level: 'warning', msg: `webhook-only mode expects a worker without runtimeCustomizerClassName (found: ${base.customizer}): options the worker already applied are applied again (each toleration twice)` });
  }

  const metrics = new Metrics();
  let tls = readTls(flags, io);
  let draining = false;

  const send = (res: ServerResponse, status: number, body: string, type = 'application/json') => {
    res.writeHead(status, { 'content-type': type, 'content-length': Buffer.byteLength(body) });
    res.end(body);
  };
  const failure = (res: ServerResponse, status: number, message: string) => {
    metrics.badRequests++;
    log({ level: 'warning', msg: 'bad request', status, detail: message });
    send(res, status, JSON.stringify({ error: message }));
  };

  const mutate = (req: IncomingMessage, res: ServerResponse) => {
    if (req.url?.split('?')[0] !== '/mutate') return failure(res, 404, 'not found: the webhook answers POST /mutate');
    if (req.method !== 'POST') return failure(res, 405, 'method not allowed: POST an AdmissionReview to /mutate');
    const declared = Number(req.headers['content-length']);
    if (declared > flags.maxBodyBytes) {
      failure(res, 413, `request body over ${flags.maxBodyBytes} bytes`);
      req.destroy();
      return;
    }
    const chunks: Buffer[] = [];
    let size = 0;
    let refused = false;
    // A client that sends its request too slowly is cut off, so it cannot hold a connection.
    const slow = setTimeout(() => {
      refused = true;
      failure(res, 408, `the request was not sent within ${flags.requestTimeout} ms`);
      req.destroy();
    }, flags.requestTimeout);
    req.on('data', (chunk: Buffer) => {
      if (refused) return;
      size += chunk.length;
      if (size > flags.maxBodyBytes) {
        refused = true;
        clearTimeout(slow);
        failure(res, 413, `request body over ${flags.maxBodyBytes} bytes`);
        req.destroy();
        return;
      }
      chunks.push(chunk);
    });
    req.on('end', () => {
      clearTimeout(slow);
      if (refused) return;
      const started = process.hrtime.bigint();
      let body: unknown;
      try {
        body = JSON.parse(Buffer.concat(chunks).toString('utf8'));
      } catch {
        return failure(res, 400, 'the body is not JSON');
      }
      try {
        const { review, summary } = reviewAdmission(body, settings, VERSION);
        const seconds = Number(process.hrtime.bigint() - started) / 1e9;
        metrics.review(summary.outcome, seconds);
        log({ level: 'info', msg: 'review', ...summary, ms: Math.round(seconds * 1e4) / 10 });
        send(res, 200, JSON.stringify(review));
      } catch (e) {
        if (e instanceof BadReview) return failure(res, 400, e.message);
        log({ level: 'error', msg: 'review failed', detail: (e as Error).message });
        send(res, 500, JSON.stringify({ error: 'internal error' }));
      }
    });
    req.on('error', () => {
      // a client that went away: nothing to answer
      clearTimeout(slow);
    });
  };

  const server = createHttpsServer({ cert: tls.cert, key: tls.key, minVersion: 'TLSv1.2' }, mutate);
  server.requestTimeout = flags.requestTimeout;
  server.headersTimeout = Math.min(flags.requestTimeout, 60_000);
  server.keepAliveTimeout = 5_000;

  // cert-manager renews the Secret in place: load the new pair when both files changed and parse.
  const reload = () => {
    try {
      const next = readTls(flags, io);
      if (next.cert.equals(tls.cert) && next.key.equals(tls.key)) return;
      server.setSecureContext({ cert: next.cert, key: next.key });
      tls = next;
      metrics.tlsReloads++;
      log({ level: 'info', msg: 'tls reloaded' });
    } catch (e) {
      log({ level: 'warning', msg: 'tls reload failed, keeping the current certificate', detail: (e as Error).message });
    }
  };
  const watched = [resolve(io.cwd, flags.tlsCertFile!), resolve(io.cwd, flags.tlsKeyFile!)];
  for (const f of watched) watchFile(f, { interval: flags.tlsReloadInterval, persistent: false }, reload);

  const health: Server = createHttpServer((req, res) => {
    const path = req.url?.split('?')[0];
    if (path === '/healthz') return send(res, 200, 'ok\n', 'text/plain');
    if (path === '/readyz') return draining ? send(res, 503, 'draining\n', 'text/plain') : send(res, 200, 'ok\n', 'text/plain');
    if (path === '/metrics') return send(res, 200, metrics.text(), 'text/plain; version=0.0.4');
    send(res, 404, 'not found\n', 'text/plain');
  });

  const listen = (s: Server, port: number) =>
    new Promise<number>((ok, fail) => {
      s.once('error', (e) => fail(new PmcError('PMC_USAGE', `cannot listen on ${flags.host}:${port}: ${(e as Error).message}`)));
      s.listen(port, flags.host, () => ok((s.address() as AddressInfo).port));
    });
  const port = await listen(server, flags.port);
  const healthPort = await listen(health, flags.healthPort);
  log({ level: 'info', msg: 'listening', port, healthPort, mode: flags.mode, customizer: base.customizer, version: VERSION });

  await new Promise<void>((done) => {
    onStop(() => {
      draining = true;
      log({ level: 'info', msg: 'stopping: draining open requests' });
      for (const f of watched) unwatchFile(f, reload);
      // Stop accepting; answer what is in flight; then close the health port.
      const timer = setTimeout(() => server.closeAllConnections(), 10_000);
      server.close(() => {
        clearTimeout(timer);
        health.close(() => done());
        health.closeAllConnections();
      });
      server.closeIdleConnections();
    });
  });
  log({ level: 'info', msg: 'stopped' });
  return EXIT_OK;
}
