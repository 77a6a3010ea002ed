/**
 * Reading the two configuration sources Pulsar has: the worker's functions_worker.yml
 * and a function's customRuntimeOptions (on its own, or inside a pulsar-admin
 * function/source/sink config file). Text in, typed options out; no file system.
 */
import { parse as parseJsonc, printParseErrorCode, type ParseError } from 'jsonc-parser';
import { JsonNumber, parseSourcedJson, type DuplicateKey, type SourcedJson } from '../base/json-source.js';
import { isMap, isScalar, type Document } from 'yaml';
import { DiagnosticSink, PmcError, caretExcerpt, lineColAt, lineIndex, type Location } from '../base/diagnostics.js';
import { jsonPath, readWithSpec, specAt, type ReadContext, type Spec } from '../options/options.js';
import { RUNTIME_OPTS_SPEC, type RuntimeOpts } from '../options/registry.js';
import { isForbiddenKey, isObject } from '../base/values.js';
import { plainOf } from '../base/stream.js';
import { parseYamlFile, yamlLocator } from './parse.js';

export { parseYamlFile, yamlLocator };
import type { FunctionIdentity } from '../base/naming.js';

export { CUSTOMIZER_KINDS, type CustomizerKind } from '../options/customizers.js';
export { BASIC_CUSTOMIZER_CLASS, CUSTOMIZER_INTERFACE, customizerForClassName, EXTENSION_CLASS_NAME, foreignCustomizer } from './customizer-class.js';
import { foreignCustomizer } from './customizer-class.js';

/** What reading options needs of the worker's customizer class. */
export interface OptionsReading {
  /** The class, when pmc does not know its options (foreignCustomizer). */
  foreignClass?: string;
  /** The options a customizer profile declares for it. */
  extra?: Record<string, Spec>;
}

export interface WorkerConfig {
  className?: string;
  /** Where the class name is written, for messages about it. */
  classLine?: { line?: number; col?: number };
  options: RuntimeOpts;
}

export function readWorkerConfig(
  text: string,
  source: string,
  sink: DiagnosticSink,
  strict = false,
  /** Where the worker config sits inside the document, when it is inline (plugin config). */
  at: string[] = [],
  /** Where a line and column of the text are in its file, when it is a value inside another (a ConfigMap's data). */
  place?: (at: { line: number; col: number }) => { line: number; col: number },
  /** The options a customizer profile declares (read beside Pulsar's, not warned of). */
  extra?: Record<string, Spec>,
): WorkerConfig {
  // Integers exact, so that a message quotes 9223372036854775807 as written.
  const doc = parseYamlFile(text, source, { intAsBigInt: true, pulsar: true });
  const node = at.length === 0 ? doc.contents : doc.getIn(at, true);
  if (node === null || node === undefined || (isScalar(node) && node.value === null)) return { options: {} };
  const where = (p: (string | number)[]) => [...at, ...p].join('.');
  const locateIn = yamlLocator(doc, text, source);
  const locate = (p: (string | number)[], opts?: { key?: boolean }) => {
    const loc = locateIn([...at, ...p], opts);
    return place && loc?.line !== undefined ? { ...loc, ...place({ line: loc.line, col: loc.col ?? 1 }) } : loc;
  };
  if (!isMap(node)) {
    throw new PmcError('PMC_WORKER_CONFIG', 'a functions_worker.yml must be a YAML map', {
      location: { ...locate([]), path: at.length ? at.join('.') : undefined },
    });
  }
  const classNode = node.get('runtimeCustomizerClassName', true);
  let className: string | undefined;
  let classLine: WorkerConfig['classLine'];
  if (classNode !== undefined && !(isScalar(classNode) && classNode.value === null)) {
    if (!isScalar(classNode) || typeof classNode.value !== 'string') {
      sink.error('PMC_WORKER_CONFIG', 'runtimeCustomizerClassName must be a class name', {
        ...locate(['runtimeCustomizerClassName']),
        path: where(['runtimeCustomizerClassName']),
      });
    } else {
      className = classNode.value;
      const at = locate(['runtimeCustomizerClassName']);
      classLine = { line: at?.line, col: at?.col };
    }
  }
  const plain = fileData(doc, source);
  let raw: unknown = plain;
  for (const k of at) raw = (raw as Record<string, unknown> | undefined)?.[k];
  const options = readRuntimeOpts((raw as Record<string, unknown>).runtimeCustomizerConfig, {
    root: at.length ? `${at.join('.')}.runtimeCustomizerConfig` : 'runtimeCustomizerConfig',
    foreignClass: extra ? undefined : foreignCustomizer(className),
    extra,
    locate: (p, opts) => locate(['runtimeCustomizerConfig', ...p], opts),
    strict,
    workerFile: true,
    sink,
  });
  return { className, classLine, options };
}

