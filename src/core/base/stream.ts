/**
 * A YAML stream as a list of documents that keep their own bytes.
 *
 * The stream is cut into documents at `---` and `...` lines before any parsing: YAML
 * forbids those markers at column 0 inside a scalar, so the cut is exact. Only the
 * documents that may be Pulsar's are parsed; the rest are copied as text.
 */
import { isForbiddenKey } from './values.js';
import { formatPath } from './paths.js';
import { Document, isMap, isSeq, parseDocument, type Node, type YAMLError } from 'yaml';
import { PmcError, caretExcerpt, lineColAt, lineIndex, type Location } from './diagnostics.js';

export interface DocumentChunk {
  /** 0-based position in the stream. */
  index: number;
  /** The exact bytes of this document, its `---` line and trailing comments included. */
  text: string;
  /** 1-based line in the whole stream where this chunk starts. */
  line: number;
}

const MARKER = /^(?:---|\.\.\.)(?=[ \t\r\n]|$)/gm;

export function splitDocuments(text: string): DocumentChunk[] {
  const splitter = new DocumentSplitter();
  return [...splitter.push(text), ...splitter.end()];
}

/**
 * The same cut, fed the stream piece by piece (pmc customize --stream): each document comes
 * out as soon as the line that ends it has arrived. Only complete lines are scanned for a
 * marker, so a piece that ends in the middle of `---` cuts nothing; the text held is the
 * document not yet ended, never the stream.
 */
export class DocumentSplitter {
  /** The text not yet cut into a document, from `line` on. */
  private buffer = '';
  private line = 1;
  /** Where in `buffer` the next line to scan starts (always at a line start). */
  private scanned = 0;
  /** Chunks cut so far (for the first chunk's rule on leading comments). */
  private cuts = 0;
  private index = 0;
  /** A chunk of comments or directives only, which belongs to the next one. */
  private heldChunk: DocumentChunk | undefined;

  /** How much text is held: the document not yet ended (and comments waiting for the next). */
  get held(): number {
    return this.buffer.length + (this.heldChunk?.text.length ?? 0);
  }

  push(piece: string): DocumentChunk[] {
    this.buffer += piece;
    const complete = this.buffer.lastIndexOf('\n') + 1;
    return this.scan(complete, false);
  }

  end(): DocumentChunk[] {
    const out = this.scan(this.buffer.length, true);
    this.cut(this.buffer.length, out);
    if (this.heldChunk) (out.push({ ...this.heldChunk, index: this.index++ }), (this.heldChunk = undefined));
    return out;
  }

  private scan(upTo: number, atEnd: boolean): DocumentChunk[] {
    const out: DocumentChunk[] = [];
    // The scan stops before the last, unfinished line (its marker test needs its end).
    const region = atEnd ? this.buffer : this.buffer.slice(0, upTo);
    MARKER.lastIndex = this.scanned;
    let start = 0;
    for (let m = MARKER.exec(region); m; m = MARKER.exec(region)) {
      if (m[0] === '---') {
        start = this.cutAt(start, m.index, out);
      } else {
        // `...` ends a document: the cut goes after its line.
        const eol = region.indexOf('\n', m.index);
        start = this.cutAt(start, eol === -1 ? region.length : eol + 1, out);
        MARKER.lastIndex = eol === -1 ? region.length : eol + 1;
        if (eol === -1) break;
      }
    }
    if (start > 0) this.buffer = this.buffer.slice(start);
    this.scanned = Math.max(0, upTo - start);
    return out;
  }

  /** A chunk from `start` to `end` of the buffer (not yet sliced off): the new start. */
  private cutAt(start: number, end: number, out: DocumentChunk[]): number {
    if (end > start) {
      const text = this.buffer.slice(start, end);
      this.emit({ index: 0, text, line: this.line }, out);
      for (let i = 0; i < text.length; i++) if (text.charCodeAt(i) === 10) this.line++;
    }
    return end;
  }

  /** The rest of the buffer, as the stream's last chunk. */
  private cut(end: number, out: DocumentChunk[]): void {
    this.cutAt(0, end, out);
    this.buffer = '';
    this.scanned = 0;
  }

