// pmc webhook on loopback, measured side by side with a bare Node HTTPS server that answers a
// fixed review (the floor any Node webhook stands on), and under large reviews: four 1.4 MiB
// StatefulSets at once (a function with a 1.4 MiB userConfig, which Pulsar embeds in the
// command) while normal reviews and health probes go on. Part of `npm run bench`; alone:
//
//   node bench/webhook.mjs [--quick]
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { request as httpRequest } from 'node:http';
import { Agent, request as httpsRequest } from 'node:https';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';

const root = new URL('..', import.meta.url).pathname;
const pmc = join(root, 'bin', 'pmc.js');

/** A CA and a serving certificate for 127.0.0.1; undefined without openssl. */
function pki(dir) {
  mkdirSync(dir, { recursive: true });
  const ssl = (args) => spawnSync('openssl', args, { cwd: dir, encoding: 'utf8' }).status === 0;
  writeFileSync(join(dir, 'san.ext'), 'subjectAltName=IP:127.0.0.1\n');
  const ok =
    ssl(['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', 'ca.key', '-out', 'ca.crt', '-days', '1', '-subj', '/CN=bench CA']) &&
    ssl(['req', '-newkey', 'rsa:2048', '-nodes', '-keyout', 'tls.key', '-out', 'tls.csr', '-subj', '/CN=pmc']) &&
    ssl(['x509', '-req', '-in', 'tls.csr', '-CA', 'ca.crt', '-CAkey', 'ca.key', '-CAcreateserial', '-out', 'tls.crt', '-days', '1', '-extfile', 'san.ext']);
  return ok ? { ca: readFileSync(join(dir, 'ca.crt')), cert: join(dir, 'tls.crt'), key: join(dir, 'tls.key') } : undefined;
}

/** Starts a process that logs `"msg":"listening","port":N,"healthPort":M` and waits for it. */
function startServer(args, env = {}) {
  const child = spawn(process.execPath, args, { stdio: ['ignore', 'ignore', 'pipe'], env: { ...process.env, ...env } });
  let log = '';
  return new Promise((ok, fail) => {
    child.stderr.on('data', (d) => {
      log += d;
      const m = /"msg":"listening","port":(\d+),"healthPort":(\d+)/.exec(log);
      if (m) ok({ child, port: Number(m[1]), healthPort: Number(m[2]) });
    });
    child.on('exit', () => fail(new Error(`server exited: ${log}`)));
  });
}

/** Peak resident memory of a process so far (VmHWM), in MiB. */
function peakRss(pid) {
  const m = /VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  return m ? Number(m[1]) / 1024 : undefined;
}

function post(port, body, agent) {
  return new Promise((done, fail) => {
    const started = process.hrtime.bigint();
    const req = httpsRequest({ host: '127.0.0.1', port, path: '/mutate', method: 'POST', agent, headers: { 'content-type': 'application/json' } }, (res) => {
      res.resume();
      res.on('end', () => (res.statusCode === 200 ? done(Number(process.hrtime.bigint() - started) / 1e6) : fail(new Error(`status ${res.statusCode}`))));
    });
    req.on('error', fail);
    req.end(body);
  });
}

function probe(port) {
  return new Promise((done) => {
    const started = process.hrtime.bigint();
    httpRequest({ host: '127.0.0.1', port, path: '/readyz', agent: false }, (res) => {
      res.resume();
      res.on('end', () => done(Number(process.hrtime.bigint() - started) / 1e6));
    })
      .on('error', () => done(Infinity))
      .end();
  });
}

const at = (sorted, q) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))];
const median = (xs) => at([...xs].sort((a, b) => a - b), 0.5);

/** `n` reviews, `concurrency` at a time: reviews per second and latencies. */
async function load(port, ca, reviews, n, concurrency) {
  const agent = new Agent({ keepAlive: true, maxSockets: concurrency, ca });
  for (let i = 0; i < 30; i++) await post(port, reviews[i % reviews.length], agent); // warm-up
  const latencies = [];
  let next = 0;
  const started = process.hrtime.bigint();
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < n) latencies.push(await post(port, reviews[next++ % reviews.length], agent));
    }),
  );
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  agent.destroy();
  latencies.sort((a, b) => a - b);
  return { perSecond: n / seconds, p50: at(latencies, 0.5), p99: at(latencies, 0.99) };
}

