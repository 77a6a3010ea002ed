/**
 * The KRM function as a pure transform on a ResourceList (config.kubernetes.io/v1): its
 * items customized in place, so every annotation the orchestrator put on them
 * (config.kubernetes.io/*, internal.config.kubernetes.io/*) comes back as it was, and
 * problems reported as `results`, each built by a small builder, as kpt-functions-sdk does.
 * https://github.com/kubernetes-sigs/kustomize/blob/master/cmd/config/docs/api-conventions/functions-spec.md
 */
import { Document, isMap, isSeq, type Node } from 'yaml';
import { parseYamlFile } from '../input/config.js';
import { customizeParsed } from '../customize/customize.js';
import { PmcError, type Diagnostic, type Reporter } from '../base/diagnostics.js';
import type { PssPolicy } from '../checks/pss.js';
import { checkPodSecurity, settle } from '../app/run.js';
import type { ParsedChunk } from '../base/stream.js';
import { plainOf } from '../base/stream.js';
import { styleOf } from '../base/print.js';
import type { CustomizeSettings } from '../customize/settings.js';
import { asArray, isObject, type Obj } from '../base/values.js';

const RESOURCE_LIST_VERSIONS = ['config.kubernetes.io/v1', 'config.kubernetes.io/v1beta1'];
// Problems in the options are named by their JSON path in the message, not as an item field.
const OPTION_ROOTS = /^(customRuntimeOptions|runtimeCustomizerConfig|spec\.workerConfig)/;

export interface ResourceList {
  /** The ResourceList as parsed, edited in place. */
  doc: Document;
  /** Its text, for its layout when printed again. */
  text: string;
  items: Node[];
  /** The items as plain data, as they came (for results' resourceRef). */
  plainItems: Obj[];
  functionConfig?: Obj;
}

export interface KrmResult {
  message: string;
  severity: 'error' | 'warning' | 'info';
  resourceRef?: { apiVersion?: string; kind?: string; name?: string; namespace?: string };
  field?: { path: string };
  tags?: Record<string, string>;
}

/** Reads a ResourceList, or refuses what is not one. */
export function readResourceList(text: string, source: string): ResourceList {
  let doc: Document;
  try {
    doc = parseYamlFile(text, source);
  } catch (e) {
    // A stream of manifests is not one ResourceList.
    if (!(e instanceof PmcError) || e.code !== 'PMC_YAML_SYNTAX' || !/second one/.test(e.message)) throw e;
    throw new PmcError('PMC_KRM', 'expected one ResourceList on stdin, got a stream of documents; to customize manifests, run: pmc customize', { location: e.location });
  }
  const list = plainOf(doc, { source }, 'ResourceList') as Obj | null;
  if (!isObject(list) || !RESOURCE_LIST_VERSIONS.includes(list.apiVersion) || list.kind !== 'ResourceList') {
    const got = isObject(list) && typeof list.kind === 'string' ? `, got kind: ${list.kind}` : '';
    throw new PmcError('PMC_KRM', `expected a ResourceList (apiVersion: config.kubernetes.io/v1) on stdin${got}; kpt and kustomize send one to a KRM function. To customize manifests, run: pmc customize`, { location: { source } });
  }
  const itemsNode = doc.get('items', true);
  return {
    doc,
    text,
    items: isSeq(itemsNode) ? (itemsNode.items as Node[]) : [],
    plainItems: asArray(list.items),
    functionConfig: isObject(list.functionConfig) ? list.functionConfig : undefined,
  };
}

/** The result for one diagnostic, pointing at the item it is about. */
export function resultOf(d: Diagnostic, items: Obj[]): KrmResult {
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

/**
 * The items customized, and checked against a Pod Security policy when one is given:
 * copies are edited, and put in the list only when all went well, so a failed run returns
 * the items as they came. Returns the warnings; throws a PmcError on failure.
 */
/** The KRM function's Reporter: each diagnostic as a result, pointing at its item and field. */
export class KrmResults implements Reporter {
  readonly results: KrmResult[] = [];
  constructor(private readonly items: Obj[]) {}
  report(diagnostics: readonly Diagnostic[]): void {
    for (const d of diagnostics) this.results.push(resultOf(d, this.items));
  }
}

export function transformResourceList(
  list: ResourceList,
  settings: CustomizeSettings,
  opts: { checkPss?: PssPolicy; earlierWarnings?: Diagnostic[] } = {},
  source = 'items',
): Diagnostic[] {
  const documents: ParsedChunk[] = list.items.map((node, index) => ({ index, text: '', line: 1, doc: new Document(node.clone()) }));
  const { result, edited, objects } = customizeParsed(documents, { ...settings, source });
  // Under strict every warning is an error, and the run fails (the config's key, not a flag).
  const warnings = settle([...(opts.earlierWarnings ?? []), ...result.warnings], { strict: settings.strict, why: () => '(an error under strict)' });
  checkPodSecurity(() => list.plainItems.map((item, index) => ({ index, object: objects.get(index) ?? item })), opts.checkPss, source);
  const itemsNode = list.doc.get('items', true);
  for (const index of edited) if (isSeq(itemsNode)) itemsNode.items[index] = documents[index]!.doc.contents as Node;
  return warnings;
}

/** The ResourceList as output: its items as edited, and the results (none: the key removed). */
export function printResourceList(list: ResourceList, results: KrmResult[]): string {
  if (results.length > 0) list.doc.set('results', list.doc.createNode(results));
  else if (isMap(list.doc.contents)) list.doc.delete('results');
  return list.doc.toString(styleOf(list.text));
}
