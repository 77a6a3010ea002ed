/**
 * `pmc krm`: a KRM function (kpt, kustomize `exec` functions). A config.kubernetes.io/v1
 * ResourceList on stdin with a PulsarManifestCustomizer as its functionConfig; the same
 * ResourceList on stdout with its items customized and problems as `results`. The edge
 * reads stdin and the files the config names; the transform is the core's.
 */
import type { Command } from 'commander';
import { DiagnosticSink, PmcError } from '../../core/base/diagnostics.js';
import type { PssPolicy } from '../../core/checks/pss.js';
import { pssOption, type CommandContext } from '../command.js';
import { EXIT_INPUT, EXIT_OK } from '../exit.js';
import { readStdin, type Io } from '../io.js';

export function register(program: Command, ctx: CommandContext): void {
  program
    .command('krm')
    .description('run as a KRM function: a ResourceList on stdin, its functionConfig a PulsarManifestCustomizer')
    .addOption(pssOption())
    .action((flags: { checkPss?: PssPolicy }) => ctx.run(() => runKrm(ctx.io, flags)));
}

export async function runKrm(io: Io, options: { checkPss?: PssPolicy } = {}): Promise<number> {
  const [{ Document }, { printResourceList, readResourceList, KrmResults, transformResourceList }, { pluginConfigFrom }, { flagsFromPluginConfig, loadSettings }] = await Promise.all([
    import('yaml'),
    import('../../core/faces/krm.js'),
    import('../../core/input/plugin-config.js'),
    import('../inputs.js'),
  ]);
  const list = readResourceList(await readStdin(io), '<stdin>');
  const results = new KrmResults(list.plainItems);
  let failed = false;
  try {
    if (!list.functionConfig) throw new PmcError('PMC_PLUGIN_CONFIG', 'the ResourceList has no functionConfig: give a PulsarManifestCustomizer');
    const sink = new DiagnosticSink();
    const config = pluginConfigFrom(list.functionConfig, 'functionConfig', sink, () => ({ source: 'functionConfig' }));
    sink.throwIfErrors();
    const flags = flagsFromPluginConfig(config, '', 'functionConfig');
    if (config.workerConfigInline) {
      flags.workerConfigInline = { text: new Document(list.doc.get('functionConfig', true)).toString(), source: 'functionConfig', at: ['spec', 'workerConfig'] };
    }
    const { settings, warnings } = await loadSettings(flags, io);
    // The flag wins over the functionConfig, as flags win everywhere.
    const all = transformResourceList(list, settings, { checkPss: options.checkPss ?? config.checkPss, earlierWarnings: [...sink.warnings, ...warnings] });
    results.report(all);
  } catch (e) {
    if (!(e instanceof PmcError)) throw e;
    failed = true;
    results.report(e.diagnostics());
  }
  io.stdout.write(printResourceList(list, results.results));
  return failed ? EXIT_INPUT : EXIT_OK;
}