const BARE = `
const { createServer } = require('node:https');
const { readFileSync } = require('node:fs');
const answer = JSON.stringify({ apiVersion: 'admission.k8s.io/v1', kind: 'AdmissionReview', response: { uid: 'x', allowed: true } });
const s = createServer({ cert: readFileSync(process.argv[2]), key: readFileSync(process.argv[3]), minVersion: 'TLSv1.2' }, (req, res) => {
  const chunks = [];
  req.on('data', (c) => chunks.push(c));
  req.on('end', () => { JSON.parse(Buffer.concat(chunks).toString('utf8')); res.writeHead(200, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(answer) }); res.end(answer); });
});
s.listen(0, '127.0.0.1', () => process.stderr.write('{"msg":"listening","port":' + s.address().port + ',"healthPort":0}\\n'));
`;

/**
 * The webhook benchmarks. `worker` is a worker file for webhook-only mode, `statefulSets` the
 * StatefulSets to review, `big` one large StatefulSet. Returns the lines to print and the
 * targets' verdicts.
 */
export async function benchWebhook({ work, worker, statefulSets, big, quick }) {
  const tls = pki(join(work, 'webhook-tls'));
  if (!tls) return { lines: ['pmc webhook: not measured (no openssl)'], verdicts: [] };
  const review = (object, i) => JSON.stringify({ apiVersion: 'admission.k8s.io/v1', kind: 'AdmissionReview', request: { uid: `b-${i}`, kind: { group: 'apps', version: 'v1', kind: 'StatefulSet' }, operation: 'CREATE', object } });
  const reviews = statefulSets.map(review);
  const webhookArgs = [pmc, 'webhook', '-w', worker, '--tls-cert-file', tls.cert, '--tls-key-file', tls.key, '--port', '0', '--health-port', '0', '--host', '127.0.0.1', '--mode', 'webhook-only', '--shutdown-delay', '0'];
  const bareFile = join(work, 'bare-webhook.cjs');
  writeFileSync(bareFile, BARE);
  const lines = [];
  const verdicts = [];

  // 1. Throughput at concurrency 8, pmc and the bare server interleaved round by round.
  const webhook = await startServer(webhookArgs);
  const bare = await startServer([bareFile, tls.cert, tls.key]);
  const n = quick ? 500 : 2000;
  const rounds = quick ? 3 : 5;
  const mine = [];
  const floor = [];
  for (let r = 0; r < rounds; r++) {
    mine.push(await load(webhook.port, tls.ca, reviews, n, 8));
    floor.push(await load(bare.port, tls.ca, reviews, n, 8));
  }
  bare.child.kill('SIGKILL');
  const m = { perSecond: median(mine.map((x) => x.perSecond)), p50: median(mine.map((x) => x.p50)), p99: median(mine.map((x) => x.p99)) };
  const f = { perSecond: median(floor.map((x) => x.perSecond)), p99: median(floor.map((x) => x.p99)) };
  lines.push(
    `pmc webhook on loopback (HTTPS, webhook-only, ${n} reviews of rendered StatefulSets, 8 at a time, median of ${rounds} rounds): ${m.perSecond.toFixed(0)} reviews/s (p50 ${m.p50.toFixed(1)} ms, p99 ${m.p99.toFixed(1)} ms); a bare Node HTTPS server answering a fixed review: ${f.perSecond.toFixed(0)} reviews/s (p99 ${f.p99.toFixed(1)} ms); ratio ${(m.perSecond / f.perSecond).toFixed(2)}`,
  );
  verdicts.push([`webhook throughput at concurrency 8, pmc / bare server`, m.perSecond / f.perSecond, 0.5, 'higher']);
  const idle = peakRss(webhook.child.pid);
  webhook.child.kill('SIGKILL');

  // 2. Large reviews: four at once, again and again, while normal reviews and probes go on.
  const large = await startServer(webhookArgs);
  const bigReview = review(big, 'big');
  const agent = new Agent({ keepAlive: true, maxSockets: 16, ca: tls.ca });
  let running = true;
  const normal = [];
  const probes = [];
  const bigTimes = [];
  const rss = [];
  const sampler = setInterval(() => rss.push(peakRss(large.child.pid)), 100);
  const rounds2 = quick ? 5 : 15;
  const bigLoad = Promise.all(
    Array.from({ length: 4 }, async () => {
      for (let i = 0; i < rounds2; i++) bigTimes.push(await post(large.port, bigReview, agent));
    }),
  );
  const normalLoad = Promise.all(
    Array.from({ length: 2 }, async () => {
      let i = 0;
      while (running) normal.push(await post(large.port, reviews[i++ % reviews.length], agent));
    }),
  );
  const prober = (async () => {
    while (running) {
      probes.push(await probe(large.healthPort));
      await new Promise((r) => setTimeout(r, 50));
    }
  })();
  await bigLoad;
  running = false;
  await Promise.all([normalLoad, prober]);
  clearInterval(sampler);
  agent.destroy();
  const peak = peakRss(large.child.pid);
  large.child.kill('SIGKILL');
  normal.sort((a, b) => a - b);
  probes.sort((a, b) => a - b);
  bigTimes.sort((a, b) => a - b);
  const mib = (Buffer.byteLength(bigReview) / 1048576).toFixed(1);
  lines.push(
    `pmc webhook, four ${mib} MiB reviews at once (${rounds2} rounds) beside normal reviews and /readyz probes: large reviews p50 ${at(bigTimes, 0.5).toFixed(0)} ms; normal reviews p99 ${at(normal, 0.99).toFixed(1)} ms (${normal.length}); probes max ${probes[probes.length - 1].toFixed(1)} ms (${probes.length}); peak RSS ${peak.toFixed(0)} MiB (idle after the throughput run: ${idle.toFixed(0)} MiB)`,
  );
  verdicts.push(['four large reviews at once, peak RSS MiB (half of deploy/ 256 Mi limit)', peak, 128, 'lower']);
  verdicts.push(['normal review p99 ms meanwhile', at(normal, 0.99), 250, 'lower']);
  verdicts.push(['health probe max ms meanwhile', probes[probes.length - 1], 1000, 'lower']);
  return { lines, verdicts };
}

