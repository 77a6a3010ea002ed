/**
 * The input layer's one parse: every YAML or JSON text pmc reads from a file, a flag or an
 * object's field is parsed here or in base/stream.ts (manifest streams), with the guards that
 * every reader needs (yaml's alias-bomb limit and the parser's recursion as errors that say
 * where, syntax errors with a caret excerpt). test/layers.test.ts fails on a parse elsewhere.
 */
import { isMap, isScalar, parseDocument, visit, type Document, type Node, type ScalarTag } from 'yaml';
import { lineIndex, type Location } from '../base/diagnostics.js';
import { plainOf, yamlError } from '../base/stream.js';

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
export const SNAKEYAML_TAGS: ScalarTag[] = [
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


/** A YAML file read once: the document (for its nodes and comments), its plain data, and where each path is. */
export interface YamlFile {
  doc: Document;
  /** The data, through the one guarded plainOf (undefined for an empty file). */
  values: unknown;
  locate: ReturnType<typeof yamlLocator>;
}

export function readYamlFile(text: string, source: string, opts: { intAsBigInt?: boolean; pulsar?: boolean } = {}, what = 'file'): YamlFile {
  const doc = parseYamlFile(text, source, opts);
  return { doc, values: plainOf(doc, { source }, what), locate: yamlLocator(doc, text, source) };
}