/** The file as plain data: the one guarded toPlain, for a whole config file. */
function fileData(doc: Document, source: string): Record<string, unknown> {
  return (plainOf(doc, { source }, 'file') ?? {}) as Record<string, unknown>;
}

/**
 * Options read against the registry's schema. Errors and warnings go to ctx.sink (the
 * caller decides when to throw). Null and absent fields are the same, as for Gson.
 */
export function readRuntimeOpts(raw: unknown, ctx: ReadContext): RuntimeOpts {
  if (raw === null || raw === undefined) return {};
  return (readWithSpec(raw, RUNTIME_OPTS_SPEC, ctx) ?? {}) as RuntimeOpts;
}

/** Where a customRuntimeOptions string came from, for messages. */
export interface OptionsOrigin {
  /** `--custom-runtime-options`, a file name, or the document holding embedded details. */
  source: string;
  /** Where the string starts in that source, when it sits inside a file. */
  line?: number;
  col?: number;
  document?: Location['document'];
}

/**
 * Pulsar's customRuntimeOptions: a JSON string, read as Gson reads it into RuntimeOpts.
 * Empty or `null` means no options.
 */
export function readCustomRuntimeOptions(
  json: string,
  origin: OptionsOrigin,
  sink: DiagnosticSink,
  strict = false,
  /** The worker's customizer: its class when pmc does not know its options, and a profile's options. */
  reading: OptionsReading = {},
): RuntimeOpts {
  if (json.trim() === '' || json.trim() === 'null') return {};
  const where = { source: origin.source, line: origin.line, col: origin.col, document: origin.document };
  const errors: ParseError[] = [];
  let parsed: SourcedJson | undefined;
  try {
    parsed = parseSourcedJson(json, errors);
  } catch (e) {
    // The parser recurses; a hostile nesting depth ends here rather than in a crash.
    if (e instanceof RangeError) throw new PmcError('PMC_YAML_TOO_DEEP', 'customRuntimeOptions is nested too deeply to read', { location: where });
    throw e;
  }
  if (!parsed) throw jsonSyntaxError(json, origin);
  const raw = parsed.value;
  if (!isObject(raw)) {
    throw new PmcError('PMC_OPTIONS_TYPE', `customRuntimeOptions must be a JSON object, got ${Array.isArray(raw) ? 'a list' : raw instanceof JsonNumber ? raw.text : JSON.stringify(raw)}`, {
      location: { ...where, path: 'customRuntimeOptions' },
    });
  }
  // Options that are a text of their own (-r, --custom-runtime-options-file) and span lines:
  // each problem at its line and column in them. One-line options, and options inside another
  // file (a config's field, a StatefulSet's annotation), are named by their JSON path alone.
  const lineOf = origin.line === undefined && origin.document === undefined && json.includes('\n') ? lineIndex(json) : undefined;
  const offsetOf = parsed.offsetOf;
  const locate = (path: (string | number)[], opts?: { key?: boolean }): Location => {
    const offset = lineOf && offsetOf(path, opts);
    return lineOf && offset !== undefined ? { ...where, ...lineOf(offset) } : where;
  };
  for (const dup of parsed.duplicates) {
    sink.error('PMC_OPTIONS_DUPLICATE_KEY', duplicateKeyMessage(dup), { ...where, ...(lineOf ? lineOf(dup.offset) : {}), path: jsonPath('customRuntimeOptions', [...dup.path, dup.key]) });
  }
  return readRuntimeOpts(raw, {
    root: 'customRuntimeOptions',
    locate,
    strict,
    sink,
    gson: true,
    foreignClass: reading.foreignClass,
    extra: reading.extra,
  });
}

/**
 * Gson refuses a repeated key inside a map (`duplicate key: team`), so the worker refuses
 * the function; for an object's own fields, and in a map after a `null` value (its check
 * is on the value replaced), it keeps the last one without a word. pmc refuses them all:
 * which of two values was meant is not for a tool to guess.
 * https://github.com/google/gson/blob/main/gson/src/main/java/com/google/gson/internal/bind/MapTypeAdapterFactory.java
 */
function duplicateKeyMessage(dup: DuplicateKey): string {
  const inMap = specAt(RUNTIME_OPTS_SPEC, dup.path)?.t === 'map' && !dup.afterNull;
  return inMap
    ? `the key "${dup.key}" is given twice; Pulsar refuses this (Gson: "duplicate key: ${dup.key}")`
    : `the key "${dup.key}" is given twice; Pulsar would silently keep the last one, pmc refuses to guess`;
}

