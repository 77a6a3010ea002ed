/**
 * One error type for the whole program, and the warnings that travel beside results.
 * The core never prints: it returns warnings and throws PmcError; the CLI formats both
 * and decides the exit status.
 */

/** Every code pmc reports: a closed list, each documented in the README. */
export const ERROR_CODES = [
  // usage
  'PMC_USAGE',
  'PMC_NO_INPUT',
  // files and streams
  'PMC_READ',
  'PMC_WRITE',
  'PMC_NOT_TEXT',
  'PMC_INPUT_TOO_LARGE',
  'PMC_EMPTY_INPUT',
  // YAML and JSON that cannot be read safely
  'PMC_YAML_SYNTAX',
  'PMC_YAML_ALIASES',
  'PMC_YAML_TOO_DEEP',
  'PMC_FORBIDDEN_KEY',
  // configuration files
  'PMC_WORKER_CONFIG',
  'PMC_FUNCTION_CONFIG',
  'PMC_PLUGIN_CONFIG',
  'PMC_KRM',
  'PMC_OPTIONS_JSON',
  // option values
  'PMC_OPTIONS_TYPE',
  'PMC_OPTIONS_VALUE',
  'PMC_OPTIONS_RANGE',
  'PMC_OPTIONS_QUANTITY',
  'PMC_OPTIONS_UNKNOWN_KEY',
  'PMC_OPTIONS_COERCED',
  'PMC_OPTIONS_DUPLICATE_KEY',
  'PMC_OPTIONS_NULL',
  // what Kubernetes refuses
  'PMC_LABEL_KEY',
  'PMC_LABEL_VALUE',
  'PMC_ANNOTATION_KEY',
  'PMC_ANNOTATION_SIZE',
  'PMC_NAMESPACE',
  'PMC_NAME',
  'PMC_JOB_NAME',
  'PMC_TOLERATION',
  'PMC_SECURITY_CONTEXT',
  'PMC_RESOURCES',
  'PMC_READ_ONLY_ROOT',
  'PMC_DEPRECATED',
  'PMC_CAPABILITY_NAME',
  'PMC_SELECTOR_MISMATCH',
  'PMC_SCHEMA',
  'PMC_MANIFEST_SHAPE',
  'PMC_PSS',
  // the function's identity
  'PMC_IDENTITY_UNKNOWN',
  'PMC_IDENTITY_FROM_LABELS',
  'PMC_IDENTITY_MISMATCH',
  'PMC_AMBIGUOUS',
  'PMC_DUPLICATE_OBJECT',
  'PMC_LIVE_OBJECT',
  'PMC_TOLERATION_REPEATED',
  // given, but not applied
  'PMC_NO_CUSTOMIZER',
  'PMC_CUSTOMIZER_UNKNOWN',
  'PMC_RESERVED_KEY',
  'PMC_PROFILE',
  'PMC_JVM_MEMORY',
  'PMC_RBAC',
  'PMC_SECURITY_FLOOR',
  'PMC_TLS',
  'PMC_LISTEN',
  'PMC_SECURITY_CONTEXT_IGNORED',
  'PMC_POD_POLICY_IGNORED',
  'PMC_OPTION_NOT_ALLOWED',
  'PMC_VOLUME_MOUNT',
  'PMC_POLICY',
  'PMC_SEED_CLASS_IGNORES',
  'PMC_SHARED_RESOURCES',
  'PMC_RESOURCE_IGNORED',
  'PMC_PRESET_PATH',
  'PMC_NO_WORKLOAD',
  'PMC_NOT_IN_ADMISSION',
  // pmc render
  'PMC_RENDER',
  // notes
  'PMC_WORKER_FORM',
  'PMC_RENDER_PLACEHOLDER',
] as const;

export type ErrorCode = (typeof ERROR_CODES)[number];

export interface Location {
  /** A file name, `<stdin>`, or `--custom-runtime-options`. */
  source?: string;
  /** 1-based. */
  line?: number;
  /** 1-based. */
  col?: number;
  /** Where in the options, e.g. `customRuntimeOptions.securityContext.runAsUser`. */
  path?: string;
  /** Which manifest document: 0-based index in the stream, with kind/name. */
  /** Which manifest document: 0-based index in the stream (and in a `kind: List`, which item), with kind/name. */
  document?: { index: number; item?: number; kind?: string; name?: string };
  /** The source line and a caret under `col`, ready to print. */
  excerpt?: string;
}

export type Severity = 'error' | 'warning' | 'info';

export interface Diagnostic {
  severity: Severity;
  /** Stable, documented, e.g. PMC_OPTIONS_TYPE. */
  code: ErrorCode;
  message: string;
  location?: Location;
}

/**
 * Where a face's diagnostics go, one implementation per face: text on stderr (the CLI),
 * KRM results (a KRM function), admission warnings (the webhook's answer), a structured log
 * line (the webhook's stderr). The application layer decides what is said; a Reporter, how.
 */
export interface Reporter {
  report(diagnostics: readonly Diagnostic[]): void | Promise<void>;
}

export class PmcError extends Error {
  readonly code: ErrorCode;
  readonly location?: Location;
  /** Further errors found in the same pass, so the user sees all of them at once. */
  readonly more: Diagnostic[];

