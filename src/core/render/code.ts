/**
 * The code a config runs, as pulsar-admin settles it before it submits the config: its
 * `--jar`, `--py`, `--go` and `--function-type` flags (functions), `--archive` and
 * `--source-type` / `--sink-type` (connectors) over the file's keys, a `functionType`,
 * `sourceType` or `sinkType` made `builtin://NAME`. Pulsar's example configs carry no code at
 * all: users pass it on the command line.
 * https://github.com/apache/pulsar/blob/master/pulsar-client-tools/src/main/java/org/apache/pulsar/admin/cli/CmdFunctions.java
 * https://github.com/apache/pulsar/blob/master/pulsar-client-tools/src/main/java/org/apache/pulsar/admin/cli/CmdSources.java
 */
import type { DiagnosticSink, Location } from '../base/diagnostics.js';
import type { ComponentKind } from './pulsar.js';

/** pulsar-admin's code flags, as given. */
export interface CodeFlags {
  jar?: string;
  py?: string;
  go?: string;
  functionType?: string;
  archive?: string;
  sourceType?: string;
  sinkType?: string;
}

/** The flag of each, for messages and locations. */
export const CODE_FLAG_NAMES: Record<keyof CodeFlags, string> = {
  jar: '--jar',
  py: '--py',
  go: '--go',
  functionType: '--function-type',
  archive: '--archive',
  sourceType: '--source-type',
  sinkType: '--sink-type',
};

const FUNCTION_FLAGS: readonly (keyof CodeFlags)[] = ['jar', 'py', 'go', 'functionType'];
const CONNECTOR_FLAGS: Record<'source' | 'sink', readonly (keyof CodeFlags)[]> = { source: ['archive', 'sourceType'], sink: ['archive', 'sinkType'] };

/** The code of a config: a function's jar, py and go, a connector's archive, and where each came from. */
export interface UserCode {
  jar?: string;
  py?: string;
  go?: string;
  archive?: string;
  /** Where each was given: its flag, or its key in the config. */
  from: Partial<Record<'jar' | 'py' | 'go' | 'archive', Location>>;
}

/** The config's own value of a key, as the reader takes it (a non-string is its error). */
type ConfigValue = (key: string) => string | undefined;

/**
 * The kind the code flags say: --source-type is a source's, --sink-type a sink's, --jar a
 * function's; --archive is a connector's, a source's when the config names its topic, else a
 * sink's.
 */
export function kindOfFlags(flags: CodeFlags, values: Record<string, unknown>): ComponentKind | undefined {
  if (flags.sourceType !== undefined) return 'source';
  if (flags.sinkType !== undefined) return 'sink';
  if (FUNCTION_FLAGS.some((f) => flags[f] !== undefined)) return 'function';
  if (flags.archive !== undefined) return 'topicName' in values || 'sourceType' in values ? 'source' : 'sink';
  return undefined;
}

export function userCode(
  kind: ComponentKind,
  flags: CodeFlags,
  value: ConfigValue,
  locate: (key: string) => Location,
  source: string,
  sink: DiagnosticSink,
): UserCode {
  const flagAt = (f: keyof CodeFlags): Location => ({ source: CODE_FLAG_NAMES[f] });
  // A flag that does not belong to this kind would be dropped: refused instead.
  const own = kind === 'function' ? FUNCTION_FLAGS : CONNECTOR_FLAGS[kind];
  for (const f of Object.keys(flags) as (keyof CodeFlags)[]) {
    if (flags[f] !== undefined && !own.includes(f)) {
      const takes = own.map((o) => CODE_FLAG_NAMES[o]);
      sink.error('PMC_RENDER', `a ${kind} takes ${takes.slice(0, -1).join(', ')} or ${takes[takes.length - 1]}, not ${CODE_FLAG_NAMES[f]} (give --kind when the config's keys do not say what it is)`, flagAt(f));
    }
  }
  if (kind === 'function') return functionCode(flags, value, locate, source, sink, flagAt);
  return connectorCode(kind, flags, value, locate, source, sink, flagAt);
}

