/**
 * The configuration kind every integration shares (kustomize plugin, KRM function):
 *
 *   apiVersion: pmc.pulsar/v1alpha1
 *   kind: PulsarManifestCustomizer
 *   spec: { customizer, workerConfigFile | workerConfig, customRuntimeOptions,
 *           functionConfigFile | function: {tenant, namespace, name}, all, strict, validate,
 *           policyFile, checkPss, allowWarnings }
 */
import { isMap } from 'yaml';
import { DiagnosticSink, ERROR_CODES, PmcError, type ErrorCode } from '../base/diagnostics.js';
import { CUSTOMIZER_KINDS, parseYamlFile, yamlLocator, type CustomizerKind } from './config.js';
import { readWithSpec, type Spec } from '../options/options.js';
import { plainOf } from '../base/stream.js';
import { parsePssPolicy, type PssPolicy } from '../checks/pss.js';
import { isObject } from '../base/values.js';
import type { FunctionIdentity } from '../base/naming.js';

export const PLUGIN_API_VERSION = 'pmc.pulsar/v1alpha1';
export const PLUGIN_KIND = 'PulsarManifestCustomizer';

export interface PluginConfig {
  /** `PulsarManifestCustomizer/<metadata.name>`, for messages. */
  label?: string;
  customizer?: CustomizerKind;
  workerConfigFile?: string;
  /** An inline functions_worker.yml: read from the config's own text at spec.workerConfig. */
  workerConfigInline?: boolean;
  /** Always a JSON string: a map in the config is turned into one. */
  customRuntimeOptions?: string;
  functionConfigFile?: string;
  /** A FunctionPolicy file (--policy). */
  policyFile?: string;
  function?: Partial<FunctionIdentity>;
  all?: boolean;
  strict?: boolean;
  validate?: boolean;
  select?: string;
  rename?: boolean;
  clean?: boolean;
  /** `restricted`, `baseline:v1.25`: fail unless every pod template in the output passes. */
  checkPss?: PssPolicy;
  /** Warning codes the kustomize plugin lets through; any other warning fails the build. */
  allowWarnings?: ErrorCode[];
}

const str: Spec = { t: 'string' };
const bool: Spec = { t: 'bool' };
const PLUGIN_SPEC: Spec = {
  t: 'object',
  fields: {
    customizer: { t: 'enum', values: CUSTOMIZER_KINDS },
    workerConfigFile: str,
    workerConfig: { t: 'any' },
    customRuntimeOptions: { t: 'any' },
    functionConfigFile: str,
    policyFile: str,
    function: { t: 'object', fields: { tenant: str, namespace: str, name: str } },
    all: bool,
    strict: bool,
    validate: bool,
    select: str,
    rename: bool,
    clean: bool,
    checkPss: str,
    allowWarnings: { t: 'list', of: { t: 'enum', values: ERROR_CODES } },
  },
};

/** Reads a PulsarManifestCustomizer object from YAML (or JSON) text. */
export function readPluginConfig(text: string, source: string, sink: DiagnosticSink): PluginConfig {
  const doc = parseYamlFile(text, source);
  const locate = yamlLocator(doc, text, source);
  if (!isMap(doc.contents)) {
    throw new PmcError('PMC_PLUGIN_CONFIG', `the plugin config must be a ${PLUGIN_KIND} object`, { location: { source, line: 1, col: 1 } });
  }
  const plain = plainOf(doc, { source }, 'plugin config') as Record<string, unknown>;
  return pluginConfigFrom(plain, source, sink, (p, o) => locate(p, o));
}

/** The same, from an object already parsed (a KRM ResourceList's functionConfig). */
export function pluginConfigFrom(
  plain: Record<string, unknown>,
  source: string,
  sink: DiagnosticSink,
  locate: (path: (string | number)[], opts?: { key?: boolean }) => ReturnType<ReturnType<typeof yamlLocator>> = () => ({ source }),
): PluginConfig {
  if (plain.apiVersion !== PLUGIN_API_VERSION || plain.kind !== PLUGIN_KIND) {
    throw new PmcError(
      'PMC_PLUGIN_CONFIG',
      `expected apiVersion: ${PLUGIN_API_VERSION} and kind: ${PLUGIN_KIND}, got ${JSON.stringify(plain.apiVersion)} and ${JSON.stringify(plain.kind)}`,
      { location: { ...locate(['kind']), path: 'kind' } },
    );
  }
  const spec = (plain.spec ?? {}) as Record<string, unknown>;
  const read = readWithSpec(spec, PLUGIN_SPEC, {
    root: 'spec',
    locate: (p, o) => locate(['spec', ...p], o),
    strict: true,
    sink,
  }) as Record<string, unknown> | undefined;
  const meta = plain.metadata as Record<string, unknown> | undefined;
  const out: PluginConfig = { label: `${PLUGIN_KIND}/${typeof meta?.name === 'string' ? meta.name : '<unnamed>'}` };
  if (!read) return out;
  if (read.customizer !== undefined) out.customizer = read.customizer as CustomizerKind;
  if (read.workerConfigFile !== undefined) out.workerConfigFile = read.workerConfigFile as string;
  if (read.policyFile !== undefined) out.policyFile = read.policyFile as string;
  if (read.functionConfigFile !== undefined) out.functionConfigFile = read.functionConfigFile as string;
  if (read.function !== undefined) out.function = read.function as Partial<FunctionIdentity>;
  for (const k of ['all', 'strict', 'validate', 'rename', 'clean'] as const) if (read[k] !== undefined) out[k] = read[k] as boolean;
  if (typeof read.select === 'string') out.select = read.select;

  if (read.workerConfig !== undefined && read.workerConfig !== null) {
    if (out.workerConfigFile !== undefined) {
      sink.error('PMC_PLUGIN_CONFIG', 'give workerConfigFile or workerConfig, not both', { ...locate(['spec', 'workerConfig']), path: 'spec.workerConfig' });
    }
    out.workerConfigInline = true;
  }
  const cro = read.customRuntimeOptions;
  if (typeof cro === 'string') out.customRuntimeOptions = cro;
  else if (isObject(cro)) out.customRuntimeOptions = JSON.stringify(cro);
  else if (cro !== undefined && cro !== null) {
    sink.error('PMC_PLUGIN_CONFIG', 'customRuntimeOptions must be a JSON string or a map', {
      ...locate(['spec', 'customRuntimeOptions']),
      path: 'spec.customRuntimeOptions',
    });
  }
  if (Array.isArray(read.allowWarnings)) out.allowWarnings = read.allowWarnings as ErrorCode[];
  if (typeof read.checkPss === 'string') {
    const policy = parsePssPolicy(read.checkPss);
    if ('error' in policy) sink.error('PMC_PLUGIN_CONFIG', policy.error, { ...locate(['spec', 'checkPss']), path: 'spec.checkPss' });
    else out.checkPss = policy;
  }
  if (out.function && out.functionConfigFile !== undefined) {
    sink.error('PMC_PLUGIN_CONFIG', 'give functionConfigFile or function, not both', { ...locate(['spec', 'function']), path: 'spec.function' });
  }
  return out;
}
