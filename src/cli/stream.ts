/**
 * The edge of `pmc customize --stream`: the manifest read piece by piece (stdin or a file),
 * cut into documents as they arrive, each customized and written as soon as it is final
 * (core/customize/streaming.ts). Memory holds the documents not yet final, not the stream.
 *
 * What reaches stdout is whole documents only. An error after output has begun ends the
 * stream there: the documents before it are on stdout, the error on stderr, and the exit
 * status is not 0, as kubectl does with a bad document. With --in-place the documents go
 * to a temporary file that replaces MANIFEST only when the whole stream passed.
 * JSON (kubectl's `-o json`: one object or a List) is one document, read whole.
 */
import { closeSync, openSync, readSync } from 'node:fs';
import { resolve } from 'node:path';
import { PmcError } from '../core/base/diagnostics.js';
import type { CustomizeSettings } from '../core/customize/settings.js';
import { DocumentSplitter, parseChunk, toPlain } from '../core/base/stream.js';
import { pssDiagnostics, type PssPolicy } from '../core/checks/pss.js';
import { customizeRequest, settle, strictFlag } from '../core/app/run.js';
import { formatOf } from '../core/customize/formats.js';
import { StreamCustomizer, type StreamedDocument } from '../core/customize/streaming.js';
import { loadSettings, type InputFlags } from './inputs.js';
import { checkText, maxInputBytes, type Io } from './io.js';
import { stderrReporter } from './reporters.js';

export interface StreamOptions {
  checkPss?: PssPolicy;
  /** The MANIFEST file to replace, atomically, when the stream passed. */
  inPlace?: string;
}

const PIECE = 64 * 1024;

/** The manifest's text, piece by piece, decoded as UTF-8 across the pieces' edges. */
async function* pieces(manifest: string | undefined, io: Io): AsyncGenerator<string> {
  const source = manifest === undefined || manifest === '-' ? '<stdin>' : manifest;
  const decoder = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });
  const decode = (buf: Uint8Array, last: boolean): string => {
    try {
      return decoder.decode(buf, { stream: !last });
    } catch {
      throw new PmcError('PMC_NOT_TEXT', 'the input is not UTF-8 text', { location: { source } });
    }
  };
  if (source === '<stdin>') {
    if (typeof io.stdin === 'string') {
      yield io.stdin;
      return;
    }
    if (!io.stdin) return;
    if (io.stdinIsTTY) throw new PmcError('PMC_NO_INPUT', 'no manifest: give a file, or pipe one on stdin');
    for await (const chunk of io.stdin) yield decode(typeof chunk === 'string' ? Buffer.from(chunk) : (chunk as Buffer), false);
    yield decode(new Uint8Array(0), true);
    return;
  }
  let fd: number;
  try {
    fd = openSync(resolve(io.cwd, manifest!), 'r');
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    const reason = code === 'ENOENT' ? 'no such file' : code === 'EACCES' ? 'permission denied' : (e as Error).message;
    throw new PmcError('PMC_READ', `cannot read the manifest: ${reason}`, { location: { source } });
  }
  try {
    const buf = Buffer.allocUnsafe(PIECE);
    for (;;) {
      let n: number;
      try {
        n = readSync(fd, buf);
      } catch (e) {
        const reason = (e as NodeJS.ErrnoException).code === 'EISDIR' ? 'it is a directory' : (e as Error).message;
        throw new PmcError('PMC_READ', `cannot read the manifest: ${reason}`, { location: { source } });
      }
      if (n === 0) break;
      yield decode(buf.subarray(0, n), false);
    }
    yield decode(new Uint8Array(0), true);
  } finally {
    closeSync(fd);
  }
}

/** Where the pieces are: lines and the last line's length so far, for a control character's line:column. */
class Position {
  line = 1;
  col = 1;
  advance(text: string): void {
    const last = text.lastIndexOf('\n');
    if (last === -1) {
      this.col += text.length;
      return;
    }
    for (let i = 0; i <= last; i++) if (text.charCodeAt(i) === 10) this.line++;
    this.col = text.length - last;
  }
}

