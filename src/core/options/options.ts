/**
 * The options object Pulsar calls RuntimeOpts, plus the SecurityContext extension,
 * read from untyped input (worker YAML or the function's JSON string) against a schema.
 *
 * Pulsar reads these with Gson (customRuntimeOptions) or Jackson (the worker's YAML), which
 * silently drop unknown keys and turn `"yes"` into false. We accept only what Pulsar would
 * read the same way, and say so when we coerce; where Pulsar's reading would surprise
 * (`"yes"` as false, a `null` it would send on), we refuse and say why.
 *
 * Numbers from customRuntimeOptions arrive as JsonNumber, their literal text, because Gson's
 * reading depends on it: a String field takes the text as written (JsonReader.nextString),
 * an integer field what JsonReader.nextLong accepts.
 * https://github.com/google/gson/blob/main/gson/src/main/java/com/google/gson/stream/JsonReader.java
 */
import { formatPath } from '../base/paths.js';
import { closest, distance } from 'fastest-levenshtein';
import { DiagnosticSink, type Location } from '../base/diagnostics.js';
import { javaDouble } from '../base/java.js';
import { JsonNumber } from '../base/json-source.js';
import { isForbiddenKey, isObject } from '../base/values.js';
import { QUANTITY_PATTERN } from '../checks/pod-rules.js';

export type { ResourceRequirements, SeccompProfile, SecurityContextOpts, StringMap, Toleration } from './option-types.js';

export type Spec =
  | { t: 'any' }
  | { t: 'string' }
  | { t: 'int'; min?: number }
  | { t: 'bool' }
  | { t: 'enum'; values: readonly string[] }
  | { t: 'quantity' }
  | { t: 'map'; of: Spec }
  | { t: 'list'; of: Spec }
  | { t: 'object'; fields: Record<string, Spec> };

export interface ReadContext {
  /** How the root is named in messages: `customRuntimeOptions` or `runtimeCustomizerConfig`. */
  root: string;
  /** Maps a path inside the options to a place in a file, when the options came from one. */
  locate?: (path: (string | number)[], opts?: { key?: boolean }) => Location | undefined;
  /** How a path is named in messages, when not as `jsonPath(root, path)` (a PF_ key names its own). */
  name?: (path: (string | number)[]) => string;
  /** Unknown keys become errors. */
  strict?: boolean;
  /** The worker runs a customizer class pmc does not know: an unknown key may be its own, not one Pulsar ignores. */
  foreignClass?: string;
  /** Top-level options a customizer profile declares (profile.ts), read beside Pulsar's. */
  extra?: Record<string, Spec>;
  /** Read by Pulsar with Gson (customRuntimeOptions), not Jackson (the worker's YAML). */
  gson?: boolean;
  /** The worker file's own YAML, which Jackson maps onto RuntimeOpts when the worker starts. */
  workerFile?: boolean;
  sink: DiagnosticSink;
}

/** A JSON path as users write it: `customRuntimeOptions.tolerations[0].effect`. */
export function jsonPath(root: string, path: (string | number)[]): string {
  return formatPath(path, root);
}

/** `one of "Exists", "Equal" or "" (the default)`: the empty string shown as one. */
function choices(values: readonly string[]): string {
  const named = values.filter((v) => v !== '').map((v) => `"${v}"`);
  const last = values.includes('') ? ' or "" (the default)' : '';
  return `one of ${named.join(', ')}${last}`;
}

/** The schema of the value at `path`, if the schema goes that deep. */
export function specAt(spec: Spec, path: readonly (string | number)[]): Spec | undefined {
  let at: Spec | undefined = spec;
  for (const p of path) {
    if (!at) return undefined;
    if (at.t === 'object') at = typeof p === 'string' ? at.fields[p] : undefined;
    else if (at.t === 'map' || at.t === 'list') at = at.of;
    else return undefined;
  }
  return at;
}

