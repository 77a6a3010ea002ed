/**
 * `pmc krm`: a KRM function (kpt, kustomize `exec` functions). A config.kubernetes.io/v1
 * ResourceList comes in on stdin with a PulsarManifestCustomizer as its functionConfig;
 * the same ResourceList goes out with the items customized and problems as `results`.
 * Items are edited in place, so every annotation the orchestrator put on them
 * (config.kubernetes.io/*, internal.config.kubernetes.io/*) comes back as it was.
 */
import { Document, isMap, isSeq, type Node } from 'yaml';
import { customize, outputObjects } from '../../core/customize.js';
import { pssDiagnostics, type PssPolicy } from '../../core/pss.js';
import { DiagnosticSink, PmcError, type Diagnostic } from '../../core/diagnostics.js';
import { EXIT_INPUT, EXIT_OK } from '../exit.js';
import { parseYamlFile } from '../../core/config.js';
import { plainOf, styleOf } from '../../core/stream.js';
import { pluginConfigFrom } from '../../core/plugin-config.js';
import { asArray } from '../../core/values.js';
import { flagsFromPluginConfig, loadInput } from '../inputs.js';
import { readStdin, type Io } from '../io.js';

const RESOURCE_LIST_VERSIONS = ['config.kubernetes.io/v1', 'config.kubernetes.io/v1beta1'];
const OPTION_ROOTS = /^(customRuntimeOptions|runtimeCustomizerConfig|spec\.workerConfig)/;

export interface KrmResult {
  message: string;
  severity: 'error' | 'warning' | 'info';
  resourceRef?: { apiVersion?: string; kind?: string; name?: string; namespace?: string };
  field?: { path: string };
  tags?: Record<string, string>;
}

export async function runKrm(io: Io, options: { checkPss?: PssPolicy } = {}): Promise<number> {
  const source = '<stdin>';
  const text = await readStdin(io);
  const doc = parseYamlFile(text, source);
  const list = plainOf(doc, { source }, 'ResourceList') as Record<string, any> | null;
  if (!list || !RESOURCE_LIST_VERSIONS.includes(list.apiVersion) || list.kind !== 'ResourceList') {
    throw new PmcError('PMC_KRM', 'expected a ResourceList (apiVersion: config.kubernetes.io/v1) on stdin', { location: { source } });
  }
  const itemsNode = doc.get('items', true);
  const items: Node[] = isSeq(itemsNode) ? (itemsNode.items as Node[]) : [];
  const plainItems: Record<string, any>[] = asArray(list.items);

  const results: KrmResult[] = [];
  let failed = false;
  try {
    if (!list.functionConfig) {
      throw new PmcError('PMC_PLUGIN_CONFIG', 'the ResourceList has no functionConfig: give a PulsarManifestCustomizer');
    }
    const sink = new DiagnosticSink();
    const config = pluginConfigFrom(list.functionConfig, 'functionConfig', sink, () => ({ source: 'functionConfig' }));
    sink.throwIfErrors();
    // The items as a YAML stream, one document each, in their order.
    const stream = items.map((item) => `---\n${new Document(item).toString({ lineWidth: 0 })}`).join('');
    const flags = flagsFromPluginConfig(config, '', 'functionConfig');
    if (config.workerConfigInline) {
      const fcText = new Document(doc.get('functionConfig', true)).toString();
      flags.workerConfigInline = { text: fcText, source: 'functionConfig', at: ['spec', 'workerConfig'] };
    }
    const { input, warnings } = await loadInput(undefined, flags, { ...io, stdin: stream, stdinIsTTY: false });
    input.source = 'items';
    const result = customize(input);
    // The flag wins over the functionConfig, as flags win everywhere.
    const policy = options.checkPss ?? config.checkPss;
    const pss = policy ? pssDiagnostics(outputObjects(result, input.source), policy, input.source) : [];
    if (pss.length) throw PmcError.fromDiagnostics(pss);
    for (const d of result.documents) {
      if (d.edited && d.parsed && isSeq(itemsNode)) itemsNode.items[d.index] = d.parsed.doc.contents as Node;
    }
    results.push(...[...sink.warnings, ...warnings, ...result.warnings].map((w) => toResult(w, plainItems)));
  } catch (e) {
    if (!(e instanceof PmcError)) throw e;
    failed = true;
    results.push(...e.diagnostics().map((d) => toResult(d, plainItems)));
  }

  if (results.length > 0) doc.set('results', doc.createNode(results));
  else if (isMap(doc.contents)) doc.delete('results');
  io.stdout.write(doc.toString(styleOf(text)));
  return failed ? EXIT_INPUT : EXIT_OK;
}

function toResult(d: Diagnostic, items: Record<string, any>[]): KrmResult {
  const loc = d.location;
  const result: KrmResult = { message: d.message, severity: d.severity, tags: { code: d.code } };
  if (loc?.path && OPTION_ROOTS.test(loc.path)) result.message = `${loc.path}: ${d.message}`;
  else if (loc?.path && loc.document) result.field = { path: loc.path };
  if (loc?.document) {
    const item = items[loc.document.index];
    result.resourceRef = {
      apiVersion: item?.apiVersion,
      kind: item?.kind ?? loc.document.kind,
      name: item?.metadata?.name ?? loc.document.name,
      ...(item?.metadata?.namespace ? { namespace: item.metadata.namespace } : {}),
    };
  }
  return result;
}
