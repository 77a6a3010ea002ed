/**
 * Reading the two configuration sources Pulsar has: the worker's functions_worker.yml
 * and a function's customRuntimeOptions (on its own, or inside a pulsar-admin
 * function/source/sink config file). Text in, typed options out; no file system.
 */
import { distance } from 'fastest-levenshtein';
import { parse as parseJsonc, printParseErrorCode, type ParseError } from 'jsonc-parser';
import { JsonNumber, parseSourcedJson, type DuplicateKey, type SourcedJson } from '../base/json-source.js';
import { isMap, isScalar, parseDocument, visit, type Document, type Node, type ScalarTag } from 'yaml';
import { DiagnosticSink, PmcError, caretExcerpt, lineColAt, lineIndex, type Location } from '../base/diagnostics.js';
import { jsonPath, readWithSpec, specAt, FORBIDDEN_KEYS, type ReadContext, type Spec } from '../options/options.js';
import { RUNTIME_OPTS_SPEC, type RuntimeOpts } from '../options/registry.js';
import { isObject } from '../base/values.js';
import { plainOf, yamlError } from '../base/stream.js';
import type { FunctionIdentity } from '../base/naming.js';
import type { CustomizerKind } from '../options/customizers.js';

export { CUSTOMIZER_KINDS, type CustomizerKind } from '../options/customizers.js';

const PULSAR_PACKAGE = 'org.apache.pulsar.functions.runtime.kubernetes';
export const BASIC_CUSTOMIZER_CLASS = `${PULSAR_PACKAGE}.BasicKubernetesManifestCustomizer`;
/** The interface the worker loads a customizer as; not a class it can instantiate. */
export const CUSTOMIZER_INTERFACE = `${PULSAR_PACKAGE}.KubernetesManifestCustomizer`;
/** The SecurityContext extension's class, in whatever package a team builds it. */
export const EXTENSION_CLASS_NAME = 'SecurityContextKubernetesManifestCustomizer';

/** What reading options needs of the worker's customizer class. */
export interface OptionsReading {
  /** The class, when pmc does not know its options (foreignCustomizer). */
  foreignClass?: string;
  /** The options a customizer profile declares for it. */
  extra?: Record<string, Spec>;
}

/**
 * What `runtimeCustomizerClassName` makes the worker run. The worker loads the class by its
 * fully qualified name and instantiates it (Reflections.createInstance), so the interface,
 * a misspelt name or a name without its package stop it; pmc refuses them with the fix.
 * https://github.com/apache/pulsar/blob/master/pulsar-functions/runtime/src/main/java/org/apache/pulsar/functions/runtime/kubernetes/KubernetesRuntimeFactory.java
 */
export function customizerForClassName(className: string | undefined, sink: DiagnosticSink, where: Location): CustomizerKind {
  const { kind, problem, name } = classify(className);
  const at = { ...where, path: 'runtimeCustomizerClassName' };
  if (problem) sink.error('PMC_WORKER_CONFIG', problem, at);
  if (kind !== 'unknown') return kind;
  sink.warn(
    'PMC_CUSTOMIZER_UNKNOWN',
    `pmc does not know ${name}, so it previews none of the options (a customizer of your own reads options of its own): if it extends BasicKubernetesManifestCustomizer, say so with --customizer basic (security-context if it also reads the SecurityContext extension's securityContext), and describe its own options in a profile (--customizer-profile FILE)`,
    at,
  );
  return 'none';
}

/**
 * A class pmc knows no options of: neither Pulsar's Basic customizer nor the SecurityContext
 * extension (in any package), and no mistake pmc refuses. Its own option names are its own,
 * so pmc does not say Pulsar ignores them.
 */
export function foreignCustomizer(className: string | undefined): string | undefined {
  const { kind, name } = classify(className);
  return kind === 'unknown' ? name : undefined;
}