/** A piece checked as whole input is (checkText), its place moved to where the piece starts. */
function checkPiece(text: string, source: string, at: Position): void {
  try {
    checkText(text, source, true);
  } catch (e) {
    if (!(e instanceof PmcError)) throw e;
    const d = e.diagnostics()[0]!;
    const line = d.location?.line ?? 1;
    const col = d.location?.col ?? 1;
    throw new PmcError(d.code, d.message, { location: { source, line: at.line + line - 1, col: line === 1 ? at.col + col - 1 : col } });
  }
}

export async function streamCustomize(manifest: string | undefined, flags: InputFlags, io: Io, opts: StreamOptions): Promise<void> {
  const source = manifest === undefined || manifest === '-' ? '<stdin>' : manifest;
  const { settings, warnings } = await loadSettings(flags, io);
  const policy = strictFlag(settings.strict);
  const reporter = stderrReporter(io);
  const input = { ...settings, source };
  await reporter.report(settle(warnings, policy));

  const run = async (write: (text: string) => Promise<void> | void): Promise<void> => {
    const splitter = new DocumentSplitter();
    const limit = maxInputBytes(io.env);
    const at = new Position();
    let customizer: StreamCustomizer | undefined;
    let first = true;
    let json: string[] | undefined;
    const emit = async (docs: StreamedDocument[]) => {
      if (opts.checkPss) {
        const judged = docs.map((d) => ({ index: d.index, object: d.object ?? toPlain(parseChunk({ index: d.index, text: d.text, line: d.line }, source), source) }));
        const errors = pssDiagnostics(judged, opts.checkPss, source);
        if (errors.length) throw PmcError.fromDiagnostics(errors);
      }
      await reporter.report(settle(customizer!.takeWarnings(), policy));
      const text = docs.map((d) => d.text).join('');
      if (text) await write(text);
    };
    for await (let piece of pieces(manifest, io)) {
      if (first && piece.length > 0) {
        first = false;
        // The core reads text without a byte order mark; the output gets it back.
        if (piece.charCodeAt(0) === 0xfeff) (await write('\uFEFF'), (piece = piece.slice(1)));
        if (formatOf(piece) === 'json') json = [];
        else customizer = new StreamCustomizer(input);
      }
      checkPiece(piece, source, at);
      at.advance(piece);
      if (json) {
        json.push(piece);
        continue;
      }
      if (!customizer) continue;
      // Each document written once final, before the next is read: what an error later leaves on stdout is every document before it.
      for (const chunk of splitter.push(piece)) await emit(customizer.push(chunk));
      if (splitter.held > limit) throw tooLarge(source, limit);
    }
    if (json) return writeJson(json.join(''), input, opts, write, io);
    customizer ??= new StreamCustomizer(input);
    for (const chunk of splitter.end()) await emit(customizer.push(chunk));
    await emit(customizer.end());
  };

  if (opts.inPlace !== undefined) {
    const { replaceFileStreaming } = await import('./write.js');
    await replaceFileStreaming(resolve(io.cwd, opts.inPlace), (write) => run(write));
  } else {
    await run((text) => writeOut(io, text));
  }
}

/** kubectl's JSON is one document: customized whole, as without --stream (its warnings reported here). */
async function writeJson(text: string, input: CustomizeSettings & { source: string }, opts: StreamOptions, write: (text: string) => Promise<void> | void, io: Io): Promise<void> {
  const outcome = customizeRequest({ input: { ...input, manifest: text }, checkPss: opts.checkPss, jsonFastPath: true, policy: strictFlag(input.strict) });
  await stderrReporter(io).report(outcome.warnings);
  await write(outcome.text);
}

/** stdout, waiting while a full pipe drains, so that a slow reader holds pmc back rather than its memory growing. */
async function writeOut(io: Io, text: string): Promise<void> {
  const ok = io.stdout.write(text);
  if (ok === false && io.stdout.drained) await io.stdout.drained();
}

function tooLarge(source: string, limit: number): PmcError {
  return new PmcError('PMC_INPUT_TOO_LARGE', `a document of the stream is larger than the limit of ${limit} bytes; raise the limit with PMC_MAX_INPUT_BYTES`, { location: { source } });
}
