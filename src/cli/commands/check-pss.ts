/**
 * `pmc check-pss`: every pod template in a stream (StatefulSet, Deployment, DaemonSet,
 * ReplicaSet, Job, CronJob, Pod) against a Pod Security Standards level.
 */
import { Option, type Command } from 'commander';
import { PmcError } from '../../core/base/diagnostics.js';
import { formatPssPolicy, podBearers, podTemplate, pssDiagnostics, type PssPolicy } from '../../core/checks/pss.js';
import { pssPolicyArgument, type CommandContext } from '../command.js';
import { EXIT_OK } from '../exit.js';
import type { Io } from '../io.js';

export function register(program: Command, ctx: CommandContext): void {
  program
    .command('check-pss')
    .description('check every pod template against the Kubernetes Pod Security Standards')
    .argument('[MANIFEST]', 'a YAML file of manifests, or - for stdin (stdin when omitted)')
    .addOption(
      new Option('--level <LEVEL>', 'baseline or restricted, optionally with a policy version: restricted:v1.25, baseline:latest')
        .argParser(pssPolicyArgument)
        .default(pssPolicyArgument('restricted'), 'restricted'),
    )
    .action((manifest: string | undefined, flags: { level: PssPolicy }) => ctx.run(() => runCheckPss(manifest, flags, ctx.io)));
}

export async function runCheckPss(manifest: string | undefined, flags: { level: PssPolicy }, io: Io): Promise<number> {
  const [{ readManifest }, { streamObjects }] = await Promise.all([import('../inputs.js'), import('../../core/base/stream.js')]);
  const { text, source } = await readManifest(manifest, io);
  const documents = streamObjects(text, source);
  const errors = pssDiagnostics(documents, flags.level, source);
  if (errors.length) throw PmcError.fromDiagnostics(errors);
  const lines: string[] = [];
  for (const { index, object } of documents) {
    if (!object || typeof object !== 'object' || Array.isArray(object)) continue;
    for (const { object: o, item } of podBearers(object as Record<string, unknown>)) {
      if (!podTemplate(o)) continue;
      const place = item !== undefined ? ` items[${item}]` : '';
      lines.push(`${source}: document ${index + 1}${place} ${o.kind}/${o.metadata?.name ?? '<unnamed>'}: passes PodSecurity "${formatPssPolicy(flags.level)}"\n`);
    }
  }
  io.stdout.write(lines.length ? lines.join('') : `${source}: no pod template to check\n`);
  return EXIT_OK;
}
