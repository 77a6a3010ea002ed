/**
 * JSON read with its source text at hand, as Pulsar's reader needs it. The worker parses a
 * function's customRuntimeOptions with Gson, which keeps a number's literal text for a
 * String field (`1.50` stays "1.50", `1E3` stays "1E3") and refuses a duplicate key in a
 * map. JSON.parse loses both: numbers become doubles and the last duplicate wins. Here
 * numbers stay as their text (JsonNumber) and every duplicate key is reported.
 */
import { findNodeAtLocation, parseTree, type Node as JsonNode, type ParseError } from 'jsonc-parser';

/** A number as it was written. Readers decide what it means for their field. */
export class JsonNumber {
  constructor(readonly text: string) {}
  get value(): number {
    return Number(this.text);
  }
}

export interface DuplicateKey {
  /** The object holding the key, as a path from the root. */
  path: (string | number)[];
  key: string;
  /** Where the second occurrence starts in the text. */
  offset: number;
  /** The earlier value was `null` (Gson's map check misses such a repeat). */
  afterNull: boolean;
}

export interface SourcedJson {
  /** Objects are null-prototype records; numbers are JsonNumber; the rest as JSON.parse. */
  value: unknown;
  duplicates: DuplicateKey[];
  /** Offset of the node at a path (with `key`, of its key in the object that holds it), for messages. */
  offsetOf(path: (string | number)[], opts?: { key?: boolean }): number | undefined;
}

/** Parses strict JSON (no comments, no trailing commas); `errors` receives syntax errors. */
export function parseSourcedJson(text: string, errors: ParseError[]): SourcedJson | undefined {
  const root = parseTree(text, errors, { allowTrailingComma: false, disallowComments: true, allowEmptyContent: false });
  if (errors.length > 0 || !root) return undefined;
  const duplicates: DuplicateKey[] = [];
  const value = convert(root, [], text, duplicates);
  // Offsets are asked for only by messages: found in the tree then, not recorded for every node.
  return {
    value,
    duplicates,
    offsetOf: (path, opts) => {
      const node = findNodeAtLocation(root, path);
      // An object's property node starts at its key.
      return opts?.key && node?.parent?.type === 'property' ? node.parent.offset : node?.offset;
    },
  };
}

function convert(node: JsonNode, path: (string | number)[], text: string, duplicates: DuplicateKey[]): unknown {
  switch (node.type) {
    case 'number':
      return new JsonNumber(text.slice(node.offset, node.offset + node.length));
    case 'array':
      return (node.children ?? []).map((child, i) => convert(child, [...path, i], text, duplicates));
    case 'object': {
      // A null prototype: a "__proto__" key is data here, refused later by the options reader.
      const out: Record<string, unknown> = Object.create(null);
      for (const property of node.children ?? []) {
        const [keyNode, valueNode] = property.children ?? [];
        if (!keyNode || !valueNode) continue;
        const key = keyNode.value as string;
        if (Object.prototype.hasOwnProperty.call(out, key)) duplicates.push({ path, key, offset: keyNode.offset, afterNull: out[key] === null });
        out[key] = convert(valueNode, [...path, key], text, duplicates);
      }
      return out;
    }
    default:
      return node.value;
  }
}

/**
 * JSON text as plain data, or undefined when it is not JSON: JSON.parse behind the guard every
 * reader needs (a nesting too deep for the parser is "not JSON" too, never a crash). For the
 * texts read as JSON.parse reads them (kubectl's JSON, an embedded details string, a
 * webhook's body); customRuntimeOptions are read with their number text by parseSourcedJson.
 */
export function tryParseJson(text: string): { value: unknown } | undefined {
  try {
    return { value: JSON.parse(text) };
  } catch {
    return undefined;
  }
}

/**
 * Whether any JSON object in `text` has a key twice (JSON.parse keeps the last without a
 * word), given `value`, what JSON.parse made of it. A repeated key is the only way for the
 * text to hold more keys than the objects parsed from it, so counting both answers it: the
 * text's keys found by jumping from quote to quote (a string followed by `:` is a key), the
 * value's by a walk. About a tenth of what a tokenizer visiting every key takes on kubectl's
 * JSON of a cluster.
 */
export function hasRepeatedKey(text: string, value: unknown): boolean {
  return keysInText(text) !== keysInValue(value);
}

function keysInText(text: string): number {
  let keys = 0;
  let at = text.indexOf('"');
  while (at !== -1) {
    // The closing quote: the next one not escaped (an odd run of backslashes before it escapes it).
    let end = text.indexOf('"', at + 1);
    for (;;) {
      if (end === -1) return -1;
      let slashes = 0;
      while (text.charCodeAt(end - 1 - slashes) === 92) slashes++;
      if (slashes % 2 === 0) break;
      end = text.indexOf('"', end + 1);
    }
    let next = end + 1;
    for (let c = text.charCodeAt(next); c === 32 || c === 10 || c === 13 || c === 9; c = text.charCodeAt(++next));
    if (text.charCodeAt(next) === 58) keys++;
    at = text.indexOf('"', end + 1);
  }
  return keys;
}

function keysInValue(value: unknown): number {
  let keys = 0;
  const stack: unknown[] = [value];
  while (stack.length > 0) {
    const v = stack.pop();
    if (Array.isArray(v)) {
      for (const item of v) if (item !== null && typeof item === 'object') stack.push(item);
    } else if (v !== null && typeof v === 'object') {
      for (const k in v) {
        keys++;
        const child = (v as Record<string, unknown>)[k];
        if (child !== null && typeof child === 'object') stack.push(child);
      }
    }
  }
  return keys;
}
