/**
 * `pmc krm`: a KRM function (kpt, kustomize `exec` functions). A config.kubernetes.io/v1
 * ResourceList on stdin with a PulsarManifestCustomizer as its functionConfig; the same
 * ResourceList on stdout with its items customized and problems as `results`. The edge
 * reads stdin and the files the config names; the transform is the core's.
 */
import { Document } from 'yaml';
import { PmcError } from '../../core/base/diagnostics.js';
import { printResourceList, readResourceList, resultOf, transformResourceList, type KrmResult } from '../../core/faces/krm.js';
import { pluginConfigFrom } from '../../core/input/plugin-config.js';
import type { PssPolicy } from '../../core/checks/pss.js';
import { DiagnosticSink } from '../../core/base/diagnostics.js';
import { EXIT_INPUT, EXIT_OK } from '../exit.js';
import { flagsFromPluginConfig, loadSettings } from '../inputs.js';
import { readStdin, type Io } from '../io.js';

export async function runKrm(io: Io, options: { checkPss?: PssPolicy } = {}): Promise<number> {
  const list = readResourceList(await readStdin(io), '<stdin>');
  const results: KrmResult[] = [];
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
    results.push(...all.map((w) => resultOf(w, list.plainItems)));
  } catch (e) {
    if (!(e instanceof PmcError)) throw e;
    failed = true;
    results.push(...e.diagnostics().map((d) => resultOf(d, list.plainItems)));
  }
  io.stdout.write(printResourceList(list, results));
  return failed ? EXIT_INPUT : EXIT_OK;
}