function describe(value: unknown): string {
  if (value === null) return 'null';
  // As the user wrote it, never JavaScript's rounding of it.
  if (value instanceof JsonNumber) return value.text.length > 60 ? `${value.text.slice(0, 57)}...` : value.text;
  if (Array.isArray(value)) return 'a list';
  if (typeof value === 'object') return 'an object';
  const shown = typeof value === 'bigint' ? String(value) : JSON.stringify(value);
  return shown.length > 60 ? `${shown.slice(0, 57)}...` : shown;
}

/** A value read as it is, exact numbers made plain all the way down. */
function plainAny(v: unknown): unknown {
  if (v instanceof JsonNumber) return v.value;
  // The worker file's integers are read exactly (bigint): a plain number where it is one exactly.
  if (typeof v === 'bigint') return v >= BigInt(Number.MIN_SAFE_INTEGER) && v <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(v) : v;
  if (Array.isArray(v)) return v.map(plainAny);
  if (v !== null && typeof v === 'object') return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, plainAny(x)]));
  return v;
}

function pathName(ctx: ReadContext, path: (string | number)[]): string {
  return ctx.name ? ctx.name(path) : jsonPath(ctx.root, path);
}

/** Reads any value against a schema, with the same rules and messages as the options. */
export function readWithSpec(raw: unknown, spec: Spec, ctx: ReadContext): unknown {
  return read(raw, spec, [], ctx);
}