  /**
   * Directives (`%TAG`, `%YAML`) belong to the document whose `---` follows them, and so do
   * the comments before the stream's first `---`.
   */
  private emit(chunk: DocumentChunk, out: DocumentChunk[]): void {
    const position = this.cuts++;
    const c = this.heldChunk ? { ...chunk, text: this.heldChunk.text + chunk.text, line: this.heldChunk.line } : chunk;
    this.heldChunk = undefined;
    const prefix = prefixKind(c.text);
    if (!c.text.startsWith('---') && (prefix === 'directives' || (prefix === 'comments' && position === 0))) {
      this.heldChunk = c;
      return;
    }
    out.push({ ...c, index: this.index++ });
  }
}

/** What a chunk holds when it holds no node: only comments (and blank lines), or directives too. */
function prefixKind(text: string): 'comments' | 'directives' | undefined {
  let kind: 'comments' | 'directives' = 'comments';
  for (const raw of text.split('\n')) {
    const line = raw.trim();
    if (line.startsWith('%')) kind = 'directives';
    else if (line !== '' && !line.startsWith('#')) return undefined;
  }
  return kind;
}

/** Anything but blank lines, comments and document markers. */
export function hasContent(text: string): boolean {
  let start = 0;
  while (start <= text.length) {
    const end = text.indexOf('\n', start);
    const line = text.slice(start, end === -1 ? text.length : end).trim();
    if (line !== '' && !line.startsWith('#') && !/^(---|\.\.\.)(\s|$)/.test(line)) return true;
    if (end === -1) break;
    start = end + 1;
  }
  return false;
}

/** Cheap test before parsing: every Pulsar workload and its Service name their kind. */
export function mayHoldKind(chunk: DocumentChunk, kinds: readonly string[]): boolean {
  return kinds.some((k) => chunk.text.includes(k));
}

export interface ParsedChunk extends DocumentChunk {
  doc: Document;
  /** For an item of a `kind: List`: the List's document and the item's position in it. */
  at?: { document: number; item: number };
}

/** A document given as an object (an AdmissionReview's): customized as plain data, never printed. */
export interface ObjectChunk extends DocumentChunk {
  doc?: undefined;
  object: unknown;
  /** The caller gives the object away (a JSON input parsed for this run): edited in place, not copied. */
  owned?: boolean;
  /** For an item of a `kind: List`: the List's document and the item's position in it. */
  at?: { document: number; item: number };
}

/** What the customization works on: a parsed document, or an object. */
export type WorkChunk = ParsedChunk | ObjectChunk;

/**
 * The items of a `kind: List` (kubectl's `get -o yaml|json` of several objects, `v1` List or
 * any `*List`) as documents of their own: each shares its node with the List, so editing an
 * item edits the List. Indexes from `nextIndex` on; undefined when the document is no List.
 */
export function listItems(chunk: ParsedChunk, nextIndex: number): ParsedChunk[] | undefined {
  const contents = chunk.doc.contents;
  if (!isMap(contents)) return undefined;
  const kind = contents.get('kind');
  const items = contents.get('items', true);
  if (typeof kind !== 'string' || !kind.endsWith('List') || !isSeq(items)) return undefined;
  const lineOf = lineIndex(chunk.text);
  return items.items.map((node, item) => {
    const offset = (node as Node).range?.[0] ?? 0;
    return { index: nextIndex + item, text: '', line: chunk.line + lineOf(offset).line - 1, doc: new Document(node), at: { document: chunk.index, item } };
  });
}

export const PARSE_LIMITS = {
  /** yaml's guard against alias bombs (billion laughs). */
  maxAliasCount: 100,
  /** Deeper than any Kubernetes object; past this the parser's recursion is the risk. */
  maxDepth: 200,
};

export function parseChunk(chunk: DocumentChunk, source: string): ParsedChunk {
  let doc: Document;
  try {
    doc = parseDocument(chunk.text, { prettyErrors: false, uniqueKeys: true, strict: true });
  } catch (e) {
    // The parser recurses; a hostile nesting depth ends here rather than in a crash.
    if (e instanceof RangeError) {
      throw new PmcError('PMC_YAML_TOO_DEEP', 'the document is nested too deeply to read', {
        location: { source, line: chunk.line, document: { index: chunk.index } },
      });
    }
    throw e;
  }
  const err = doc.errors[0];
  if (err) throw yamlError(err, chunk.text, { source, firstLine: chunk.line, document: { index: chunk.index } });
  return { ...chunk, doc };
}