  constructor(
    code: ErrorCode,
    message: string,
    opts: { location?: Location; more?: Diagnostic[] } = {},
  ) {
    super(message);
    this.name = 'PmcError';
    this.code = code;
    this.location = opts.location;
    this.more = opts.more ?? [];
  }

  /** Every error this one stands for, itself first. */
  diagnostics(): Diagnostic[] {
    return [
      { severity: 'error', code: this.code, message: this.message, location: this.location },
      ...this.more,
    ];
  }

  static fromDiagnostics(errors: Diagnostic[]): PmcError {
    const [first, ...rest] = errors;
    return new PmcError(first.code, first.message, { location: first.location, more: rest });
  }
}

/** Collects warnings and errors during one pass; throws once at the end if any error. */
export class DiagnosticSink {
  readonly items: Diagnostic[] = [];
  private readonly warned = new Set<string>();

  /** A warning said once: options shared by several functions would repeat it for each. */
  warn(code: ErrorCode, message: string, location?: Location): void {
    const key = JSON.stringify([code, message, location]);
    if (this.warned.has(key)) return;
    this.warned.add(key);
    this.items.push({ severity: 'warning', code, message, location });
  }

  /** What pmc did that a user may want to know (which form of a file it read): never an error, not even under --strict. */
  note(code: ErrorCode, message: string, location?: Location): void {
    this.items.push({ severity: 'info', code, message, location });
  }

  error(code: ErrorCode, message: string, location?: Location): void {
    this.items.push({ severity: 'error', code, message, location });
  }

  get errors(): Diagnostic[] {
    return this.items.filter((d) => d.severity === 'error');
  }

  /** Warnings and notes, in the order they came: what goes on stderr when nothing failed. */
  get warnings(): Diagnostic[] {
    return this.items.filter((d) => d.severity !== 'error');
  }

  /** Throws a PmcError carrying every error collected so far. */
  throwIfErrors(): void {
    const errors = this.errors;
    if (errors.length > 0) throw PmcError.fromDiagnostics(errors);
  }
}

/**
 * Warnings refused as errors, each saying why (`--strict`; a kustomize build that would drop
 * them): undefined when there is none.
 */
export function warningsAsErrors(diagnostics: Diagnostic[], why: (w: Diagnostic) => string): PmcError | undefined {
  const warnings = diagnostics.filter((d) => d.severity === 'warning');
  if (warnings.length === 0) return undefined;
  return PmcError.fromDiagnostics(warnings.map((w) => ({ ...w, severity: 'error', message: `${w.message} ${why(w)}` })));
}

/** `source:line:col`, the JSON path and the document, in the order a reader needs them. */
export function formatLocation(loc: Location | undefined): string {
  if (!loc) return '';
  const parts: string[] = [];
  if (loc.source) {
    let where = loc.source;
    if (loc.line !== undefined) where += `:${loc.line}`;
    if (loc.line !== undefined && loc.col !== undefined) where += `:${loc.col}`;
    parts.push(where);
  }
  if (loc.document) {
    const { index, item, kind, name } = loc.document;
    const what = kind ? ` ${kind}/${name ?? '<unnamed>'}` : '';
    parts.push(`document ${index + 1}${item !== undefined ? ` items[${item}]` : ''}${what}`);
  }
  if (loc.path) parts.push(loc.path);
  return parts.join(': ');
}

/** The source line holding `offset`, and a caret under it. */
export function caretExcerpt(text: string, line: number, col: number): string {
  const lines = text.split(/\r?\n/);
  const src = lines[line - 1] ?? '';
  // Keep long lines (one-line JSON) readable: show a window around the column.
  const width = 72;
  let start = 0;
  if (src.length > width && col > width / 2) start = Math.min(col - 1 - width / 2, src.length - width);
  start = Math.max(0, start);
  const shown = (start > 0 ? '…' : '') + src.slice(start, start + width) + (start + width < src.length ? '…' : '');
  const caretAt = col - 1 - start + (start > 0 ? 1 : 0);
  return `  ${shown}\n  ${' '.repeat(Math.max(0, caretAt))}^`;
}

/**
 * Line and column of many offsets in one text: the line starts found once, each offset then
 * a binary search (lineColAt scans from the start, which at every item of a large List made
 * reading it quadratic).
 */
export function lineIndex(text: string): (offset: number) => { line: number; col: number } {
  const starts = [0];
  for (let i = text.indexOf('\n'); i !== -1; i = text.indexOf('\n', i + 1)) starts.push(i + 1);
  return (offset) => {
    const at = Math.max(0, Math.min(offset, text.length));
    let lo = 0;
    let hi = starts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (starts[mid]! <= at) lo = mid;
      else hi = mid - 1;
    }
    return { line: lo + 1, col: at - starts[lo]! + 1 };
  };
}

/** Converts a 0-based character offset into 1-based line and column. */
export function lineColAt(text: string, offset: number): { line: number; col: number } {
  let line = 1;
  let lineStart = 0;
  for (let i = 0; i < offset && i < text.length; i++) {
    if (text.charCodeAt(i) === 10) {
      line++;
      lineStart = i + 1;
    }
  }
  return { line, col: offset - lineStart + 1 };
}
