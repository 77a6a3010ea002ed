/**
 * The edge: streams, files, environment. Commands get an Io so that tests can run the
 * whole CLI in-process with strings.
 */
import { closeSync, fstatSync, openSync, readFileSync, readSync } from 'node:fs';
import { resolve } from 'node:path';
import { PmcError } from '../core/base/diagnostics.js';

export interface TextSink {
  write(chunk: string): unknown;
  isTTY?: boolean;
  /** After a write returned false: resolves when the reader has taken what is buffered. */
  drained?(): Promise<void>;
}

export interface Io {
  /** A readable stream (process.stdin) or, in tests, the whole input as a string. */
  stdin: NodeJS.ReadableStream | string | undefined;
  stdinIsTTY?: boolean;
  stdout: TextSink;
  stderr: TextSink;
  env: Record<string, string | undefined>;
  cwd: string;
  /** The pmc executable being run (bin/pmc.js), for what must run pmc again (the kustomize plugin). */
  entry?: string;
}

/** Above this, input is refused rather than read into memory. */
export const DEFAULT_MAX_INPUT_BYTES = 256 * 1024 * 1024;

export function maxInputBytes(env: Io['env']): number {
  const v = Number(env.PMC_MAX_INPUT_BYTES);
  return Number.isFinite(v) && v > 0 ? v : DEFAULT_MAX_INPUT_BYTES;
}

/** Reads stdin whole, refusing more than `limit` bytes without buffering them. */
export async function readStdin(io: Io, opts: { keepBom?: boolean } = {}): Promise<string> {
  const limit = maxInputBytes(io.env);
  if (typeof io.stdin === 'string') {
    if (Buffer.byteLength(io.stdin) > limit) throw tooLarge('<stdin>', limit);
    return checkText(io.stdin, '<stdin>', opts.keepBom);
  }
  if (!io.stdin) return '';
  if (io.stdinIsTTY) {
    throw new PmcError('PMC_NO_INPUT', 'no manifest: give a file, or pipe one on stdin');
  }
  const parts: Buffer[] = [];
  let size = 0;
  for await (const chunk of io.stdin) {
    const buf = typeof chunk === 'string' ? Buffer.from(chunk) : (chunk as Buffer);
    size += buf.length;
    if (size > limit) throw tooLarge('<stdin>', limit);
    parts.push(buf);
  }
  return decodeText(Buffer.concat(parts), '<stdin>', opts.keepBom);
}

export async function readTextFile(path: string, io: Io, what: string, opts: { keepBom?: boolean } = {}): Promise<string> {
  let buf: Buffer;
  try {
    buf = readLimited(resolve(io.cwd, path), path, maxInputBytes(io.env));
  } catch (e) {
    if (e instanceof PmcError) throw e;
    const code = (e as NodeJS.ErrnoException).code;
    const reason = code === 'ENOENT' ? 'no such file' : code === 'EISDIR' ? 'it is a directory' : code === 'EACCES' ? 'permission denied' : (e as Error).message;
    throw new PmcError('PMC_READ', `cannot read the ${what}: ${reason}`, { location: { source: path } });
  }
  return decodeText(buf, path, opts.keepBom);
}

/**
 * A whole file, refusing more than `limit` bytes: by its size when it is a regular file,
 * while reading when it is a pipe (`<(...)`, /dev/stdin). Synchronous: a CLI reading a
 * few local files gains nothing from the thread pool but its start-up.
 */
function readLimited(full: string, path: string, limit: number): Buffer {
  const fd = openSync(full, 'r');
  try {
    const st = fstatSync(fd);
    if (st.isFile()) {
      if (st.size > limit) throw tooLarge(path, limit);
      return readFileSync(fd);
    }
    const parts: Buffer[] = [];
    let size = 0;
    for (;;) {
      const chunk = Buffer.allocUnsafe(64 * 1024);
      const n = readSync(fd, chunk);
      if (n === 0) return Buffer.concat(parts, size);
      size += n;
      if (size > limit) throw tooLarge(path, limit);
      parts.push(n === chunk.length ? chunk : chunk.subarray(0, n));
    }
  } finally {
    closeSync(fd);
  }
}

function tooLarge(source: string, limit: number): PmcError {
  return new PmcError(
    'PMC_INPUT_TOO_LARGE',
    `the input is larger than the limit of ${limit} bytes; split it, or raise the limit with PMC_MAX_INPUT_BYTES`,
    { location: { source } },
  );
}

const decoder = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });
// YAML allows tab, LF and CR among the C0 controls, and no C1 controls but NEL.
const FORBIDDEN_CONTROL = /[\x00-\x08\x0B\x0C\x0E-\x1F\x7F]/;

/** Text or a clear refusal: binary input is named as such, with where it starts. */
export function decodeText(buf: Buffer, source: string, keepBom = false): string {
  let text: string;
  try {
    text = decoder.decode(buf);
  } catch {
    throw new PmcError('PMC_NOT_TEXT', 'the input is not UTF-8 text', { location: { source } });
  }
  return checkText(text, source, keepBom);
}

/** Refuses control characters YAML does not allow; drops a byte order mark unless asked to keep it. */
export function checkText(text: string, source: string, keepBom = false): string {
  const m = FORBIDDEN_CONTROL.exec(text);
  if (m) {
    const before = text.slice(0, m.index);
    const line = before.split('\n').length;
    const col = m.index - before.lastIndexOf('\n');
    const code = m[0].charCodeAt(0).toString(16).padStart(2, '0');
    throw new PmcError('PMC_NOT_TEXT', `the input holds the control character 0x${code}, which YAML does not allow: is it binary?`, {
      location: { source, line, col },
    });
  }
  return text.charCodeAt(0) === 0xfeff && !keepBom ? text.slice(1) : text;
}

/** Whether to colour what goes to `stream`: a terminal, and neither NO_COLOR nor TERM=dumb. */
export function useColour(io: Io, stream: TextSink): boolean {
  return !!stream.isTTY && !('NO_COLOR' in io.env) && io.env.TERM !== 'dumb';
}

/** A chalk that colours exactly when `stream` should be coloured (chalk alone asks the process). */
export async function colours(io: Io, stream: TextSink) {
  if (!useColour(io, stream)) return undefined;
  const { Chalk } = await import('chalk');
  return new Chalk({ level: 1 });
}