/** A parser error as a PmcError: where, with a caret under the place. */
export function yamlError(
  err: YAMLError,
  text: string,
  at: { source: string; firstLine?: number; document?: Location['document'] },
): PmcError {
  const { line, col } = lineColAt(text, err.pos[0]);
  const location: Location = {
    source: at.source,
    line: (at.firstLine ?? 1) + line - 1,
    col,
    document: at.document,
    excerpt: caretExcerpt(text, line, col),
  };
  // yaml reports its own stack exhaustion as a syntax error; name it for what it is.
  if (err.code === 'MULTIPLE_DOCS') {
    return new PmcError('PMC_YAML_SYNTAX', 'expected one YAML document, found a second one here', { location });
  }
  if (/call stack/i.test(err.message)) {
    return new PmcError('PMC_YAML_TOO_DEEP', 'the document is nested too deeply to read', { location });
  }
  return new PmcError('PMC_YAML_SYNTAX', firstLine(err.message), { location });
}

function firstLine(s: string): string {
  const i = s.indexOf(' at line ');
  return (i > 0 ? s.slice(0, i) : s.split('\n')[0]).trim();
}

/**
 * Plain JavaScript for a parsed YAML document: the one way every parse path (manifests,
 * worker and function configs, plugin configs, ResourceLists) turns YAML into data, with
 * yaml's alias-bomb guard and the parser's recursion limit as errors that say where.
 */
export function plainOf(doc: Document, where: Location, what = 'document'): unknown {
  try {
    return doc.toJS({ maxAliasCount: PARSE_LIMITS.maxAliasCount });
  } catch (e) {
    if (e instanceof RangeError) throw new PmcError('PMC_YAML_TOO_DEEP', `the ${what} is nested too deeply to read`, { location: where });
    const msg = e instanceof Error ? e.message : String(e);
    throw new PmcError('PMC_YAML_ALIASES', `refusing to expand the ${what}'s aliases: ${msg}`, { location: where });
  }
}

/** A manifest document as plain data. */
export function toPlain(chunk: WorkChunk, source: string): unknown {
  // An object is copied, so that the one given stays as it was (the webhook diffs against it).
  if (!chunk.doc) return (chunk as ObjectChunk).owned ? (chunk as ObjectChunk).object : structuredClone((chunk as ObjectChunk).object);
  return plainOf(chunk.doc, { source, line: chunk.line, document: chunk.at ? { index: chunk.at.document, item: chunk.at.item } : { index: chunk.index } });
}

/**
 * A manifest key that could reach Object.prototype in some later consumer is refused
 * outright (isForbiddenKey: `__proto__` anywhere, `constructor` and `prototype` holding an object).
 */
export function refuseForbiddenKeys(value: unknown, where: Location, path: (string | number)[] = []): void {
  // One path stack for the whole walk: a copy per node is garbage for every document.
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) {
      path.push(i);
      refuseForbiddenKeys(value[i], where, path);
      path.pop();
    }
  } else if (typeof value === 'object' && value !== null) {
    for (const k in value) {
      if (!Object.hasOwn(value, k)) continue;
      const v = (value as Record<string, unknown>)[k];
      if (isForbiddenKey(k, v)) {
        throw new PmcError('PMC_FORBIDDEN_KEY', `the key "${k}" is not allowed in a manifest`, { location: { ...where, path: formatPath([...path, k]) } });
      }
      path.push(k);
      refuseForbiddenKeys(v, where, path);
      path.pop();
    }
  }
}

/** Every document of a stream as plain data, in order (null for an empty one). */
export function streamObjects(text: string, source: string): { index: number; object: unknown }[] {
  return splitDocuments(text).map((chunk) => ({ index: chunk.index, object: toPlain(parseChunk(chunk, source), source) }));
}
