// Apache Pulsar's own classes as an oracle: the classpath of pulsar-functions-runtime at each
// release line pmc claims (resolved by Maven from pom.xml, or pom-3.0.xml for 3.0), the
// harness (src/**.java) compiled against it, and one JVM per version answering a batch of
// cases given as JSON lines. See PmcOracle.java for what each op runs.
import { TOOLS, missingMessage, present } from '../tools.mjs';
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { homedir, tmpdir } from 'node:os';
import { join, relative } from 'node:path';

export interface OracleVersion {
  /** The Pulsar release whose jars run. */
  pulsar: string;
  /** pmc's --pulsar-version for that release line. */
  line: string;
  /** The pom that resolves it. */
  pom: string;
}

const HERE = import.meta.dirname;

/**
 * The newest patch of each line that Maven Central serves whole (3.0.11 and 3.0.12's runtime
 * poms are not served; 3.0.0's whole graph never resolves, so pom-3.0.xml lists its jars).
 */
export const ORACLE_VERSIONS: readonly OracleVersion[] = [
  { pulsar: '4.2.4', line: '4.2', pom: 'pom.xml' },
  { pulsar: '4.0.8', line: '4.0', pom: 'pom.xml' },
  { pulsar: '3.3.6', line: '3.3', pom: 'pom.xml' },
  { pulsar: '3.0.0', line: '3.0', pom: 'pom-3.0.xml' },
];

/** What the oracle needs on the machine and does not find. */
/** What the oracle needs and this machine lacks, each said as tools.json says it. */
export function missingTools(): string[] {
  return TOOLS.tools.filter((t: { tests: string[] }) => t.tests.includes('pulsar-oracle') && !present(t)).map(missingMessage);
}

const CACHE = process.env.PMC_ORACLE_CACHE ?? join(homedir(), '.cache', 'pmc', 'pulsar-oracle');

/** The jars of one release, resolved once and kept while every jar is still in the local Maven repository. */
export function classpath(v: OracleVersion): string {
  mkdirSync(CACHE, { recursive: true });
  const file = join(CACHE, `${v.pulsar}.classpath`);
  if (existsSync(file)) {
    const cp = readFileSync(file, 'utf8').trim();
    if (cp && cp.split(':').every((jar) => existsSync(jar))) return cp;
  }
  const r = spawnSync('mvn', ['-B', '-q', '-f', join(HERE, v.pom), `-Dpulsar.version=${v.pulsar}`, 'dependency:build-classpath', `-Dmdep.outputFile=${file}`], {
    encoding: 'utf8',
    maxBuffer: 64 << 20,
  });
  if (r.status !== 0) {
    throw new Error(`Maven could not resolve Pulsar ${v.pulsar}'s functions runtime (${v.pom}):\n${(r.stdout + r.stderr).slice(-4000)}`);
  }
  return readFileSync(file, 'utf8').trim();
}

function javaSources(): string[] {
  const out: string[] = [];
  const walk = (dir: string) => {
    for (const e of readdirSync(dir, { withFileTypes: true })) {
      if (e.isDirectory()) walk(join(dir, e.name));
      else if (e.name.endsWith('.java')) out.push(join(dir, e.name));
    }
  };
  walk(join(HERE, 'src'));
  return out.sort();
}

/** The harness compiled against one release's jars; the folder is keyed by the sources' hash. */
export function compile(v: OracleVersion, cp: string): string {
  const sources = javaSources();
  const hash = createHash('sha256');
  for (const s of sources) hash.update(relative(HERE, s)).update(readFileSync(s));
  const out = join(tmpdir(), `pmc-pulsar-oracle-${v.pulsar}-${hash.digest('hex').slice(0, 12)}`);
  const marker = join(out, '.compiled');
  if (existsSync(marker) && statSync(marker).isFile()) return out;
  mkdirSync(out, { recursive: true });
  const r = spawnSync('javac', ['-nowarn', '-encoding', 'UTF-8', '-d', out, '-cp', cp, ...sources], { encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`javac failed against Pulsar ${v.pulsar}:\n${r.stdout}${r.stderr}`);
  writeFileSync(marker, '');
  return out;
}

export interface PulsarAnswer {
  id: string;
  ok: boolean;
  error?: string;
  /** false: the worker names no customizer, so nothing is customized. */
  customizer?: boolean;
  statefulSet?: Record<string, unknown>;
  service?: Record<string, unknown>;
  results?: PulsarAnswer[];
}

/** A prepared oracle for one release: one JVM per call, every request of the batch in it. */
export class PulsarOracle {
  private readonly cp: string;
  constructor(readonly version: OracleVersion) {
    const jars = classpath(version);
    this.cp = `${compile(version, jars)}:${jars}`;
  }

  ask(requests: readonly Record<string, unknown>[]): PulsarAnswer[] {
    if (requests.length === 0) return [];
    const input = requests.map((r) => JSON.stringify(r)).join('\n') + '\n';
    const r = spawnSync('java', ['-Xss4m', '-cp', this.cp, 'org.apache.pulsar.functions.runtime.kubernetes.PmcOracle'], {
      input,
      encoding: 'utf8',
      maxBuffer: 1 << 30,
    });
    const lines = r.stdout.split('\n').filter((l) => l !== '');
    if (r.status !== 0 || lines.length !== requests.length) {
      throw new Error(`Pulsar ${this.version.pulsar}'s oracle answered ${lines.length} of ${requests.length} cases (exit ${r.status}):\n${r.stderr.slice(-4000)}`);
    }
    return lines.map((l) => JSON.parse(l) as PulsarAnswer);
  }
}