function jsonSyntaxError(json: string, origin: OptionsOrigin): PmcError {
  // JSON.parse names the place only sometimes; jsonc-parser always gives the offset.
  const errors: ParseError[] = [];
  parseJsonc(json, errors, { allowTrailingComma: false, disallowComments: true, allowEmptyContent: false });
  const first = errors[0];
  const offset = first ? first.offset : json.length;
  const reason = first
    ? printParseErrorCode(first.error).replace(/([a-z])([A-Z])/g, '$1 $2').toLowerCase()
    : 'unexpected end of input';
  const { line, col } = lineColAt(json, offset);
  const excerpt = caretExcerpt(json, line, col);
  // Gson reads leniently (comments, single quotes, unquoted words): say why pmc does not.
  const outsideStrings = json.replace(/"(?:[^"\\]|\\.)*"/g, '""');
  const lenient = /[/#']|(?:^|[{,:[])\s*[A-Za-z_]/.test(outsideStrings) ? '; pmc reads strict JSON only (Pulsar\'s lenient reader might take this, or misread it)' : '';
  // `-r opts.json`: a file name where the JSON was expected.
  if (origin.source === '--custom-runtime-options' && !json.trim().startsWith('{') && /^[\w./~-]+\.(json|ya?ml)$/.test(json.trim())) {
    return new PmcError('PMC_OPTIONS_JSON', `customRuntimeOptions is not valid JSON: "${json.trim()}" looks like a file name; to read the options from a file, use --custom-runtime-options-file ${json.trim()}`, {
      location: { source: origin.source },
    });
  }
  if (origin.line === undefined) {
    // The JSON is the whole source (-r or its own file): its own line and column.
    return new PmcError('PMC_OPTIONS_JSON', `customRuntimeOptions is not valid JSON: ${reason}${lenient}`, {
      location: { source: origin.source, line, col, document: origin.document, excerpt },
    });
  }
  const inJson = line > 1 ? `line ${line}, column ${col}` : `column ${col}`;
  return new PmcError('PMC_OPTIONS_JSON', `customRuntimeOptions is not valid JSON: ${reason} (${inJson} of the JSON)`, {
    location: { source: origin.source, line: origin.line, col: origin.col, document: origin.document, excerpt },
  });
}

/**
 * A pulsar-admin config's customRuntimeOptions as the JSON text Pulsar takes, by one rule for
 * every command that reads the file (customize -c, render -c, rbac -c, audit --functions):
 * a string as it is; a map, which pulsar-admin refuses (Jackson reads the field as a String),
 * read as its JSON with a warning that says how to write it; anything else an error.
 */
export function configOptionsText(value: unknown, at: Location, sink: DiagnosticSink): string | undefined {
  if (value === undefined || value === null) return undefined;
  if (typeof value === 'string') return value;
  const where = { ...at, path: 'customRuntimeOptions' };
  if (typeof value === 'object' && !Array.isArray(value)) {
    sink.warn('PMC_FUNCTION_CONFIG', "customRuntimeOptions is a map; pulsar-admin refuses one (the field is a JSON string): read as its JSON here, but write it as customRuntimeOptions: '{...}'", where);
    return JSON.stringify(value);
  }
  sink.error('PMC_FUNCTION_CONFIG', `customRuntimeOptions must be a JSON string, got ${JSON.stringify(value)}`, where);
  return undefined;
}

/** What a pulsar-admin function, source or sink config file says about the function. */
export interface FunctionConfigFile {
  identity: Partial<FunctionIdentity>;
  customRuntimeOptions?: string;
  /** Where the customRuntimeOptions value sits in the file. */
  optionsOrigin?: OptionsOrigin;
}

export function readFunctionConfig(text: string, source: string, sink: DiagnosticSink): FunctionConfigFile {
  // As pulsar-admin reads it, and as render's reader does (render/details.ts): Jackson's YAML,
  // SnakeYAML's 1.1 typing (`name: on` is the boolean true, not a name).
  const doc = parseYamlFile(text, source, { pulsar: true });
  if (!isMap(doc.contents)) {
    throw new PmcError('PMC_FUNCTION_CONFIG', 'a function, source or sink config file must be a YAML or JSON object', {
      location: { source, line: 1, col: 1 },
    });
  }
  const locate = yamlLocator(doc, text, source);
  const plain = fileData(doc, source);
  for (const key of Object.keys(plain)) {
    if (isForbiddenKey(key, plain[key])) sink.error('PMC_FORBIDDEN_KEY', `the key "${key}" is not allowed`, { ...locate([key], { key: true }), path: key });
  }
  const identity: Partial<FunctionIdentity> = {};
  for (const field of ['tenant', 'namespace', 'name'] as const) {
    const v = plain[field];
    if (v === undefined || v === null) continue;
    if (typeof v !== 'string') {
      sink.error('PMC_FUNCTION_CONFIG', `${field} must be a string, got ${JSON.stringify(v)}`, { ...locate([field]), path: field });
    } else identity[field] = v;
  }
  const out: FunctionConfigFile = { identity };
  const cro = plain.customRuntimeOptions;
  if (cro !== undefined && cro !== null) {
    const at = locate(['customRuntimeOptions']);
    out.optionsOrigin = { source, line: at?.line, col: at?.col };
    out.customRuntimeOptions = configOptionsText(cro, at ?? { source }, sink);
  }
  return out;
}
