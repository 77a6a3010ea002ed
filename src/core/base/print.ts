/**
 * An edited document printed in its own style, so that it differs from its source only where
 * it was edited: the same indentation, sequences indented or not as they were, flow
 * collections padded as they were, no folding of long lines, comments and folded scalars as
 * written, tags as written.
 */
import { visit, type ToStringOptions } from 'yaml';
import type { ParsedChunk } from './stream.js';

/**
 * Print options that reproduce the chunk's own layout, so an edited document differs
 * from its source only where it was edited: the same indentation, sequences indented
 * or not as they were, and no folding of long lines.
 */
export function styleOf(text: string): ToStringOptions {
  let indent = 0;
  let indentSeq: boolean | undefined;
  let prevIndent = -1;
  let prevOpens = false;
  // Line by line without splitting the whole text: the layout shows within a few lines.
  for (let start = 0; start < text.length; ) {
    const nl = text.indexOf('\n', start);
    const end = nl === -1 ? text.length : nl;
    const line = text.slice(start, end).replace(/\r$/, '');
    start = end + 1;
    const content = line.trimStart();
    if (content === '' || content.startsWith('#')) continue;
    const ind = line.length - content.length;
    if (prevOpens) {
      if (content.startsWith('- ') || content === '-') {
        if (indentSeq === undefined) indentSeq = ind > prevIndent;
      } else if (!indent && ind > prevIndent) {
        indent = ind - prevIndent;
      }
    }
    prevIndent = ind;
    // A key whose value starts on the next line.
    prevOpens = content.trimEnd().endsWith(':') && !content.startsWith('- ');
    if (/^- [^:]*:\s*$/.test(content)) {
      // `- key:` opens a map nested under the item's own indentation.
      prevIndent = ind + 2;
      prevOpens = true;
    }
    if (indent && indentSeq !== undefined) break;
  }
  return {
    indent: indent || 2,
    // Kubernetes' own output does not indent sequences under their key.
    indentSeq: indentSeq ?? false,
    lineWidth: 0,
    minContentWidth: 0,
    flowCollectionPadding: flowPaddingOf(text),
  };
}