function functionCode(flags: CodeFlags, value: ConfigValue, locate: (key: string) => Location, source: string, sink: DiagnosticSink, flagAt: (f: keyof CodeFlags) => Location): UserCode {
  const code: UserCode = { from: {} };
  if (flags.jar !== undefined && flags.functionType !== undefined) sink.error('PMC_RENDER', 'pulsar-admin refuses it: Cannot specify both jar and function-type', flagAt('functionType'));
  for (const key of ['jar', 'py', 'go'] as const) {
    const given = flags[key];
    const own = value(key);
    if (given !== undefined) [code[key], code.from[key]] = [given, flagAt(key)];
    else if (own !== undefined) [code[key], code.from[key]] = [own, locate(key)];
  }
  // pulsar-admin: --function-type, else the config's functionType, replaces the jar, even one
  // given with --jar (its check looks only at the flags).
  const configType = value('functionType');
  if (flags.functionType !== undefined) [code.jar, code.from.jar] = [`builtin://${flags.functionType}`, flagAt('functionType')];
  else if (configType !== undefined) {
    if (flags.jar !== undefined) sink.warn('PMC_RENDER', `the config's functionType ${configType} replaces --jar ${flags.jar}, as pulsar-admin does: the function runs builtin://${configType}`, locate('functionType'));
    [code.jar, code.from.jar] = [`builtin://${configType}`, locate('functionType')];
  }
  const set = (['jar', 'py', 'go'] as const).filter((k) => code[k]);
  if (set.length === 0) {
    sink.error('PMC_RENDER', 'a function needs its code: give jar, py or go (or functionType) in the config, or --jar, --py, --go or --function-type as pulsar-admin takes them', { source });
  } else if (set.length === 3) {
    sink.error('PMC_RENDER', 'pulsar-admin refuses it: Either a Java jar or a Python file or a Go executable binary needs to be specified for the function. Cannot specify both.', code.from[set[2]!]!);
  } else if (set.length === 2) {
    // pulsar-admin refuses only all three; the worker then takes the jar, else the py
    // (FunctionConfigUtils.inferMissingArguments).
    const [runs, ignored] = set as ['jar' | 'py', 'py' | 'go'];
    sink.warn('PMC_RENDER', `the function has both ${runs} and ${ignored}: the worker runs the ${runs} and ignores ${ignored} ${code[ignored]}; give one`, code.from[ignored]!);
  }
  return code;
}

function connectorCode(
  kind: 'source' | 'sink',
  flags: CodeFlags,
  value: ConfigValue,
  locate: (key: string) => Location,
  source: string,
  sink: DiagnosticSink,
  flagAt: (f: keyof CodeFlags) => Location,
): UserCode {
  const typeKey = kind === 'source' ? 'sourceType' : 'sinkType';
  const code: UserCode = { from: {} };
  const typeFlag = flags[typeKey];
  const configType = value(typeKey);
  if (flags.archive !== undefined && (typeFlag !== undefined || configType !== undefined)) {
    sink.error('PMC_RENDER', `pulsar-admin refuses it: Cannot specify both archive and ${kind}-type`, flagAt('archive'));
  }
  const own = value('archive');
  if (flags.archive !== undefined) [code.archive, code.from.archive] = [flags.archive, flagAt('archive')];
  else if (own !== undefined) [code.archive, code.from.archive] = [own, locate('archive')];
  // The type, flag first, replaces the archive: builtin://NAME (pulsar-admin also checks NAME
  // against the cluster's built-in connectors, which only a running cluster knows).
  if (typeFlag !== undefined) [code.archive, code.from.archive] = [`builtin://${typeFlag}`, flagAt(typeKey)];
  else if (configType !== undefined) {
    if (own !== undefined && flags.archive === undefined) sink.warn('PMC_RENDER', `the config's ${typeKey} ${configType} replaces its archive ${own}, as pulsar-admin does: the ${kind} runs builtin://${configType}`, locate(typeKey));
    [code.archive, code.from.archive] = [`builtin://${configType}`, locate(typeKey)];
  }
  if (!code.archive) {
    sink.error('PMC_RENDER', `a ${kind} needs its connector: give archive (a .nar file or builtin://NAME) or ${typeKey} in the config, or --archive or ${CODE_FLAG_NAMES[typeKey]} as pulsar-admin takes them`, { source });
  }
  return code;
}