/** A rendered StatefulSet made large: a userConfig of `bytes` in the function details of its command. */
export function largeStatefulSet(sts, bytes) {
  const big = structuredClone(sts);
  const command = big.spec.template.spec.containers[0].command;
  const details = /--function_details '([^']*)'/.exec(command[2])[1];
  const blob = 'x'.repeat(bytes);
  const withConfig = JSON.stringify({ ...JSON.parse(details), userConfig: JSON.stringify({ blob }) });
  command[2] = command[2].replace(details, withConfig);
  return big;
}

if (import.meta.url === pathToFileURL(process.argv[1]).href) {
  const quick = process.argv.includes('--quick');
  const work = mkdtempSync(join(tmpdir(), 'pmc-bench-webhook-'));
  try {
    const cwd = join(root, 'fixtures', 'render');
    const rendered = spawnSync(process.execPath, [pmc, 'render', '-c', 'hardened-function.yaml', '-w', 'worker-security-context.yml', '--customizer', 'none', '-o', 'json', '--function-id', 'a', '--function-version', 'b'], { cwd, encoding: 'utf8' });
    const sts = JSON.parse(rendered.stdout).items[1];
    const { lines, verdicts } = await benchWebhook({ work, worker: join(cwd, 'worker-security-context.yml'), statefulSets: [sts], big: largeStatefulSet(sts, 1.4 * 1048576), quick });
    console.log(`\npmc webhook benchmarks: node ${process.version}, ${new Date().toISOString().slice(0, 10)}${quick ? ' (--quick)' : ''}\n`);
    for (const l of lines) console.log(l);
    console.log('\nTargets:');
    for (const [what, value, limit, better] of verdicts) {
      const ok = better === 'lower' ? value <= limit : value >= limit;
      console.log(`  ${ok ? 'met    ' : 'NOT met'}  ${what}: ${value.toFixed(2)} (target ${better === 'lower' ? '<=' : '>='} ${limit})`);
    }
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}
