/**
 * `pmc webhook`: a mutating admission webhook that applies the SecurityContext extension
 * (hybrid) or every option admission can apply (webhook-only) to the StatefulSets the
 * Pulsar worker creates. HTTPS on --port (POST /mutate); health, readiness and Prometheus
 * metrics on plain HTTP on --health-port. One JSON log line per review on stderr, never an
 * object: a function's command can carry --client_auth_params tokens.
 *
 * Built for `failurePolicy: Fail`, where every failed call is a function the worker could not
 * create: it starts serving everything or exits naming why; it reads at most
 * --max-concurrent-reviews bodies at once and queues the rest (429 past the queue), so its
 * memory has a bound; on SIGTERM it turns not-ready first and keeps serving for
 * --shutdown-delay while the endpoints change, then answers what is in flight and exits 0.
 * The certificate (certificates.ts) and the metrics (metrics.ts) are parts of their own.
 */
import { watchFile, unwatchFile, readFileSync } from 'node:fs';
import { createServer as createHttpServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { createServer as createHttpsServer, type ServerOptions } from 'node:https';
import type { AddressInfo, Socket } from 'node:net';
import { resolve } from 'node:path';
import type { TLSSocket } from 'node:tls';
import { PmcError } from '../../core/base/diagnostics.js';
import { tryParseJson } from '../../core/base/json-source.js';
import { workerMismatch, type AdmissionMode } from '../../core/customize/modes.js';
import { BadReview, reviewAdmission, type AdmissionCustomizer, type WebhookSettings } from '../../core/faces/webhook.js';
import { EXIT_OK } from '../exit.js';
import { loadSettings } from '../inputs.js';
import type { Io } from '../io.js';
import { jsonLog, logReporter } from '../reporters.js';
import { VERSION } from '../version.js';
import { CertificateSource } from './certificates.js';
import { Metrics } from './metrics.js';
import { readBody } from './body.js';
import { ReviewQueue } from './queue.js';

export interface WebhookFlags {
  workerConfig?: string;
  tlsCertFile?: string;
  tlsKeyFile?: string;
  port: number;
  healthPort: number;
  host: string;
  mode: AdmissionMode;
  /** What the webhook applies: the SecurityContext extension's options (default), or pmc's pod-policy. */
  customizer?: AdmissionCustomizer;
  /** The worker's accounts: only their reviews are customized. */
  workerUser?: string[];
  /** A FunctionPolicy file. */
  policy?: string;
  strict?: boolean;
  /** The largest request body read (bytes); the API server sends at most 3 MiB objects. */
  maxBodyBytes: number;
  /** How long a client may take to send its request (ms). */
  requestTimeout: number;
  /** How often the certificate and key files are looked at for a renewal (ms). */
  tlsReloadInterval: number;
  /** Reviews read and answered at once; the rest wait, unread. */
  maxConcurrentReviews: number;
  /** Reviews that may wait; past them, 429 with Retry-After. */
  maxQueuedReviews: number;
  /** After SIGTERM, how long the listeners stay open while /readyz fails (ms). */
  shutdownDelay: number;
  tlsMinVersion: '1.2' | '1.3';
  /** OpenSSL cipher names for TLS 1.2, colon- or comma-separated (TLS 1.3's suites are all AEAD). */
  tlsCipherSuites?: string;
  /** Verify the API server's client certificate against this CA. */
  clientCaFile?: string;
  /** With --client-ca-file: the client certificate's CN or DNS name must be one of these. */
  clientAllowedNames?: string;
}

/** Stops the webhook, and reloads its certificate: SIGTERM/SIGINT and SIGHUP in a process; tests pass their own. */
export type StopSignal = (stop: () => void, reload?: () => void) => void;

/** TLS 1.2's AEAD suites with forward secrecy: what Kubernetes' own components keep by default. */
export const DEFAULT_TLS12_CIPHERS = [
  'ECDHE-ECDSA-AES128-GCM-SHA256',
  'ECDHE-RSA-AES128-GCM-SHA256',
  'ECDHE-ECDSA-AES256-GCM-SHA384',
  'ECDHE-RSA-AES256-GCM-SHA384',
  'ECDHE-ECDSA-CHACHA20-POLY1305',
  'ECDHE-RSA-CHACHA20-POLY1305',
];
const TLS13_CIPHERS = ['TLS_AES_128_GCM_SHA256', 'TLS_AES_256_GCM_SHA384', 'TLS_CHACHA20_POLY1305_SHA256'];

const processSignals: StopSignal = (stop, reload) => {
  process.once('SIGTERM', stop);
  process.once('SIGINT', stop);
  if (reload) process.on('SIGHUP', reload);
};

/** The listener that could not be bound, named, and the cause. */
function listenError(what: string, host: string, port: number, e: NodeJS.ErrnoException): PmcError {
  const why = e.code === 'EADDRINUSE' ? 'the port is in use' : e.code === 'EACCES' ? 'permission denied (a port below 1024 needs privileges)' : (e.code ?? e.message);
  return new PmcError('PMC_LISTEN', `cannot listen on ${host}:${port} for ${what}: ${why}`, { location: { source: what === 'the health port' ? '--health-port' : '--port' } });
}

export async function runWebhook(flags: WebhookFlags, io: Io, signals: StopSignal = processSignals): Promise<number> {
  for (const [flag, value] of [['--worker-config', flags.workerConfig], ['--tls-cert-file', flags.tlsCertFile], ['--tls-key-file', flags.tlsKeyFile]] as const) {
    if (!value) throw new PmcError('PMC_USAGE', `pmc webhook needs ${flag}`);
  }
  if (flags.clientAllowedNames && !flags.clientCaFile) throw new PmcError('PMC_USAGE', '--client-allowed-names needs --client-ca-file (the CA the API server\'s client certificate is checked against)');
  const { settings: base, warnings } = await loadSettings({ workerConfig: flags.workerConfig, strict: flags.strict, policy: flags.policy }, io);
  // The API server validates the object against its schema after admission, whatever the
  // webhook did: pmc's own checks (the options, the selector, the pod rules) stay, the OpenAPI
  // schema check (a tenth of a review's time) is the CLI's.
  const settings: WebhookSettings = { ...base, mode: flags.mode, applies: flags.customizer, workerUsers: flags.workerUser, schema: undefined };
  const log = jsonLog(io);
  await logReporter(log, 'worker config').report(warnings);
  // Each mode expects the worker to be set up for it; a mismatch applies options twice or never.
  const mismatch = workerMismatch(flags.mode, base.customizer);
  if (mismatch) log({ level: 'warning', msg: mismatch });

  const certificates = new CertificateSource(flags.tlsCertFile!, flags.tlsKeyFile!, io.cwd);
  let clientCa: Buffer | undefined;
  if (flags.clientCaFile) {
    try {
      clientCa = readFileSync(resolve(io.cwd, flags.clientCaFile));
    } catch (e) {
      throw new PmcError('PMC_TLS', `cannot read the client CA ${flags.clientCaFile}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`, { location: { source: flags.clientCaFile } });
    }
  }
  const allowedNames = (flags.clientAllowedNames ?? '').split(',').map((n) => n.trim()).filter(Boolean);
  const metrics = new Metrics();
  let draining = false;
  const queue = new ReviewQueue(flags.maxConcurrentReviews, flags.maxQueuedReviews);

  const send = (res: ServerResponse, status: number, body: string, type = 'application/json', headers: Record<string, string> = {}) => {
    res.writeHead(status, { 'content-type': type, 'content-length': String(Buffer.byteLength(body)), ...headers });
    res.end(body);
  };
  const failure = (res: ServerResponse, status: number, message: string, headers: Record<string, string> = {}) => {
    metrics.badRequests++;
    log({ level: 'warning', msg: 'bad request', status, detail: message });
    send(res, status, JSON.stringify({ error: message }), 'application/json', headers);
  };
  /** The connection closed once the answer is out (not before: the client reads its status first); the header that says so. */
  const closeAfter = (req: IncomingMessage, res: ServerResponse): Record<string, string> => {
    res.on('finish', () => req.socket.end());
    return { connection: 'close' };
  };
  /** Refused before the body is read: answered, then the connection closed. */
  const refuseEarly = (req: IncomingMessage, res: ServerResponse, status: number, message: string) => {
    failure(res, status, message, closeAfter(req, res));
    req.resume();
  };

  const clientAllowed = (req: IncomingMessage): string | undefined => {
    if (!clientCa || allowedNames.length === 0) return undefined;
    const peer = (req.socket as TLSSocket).getPeerCertificate();
    const names = [peer.subject?.CN, ...String(peer.subjectaltname ?? '').split(', ').filter((n) => n.startsWith('DNS:')).map((n) => n.slice(4))].filter((n): n is string => typeof n === 'string');
    return names.some((n) => allowedNames.includes(n)) ? undefined : `the client certificate (${names.join(', ') || 'no name'}) is none of --client-allowed-names`;
  };

  const mutate = (req: IncomingMessage, res: ServerResponse) => {
    if (req.url?.split('?')[0] !== '/mutate') return refuseEarly(req, res, 404, 'not found: the webhook answers POST /mutate');
    if (req.method !== 'POST') return refuseEarly(req, res, 405, 'method not allowed: POST an AdmissionReview to /mutate');
    const denied = clientAllowed(req);
    if (denied) return refuseEarly(req, res, 403, denied);
    const declared = Number(req.headers['content-length']);
    if (declared > flags.maxBodyBytes) return refuseEarly(req, res, 413, `request body over ${flags.maxBodyBytes} bytes`);
    req.pause();
    const admitted = queue.admit(() => readReview(req, res));
    if (!admitted) {
      metrics.rejected++;
      send(res, 429, JSON.stringify({ error: `busy: ${flags.maxConcurrentReviews} reviews in flight and ${flags.maxQueuedReviews} waiting` }), 'application/json', { 'retry-after': '1', ...closeAfter(req, res) });
      req.resume();
    }
  };

  const readReview = (req: IncomingMessage, res: ServerResponse) => {
    let released = false;
    const done = () => {
      if (!released) (released = true), queue.release();
    };
    // A client that left while it waited frees its slot at once.
    if (req.destroyed || res.closed) return done();
    res.on('close', done);
    readBody(req, { maxBytes: flags.maxBodyBytes, timeoutMs: flags.requestTimeout }, (outcome) => {
      if (outcome.kind === 'too-slow') {
        // Cut off, so that a slow client cannot hold a slot.
        failure(res, 408, outcome.message, { connection: 'close' });
        res.on('finish', () => req.destroy());
      } else if (outcome.kind === 'too-large') failure(res, 413, outcome.message, closeAfter(req, res));
      else if (outcome.kind === 'body') answer(outcome.body, res);
      done();
    });
  };

  const answer = (raw: Buffer, res: ServerResponse) => {
    const started = process.hrtime.bigint();
    const parsed = tryParseJson(raw.toString('utf8'));
    if (!parsed) return failure(res, 400, 'the body is not JSON');
    const body = parsed.value;
    try {
      const { review, summary } = reviewAdmission(body, settings, VERSION);
      const seconds = Number(process.hrtime.bigint() - started) / 1e9;
      metrics.review(summary.outcome, seconds);
      log({ level: 'info', msg: 'review', ...summary, ms: Math.round(seconds * 1e4) / 10 });
      send(res, 200, JSON.stringify(review));
    } catch (e) {
      if (e instanceof BadReview) failure(res, 400, e.message);
      else {
        // A bug, not an answer: logged with what it was, answered without the object.
        log({ level: 'error', msg: 'review failed', detail: (e as Error).message });
        send(res, 500, JSON.stringify({ error: `pmc webhook could not answer this review: ${(e as Error).message}` }));
      }
    }
  };

  const ciphers = flags.tlsCipherSuites ? flags.tlsCipherSuites.split(/[,:]/).map((c) => c.trim()).filter(Boolean) : DEFAULT_TLS12_CIPHERS;
  const tlsOptions: ServerOptions = {
    cert: certificates.current.cert,
    key: certificates.current.key,
    minVersion: flags.tlsMinVersion === '1.3' ? 'TLSv1.3' : 'TLSv1.2',
    ciphers: [...TLS13_CIPHERS, ...ciphers].join(':'),
    honorCipherOrder: true,
    ...(clientCa ? { ca: clientCa, requestCert: true, rejectUnauthorized: true } : {}),
    // Slow headers are cut within a second of --request-timeout, not at Node's 30 s sweep.
    connectionsCheckingInterval: Math.max(100, Math.min(1000, Math.floor(flags.requestTimeout / 4))),
  };
  let server;
  try {
    server = createHttpsServer(tlsOptions, mutate);
  } catch (e) {
    throw new PmcError('PMC_TLS', `the TLS settings are refused: ${(e as Error).message} (check --tls-cipher-suites: OpenSSL names such as ${DEFAULT_TLS12_CIPHERS[0]})`, { location: { source: '--tls-cipher-suites' } });
  }
  server.requestTimeout = flags.requestTimeout;
  server.headersTimeout = flags.requestTimeout;
  server.keepAliveTimeout = 5_000;
  // Plain HTTP sent to the TLS port gets an answer that says so, not a silent close.
  // The answer goes on the raw TCP socket under the TLS one (Node keeps it as _parent): TLS
  // never started, so the client reads plain text.
  server.on('tlsClientError', (e: NodeJS.ErrnoException, socket: Socket) => {
    const raw = (socket as unknown as { _parent?: Socket })._parent;
    if (e.code === 'ERR_SSL_HTTP_REQUEST' && raw && !raw.destroyed) {
      const body = 'this port speaks HTTPS: POST the AdmissionReview to https://.../mutate\n';
      raw.end(`HTTP/1.1 400 Bad Request\r\ncontent-type: text/plain\r\ncontent-length: ${Buffer.byteLength(body)}\r\nconnection: close\r\n\r\n${body}`);
    } else socket.destroy();
  });

  // cert-manager renews the Secret in place: load the new pair when the files change and pass their checks.
  const reload = () => {
    const { outcome, detail } = certificates.reload();
    if (outcome === 'reloaded' || outcome === 'recovered') {
      server.setSecureContext({ ...tlsOptions, cert: certificates.current.cert, key: certificates.current.key });
      log({ level: 'info', msg: outcome === 'reloaded' ? 'tls reloaded' : 'tls files good again', notAfter: certificates.current.notAfter.toISOString() });
    } else if (outcome === 'failed') {
      log({ level: 'warning', msg: 'tls reload failed, keeping the last good certificate (not ready until the files are good)', detail });
    }
  };
  const watched = certificates.files;
  for (const f of watched) watchFile(f, { interval: flags.tlsReloadInterval, persistent: false }, reload);

  const health: Server = createHttpServer((req, res) => {
    const path = req.url?.split('?')[0];
    if (path === '/healthz') return send(res, 200, 'ok\n', 'text/plain');
    if (path === '/readyz') {
      const why = draining ? 'draining' : certificates.notReady();
      return why ? send(res, 503, `${why}\n`, 'text/plain') : send(res, 200, 'ok\n', 'text/plain');
    }
    if (path === '/metrics') return send(res, 200, metrics.text({ inFlight: queue.inFlight, queued: queue.waitingCount, certificate: { reloads: certificates.reloads, reloadFailures: certificates.reloadFailures, notAfter: certificates.current.notAfter } }), 'text/plain; version=0.0.4');
    send(res, 404, 'not found\n', 'text/plain');
  });

  const listen = (s: Server, port: number, what: string) =>
    new Promise<number>((ok, fail) => {
      s.once('error', (e) => fail(listenError(what, flags.host, port, e as NodeJS.ErrnoException)));
      s.listen(port, flags.host, () => ok((s.address() as AddressInfo).port));
    });
  // Both listeners or none: a webhook without its health port would never turn ready, nor be restarted.
  const bound = await Promise.allSettled([listen(server, flags.port, 'the webhook (HTTPS)'), listen(health, flags.healthPort, 'the health port')]);
  const failed = bound.find((b): b is PromiseRejectedResult => b.status === 'rejected');
  if (failed) {
    for (const f of watched) unwatchFile(f, reload);
    await Promise.all([server, health].map((s) => new Promise<void>((ok) => (s.listening ? s.close(() => ok()) : ok()))));
    throw failed.reason;
  }
  const [port, healthPort] = bound.map((b) => (b as PromiseFulfilledResult<number>).value);
  log({ level: 'info', msg: 'listening', port, healthPort, mode: flags.mode, customizer: base.customizer, version: VERSION, certificateNotAfter: certificates.current.notAfter.toISOString() });

  await new Promise<void>((done) => {
    let stopping = false;
    const stop = () => {
      if (stopping) return;
      stopping = true;
      draining = true;
      log({ level: 'info', msg: `stopping: not ready, still serving for ${flags.shutdownDelay} ms while the endpoints change` });
      setTimeout(() => {
        log({ level: 'info', msg: 'stopping: no new connections; answering those in flight' });
        for (const f of watched) unwatchFile(f, reload);
        const timer = setTimeout(() => server.closeAllConnections(), 10_000);
        server.close(() => {
          clearTimeout(timer);
          health.close(() => done());
          health.closeAllConnections();
        });
        server.closeIdleConnections();
      }, flags.shutdownDelay);
    };
    signals(stop, () => {
      log({ level: 'info', msg: 'SIGHUP: reloading the certificate' });
      reload();
    });
  });
  log({ level: 'info', msg: 'stopped' });
  return EXIT_OK;
}
