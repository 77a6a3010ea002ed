/**
 * One error type for the whole program, and the warnings that travel beside results.
 * The core never prints: it returns warnings and throws PmcError; the CLI formats both.
 */

export const EXIT_OK = 0;
/** Bad input, a failed check. */
export const EXIT_INPUT = 1;
/** Wrong usage: unknown flag, missing argument, conflicting options. */
export const EXIT_USAGE = 2;
/** `pmc diff`: something would change. */
export const EXIT_DIFFERS = 3;

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
  document?: { index: number; kind?: string; name?: string };
  /** The source line and a caret under `col`, ready to print. */
  excerpt?: string;
}

export type Severity = 'error' | 'warning';

export interface Diagnostic {
  severity: Severity;
  /** Stable, documented, e.g. PMC_OPTIONS_TYPE. */
  code: string;
  message: string;
  location?: Location;
}

export class PmcError extends Error {
  readonly code: string;
  readonly location?: Location;
  readonly exitStatus: number;
  /** Further errors found in the same pass, so the user sees all of them at once. */
  readonly more: Diagnostic[];

  constructor(
    code: string,
    message: string,
    opts: { location?: Location; exitStatus?: number; more?: Diagnostic[] } = {},
  ) {
    super(message);
    this.name = 'PmcError';
    this.code = code;
    this.location = opts.location;
    this.exitStatus = opts.exitStatus ?? EXIT_INPUT;
    this.more = opts.more ?? [];
  }

  /** Every error this one stands for, itself first. */
  diagnostics(): Diagnostic[] {
    return [
      { severity: 'error', code: this.code, message: this.message, location: this.location },
      ...this.more,
    ];
  }

  static fromDiagnostics(errors: Diagnostic[], exitStatus = EXIT_INPUT): PmcError {
    const [first, ...rest] = errors;
    return new PmcError(first.code, first.message, { location: first.location, exitStatus, more: rest });
  }
}

/** Collects warnings and errors during one pass; throws once at the end if any error. */
export class DiagnosticSink {
  readonly items: Diagnostic[] = [];
  private readonly warned = new Set<string>();

  /** A warning said once: options shared by several functions would repeat it for each. */
  warn(code: string, message: string, location?: Location): void {
    const key = JSON.stringify([code, message, location]);
    if (this.warned.has(key)) return;
    this.warned.add(key);
    this.items.push({ severity: 'warning', code, message, location });
  }

  error(code: string, message: string, location?: Location): void {
    this.items.push({ severity: 'error', code, message, location });
  }

  get errors(): Diagnostic[] {
    return this.items.filter((d) => d.severity === 'error');
  }

  get warnings(): Diagnostic[] {
    return this.items.filter((d) => d.severity === 'warning');
  }

  /** Throws a PmcError carrying every error collected so far. */
  throwIfErrors(): void {
    const errors = this.errors;
    if (errors.length > 0) throw PmcError.fromDiagnostics(errors);
  }
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
    const { index, kind, name } = loc.document;
    const what = kind ? ` ${kind}/${name ?? '<unnamed>'}` : '';
    parts.push(`document ${index + 1}${what}`);
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
