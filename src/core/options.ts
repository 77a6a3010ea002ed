/**
 * The options object Pulsar calls RuntimeOpts, plus the SecurityContext extension,
 * read from untyped input (worker YAML or the function's JSON string) against a schema.
 *
 * Pulsar reads these with Gson/Jackson, which silently drop unknown keys and turn
 * `"yes"` into false. We accept only what Pulsar would read the same way, and say so
 * when we coerce: numeric strings for integers and "true"/"false" for booleans.
 */
import { closest, distance } from 'fastest-levenshtein';
import { DiagnosticSink, type Location } from './diagnostics.js';
import { isObject } from './values.js';

export type StringMap = Record<string, string>;

export interface ResourceRequirements {
  limits?: StringMap;
  requests?: StringMap;
}

export interface Toleration {
  key?: string;
  operator?: string;
  value?: string;
  effect?: string;
  tolerationSeconds?: number;
}

export interface SeccompProfile {
  type: string;
  localhostProfile?: string;
}

export interface SecurityContextOpts {
  /** Settings that pass a Pod Security Standards level; the fields beside it override it. */
  preset?: 'restricted' | 'baseline';
  // pod level
  runAsUser?: number;
  runAsGroup?: number;
  fsGroup?: number;
  runAsNonRoot?: boolean;
  seccompProfile?: SeccompProfile;
  supplementalGroups?: number[];
  fsGroupChangePolicy?: string;
  // container level
  privileged?: boolean;
  allowPrivilegeEscalation?: boolean;
  readOnlyRootFilesystem?: boolean;
  addCapabilities?: string[];
  dropCapabilities?: string[];
  seLinuxLevel?: string;
  seLinuxRole?: string;
  seLinuxType?: string;
  seLinuxUser?: string;
}

export interface RuntimeOpts {
  jobNamespace?: string;
  jobName?: string;
  extraLabels?: StringMap;
  extraAnnotations?: StringMap;
  nodeSelectorLabels?: StringMap;
  resourceRequirements?: ResourceRequirements;
  tolerations?: Toleration[];
  securityContext?: SecurityContextOpts;
}

/** Keys that would reach Object.prototype through a careless merge. Refused everywhere. */
export const FORBIDDEN_KEYS = new Set(['__proto__', 'constructor', 'prototype']);

// Kubernetes' quantity grammar (apimachinery resource.Quantity): a signed decimal and an
// optional binary SI, decimal SI or exponent suffix.
export const QUANTITY_PATTERN = /^[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[KMGTPE]i|[numkMGTPE]|[eE][+-]?\d+)?$/;

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

const str: Spec = { t: 'string' };
const uint: Spec = { t: 'int', min: 0 };
const bool: Spec = { t: 'bool' };
const stringMap: Spec = { t: 'map', of: str };
const stringList: Spec = { t: 'list', of: str };

export const SECURITY_CONTEXT_SPEC: Spec = {
  t: 'object',
  fields: {
    preset: { t: 'enum', values: ['restricted', 'baseline'] },
    runAsUser: uint,
    runAsGroup: uint,
    fsGroup: uint,
    runAsNonRoot: bool,
    seccompProfile: {
      t: 'object',
      fields: { type: { t: 'enum', values: ['RuntimeDefault', 'Localhost', 'Unconfined'] }, localhostProfile: str },
    },
    supplementalGroups: { t: 'list', of: uint },
    fsGroupChangePolicy: { t: 'enum', values: ['OnRootMismatch', 'Always'] },
    privileged: bool,
    allowPrivilegeEscalation: bool,
    readOnlyRootFilesystem: bool,
    addCapabilities: stringList,
    dropCapabilities: stringList,
    seLinuxLevel: str,
    seLinuxRole: str,
    seLinuxType: str,
    seLinuxUser: str,
  },
};

export const RUNTIME_OPTS_SPEC: Spec = {
  t: 'object',
  fields: {
    jobNamespace: str,
    jobName: str,
    extraLabels: stringMap,
    extraAnnotations: stringMap,
    nodeSelectorLabels: stringMap,
    resourceRequirements: {
      t: 'object',
      fields: { limits: { t: 'map', of: { t: 'quantity' } }, requests: { t: 'map', of: { t: 'quantity' } } },
    },
    tolerations: {
      t: 'list',
      of: {
        t: 'object',
        fields: {
          key: str,
          // '' is Kubernetes' default for both: Equal, and every effect.
          operator: { t: 'enum', values: ['Exists', 'Equal', ''] },
          value: str,
          effect: { t: 'enum', values: ['NoSchedule', 'PreferNoSchedule', 'NoExecute', ''] },
          tolerationSeconds: { t: 'int' },
        },
      },
    },
    securityContext: SECURITY_CONTEXT_SPEC,
  },
};

export interface ReadContext {
  /** How the root is named in messages: `customRuntimeOptions` or `runtimeCustomizerConfig`. */
  root: string;
  /** Maps a path inside the options to a place in a file, when the options came from one. */
  locate?: (path: (string | number)[], opts?: { key?: boolean }) => Location | undefined;
  /** Unknown keys become errors. */
  strict?: boolean;
  sink: DiagnosticSink;
}

/** A JSON path as users write it: `customRuntimeOptions.tolerations[0].effect`. */
export function jsonPath(root: string, path: (string | number)[]): string {
  let out = root;
  for (const p of path) {
    if (typeof p === 'number') out += `[${p}]`;
    else if (/^[A-Za-z_$][\w$]*$/.test(p)) out += `.${p}`;
    else out += `[${JSON.stringify(p)}]`;
  }
  return out;
}

