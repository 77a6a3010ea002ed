// pmc webhook as the API server meets it: a real HTTPS server on loopback, with a test CA
// made by openssl, called as the API server calls it; health, metrics, bad requests, a
// bounded load, a certificate renewed in place, SIGTERM, and what the log never holds.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { copyFileSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { request as httpRequest } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { connect } from 'node:tls';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const root = join(import.meta.dirname, '..');
const dir = mkdtempSync(join(tmpdir(), 'pmc-webhook-tls-'));

function openssl(args: string[]): void {
  const r = spawnSync('openssl', args, { cwd: dir, encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`openssl ${args.join(' ')}: ${r.stderr}`);
}

/** A CA and a serving certificate for 127.0.0.1 signed by it. */
function makePki(name: string): void {
  openssl(['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', `${name}-ca.key`, '-out', `${name}-ca.crt`, '-days', '1', '-subj', `/CN=${name} test CA`]);
  openssl(['req', '-newkey', 'rsa:2048', '-nodes', '-keyout', `${name}.key`, '-out', `${name}.csr`, '-subj', '/CN=pmc-webhook']);
  writeFileSync(join(dir, 'san.ext'), 'subjectAltName=IP:127.0.0.1,DNS:localhost\n');
  openssl(['x509', '-req', '-in', `${name}.csr`, '-CA', `${name}-ca.crt`, '-CAkey', `${name}-ca.key`, '-CAcreateserial', '-out', `${name}.crt`, '-days', '1', '-extfile', 'san.ext']);
}

interface Running {
  child: ChildProcess;
  port: number;
  healthPort: number;
  log: () => string;
  exited: Promise<number | null>;
}

/** The argv of a webhook on loopback serving the files `files`.crt and .key (a copy of the `one` pair unless told). */
function argv(extra: string[], files: string): string[] {
  return [join(root, 'bin', 'pmc.js'), 'webhook', '-w', join(root, 'fixtures', 'render', 'worker-security-context.yml'), '--tls-cert-file', join(dir, `${files}.crt`), '--tls-key-file', join(dir, `${files}.key`), '--port', '0', '--health-port', '0', '--host', '127.0.0.1', '--mode', 'webhook-only', '--tls-reload-interval', '100', '--request-timeout', '1500', '--max-body-bytes', '500000', ...extra];
}

async function start(extra: string[] = [], files = 'tls', pair = 'one'): Promise<Running> {
  copyFileSync(join(dir, `${pair}.crt`), join(dir, `${files}.crt`));
  copyFileSync(join(dir, `${pair}.key`), join(dir, `${files}.key`));
  const child = spawn(process.execPath, argv(extra, files), { stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  // 'close', not 'exit': it comes after the child's stderr is read to the end.
  const exited = new Promise<number | null>((ok) => child.on('close', (code) => ok(code)));
  const ports = await new Promise<{ port: number; healthPort: number }>((ok, fail) => {
    const timer = setTimeout(() => fail(new Error(`no listening line: ${stderr}`)), 10_000);
    child.stderr!.on('data', (d: Buffer) => {
      stderr += d.toString();
      const m = /"msg":"listening","port":(\d+),"healthPort":(\d+)/.exec(stderr);
      if (m) {
        clearTimeout(timer);
        ok({ port: Number(m[1]), healthPort: Number(m[2]) });
      }
    });
  });
  return { child, ...ports, log: () => stderr, exited };
}

function https(port: number, path: string, body: string | undefined, opts: { ca?: string; method?: string } = {}): Promise<{ status: number; body: string }> {
  return new Promise((ok, fail) => {
    const req = httpsRequest(
      { host: '127.0.0.1', port, path, method: opts.method ?? 'POST', ca: readFileSync(join(dir, opts.ca ?? 'one-ca.crt')), headers: { 'content-type': 'application/json' }, agent: false },
      (res) => {
        let data = '';
        res.on('data', (d) => (data += d));
        res.on('end', () => ok({ status: res.statusCode!, body: data }));
      },
    );
    req.on('error', fail);
    req.end(body);
  });
}

function http(port: number, path: string): Promise<{ status: number; body: string }> {
  return new Promise((ok, fail) => {
    httpRequest({ host: '127.0.0.1', port, path, agent: false }, (res) => {
      let data = '';
      res.on('data', (d) => (data += d));
      res.on('end', () => ok({ status: res.statusCode!, body: data }));
    })
      .on('error', fail)
      .end();
  });
}

let sts: Record<string, any>;
function reviewOf(uid: string, object = sts): string {
  return JSON.stringify({ apiVersion: 'admission.k8s.io/v1', kind: 'AdmissionReview', request: { uid, kind: { group: 'apps', version: 'v1', kind: 'StatefulSet' }, operation: 'CREATE', namespace: object.metadata.namespace, name: object.metadata.name, object } });
}

let server: Running;

beforeAll(async () => {
  makePki('one');
  makePki('two');
  // A pair that expired yesterday: openssl x509 takes negative days.
  openssl(['req', '-newkey', 'rsa:2048', '-nodes', '-keyout', 'expired.key', '-out', 'expired.csr', '-subj', '/CN=pmc-webhook']);
  openssl(['x509', '-req', '-in', 'expired.csr', '-CA', 'one-ca.crt', '-CAkey', 'one-ca.key', '-CAcreateserial', '-out', 'expired.crt', '-days', '-1', '-extfile', 'san.ext']);
  // The API server's client certificate, and one with another name.
  for (const cn of ['kube-apiserver', 'someone-else']) {
    openssl(['req', '-newkey', 'rsa:2048', '-nodes', '-keyout', `${cn}.key`, '-out', `${cn}.csr`, '-subj', `/CN=${cn}`]);
    openssl(['x509', '-req', '-in', `${cn}.csr`, '-CA', 'two-ca.crt', '-CAkey', 'two-ca.key', '-CAcreateserial', '-out', `${cn}.crt`, '-days', '1']);
  }
  const r = spawnSync(process.execPath, [join(root, 'bin', 'pmc.js'), 'render', '-c', 'hardened-function.yaml', '-w', 'worker-security-context.yml', '--customizer', 'none', '-o', 'json', '--function-id', 'a', '--function-version', 'b'], { cwd: join(root, 'fixtures', 'render'), encoding: 'utf8' });
  sts = JSON.parse(r.stdout).items[1];
  server = await start();
}, 60_000);

afterAll(() => {
  server?.child.kill('SIGKILL');
});

describe('pmc webhook over HTTPS on loopback', () => {
  it('answers a review as the API server expects it', async () => {
    const r = await https(server.port, '/mutate', reviewOf('first'));
    expect(r.status).toBe(200);
    const review = JSON.parse(r.body);
    expect(review).toMatchObject({ apiVersion: 'admission.k8s.io/v1', kind: 'AdmissionReview', response: { uid: 'first', allowed: true, patchType: 'JSONPatch' } });
    expect(JSON.parse(Buffer.from(review.response.patch, 'base64').toString()).length).toBeGreaterThan(0);
  });

  it('health, readiness and Prometheus metrics on the plain port', async () => {
    expect(await http(server.healthPort, '/healthz')).toEqual({ status: 200, body: 'ok\n' });
    expect(await http(server.healthPort, '/readyz')).toEqual({ status: 200, body: 'ok\n' });
    const metrics = (await http(server.healthPort, '/metrics')).body;
    expect(metrics).toMatch(/^pmc_webhook_reviews_total\{outcome="patched"\} [1-9]/m);
    expect(metrics).toMatch(/^# TYPE pmc_webhook_review_duration_seconds histogram$/m);
    expect(metrics).toMatch(/^pmc_webhook_review_duration_seconds_count [1-9]/m);
  });

  it('bad requests get a 4xx or a closed connection, and the server stays healthy', async () => {
    expect((await https(server.port, '/mutate', undefined, { method: 'GET' })).status).toBe(405);
    expect((await https(server.port, '/other', '{}')).status).toBe(404);
    expect((await https(server.port, '/mutate', 'not json')).status).toBe(400);
    expect((await https(server.port, '/mutate', JSON.stringify({ apiVersion: 'admission.k8s.io/v1', kind: 'AdmissionReview' }))).status).toBe(400);
    const huge = await https(server.port, '/mutate', `{"pad":"${'x'.repeat(600_000)}"}`).catch((e: Error) => ({ status: 0, body: e.message }));
    expect([0, 413]).toContain(huge.status);
    // A slow client: headers, a little of the body, then nothing: the server closes it.
    const closed = await new Promise<string>((ok) => {
      const socket = connect({ host: '127.0.0.1', port: server.port, ca: readFileSync(join(dir, 'one-ca.crt')) }, () => {
        socket.write('POST /mutate HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\nContent-Length: 1000\r\n\r\n{"apiVersion"');
      });
      let data = '';
      socket.on('data', (d) => (data += d));
      socket.on('close', () => ok(data));
      socket.on('error', () => ok(data));
      setTimeout(() => ok('still open after 8 s'), 8_000);
    });
    expect(closed).not.toBe('still open after 8 s');
    // Slow headers: cut at the request timeout (1.5 s here), not at Node's 30 s sweep.
    const started = Date.now();
    await new Promise<void>((ok) => {
      const socket = connect({ host: '127.0.0.1', port: server.port, ca: readFileSync(join(dir, 'one-ca.crt')) }, () => socket.write('POST /mutate HTTP/1.1\r\nHost: 127.0.0.1\r\n'));
      socket.on('data', () => undefined);
      socket.on('close', () => ok());
      socket.on('error', () => ok());
      setTimeout(() => (socket.destroy(), ok()), 8_000);
    });
    expect(Date.now() - started).toBeLessThan(5_000);
    expect((await http(server.healthPort, '/healthz')).status).toBe(200);
    expect((await https(server.port, '/mutate', reviewOf('after'))).status).toBe(200);
    expect((await http(server.healthPort, '/metrics')).body).toMatch(/^pmc_webhook_bad_requests_total [4-9]/m);
  }, 20_000);

  it('a bounded load: 300 reviews, 8 at a time, every answer right', async () => {
    let next = 0;
    const wrong: string[] = [];
    const worker = async () => {
      while (next < 300) {
        const uid = `load-${next++}`;
        const r = await https(server.port, '/mutate', reviewOf(uid));
        const review = JSON.parse(r.body);
        if (r.status !== 200 || review.response.uid !== uid || review.response.patchType !== 'JSONPatch') wrong.push(uid);
      }
    };
    await Promise.all(Array.from({ length: 8 }, worker));
    expect(wrong).toEqual([]);
  }, 60_000);

  it('a token in the command never reaches the log', async () => {
    const secret = structuredClone(sts);
    secret.spec.template.spec.containers[0].command[2] += ' --client_auth_plugin org.apache.pulsar.client.impl.auth.AuthenticationToken --client_auth_params token:eyJSECRETTOKEN';
    expect((await https(server.port, '/mutate', reviewOf('secret', secret))).status).toBe(200);
    // The log line is written before the answer, but the pipe may deliver it after.
    for (let i = 0; i < 40 && !server.log().includes('"uid":"secret"'); i++) await new Promise((r) => setTimeout(r, 50));
    expect(server.log()).toContain('"uid":"secret"');
    expect(server.log()).not.toContain('SECRETTOKEN');
    // One structured line per review.
    const lines = server.log().trim().split('\n');
    for (const line of lines) expect(() => JSON.parse(line)).not.toThrow();
  });

  it('loads a certificate renewed in place (as cert-manager does)', async () => {
    await expect(https(server.port, '/mutate', reviewOf('old-ca'), { ca: 'two-ca.crt' })).rejects.toThrow();
    copyFileSync(join(dir, 'two.key'), join(dir, 'tls.key'));
    copyFileSync(join(dir, 'two.crt'), join(dir, 'tls.crt'));
    let status = 0;
    for (let i = 0; i < 50 && status !== 200; i++) {
      await new Promise((r) => setTimeout(r, 100));
      status = await https(server.port, '/mutate', reviewOf('new-ca'), { ca: 'two-ca.crt' }).then((r) => r.status, () => 0);
    }
    expect(status).toBe(200);
    expect((await http(server.healthPort, '/metrics')).body).toMatch(/^pmc_webhook_tls_reloads_total [1-9]/m);
  }, 15_000);

  it('SIGTERM: not ready, the open request answered, then exit 0', async () => {
    const own = await start(['--shutdown-delay', '500'], 'sigterm');
    const body = reviewOf('in-flight');
    const answer = new Promise<{ status: number; body: string }>((ok, fail) => {
      const req = httpsRequest({ host: '127.0.0.1', port: own.port, path: '/mutate', method: 'POST', ca: readFileSync(join(dir, 'one-ca.crt')), headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) }, agent: false }, (res) => {
        let data = '';
        res.on('data', (d) => (data += d));
        res.on('end', () => ok({ status: res.statusCode!, body: data }));
      });
      req.on('error', fail);
      req.write(body.slice(0, 100));
      setTimeout(async () => {
        own.child.kill('SIGTERM');
        await new Promise((r) => setTimeout(r, 200));
        const ready = await http(own.healthPort, '/readyz').catch(() => ({ status: 0, body: '' }));
        expect(ready.status).toBe(503);
        req.end(body.slice(100));
      }, 300);
    });
    const r = await answer;
    expect(r.status).toBe(200);
    expect(JSON.parse(r.body).response.uid).toBe('in-flight');
    expect(await own.exited).toBe(0);
    expect(own.log()).toContain('"msg":"stopped"');
  }, 20_000);
});

/** Runs pmc webhook to its end: status and stderr. */
function runToEnd(args: string[]): Promise<{ status: number | null; stderr: string }> {
  return new Promise((ok) => {
    const child = spawn(process.execPath, args, { stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr!.on('data', (d: Buffer) => (stderr += d));
    const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
    child.on('close', (status) => (clearTimeout(timer), ok({ status, stderr })));
  });
}

async function until<T>(get: () => Promise<T>, ok: (v: T) => boolean, ms = 5_000): Promise<T> {
  let v = await get();
  for (let waited = 0; !ok(v) && waited < ms; waited += 100) {
    await new Promise((r) => setTimeout(r, 100));
    v = await get();
  }
  return v;
}

describe('pmc webhook under failurePolicy Fail: start-up, certificates, limits, drain', () => {
  it('start-up serves everything or exits naming the cause: a taken health port, a bad or mismatched pair, an expired certificate', async () => {
    const taken = await start([], 'taken');
    try {
      copyFileSync(join(dir, 'one.crt'), join(dir, 'b.crt'));
      copyFileSync(join(dir, 'one.key'), join(dir, 'b.key'));
      const args = argv([], 'b').map((a, i, all) => (all[i - 1] === '--health-port' ? String(taken.healthPort) : a));
      const r = await runToEnd(args);
      expect(r.status).toBe(1);
      expect(r.stderr.split('\n').filter((l) => l.startsWith('pmc: '))).toEqual([`pmc: error: --health-port: cannot listen on 127.0.0.1:${taken.healthPort} for the health port: the port is in use [PMC_LISTEN]`]);
    } finally {
      taken.child.kill('SIGKILL');
    }
    writeFileSync(join(dir, 'garbage.crt'), 'not a certificate\n');
    copyFileSync(join(dir, 'one.key'), join(dir, 'garbage.key'));
    const garbage = await runToEnd(argv([], 'garbage'));
    expect(garbage.status).toBe(1);
    expect(garbage.stderr.split('\n').filter((l) => l.startsWith('pmc: '))).toEqual([`pmc: error: ${join(dir, 'garbage.crt')}: the TLS certificate ${join(dir, 'garbage.crt')} holds no PEM certificate (no -----BEGIN CERTIFICATE----- block): give the tls.crt of the webhook's Secret [PMC_TLS]`]);
    copyFileSync(join(dir, 'one.crt'), join(dir, 'mismatch.crt'));
    copyFileSync(join(dir, 'two.key'), join(dir, 'mismatch.key'));
    const mismatch = await runToEnd(argv([], 'mismatch'));
    expect(mismatch.status).toBe(1);
    expect(mismatch.stderr).toContain(`is not the key of the certificate ${join(dir, 'mismatch.crt')}`);
    const expired = await runToEnd(argv([], 'expired'));
    expect(expired.status).toBe(1);
    expect(expired.stderr).toMatch(/the TLS certificate \S+expired\.crt expired at 20\d\d-/);
    expect(`${garbage.stderr}${mismatch.stderr}${expired.stderr}`).not.toContain('internal error');
  }, 30_000);

  it('a failed reload (garbage, mismatched, empty, deleted, expired) keeps the last good pair, fails /readyz and is counted; good files make it ready again', async () => {
    const own = await start([], 'reload');
    try {
      const ready = () => http(own.healthPort, '/readyz');
      expect((await ready()).status).toBe(200);
      const crt = join(dir, 'reload.crt');
      const key = join(dir, 'reload.key');
      const breaks: [string, () => void][] = [
        ['garbage', () => writeFileSync(crt, 'garbage\n')],
        ['mismatched', () => (copyFileSync(join(dir, 'one.crt'), crt), copyFileSync(join(dir, 'two.key'), key))],
        ['empty', () => (copyFileSync(join(dir, 'one.key'), key), writeFileSync(crt, ''))],
        ['deleted', () => rmSync(crt)],
        ['expired', () => (copyFileSync(join(dir, 'expired.crt'), crt), copyFileSync(join(dir, 'expired.key'), key))],
      ];
      let failures = 0;
      for (const [what, breakIt] of breaks) {
        breakIt();
        const r = await until(ready, (x) => x.status === 503);
        expect(r.status, what).toBe(503);
        // Still serving the last good pair meanwhile.
        expect((await https(own.port, '/mutate', reviewOf(`during-${what}`))).status, what).toBe(200);
        const count = await until(async () => Number(/^pmc_webhook_tls_reload_failures_total (\d+)/m.exec((await http(own.healthPort, '/metrics')).body)![1]), (n) => n > failures);
        expect(count, what).toBeGreaterThan(failures);
        failures = count;
        copyFileSync(join(dir, 'one.crt'), crt);
        copyFileSync(join(dir, 'one.key'), key);
        expect((await until(ready, (x) => x.status === 200)).status, `${what}: recovered`).toBe(200);
      }
      expect((await http(own.healthPort, '/metrics')).body).toMatch(/^pmc_webhook_tls_certificate_expiry_seconds \d{10}$/m);
    } finally {
      own.child.kill('SIGKILL');
    }
  }, 60_000);

  it('SIGTERM under load with the delay: no connection refused during it, every request answered, exit 0', async () => {
    const own = await start(['--shutdown-delay', '1500'], 'drain');
    let refused = 0;
    let answered = 0;
    let running = true;
    const load = Promise.all(
      Array.from({ length: 4 }, async () => {
        while (running) {
          const r = await https(own.port, '/mutate', reviewOf('drain')).catch(() => ({ status: 0, body: '' }));
          if (r.status === 200) answered++;
          else refused++;
        }
      }),
    );
    await new Promise((r) => setTimeout(r, 300));
    own.child.kill('SIGTERM');
    await new Promise((r) => setTimeout(r, 200));
    expect((await http(own.healthPort, '/readyz')).status).toBe(503);
    // Well inside the delay: stop the load; every request so far must have been answered.
    await new Promise((r) => setTimeout(r, 700));
    running = false;
    await load;
    expect(refused).toBe(0);
    expect(answered).toBeGreaterThan(10);
    expect(await own.exited).toBe(0);
  }, 20_000);

  it('a full queue answers 429 with Retry-After; plain HTTP on the TLS port is told so; CBC suites and TLS 1.1 are refused', async () => {
    const own = await start(['--max-concurrent-reviews', '1', '--max-queued-reviews', '0'], 'busy');
    try {
      // One slow review holds the only slot.
      const holder = connect({ host: '127.0.0.1', port: own.port, ca: readFileSync(join(dir, 'one-ca.crt')) }, () => {
        holder.write('POST /mutate HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\nContent-Length: 1000\r\n\r\n{');
      });
      await new Promise((r) => setTimeout(r, 300));
      const busy = await new Promise<{ status: number; retry?: string }>((ok, fail) => {
        const req = httpsRequest({ host: '127.0.0.1', port: own.port, path: '/mutate', method: 'POST', ca: readFileSync(join(dir, 'one-ca.crt')), agent: false }, (res) => {
          res.resume();
          ok({ status: res.statusCode!, retry: res.headers['retry-after'] as string | undefined });
        });
        req.on('error', fail);
        req.end(reviewOf('busy'));
      });
      expect(busy).toEqual({ status: 429, retry: '1' });
      holder.destroy();
      expect((await until(() => https(own.port, '/mutate', reviewOf('free')).catch(() => ({ status: 0, body: '' })), (r) => r.status === 200)).status).toBe(200);
      expect((await http(own.healthPort, '/metrics')).body).toMatch(/^pmc_webhook_rejected_total 1$/m);

      const plain = await http(own.port, '/mutate').catch((e: Error) => ({ status: 0, body: e.message }));
      expect(plain.status).toBe(400);
      expect(plain.body).toContain('this port speaks HTTPS');

      const handshake = (opts: Record<string, unknown>) =>
        new Promise<string>((ok) => {
          const socket = connect({ host: '127.0.0.1', port: own.port, ca: readFileSync(join(dir, 'one-ca.crt')), ...opts }, () => {
            ok(`${socket.getProtocol()} ${socket.getCipher().name}`);
            socket.destroy();
          });
          socket.on('error', () => ok('refused'));
        });
      expect(await handshake({ maxVersion: 'TLSv1.2', ciphers: 'AES128-SHA:ECDHE-RSA-AES128-SHA' })).toBe('refused');
      expect(await handshake({ maxVersion: 'TLSv1.1', minVersion: 'TLSv1', ciphers: 'DEFAULT:@SECLEVEL=0' })).toBe('refused');
      expect(await handshake({ maxVersion: 'TLSv1.2' })).toMatch(/^TLSv1\.2 ECDHE-RSA-AES\d+-GCM-SHA\d+$/);
    } finally {
      own.child.kill('SIGKILL');
    }
  }, 30_000);

  it("--client-ca-file: the API server's client certificate is required and its name checked", async () => {
    const own = await start(['--client-ca-file', join(dir, 'two-ca.crt'), '--client-allowed-names', 'kube-apiserver'], 'mtls');
    try {
      const call = (cn?: string) =>
        new Promise<number>((ok) => {
          const req = httpsRequest(
            { host: '127.0.0.1', port: own.port, path: '/mutate', method: 'POST', ca: readFileSync(join(dir, 'one-ca.crt')), agent: false, ...(cn ? { cert: readFileSync(join(dir, `${cn}.crt`)), key: readFileSync(join(dir, `${cn}.key`)) } : {}) },
            (res) => (res.resume(), ok(res.statusCode!)),
          );
          req.on('error', () => ok(0));
          req.end(reviewOf('mtls'));
        });
      expect(await call()).toBe(0);
      expect(await call('someone-else')).toBe(403);
      expect(await call('kube-apiserver')).toBe(200);
    } finally {
      own.child.kill('SIGKILL');
    }
  }, 20_000);
});