function classify(className: string | undefined): { kind: CustomizerKind | 'unknown'; problem?: string; name: string } {
  const name = className?.trim() ?? '';
  if (name === '') return { kind: 'none', name };
  if (name === BASIC_CUSTOMIZER_CLASS) return { kind: 'basic', name };
  if (name === CUSTOMIZER_INTERFACE) {
    return { kind: 'none', name, problem: `${name} is Pulsar's interface, which the worker cannot instantiate: use ${BASIC_CUSTOMIZER_CLASS}, or the class of the SecurityContext extension you deploy` };
  }
  const simple = name.slice(name.lastIndexOf('.') + 1);
  for (const known of [BASIC_CUSTOMIZER_CLASS, CUSTOMIZER_INTERFACE]) {
    const knownSimple = known.slice(known.lastIndexOf('.') + 1);
    if (distance(name, known) <= 3 || (simple !== EXTENSION_CLASS_NAME && distance(simple, knownSimple) <= 2)) {
      return { kind: 'none', name, problem: `${name} is not a class Pulsar has, so the worker fails to load it; did you mean ${known}?` };
    }
  }
  if (!name.includes('.')) return { kind: 'none', name, problem: `"${name}" has no package: the worker loads the class by its fully qualified name (e.g. ${BASIC_CUSTOMIZER_CLASS})` };
  return simple === EXTENSION_CLASS_NAME ? { kind: 'security-context', name } : { kind: 'unknown', name };
}

export interface WorkerConfig {
  className?: string;
  /** Where the class name is written, for messages about it. */
  classLine?: { line?: number; col?: number };
  options: RuntimeOpts;
}

/**
 * Plain scalars typed as Jackson types them in a file Pulsar reads (WorkerConfig.load,
 * pulsar-admin's config files): jackson-dataformat-yaml asks SnakeYAML's YAML 1.1 resolver,
 * whose rules are these (not the yaml library's own 1.1 schema, which also takes `y`/`n` as
 * booleans): `on`/`yes`/`off`/`no` are booleans, `06._1` is the float 6.1, `0x1F` and `1_000`
 * are integers, `1:20` is sexagesimal. Quoted scalars stay strings. The Pulsar oracle checks
 * these readings against the real worker on every release line.
 * https://bitbucket.org/snakeyaml/snakeyaml/src/master/src/main/java/org/yaml/snakeyaml/resolver/Resolver.java
 */
const sexagesimal = (str: string, parse: (s: string) => number) => {
  const sign = str.startsWith('-') ? -1 : 1;
  return sign * str.replace(/^[-+]/, '').split(':').reduce((acc, part) => acc * 60 + parse(part), 0);
};
const SNAKEYAML_TAGS: ScalarTag[] = [
  {
    tag: 'tag:yaml.org,2002:bool',
    default: true,
    test: /^(?:yes|Yes|YES|no|No|NO|true|True|TRUE|false|False|FALSE|on|On|ON|off|Off|OFF)$/,
    resolve: (str) => /^(?:yes|Yes|YES|true|True|TRUE|on|On|ON)$/.test(str),
  },
  {
    tag: 'tag:yaml.org,2002:int',
    default: true,
    test: /^(?:[-+]?0b[0-1_]+|[-+]?0[0-7_]+|[-+]?(?:0|[1-9][0-9_]*)|[-+]?0x[0-9a-fA-F_]+|[-+]?[1-9][0-9_]*(?::[0-5]?[0-9])+)$/,
    resolve(str, _onError, options) {
      const s = str.replace(/_/g, '');
      if (s.includes(':')) return sexagesimal(s, Number);
      const sign = s.startsWith('-') ? -1n : 1n;
      const digits = s.replace(/^[-+]/, '');
      const big = sign * BigInt(/^0[0-7]+$/.test(digits) ? `0o${digits.slice(1)}` : digits);
      return options.intAsBigInt ? big : Number(big);
    },
  },
  {
    tag: 'tag:yaml.org,2002:float',
    default: true,
    test: /^(?:[-+]?(?:\.[0-9]+|[0-9_]+(?:\.[0-9_]*)?)(?:[eE][-+]?[0-9]+)?|[-+]?[0-9][0-9_]*(?::[0-5]?[0-9])+\.[0-9_]*|[-+]?\.(?:inf|Inf|INF)|\.(?:nan|NaN|NAN))$/,
    resolve(str) {
      const s = str.replace(/_/g, '');
      // SnakeYAML's pattern takes `_` or `_._` for a float, which Jackson then keeps as text.
      if (!/[0-9]|inf$|nan$/i.test(s)) return str;
      if (/inf$/i.test(s)) return s.startsWith('-') ? -Infinity : Infinity;
      if (/nan$/i.test(s)) return NaN;
      if (s.includes(':')) return sexagesimal(s, parseFloat);
      return parseFloat(s);
    },
  },
  { tag: 'tag:yaml.org,2002:null', default: true, test: /^(?:~|null|Null|NULL)?$/, resolve: () => null },
];