function describe(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'a list';
  if (typeof value === 'object') return 'an object';
  const shown = JSON.stringify(value);
  return shown.length > 60 ? `${shown.slice(0, 57)}...` : shown;
}

/**
 * Reads options against the schema. Returns the typed options; errors and warnings go
 * to ctx.sink (the caller decides when to throw). Null and absent fields are the same,
 * as for Gson.
 */
export function readRuntimeOpts(raw: unknown, ctx: ReadContext): RuntimeOpts {
  if (raw === null || raw === undefined) return {};
  return (read(raw, RUNTIME_OPTS_SPEC, [], ctx) ?? {}) as RuntimeOpts;
}

/** Reads any value against a schema, with the same rules and messages as the options. */
export function readWithSpec(raw: unknown, spec: Spec, ctx: ReadContext): unknown {
  return read(raw, spec, [], ctx);
}

function read(value: unknown, spec: Spec, path: (string | number)[], ctx: ReadContext): unknown {
  const where = (): Location => ({ ...ctx.locate?.(path), path: jsonPath(ctx.root, path) });
  const wrongType = (expected: string) => {
    ctx.sink.error('PMC_OPTIONS_TYPE', `expected ${expected}, got ${describe(value)}`, where());
    return undefined;
  };
  if (value === null || value === undefined) return undefined;

  switch (spec.t) {
    case 'any':
      return value;

    case 'string':
      if (typeof value === 'string') return value;
      // Gson reads a number or boolean into a String field as its text.
      if (typeof value === 'number' || typeof value === 'boolean') {
        ctx.sink.warn('PMC_OPTIONS_COERCED', `${describe(value)} is not a string; read as "${String(value)}", as Pulsar reads it`, where());
        return String(value);
      }
      return wrongType('a string');

    case 'int': {
      let n: number | undefined;
      if (typeof value === 'number') n = value;
      else if (typeof value === 'string' && /^[+-]?\d+$/.test(value.trim())) {
        n = Number(value.trim());
        ctx.sink.warn('PMC_OPTIONS_COERCED', `${describe(value)} is a string; read as the integer ${n}, as Pulsar reads it`, where());
      }
      if (n === undefined || !Number.isSafeInteger(n)) return wrongType('an integer');
      if (spec.min !== undefined && n < spec.min) {
        ctx.sink.error('PMC_OPTIONS_RANGE', `must be at least ${spec.min}, got ${n}`, where());
        return undefined;
      }
      return n;
    }

    case 'bool':
      if (typeof value === 'boolean') return value;
      if (value === 'true' || value === 'false') {
        ctx.sink.warn('PMC_OPTIONS_COERCED', `${describe(value)} is a string; read as the boolean ${value}, as Pulsar reads it`, where());
        return value === 'true';
      }
      // Gson would read any other string as false; a silent false here can ship a root pod.
      return wrongType('true or false');

    case 'enum':
      if (typeof value === 'string' && spec.values.includes(value)) return value;
      if (typeof value !== 'string') return wrongType(`one of ${spec.values.join(', ')}`);
      ctx.sink.error('PMC_OPTIONS_VALUE', `${describe(value)} is not one of ${spec.values.join(', ')}`, where());
      return undefined;

    case 'quantity': {
      const text = typeof value === 'number' && Number.isFinite(value) ? String(value) : value;
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
        const r = read(item, spec.of, [...path, i], ctx);
        if (r !== undefined) out.push(r);
      });
      return out;
    }

    case 'map': {
      if (!isObject(value)) return wrongType('an object of names to values');
      const out: Record<string, unknown> = {};
      for (const [k, v] of Object.entries(value)) {
        if (refuseForbidden(k, [...path, k], ctx)) continue;
        const r = read(v, spec.of, [...path, k], ctx);
        if (r !== undefined) out[k] = r;
      }
      return out;
    }

    case 'object': {
      if (!isObject(value)) return wrongType('an object');
      const known = Object.keys(spec.fields);
      const out: Record<string, unknown> = {};
      for (const [k, v] of Object.entries(value)) {
        if (refuseForbidden(k, [...path, k], ctx)) continue;
        const fieldSpec = spec.fields[k];
        if (!fieldSpec) {
          const suggestion = closest(k, known);
          const hint = suggestion && similar(k, suggestion) ? `; did you mean "${suggestion}"?` : '';
          const message = `unknown key "${k}" (Pulsar ignores it silently)${hint}`;
          const loc = { ...ctx.locate?.([...path, k], { key: true }), path: jsonPath(ctx.root, [...path, k]) };
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

function refuseForbidden(key: string, path: (string | number)[], ctx: ReadContext): boolean {
  if (!FORBIDDEN_KEYS.has(key)) return false;
  ctx.sink.error('PMC_FORBIDDEN_KEY', `the key "${key}" is not allowed`, {
    ...ctx.locate?.(path, { key: true }),
    path: jsonPath(ctx.root, path),
  });
  return true;
}

/** Close enough to be a typo: at most a third of the letters differ. */
function similar(a: string, b: string): boolean {
  return distance(a.toLowerCase(), b.toLowerCase()) <= Math.max(2, Math.floor(Math.max(a.length, b.length) / 3));
}
