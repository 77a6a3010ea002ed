// npm run bench: pmc's start-up, throughput, pass-through and peak memory, each measured
// side by side with its reference in one run (interleaved, so machine noise hits both),
// printed as a table of medians and ratios against the targets of the README.
//
//   node bench/run.mjs            the full run (10,000-function streams; a few minutes)
//   node bench/run.mjs --quick    fewer repetitions, 1,000-function streams only
//   node bench/run.mjs --baseline ../old/bin/pmc.js
//                                 also runs another build of pmc (an older commit's, built)
//                                 beside this one in the start-up and throughput cases
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pulsarFunctionManifests } from '../test/support/pulsar-generated.mjs';
import { benchWebhook, largeStatefulSet } from './webhook.mjs';

const quick = process.argv.includes('--quick');
const baselineAt = process.argv.indexOf('--baseline');
const baseline = baselineAt > 0 ? process.argv[baselineAt + 1] : undefined;
if (baselineAt > 0 && (!baseline || !existsSync(baseline))) {
  console.error('bench: --baseline needs the bin/pmc.js of a built checkout');
  process.exit(2);
}
const root = new URL('..', import.meta.url).pathname;
const pmc = join(root, 'bin', 'pmc.js');
const floor = join(root, 'bench', 'yaml-floor.mjs');
const work = mkdtempSync(join(tmpdir(), 'pmc-bench-'));
const haveTime = existsSync('/usr/bin/time');
const kubectl = spawnSync('kubectl', ['version', '--client'], { encoding: 'utf8' }).status === 0;

if (!existsSync(join(root, 'dist', 'pmc.cjs'))) {
  console.error('bench: build first (npm run build)');
  process.exit(2);
}

// The same customization for pmc and for kustomize: labels on the objects and the pod
// template, an annotation, a node selector, and pod and container security contexts.
const WORKER = `runtimeCustomizerClassName: com.example.SecurityContextKubernetesManifestCustomizer
runtimeCustomizerConfig:
  extraLabels: {team: data-platform}
  extraAnnotations: {owner: data-team}
  nodeSelectorLabels: {workload: pulsar}
  securityContext: {runAsNonRoot: true, runAsUser: 10000, allowPrivilegeEscalation: false, dropCapabilities: [ALL]}
`;
const KUSTOMIZATION = (resource) => `resources: [${resource}]
labels:
- pairs: {team: data-platform}
  includeSelectors: false
  includeTemplates: true
commonAnnotations: {owner: data-team}
patches:
- target: {kind: StatefulSet}
  patch: |-
    apiVersion: apps/v1
    kind: StatefulSet
    metadata: {name: any}
    spec:
      template:
        spec:
          nodeSelector: {workload: pulsar}
          securityContext: {runAsNonRoot: true, runAsUser: 10000}
          containers:
          - name: pulsarfunction
            securityContext:
              allowPrivilegeEscalation: false
              capabilities: {drop: [ALL]}
`;

// pmc render's inputs: the same customization, on the Kubernetes runtime.
const RENDER_FACTORY = `functionRuntimeFactoryClassName: org.apache.pulsar.functions.runtime.kubernetes.KubernetesRuntimeFactory
functionRuntimeFactoryConfigs: {jobNamespace: pulsar, functionInstanceClassPath: /pulsar/lib/*}
pulsarServiceUrl: pulsar://localhost:6650
pulsarWebServiceUrl: http://localhost:8080
pulsarFunctionsCluster: standalone
`;

/** The i-th of a mix of configs: Java, Python and Go functions, sources and sinks. */
function renderConfig(i) {
  const head = `tenant: public\nnamespace: team-${i % 7}\nname: fn-${i}\n`;
  const io = `inputs: [persistent://public/default/in-${i}]\noutput: persistent://public/default/out-${i}\n`;
  switch (i % 5) {
    case 0:
      return `${head}className: org.example.Fn${i}\njar: fn-${i}.jar\n${io}userConfig: {greeting: hello, n: ${i}}\nresources: {cpu: 0.5, ram: 536870912}\n`;
    case 1:
      return `${head}className: fn_${i}.Fn\npy: fn_${i}.py\n${io}retainOrdering: true\nparallelism: 2\n`;
    case 2:
      return `${head}go: fn-${i}\n${io}`;
    case 3:
      return `${head}className: org.apache.pulsar.io.kafka.KafkaBytesSource\narchive: connectors/pulsar-io-kafka.nar\ntopicName: persistent://public/default/from-kafka-${i}\nconfigs: {bootstrapServers: "kafka:9092", topic: t${i}}\n`;
    default:
      return `${head}className: org.apache.pulsar.io.jdbc.PostgresJdbcAutoSchemaSink\narchive: connectors/pulsar-io-jdbc-postgres.nar\ninputs: [persistent://public/default/rows-${i}]\nconfigs: {jdbcUrl: "jdbc:postgresql://db:5432/app", tableName: t${i}}\n`;
  }
}

