/**
 * `pmc audit`: live functions against what the worker would create now (core/audit.ts), from
 * files or pipes: the live StatefulSets (`kubectl get sts,svc -l component -A -o yaml|json`),
 * the worker's settings and the functions' configs (`pulsar-admin functions get` output, files
 * or folders of them). Exit status 3 when anything is found.
 */
import { readdirSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { Option, type Command } from 'commander';
import { DEFAULT_PULSAR_VERSION, PULSAR_VERSIONS, type PulsarVersion } from '../../core/render/pulsar.js';
import { ADMISSION_CUSTOMIZERS, ADMISSION_MODE_NAMES, type AdmissionCustomizer, type AdmissionMode } from '../../core/customize/modes.js';
import { WORKER_CONFIG_HELP, type CommandContext } from '../command.js';
import { VERSION } from '../version.js';
import { EXIT_DIFFERS, EXIT_OK } from '../exit.js';
import { readStdin, readTextFile, type Io } from '../io.js';
import { stderrReporter } from '../reporters.js';

export interface AuditFlags {
  workerConfig: string;
  live: string;
  functions: string[];
  pulsarVersion: PulsarVersion;
  output?: 'table' | 'json' | 'sarif';
  /** pmc webhook runs in this mode. */
  webhookMode?: AdmissionMode;
  /** What pmc webhook applies (its --customizer). */
  webhookCustomizer?: AdmissionCustomizer;
}

export function register(program: Command, ctx: CommandContext): void {
  program
    .command('audit')
    .description('live functions against what the worker would create now: drift field by field, functions not running, StatefulSets without a config, duplicates')
    .requiredOption('-w, --worker-config <FILE>', WORKER_CONFIG_HELP)
    .requiredOption('--live <FILE>', 'the live StatefulSets: kubectl get sts,svc -l component -A -o yaml (a file, or - for stdin)')
    .requiredOption('--functions <PATH...>', "the functions' configs (pulsar-admin functions|sources|sinks get), files or folders of them")
    .addOption(new Option('--pulsar-version <VERSION>', 'the Pulsar release of the worker').choices(PULSAR_VERSIONS).default(DEFAULT_PULSAR_VERSION))
    .addOption(new Option('-o, --output <FORMAT>', 'output format (sarif: SARIF 2.1.0, for CI)').choices(['table', 'json', 'sarif']).default('table'))
    .addOption(new Option('--webhook-mode <MODE>', 'pmc webhook runs in this mode: what it applies is expected too, and its stamp on every function').choices(ADMISSION_MODE_NAMES))
    .addOption(new Option('--webhook-customizer <KIND>', 'with --webhook-mode: what pmc webhook applies, its --customizer').choices(ADMISSION_CUSTOMIZERS).default(ADMISSION_CUSTOMIZERS[0]))
    .action((flags: AuditFlags) => ctx.run(() => runAudit(flags, ctx.io)));
}

/** The config files a path names: the file, or every .yaml, .yml and .json in the folder. */
function configFiles(path: string, io: Io): string[] {
  const full = resolve(io.cwd, path);
  if (!statSync(full, { throwIfNoEntry: false })?.isDirectory()) return [path];
  return readdirSync(full)
    .filter((f) => /\.(ya?ml|json)$/.test(f))
    .sort()
    .map((f) => join(path, f));
}

export async function runAudit(flags: AuditFlags, io: Io): Promise<number> {
  const [{ audit, auditSarif, findingLine }, { readGiven, settingsOf }] = await Promise.all([import('../../core/faces/audit.js'), import('../inputs.js')]);
  const given = await readGiven({ workerConfig: flags.workerConfig }, io);
  const { settings, warnings } = await settingsOf(given);
  const live = { text: flags.live === '-' ? await readStdin(io) : await readTextFile(flags.live, io, 'live objects'), source: flags.live === '-' ? '<stdin>' : flags.live };
  const functions = [];
  for (const path of flags.functions) for (const f of configFiles(path, io)) functions.push({ text: await readTextFile(f, io, 'function config'), source: f });
  const findings = audit({ worker: given.worker!, live, functions, settings, pulsarVersion: flags.pulsarVersion, webhook: flags.webhookMode ? { mode: flags.webhookMode, version: VERSION, applies: flags.webhookCustomizer } : undefined });
  await stderrReporter(io).report(warnings);
  if (flags.output === 'json') io.stdout.write(`${JSON.stringify({ findings }, null, 2)}\n`);
  else if (flags.output === 'sarif') io.stdout.write(`${JSON.stringify(auditSarif(findings, flags.live, VERSION), null, 2)}\n`);
  else io.stdout.write(findings.length ? findings.map((f) => `${findingLine(f)}\n`).join('') : `${functions.length} functions, as the worker would create them now\n`);
  return findings.length ? EXIT_DIFFERS : EXIT_OK;
}