/**
 * Parses YAML text, refusing syntax errors with a caret excerpt. `pulsar: true` types plain
 * scalars as Pulsar's Jackson does (SNAKEYAML_TAGS above), for the files Pulsar itself reads.
 */
export function parseYamlFile(text: string, source: string, opts: { intAsBigInt?: boolean; pulsar?: boolean } = {}): Document {
  const { pulsar, ...rest } = opts;
  const doc = parseDocument(text, { prettyErrors: false, uniqueKeys: true, ...rest, ...(pulsar ? { schema: 'failsafe', customTags: SNAKEYAML_TAGS } : {}) });
  // Jackson takes a mapping key as the field name it is written as (`on:` is the key "on").
  if (pulsar) {
    visit(doc, {
      Pair(_, pair) {
        if (isScalar(pair.key) && pair.key.type === 'PLAIN' && pair.key.range) pair.key.value = text.slice(pair.key.range[0], pair.key.range[1]);
      },
    });
  }
  const err = doc.errors[0];
  if (err) throw yamlError(err, text, { source });
  return doc;
}

/**
 * file:line:col of the node at `path` in a YAML document: its value, or with
 * `{ key: true }` its key (for a key that is itself the problem).
 */
export function yamlLocator(doc: Document, text: string, source: string) {
  let lineOf: ReturnType<typeof lineIndex> | undefined;
  return (path: (string | number)[], opts: { key?: boolean } = {}): Location | undefined => {
    let node: unknown;
    if (opts.key && path.length > 0) {
      const parent = doc.getIn(path.slice(0, -1), true);
      if (isMap(parent)) node = parent.items.find((p) => isScalar(p.key) && p.key.value === path[path.length - 1])?.key;
    }
    for (let n = path.length; n >= 0 && !node; n--) node = doc.getIn(path.slice(0, n), true);
    const range = (node as Node | undefined)?.range;
    if (!range) return { source };
    // The line index is built at the first location asked for, then shared by the rest.
    lineOf ??= lineIndex(text);
    const { line, col } = lineOf(range[0]);
    return { source, line, col };
  };
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
  for (const dup of parsed.duplicates) {
    sink.error('PMC_OPTIONS_DUPLICATE_KEY', duplicateKeyMessage(dup), { ...where, path: jsonPath('customRuntimeOptions', [...dup.path, dup.key]) });
  }
  return readRuntimeOpts(raw, {
    root: 'customRuntimeOptions',
    locate: () => where,
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

/** What a pulsar-admin function, source or sink config file says about the function. */
export interface FunctionConfigFile {
  identity: Partial<FunctionIdentity>;
  customRuntimeOptions?: string;
  /** Where the customRuntimeOptions value sits in the file. */
  optionsOrigin?: OptionsOrigin;
}

export function readFunctionConfig(text: string, source: string, sink: DiagnosticSink): FunctionConfigFile {
  const doc = parseYamlFile(text, source);
  if (!isMap(doc.contents)) {
    throw new PmcError('PMC_FUNCTION_CONFIG', 'a function, source or sink config file must be a YAML or JSON object', {
      location: { source, line: 1, col: 1 },
    });
  }
  const locate = yamlLocator(doc, text, source);
  const plain = fileData(doc, source);
  for (const key of Object.keys(plain)) {
    if (FORBIDDEN_KEYS.has(key)) sink.error('PMC_FORBIDDEN_KEY', `the key "${key}" is not allowed`, { ...locate([key], { key: true }), path: key });
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
    if (typeof cro === 'string') out.customRuntimeOptions = cro;
    else if (typeof cro === 'object' && !Array.isArray(cro)) {
      // pulsar-admin wants a string here; accept the map a user meant, but say so.
      sink.warn('PMC_FUNCTION_CONFIG', 'customRuntimeOptions is a map; pulsar-admin expects a JSON string (read as its JSON)', {
        ...at,
        path: 'customRuntimeOptions',
      });
      out.customRuntimeOptions = JSON.stringify(cro);
    } else {
      sink.error('PMC_FUNCTION_CONFIG', `customRuntimeOptions must be a JSON string, got ${JSON.stringify(cro)}`, {
        ...at,
        path: 'customRuntimeOptions',
      });
    }
  }
  return out;
}