function pulsarStream(n) {
  return Array.from({ length: n }, (_, i) => pulsarFunctionManifests({ tenant: 'public', namespace: 'default', name: `fn-${i}` })).join('');
}

function passThroughStream(n) {
  const out = [];
  for (let i = 0; i < n; i++) {
    out.push(
      i % 2
        ? `---\napiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: config-${i}\n  namespace: apps\n  labels: {app: app-${i}}\ndata:\n  # settings\n  LOG_LEVEL: info\n  MAX_CONNECTIONS: "100"\n  ENDPOINT: https://app-${i}.example.com/api\n`
        : `---\napiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: app-${i}\n  namespace: apps\nspec:\n  replicas: 2\n  selector:\n    matchLabels: {app: app-${i}}\n  template:\n    metadata:\n      labels: {app: app-${i}}\n    spec:\n      containers:\n      - name: app\n        image: registry.example.com/app:1.${i}\n        ports:\n        - containerPort: 8080\n        resources:\n          limits: {cpu: 500m, memory: 256Mi}\n`,
    );
  }
  return out.join('');
}

/**
 * Runs a command once: wall milliseconds and peak RSS (KiB, when /usr/bin/time is there).
 * With a time limit, a run that reaches it is stopped and reported as a lower bound.
 */
function once(cmd, args, timeoutMs) {
  const wrapped = haveTime ? ['/usr/bin/time', ['-f', 'PMC_BENCH_RSS %M', cmd, ...args]] : [cmd, args];
  const start = process.hrtime.bigint();
  const r = spawnSync(wrapped[0], wrapped[1], { stdio: ['ignore', 'ignore', 'pipe'], encoding: 'utf8', maxBuffer: 1 << 30, timeout: timeoutMs, killSignal: 'SIGKILL' });
  const ms = Number(process.hrtime.bigint() - start) / 1e6;
  if (timeoutMs && r.error?.code === 'ETIMEDOUT') {
    spawnSync('pkill', ['-KILL', '-f', args.join(' ')]);
    return { ms, stopped: true };
  }
  const rss = /PMC_BENCH_RSS (\d+)/.exec(r.stderr ?? '')?.[1];
  if (r.status !== 0) throw new Error(`${cmd} ${args.join(' ')} exited ${r.status}: ${(r.stderr ?? '').slice(0, 500)}`);
  return { ms, rss: rss ? Number(rss) : undefined };
}

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

/** Interleaved repetitions of several commands; medians of wall time and of peak RSS. */
function compare(runs, commands) {
  const samples = commands.map(() => ({ ms: [], rss: [], stopped: false }));
  for (let i = 0; i < runs; i++) {
    commands.forEach((c, j) => {
      if ((c.runs !== undefined && i >= c.runs) || samples[j].stopped) return;
      const r = once(c.cmd, c.args, c.timeoutMs);
      samples[j].ms.push(r.ms);
      samples[j].stopped ||= !!r.stopped;
      if (r.rss !== undefined) samples[j].rss.push(r.rss);
    });
  }
  return commands.map((c, j) => ({
    name: c.name,
    ms: median(samples[j].ms),
    rss: samples[j].rss.length ? median(samples[j].rss) : undefined,
    n: samples[j].ms.length,
    stopped: samples[j].stopped,
  }));
}

const rows = [];
const verdicts = [];
function record(caseName, results, reference) {
  const ref = results.find((r) => r.name === reference);
  for (const r of results) {
    rows.push({
      case: caseName,
      command: r.name,
      n: r.n,
      ms: r.ms,
      ratio: r.ms / ref.ms,
      stopped: r.stopped,
      rss: r.rss,
      rssRatio: r.rss && ref.rss ? r.rss / ref.rss : undefined,
    });
  }
}
function target(what, value, limit, better) {
  const ok = better === 'lower' ? value <= limit : value >= limit;
  verdicts.push(`${ok ? 'met    ' : 'NOT met'}  ${what}: ${value.toFixed(2)} (target ${better === 'lower' ? '<=' : '>='} ${limit})`);
}