// A key at the start of a line whose value is a non-empty flow collection: `key: {a: 1}`.
const FLOW_VALUE = /^[ \t]*(?:- )?[^\s#'"{[][^:#\n]*:[ \t]+[{[]([^}\]\n])/gm;

/** `{a: 1}` or `{ a: 1 }`, as the source's first flow collection is written (yaml's default: padded). */
function flowPaddingOf(text: string): boolean {
  FLOW_VALUE.lastIndex = 0;
  const m = FLOW_VALUE.exec(text);
  return m ? m[1] === ' ' : true;
}

/** The edited document, in its source's style, ending as the source chunk ended. */
export function printChunk(chunk: ParsedChunk): string {
  const kept = keepFoldedScalars(chunk);
  let body: string;
  try {
    body = withoutTagWalk(chunk, () => chunk.doc.toString(styleOf(chunk.text)));
  } finally {
    for (const k of kept) k.restore();
  }
  // Line endings as the source has them: a CRLF file stays CRLF.
  if (chunk.text.includes('\r\n')) body = body.replace(/\r?\n/g, '\r\n');
  // One pass for every kept scalar: a replace per scalar scanned the whole document each time,
  // which in a large List (thousands of folded commands) was quadratic.
  if (kept.length > 0) {
    const sources = new Map(kept.map((k) => [k.placeholder, k.source]));
    body = body.replace(/pmc-kept-scalar-\d+-\d+-x/g, (p) => sources.get(p) ?? p);
  }
  if (chunk.doc.comment) body = trailingCommentAsWritten(body, chunk.text);
  return body.slice(0, trimmedEnd(body, '\r\n')) + chunk.text.slice(trimmedEnd(chunk.text));
}

/**
 * yaml prints a document's trailing comment after a blank line whether or not the source had
 * one (its parse does not keep the difference): put it back as the source wrote it.
 */
function trailingCommentAsWritten(body: string, source: string): string {
  const printed = blankBeforeTrailingComment(body);
  if (!printed || blankBeforeTrailingComment(source)?.blank !== false) return body;
  return body.slice(0, printed.at) + body.slice(printed.at).replace(/^\r?\n/, '');
}

/** Whether the comment lines that end a text follow a blank line, and where that line starts. */
function blankBeforeTrailingComment(text: string): { blank: boolean; at: number } | undefined {
  const lines = text.split('\n');
  let i = lines.length - 1;
  while (i >= 0 && lines[i]!.trim() === '') i--;
  let comments = 0;
  while (i >= 0 && (lines[i]!.trim() === '' || lines[i]!.trimStart().startsWith('#'))) {
    if (lines[i]!.trim() !== '') comments++;
    i--;
  }
  if (comments === 0 || i < 0) return undefined;
  const at = lines.slice(0, i + 1).join('\n').length + 1;
  return { blank: lines[i + 1]!.trim() === '', at };
}

/** Scalars that span lines in their source: kubectl folds long strings at 80 columns. */
const MULTILINE_STYLES = new Set(['PLAIN', 'QUOTE_DOUBLE', 'QUOTE_SINGLE', 'BLOCK_FOLDED']);

/**
 * An untouched scalar written over several lines (kubectl's folded long strings, a `>` block)
 * keeps its exact source: the printer would join it onto one line, and a diff would show a
 * change where there is none. Each is printed as a placeholder, which its source text then
 * replaces (the document's layout is kept, so the indentation matches).
 */
function keepFoldedScalars(chunk: ParsedChunk): { placeholder: string; source: string; restore: () => void }[] {
  // Cheap test first: a value that continues on the next line.
  if (!/\n[ \t]+[^\s#-][^:\n]*\n/.test(chunk.text) && !/:\s*>[-+]?\s*\n/.test(chunk.text)) return [];
  const kept: { placeholder: string; source: string; restore: () => void }[] = [];
  visit(chunk.doc, {
    Scalar: (_key, node) => {
      if (!node.range || !MULTILINE_STYLES.has(String(node.type))) return;
      let source = chunk.text.slice(node.range[0], node.range[1]);
      if (!source.includes('\n')) return;
      source = source.replace(/\r?\n$/, '');
      const { value, type } = node;
      const placeholder = `pmc-kept-scalar-${kept.length}-${chunk.index}-x`;
      node.value = placeholder;
      node.type = 'PLAIN';
      kept.push({ placeholder, source, restore: () => ((node.value = value), (node.type = type)) });
    },
  });
  return kept;
}

const DEFAULT_TAG_PREFIX = 'tag:yaml.org,2002:';

/**
 * yaml walks the whole document before printing it, collecting the tags its nodes use to
 * choose the %TAG lines (about 4% of a large run). A document whose source has no `!` has
 * no tag and no %TAG directive, and only the default `!!` handle, which never gets a line:
 * without it in the directives, the walk is skipped and the output is the same.
 */
function withoutTagWalk(chunk: ParsedChunk, print: () => string): string {
  const { directives } = chunk.doc;
  const tags = directives?.tags;
  const onlyDefault = tags && Object.keys(tags).length === 1 && tags['!!'] === DEFAULT_TAG_PREFIX;
  if (!directives || !onlyDefault || chunk.text.includes('!')) return print();
  directives.tags = {};
  try {
    return print();
  } finally {
    directives.tags = tags;
  }
}

/** Where `text` ends without its trailing whitespace (or `only` these characters): a scan from the end, where /\s*$/ retries at every position. */
function trimmedEnd(text: string, only?: string): number {
  let end = text.length;
  while (end > 0 && (only ? only.includes(text[end - 1]!) : /\s/.test(text[end - 1]!))) end--;
  return end;
}