function read(value: unknown, spec: Spec, path: (string | number)[], ctx: ReadContext): unknown {
  const where = (): Location => ({ ...ctx.locate?.(path), path: pathName(ctx, path) });
  const wrongType = (expected: string) => {
    ctx.sink.error('PMC_OPTIONS_TYPE', `expected ${expected}, got ${describe(value)}`, where());
    return undefined;
  };
  if (value === null || value === undefined) return undefined;

  switch (spec.t) {
    case 'any':
      return plainAny(value);

    case 'string':
      if (typeof value === 'string') return value;
      // Gson reads a number or boolean into a String field as its text: `1.50` stays "1.50".
      if (value instanceof JsonNumber || typeof value === 'number' || typeof value === 'bigint' || typeof value === 'boolean') {
        // The worker file's floats are Java Doubles when Jackson turns them into text (6.0 is "6.0").
        const text = value instanceof JsonNumber ? value.text : ctx.workerFile && typeof value === 'number' ? javaDouble(value) : String(value);
        ctx.sink.warn('PMC_OPTIONS_COERCED', `${describe(value)} is not a string; read as "${text}", as Pulsar reads it`, where());
        return text;
      }
      return wrongType('a string');

    case 'int': {
      const n = readInteger(value);
      if (n.problem) {
        ctx.sink.error('PMC_OPTIONS_TYPE', `expected an integer, got ${describe(value)}${n.problem === true ? '' : `; ${n.problem}`}`, where());
        return undefined;
      }
      if (n.tooLarge) {
        ctx.sink.error('PMC_OPTIONS_RANGE', `${describe(value)} is too large: pmc takes integers up to ${Number.MAX_SAFE_INTEGER} here, far beyond what Kubernetes accepts for any of these fields`, where());
        return undefined;
      }
      if (n.coerced) ctx.sink.warn('PMC_OPTIONS_COERCED', `${describe(value)} is ${n.coerced}; read as the integer ${n.value}, as Pulsar reads it`, where());
      if (spec.min !== undefined && n.value! < spec.min) {
        ctx.sink.error('PMC_OPTIONS_RANGE', `must be at least ${spec.min}, got ${describe(value)}`, where());
        return undefined;
      }
      return n.value;
    }

    case 'bool':
      if (typeof value === 'boolean') return value;
      if (typeof value === 'string') {
        // Gson reads any string with Boolean.parseBoolean: "TRUE" is true, "yes" is false.
        const lower = value.toLowerCase();
        if (lower === 'true' || lower === 'false') {
          ctx.sink.warn('PMC_OPTIONS_COERCED', `${describe(value)} is a string; read as the boolean ${lower}, as Pulsar reads it`, where());
          return lower === 'true';
        }
        // A silent false here can ship a root pod.
        ctx.sink.error('PMC_OPTIONS_TYPE', `expected true or false, got ${describe(value)} (Pulsar would read it as false)`, where());
        return undefined;
      }
      return wrongType('true or false');

    case 'enum': {
      // Gson reads these into String fields: a number or boolean arrives as its text.
      const text = value instanceof JsonNumber ? value.text : typeof value === 'boolean' || typeof value === 'number' || typeof value === 'bigint' ? String(value) : value;
      if (typeof text !== 'string') return wrongType(choices(spec.values));
      if (spec.values.includes(text)) return text;
      ctx.sink.error('PMC_OPTIONS_VALUE', `${describe(value)} is not ${choices(spec.values)}`, where());
      return undefined;
    }

    case 'quantity': {
      // Gson reads a quantity with nextString: a number's literal text.
      const text = value instanceof JsonNumber ? value.text : (typeof value === 'number' && Number.isFinite(value)) || typeof value === 'bigint' ? String(value) : value;
      if (ctx.workerFile && (value instanceof JsonNumber || typeof value === 'number' || typeof value === 'bigint')) {
        const literal = typeof text === 'string' ? text : String(value);
        // BasicKubernetesManifestCustomizer.initialize converts the worker's map with Jackson,
        // which has no Quantity(int) constructor: FunctionRuntimeManager's constructor throws
        // and the worker does not start. (Gson, for customRuntimeOptions, reads the number.)
        ctx.sink.error(
          'PMC_OPTIONS_TYPE',
          `${literal} is a number, and the functions worker does not start on it (Jackson cannot build a Kubernetes Quantity from a number); quote it: ${String(path.at(-1))}: "${literal}"`,
          where(),
        );
        return undefined;
      }
      if (typeof text !== 'string') return wrongType('a Kubernetes quantity such as "500m" or "2Gi"');
      if (!QUANTITY_PATTERN.test(text)) {
        ctx.sink.error('PMC_OPTIONS_QUANTITY', `${describe(value)} is not a Kubernetes quantity (e.g. "500m", "1", "2Gi", "4G")`, where());
        return undefined;
      }
      return text;
    }

    case 'list': {
      if (!Array.isArray(value)) return wrongType('a list');
      const out: unknown[] = [];
      value.forEach((item, i) => {
        if (item === null) return refuseNull([...path, i], 'a list item', ctx);
        const r = read(item, spec.of, [...path, i], ctx);
        if (r !== undefined) out.push(r);
      });
      return out;
    }

    case 'map': {
      // Gson alone reads a map from a list of [key, value] pairs; nobody writes one meaning it.
      if (Array.isArray(value) && ctx.gson) return wrongType('an object of names to values (Pulsar would read a list as [key, value] pairs; write an object)');
      if (!isObject(value) || value instanceof JsonNumber) return wrongType('an object of names to values');
      const out: Record<string, unknown> = {};
      for (const [k, v] of Object.entries(value)) {
        if (refuseForbidden(k, v, [...path, k], ctx)) continue;
        if (v === null) {
          refuseNull([...path, k], 'a value', ctx);
          continue;
        }
        const r = read(v, spec.of, [...path, k], ctx);
        if (r !== undefined) out[k] = r;
      }
      return out;
    }

    case 'object': {
      if (!isObject(value) || value instanceof JsonNumber) return wrongType('an object');
      const known = [...Object.keys(spec.fields), ...(path.length === 0 ? Object.keys(ctx.extra ?? {}) : [])];
      const out: Record<string, unknown> = {};
      for (const [k, v] of Object.entries(value)) {
        if (refuseForbidden(k, v, [...path, k], ctx)) continue;
        const fieldSpec = spec.fields[k] ?? (path.length === 0 ? ctx.extra?.[k] : undefined);
        if (!fieldSpec) {
          const suggestion = closest(k, known);
          const hint = suggestion && similar(k, suggestion) ? `; did you mean "${suggestion}"?` : '';
          const simple = ctx.foreignClass?.slice(ctx.foreignClass.lastIndexOf('.') + 1);
          const why = simple
            ? `not an option of Pulsar's BasicKubernetesManifestCustomizer or the SecurityContext extension; pmc does not know ${simple}'s own`
            : ctx.extra && path.length === 0
              ? "neither one of Pulsar's options nor one the customizer profile declares, so pmc does not preview it"
              : 'Pulsar ignores it silently';
          const message = `unknown key "${k}" (${why})${hint}`;
          const loc = { ...ctx.locate?.([...path, k], { key: true }), path: pathName(ctx, [...path, k]) };
          if (ctx.strict) ctx.sink.error('PMC_OPTIONS_UNKNOWN_KEY', message, loc);
          else ctx.sink.warn('PMC_OPTIONS_UNKNOWN_KEY', message, loc);
          continue;
        }
        const r = read(v, fieldSpec, [...path, k], ctx);
        if (r !== undefined) out[k] = r;
      }
      return out;
    }
  }
}

