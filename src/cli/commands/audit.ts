/**
 * `pmc audit`: live functions against what the worker would create now (core/audit.ts), from
 * files or pipes: the live StatefulSets (`kubectl get sts,svc -l component -A -o yaml|json`),
 * the worker's settings and the functions' configs (`pulsar-admin functions get` output, files
 * or folders of them). Exit status 3 when anything is found.
 */
import { readdirSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { audit, auditSarif, findingLine } from '../../core/faces/audit.js';
import type { PulsarVersion } from '../../core/render/runtime.js';
import type { AdmissionMode } from '../../core/customize/resolve.js';
import { VERSION } from '../version.js';
import { EXIT_DIFFERS, EXIT_OK } from '../exit.js';
import { readGiven, settingsOf } from '../inputs.js';
import { readStdin, readTextFile, reportWarnings, type Io } from '../io.js';

export interface AuditFlags {
  workerConfig: string;
  live: string;
  functions: string[];
  pulsarVersion: PulsarVersion;
  output?: 'table' | 'json' | 'sarif';
  /** pmc webhook runs in this mode. */
  webhookMode?: AdmissionMode;
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
  const given = await readGiven({ workerConfig: flags.workerConfig }, io);
  const { settings, warnings } = await settingsOf(given);
  const live = { text: flags.live === '-' ? await readStdin(io) : await readTextFile(flags.live, io, 'live objects'), source: flags.live === '-' ? '<stdin>' : flags.live };
  const functions = [];
  for (const path of flags.functions) for (const f of configFiles(path, io)) functions.push({ text: await readTextFile(f, io, 'function config'), source: f });
  const findings = audit({ worker: given.worker!, live, functions, settings, pulsarVersion: flags.pulsarVersion, webhook: flags.webhookMode ? { mode: flags.webhookMode, version: VERSION } : undefined });
  await reportWarnings(warnings, io, false);
  if (flags.output === 'json') io.stdout.write(`${JSON.stringify({ findings }, null, 2)}\n`);
  else if (flags.output === 'sarif') io.stdout.write(`${JSON.stringify(auditSarif(findings, flags.live, VERSION), null, 2)}\n`);
  else io.stdout.write(findings.length ? findings.map((f) => `${findingLine(f)}\n`).join('') : `${functions.length} functions, as the worker would create them now\n`);
  return findings.length ? EXIT_DIFFERS : EXIT_OK;
}
