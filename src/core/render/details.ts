/**
 * A pulsar-admin function, source or sink config file turned into Pulsar's FunctionDetails,
 * with the defaults pulsar-admin and the worker fill in: read once (config-reader.ts), then
 * converted as FunctionConfigUtils (function-config.ts, window-config.ts), SourceConfigUtils
 * (source-config.ts) or SinkConfigUtils (sink-config.ts) converts it.
 */
import { plainOf } from '../base/stream.js';
import { configOptionsText, parseYamlFile, yamlLocator } from '../input/config.js';
import type { DiagnosticSink } from '../base/diagnostics.js';
import { isObject, type Obj } from '../base/values.js';
import { has, type ComponentKind, type PulsarVersion } from './pulsar.js';
import { kindOfFlags, userCode, type CodeFlags } from './code.js';
import { baseName, checkConfigFields, GUARANTEES, kindOf, Reader, readResources, type ConvertContext, type Details, type ReadConfig } from './config-reader.js';
import { convertFunction } from './function-config.js';
import { convertSource } from './source-config.js';
import { convertSink } from './sink-config.js';

export type { ComponentKind };

/** FunctionDetails' componentType for each kind. */
const COMPONENT_TYPE = { function: 'FUNCTION', source: 'SOURCE', sink: 'SINK' } as const satisfies Record<ComponentKind, Details['componentType']>;
export { kindOf };
export type { Details, ReadConfig, Runtime } from './config-reader.js';

export interface ReadOptions {
  kind?: ComponentKind;
  identity: { tenant?: string; namespace?: string; name?: string };
  /** customRuntimeOptions given on the command line, which replace the file's. */
  customRuntimeOptions?: string;
  originalFileName?: string;
  /** The worker's forwardSourceMessageProperty (default true). */
  forwardSourceMessageProperty: boolean;
  /** The release line whose FunctionConfigUtils, SourceConfigUtils and SinkConfigUtils apply (default 4.2). */
  pulsarVersion?: PulsarVersion;
  /** pulsar-admin's code flags (--jar, --py, --go, --function-type, --archive, --source-type, --sink-type), over the config's keys. */
  code?: CodeFlags;
}

export function readConfig(text: string, source: string, opts: ReadOptions, sink: DiagnosticSink): ReadConfig {
  // pulsar-admin reads the file with Jackson's YAML (CmdUtils.loadConfig): SnakeYAML's 1.1
  // typing, so `No` in userConfig is false and `06._1` is 6.1.
  const doc = parseYamlFile(text, source, { pulsar: true });
  const locateIn = yamlLocator(doc, text, source);
  const locate = (p: (string | number)[]) => locateIn(p) ?? { source };
  const values = plainOf(doc, { source }, 'config file');
  if (!isObject(values)) {
    sink.error('PMC_FUNCTION_CONFIG', 'a function, source or sink config file must be a YAML or JSON map', { source, line: 1, col: 1 });
    sink.throwIfErrors();
  }
  const r = new Reader(values as Obj, doc, locate, sink);
  const kind = opts.kind ?? kindOfFlags(opts.code ?? {}, r.values) ?? kindOf(r.values);
  checkConfigFields(r.values, kind, opts.pulsarVersion, (p) => locateIn(p, { key: true }) ?? { source }, sink);
  const code = userCode(kind, opts.code ?? {}, (k) => r.str(k), (k) => locate([k]), source, sink);
  // 3.0.0's converters drop a sink's top-level retainOrdering and retainKeyOrdering and a
  // function's top-level batchBuilder; 3.1 added them (a source's or sink's logTopic, which
  // 3.0's configs lack, is refused by checkConfigFields) (checked
  // against Pulsar 3.0.0 and 3.3.6 by test/pulsar-oracle.test.ts).
  const since31 = !opts.pulsarVersion || has(opts.pulsarVersion, 'converterOrderingFields');
  const tenant = opts.identity.tenant ?? r.str('tenant') ?? 'public';
  const namespace = opts.identity.namespace ?? r.str('namespace') ?? 'default';
  const className = r.str('className');
  let name = opts.identity.name ?? r.str('name');
  if (name === undefined && kind === 'function' && className) name = className.slice(className.lastIndexOf('.') + 1);
  if (!name) {
    sink.error('PMC_RENDER', `the ${kind} has no name: give name in the config${kind === 'function' ? ' (or a className to take it from)' : ''}, or --name`, { ...locate([]), line: 1, col: 1 });
  }
  const cro = opts.customRuntimeOptions ?? configOptionsText(r.values.customRuntimeOptions, locate(['customRuntimeOptions']), sink);
  const resources = readResources(r);
  const details: Details = { tenant, namespace, name: name ?? '', resources };
  const guarantees = r.str('processingGuarantees');
  if (guarantees !== undefined && !GUARANTEES.includes(guarantees)) {
    sink.error('PMC_FUNCTION_CONFIG', `processingGuarantees must be one of ${GUARANTEES.join(', ')}, got ${JSON.stringify(guarantees)}`, { ...locate(['processingGuarantees']), path: 'processingGuarantees' });
  }
  const secrets = r.map('secrets');

  const ctx: ConvertContext = { r, details, className, guarantees, resources, code, since31, forwardSourceMessageProperty: opts.forwardSourceMessageProperty, locate, sink };
  const { runtime, file, javaTypesUnknown, transform } = (kind === 'function' ? convertFunction : kind === 'source' ? convertSource : convertSink)(ctx);
  if (secrets && Object.keys(secrets).length) details.secretsMap = r.gson('secrets', 'insertion');
  const flags = r.str('runtimeFlags');
  if (flags) details.runtimeFlags = flags;
  details.componentType = COMPONENT_TYPE[kind];
  if (cro) details.customRuntimeOptions = cro;
  sink.throwIfErrors();
  const originalFileName = opts.originalFileName ?? (file!.startsWith('builtin://') ? `${file!.slice('builtin://'.length)}.nar` : baseName(file!));
  return { kind, runtime, details, originalFileName, secrets, locate, javaTypesUnknown, builtin: file!.startsWith('builtin://'), transform, connectorClass: kind === 'function' ? undefined : className };
}