/**
 * An integer as Gson's JsonReader.nextLong reads it: a number written as an integer; a
 * number with a fraction or exponent whose value is a whole number (`1.0`, `1e3`); or a
 * string holding either (a coercion). `problem` says why a value is refused: `true` for a
 * plain type mismatch, or the reason pmc is stricter than Gson; `tooLarge`, a whole number
 * beyond what a JavaScript number holds exactly.
 */
export function readInteger(value: unknown): { value?: number; coerced?: string; problem?: true | string; tooLarge?: boolean } {
  let text: string;
  let coerced: string | undefined;
  if (value instanceof JsonNumber) text = value.text;
  else if (typeof value === 'number' || typeof value === 'bigint') text = String(value);
  else if (typeof value === 'string') {
    text = value;
    coerced = 'a string';
  } else return { problem: true };
  if (!/^-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?$/.test(text)) {
    // Gson's string path goes through Long.parseLong and Double.parseDouble, which take
    // more ("+1", "007", "0x1p3", " 1 ", "1d"); pmc takes integer text only.
    return { problem: typeof value === 'string' && text.trim() !== '' ? 'pmc reads only plain integer text here (e.g. "1000")' : true };
  }
  if (!/^-?\d+$/.test(text)) {
    const d = Number(text);
    // nextLong takes a fraction or exponent only when the value is whole.
    if (!Number.isInteger(d)) return { problem: 'Pulsar refuses a fraction here' };
    coerced ??= 'written with a fraction or exponent';
  }
  const big = /^-?\d+$/.test(text) ? BigInt(text) : BigInt(Number(text));
  // Gson takes any whole value up to a Java long, clamping some beyond it; no field pmc sets
  // takes anything near that (user and group IDs and seconds are far smaller).
  if (big > BigInt(Number.MAX_SAFE_INTEGER) || big < BigInt(Number.MIN_SAFE_INTEGER)) return { tooLarge: true };
  return { value: Number(big), coerced };
}

/**
 * Gson keeps a `null` map value or list item and Pulsar sends it on: a `null` toleration
 * becomes an empty toleration the API server refuses, a `null` label or limit removes
 * what the worker set. Never what was meant, so pmc refuses it.
 */
function refuseNull(path: (string | number)[], what: string, ctx: ReadContext): void {
  ctx.sink.error('PMC_OPTIONS_NULL', `${what} is null; Pulsar would send it on as null (an empty entry, or removing the worker's value); remove it or give a value`, {
    ...ctx.locate?.(path),
    path: pathName(ctx, path),
  });
}

function refuseForbidden(key: string, value: unknown, path: (string | number)[], ctx: ReadContext): boolean {
  if (!isForbiddenKey(key, value)) return false;
  ctx.sink.error('PMC_FORBIDDEN_KEY', `the key "${key}" is not allowed`, {
    ...ctx.locate?.(path, { key: true }),
    path: pathName(ctx, path),
  });
  return true;
}

/** Close enough to be a typo: at most a third of the letters differ. */
export function similar(a: string, b: string): boolean {
  return distance(a.toLowerCase(), b.toLowerCase()) <= Math.max(2, Math.floor(Math.max(a.length, b.length) / 3));
}