try {
  writeFileSync(join(work, 'worker.yml'), WORKER);
  const pmcArgs = (file) => [pmc, 'customize', file, '-w', join(work, 'worker.yml')];

  // 1. Start-up: one Pulsar function, a worker file and options, validation on.
  const fixture = ['customize', 'fixtures/pulsar-function.yaml', '-w', 'fixtures/functions_worker.yml', '-c', 'fixtures/function-config.yaml'];
  const startup = compare(quick ? 11 : 31, [
    { name: 'node -e 0', cmd: process.execPath, args: ['-e', '0'] },
    { name: 'pmc customize (1 function)', cmd: process.execPath, args: [pmc, ...fixture.map((a) => (a.startsWith('fixtures/') ? join(root, a) : a))] },
    ...(baseline ? [{ name: 'baseline pmc customize (1 function)', cmd: process.execPath, args: [baseline, ...fixture.map((a) => (a.startsWith('fixtures/') ? join(root, a) : a))] }] : []),
  ]);
  record('start-up', startup, 'node -e 0');
  target('start-up, pmc / node -e 0', startup[1].ms / startup[0].ms, 1.5, 'lower');
  if (baseline) verdicts.push(`         start-up, pmc / baseline: ${(startup[1].ms / startup[2].ms).toFixed(2)}`);

  // 2. Throughput, 3. peak memory.
  for (const n of quick ? [1000] : [1000, 10000]) {
    const file = join(work, `pulsar-${n}.yaml`);
    writeFileSync(file, pulsarStream(n));
    const commands = [
      { name: 'yaml floor (parseAllDocuments + toString)', cmd: process.execPath, args: [floor, file] },
      { name: 'pmc customize', cmd: process.execPath, args: pmcArgs(file) },
      ...(baseline ? [{ name: 'baseline pmc customize', cmd: process.execPath, args: [baseline, ...pmcArgs(file).slice(1)] }] : []),
      { name: 'pmc customize --stream', cmd: process.execPath, args: [...pmcArgs(file), '--stream'] },
    ];
    if (kubectl) {
      const dir = join(work, `kustomize-${n}`);
      mkdirSync(dir);
      writeFileSync(join(dir, 'kustomization.yaml'), KUSTOMIZATION(`pulsar-${n}.yaml`));
      writeFileSync(join(dir, `pulsar-${n}.yaml`), pulsarStream(n));
      // kubectl kustomize grows faster than linearly: one run at 10,000, stopped after 5 minutes.
      commands.push({ name: 'kubectl kustomize (same changes)', cmd: 'kubectl', args: ['kustomize', dir], runs: n > 1000 ? 1 : 3, timeoutMs: n > 1000 ? 300_000 : undefined });
    }
    const res = compare(quick ? 3 : 5, commands);
    record(`${n} functions`, res, commands[0].name);
    target(`${n} functions, pmc / yaml floor`, res[1].ms / res[0].ms, 1.3, 'lower');
    if (res[1].rss && res[0].rss) target(`${n} functions, peak RSS pmc / yaml floor`, res[1].rss / res[0].rss, 2, 'lower');
    const kustomized = res.find((r) => r.name.startsWith('kubectl kustomize'));
    if (kustomized) target(`${n} functions, kubectl kustomize / pmc${kustomized.stopped ? ' (kubectl stopped: at least)' : ''}`, kustomized.ms / res[1].ms, 5, 'higher');
    if (baseline) verdicts.push(`         ${n} functions, pmc / baseline: ${(res[1].ms / res[2].ms).toFixed(2)}`);
    const streamed = res.find((r) => r.name === 'pmc customize --stream');
    target(`${n} functions, pmc --stream / pmc`, streamed.ms / res[1].ms, 1.1, 'lower');
    if (streamed.rss && n >= 10000) target(`${n} functions, peak RSS of pmc --stream (MiB)`, streamed.rss / 1024, 200, 'lower');
  }

  // 2b. --stream as the stream grows: peak memory should stay where it is (one run each; 30,000
  // functions is 113 MB of YAML). The live heap is bounded; what grows is V8's heap sizing.
  if (!quick) {
    const sizes = [1000, 10000, 30000];
    for (const n of sizes) if (!existsSync(join(work, `pulsar-${n}.yaml`))) writeFileSync(join(work, `pulsar-${n}.yaml`), pulsarStream(n));
    const res = compare(1, sizes.map((n) => ({ name: `pmc customize --stream, ${n} functions`, cmd: process.execPath, args: [...pmcArgs(join(work, `pulsar-${n}.yaml`)), '--stream'] })));
    record('--stream by size', res, res[0].name);
    if (res[2].rss && res[0].rss) target('--stream, peak RSS at 30,000 / at 1,000 functions', res[2].rss / res[0].rss, 1.5, 'lower');
  }

  // 3b. kubectl's own shape: one `kind: List` of every StatefulSet and Service, as YAML and as
  // JSON (`kubectl get sts,svc -o yaml|json`), against the YAML floor, the same objects as a
  // multi-document stream, JSON.parse+stringify, and jq and yq making two edits on every item
  // (a label and an annotation: less than pmc does).
  {
    const n = quick ? 1000 : 10000;
    const { parseAllDocuments, stringify } = await import('yaml');
    const stream = join(work, `pulsar-${n}.yaml`);
    if (!existsSync(stream)) writeFileSync(stream, pulsarStream(n));
    const items = parseAllDocuments(readFileSync(stream, 'utf8')).map((d) => d.toJS()).filter(Boolean);
    const list = { apiVersion: 'v1', kind: 'List', items, metadata: { resourceVersion: '' } };
    const yamlList = join(work, `list-${n}.yaml`);
    const jsonList = join(work, `list-${n}.json`);
    writeFileSync(yamlList, stringify(list));
    writeFileSync(jsonList, JSON.stringify(list, null, 4));
    const jsonFloor = join(work, 'json-floor.mjs');
    writeFileSync(jsonFloor, "import { readFileSync } from 'node:fs';\nprocess.stdout.write(JSON.stringify(JSON.parse(readFileSync(process.argv[2], 'utf8')), null, 4));\n");
    const edits = '.items[] |= (.metadata.labels.team = "data-platform" | .metadata.annotations.owner = "data-team")';
    const have = (tool) => spawnSync(tool, ['--version'], { encoding: 'utf8' }).status === 0;
    const yamlRes = compare(quick ? 3 : 5, [
      { name: 'yaml floor (parseAllDocuments + toString)', cmd: process.execPath, args: [floor, yamlList] },
      { name: 'pmc customize', cmd: process.execPath, args: pmcArgs(yamlList) },
      { name: 'pmc customize, the same objects as a multi-document stream', cmd: process.execPath, args: pmcArgs(stream) },
      ...(have('yq') ? [{ name: 'yq -y, two edits per item', cmd: 'yq', args: ['-y', edits, yamlList], runs: 1, timeoutMs: 300_000 }] : []),
    ]);
    record(`YAML kind: List, ${n} functions`, yamlRes, yamlRes[0].name);
    target(`YAML List of ${n} functions, pmc / the same as a multi-document stream`, yamlRes[1].ms / yamlRes[2].ms, 1.2, 'lower');
    const jsonRes = compare(quick ? 3 : 5, [
      { name: 'JSON.parse + JSON.stringify', cmd: process.execPath, args: [jsonFloor, jsonList] },
      { name: 'pmc customize', cmd: process.execPath, args: pmcArgs(jsonList) },
      ...(have('jq') ? [{ name: 'jq, two edits per item', cmd: 'jq', args: [edits, jsonList] }] : []),
    ]);
    record(`JSON kind: List, ${n} functions`, jsonRes, jsonRes[0].name);
    target(`JSON List of ${n} functions, pmc / JSON.parse + JSON.stringify`, jsonRes[1].ms / jsonRes[0].ms, 3, 'lower');
    if (jsonRes[2]) {
      target(`JSON List of ${n} functions, jq / pmc`, jsonRes[2].ms / jsonRes[1].ms, 1, 'higher');
      if (jsonRes[1].rss && jsonRes[2].rss) target(`JSON List of ${n} functions, peak RSS pmc / jq`, jsonRes[1].rss / jsonRes[2].rss, 1.5, 'lower');
    }
  }

  // 4. Pass-through: a stream with no Pulsar workload.
  const n = quick ? 2000 : 10000;
  const file = join(work, `passthrough-${n}.yaml`);
  writeFileSync(file, passThroughStream(n));
  const pass = compare(quick ? 3 : 5, [
    { name: 'yaml floor (parseAllDocuments + toString)', cmd: process.execPath, args: [floor, file] },
    { name: 'pmc customize', cmd: process.execPath, args: pmcArgs(file) },
  ]);
  record(`pass-through, ${n} documents`, pass, pass[0].name);
  target(`pass-through, pmc / yaml floor`, pass[1].ms / pass[0].ms, 0.2, 'lower');
  if (pass[1].rss && pass[0].rss) target('pass-through, peak RSS pmc / yaml floor', pass[1].rss / pass[0].rss, 2, 'lower');

  // 5. pmc render: 1,000 configs rendered and customized in one process, against pmc
  // customize of the same 1,000 functions as one stream (what rendering adds).
  const renderDir = join(work, 'render');
  mkdirSync(renderDir);
  const configs = Array.from({ length: 1000 }, (_, i) => {
    const f = join(renderDir, `fn-${i}.yaml`);
    writeFileSync(f, renderConfig(i));
    return f;
  });
  writeFileSync(join(renderDir, 'worker.yml'), RENDER_FACTORY + WORKER);
  writeFileSync(join(renderDir, 'worker-plain.yml'), RENDER_FACTORY);
  const many = join(root, 'bench', 'render-many.mjs');
  const plain = spawnSync(process.execPath, [many, join(renderDir, 'worker-plain.yml'), ...configs], { encoding: 'utf8', maxBuffer: 1 << 30 });
  if (plain.status !== 0) throw new Error(`render-many: ${plain.stderr}`);
  writeFileSync(join(renderDir, 'rendered.yaml'), plain.stdout);
  const rendered = compare(quick ? 3 : 5, [
    { name: 'pmc customize (the 1,000 rendered functions, one stream)', cmd: process.execPath, args: [pmc, 'customize', join(renderDir, 'rendered.yaml'), '-w', join(renderDir, 'worker.yml')] },
    { name: 'pmc render + customize (1,000 configs, one process)', cmd: process.execPath, args: [many, join(renderDir, 'worker.yml'), ...configs] },
  ]);
  record('render, 1000 configs', rendered, rendered[0].name);
  const one = compare(quick ? 11 : 21, [
    { name: 'node -e 0', cmd: process.execPath, args: ['-e', '0'] },
    { name: 'pmc render (1 config)', cmd: process.execPath, args: [pmc, 'render', '-c', configs[0], '-w', join(renderDir, 'worker.yml')] },
  ]);
  record('render start-up', one, 'node -e 0');

  // 6. pmc webhook on loopback beside a bare HTTPS server, and under four large reviews at once.
  const { parse } = await import('yaml');
  const renderedSets = plain.stdout.split(/^---\n/m).filter((d) => d.includes('kind: StatefulSet')).slice(0, 200).map((d) => parse(d));
  const webhook = await benchWebhook({ work, worker: join(renderDir, 'worker.yml'), statefulSets: renderedSets, big: largeStatefulSet(renderedSets[0], 1.4 * 1048576), quick });
  for (const [what, value, limit, better] of webhook.verdicts) target(what, value, limit, better);

  const fmt = (x, d = 0) => (x === undefined ? '-' : x.toFixed(d));
  console.log(`\npmc benchmarks: node ${process.version}, ${new Date().toISOString().slice(0, 10)}${quick ? ' (--quick)' : ''}; medians of interleaved runs\n`);
  console.log('| case | command | runs | median ms | ratio | peak RSS MiB | RSS ratio |');
  console.log('|---|---|---:|---:|---:|---:|---:|');
  for (const r of rows) {
    const over = r.stopped ? '> ' : '';
    console.log(`| ${r.case} | ${r.command} | ${r.n} | ${over}${fmt(r.ms)}${r.stopped ? ' (stopped)' : ''} | ${over}${fmt(r.ratio, 2)} | ${fmt(r.rss && r.rss / 1024, 0)} | ${fmt(r.rssRatio, 2)} |`);
  }
  console.log('');
  for (const line of webhook.lines) console.log(line);
  console.log('\nTargets:');
  for (const v of verdicts) console.log(`  ${v}`);
} finally {
  rmSync(work, { recursive: true, force: true });
}
