/**
 * The layout is the architecture: src/core is in folders by layer, each importing only the
 * layers below it, and no module of src/ reaches itself through its imports (type imports
 * count: a type shared by two modules belongs below both).
 */
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

const root = resolve(import.meta.dirname, '..');
const src = join(root, 'src');

/** Bottom to top, as ARCHITECTURE.md draws them. */
export const CORE_LAYERS = ['base', 'checks', 'options', 'input', 'customize', 'render', 'app', 'faces'] as const;

function sources(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? sources(join(dir, e.name)) : e.name.endsWith('.ts') && !e.name.endsWith('.d.ts') ? [join(dir, e.name)] : [],
  );
}

/** Every relative module a file names: import, export ... from, import type, import(). */
export function importsOf(file: string, text = readFileSync(file, 'utf8')): string[] {
  const out: string[] = [];
  for (const m of text.matchAll(/(?:\bfrom\s*|\bimport\s*\(\s*|^\s*import\s+)(['"])(\.{1,2}\/[^'"]+)\1/gm)) {
    out.push(resolve(dirname(file), m[2].replace(/\.js$/, '.ts')));
  }
  return out;
}

function layerOf(file: string): string | undefined {
  const rel = relative(join(src, 'core'), file);
  return rel.startsWith('..') ? undefined : rel.split('/')[0];
}

/** The cycles of a graph, each as the path that closes it (Tarjan would do; the graph is small). */
export function cyclesOf(graph: Map<string, string[]>): string[][] {
  const cycles: string[][] = [];
  const state = new Map<string, 'open' | 'done'>();
  const stack: string[] = [];
  const visit = (n: string) => {
    state.set(n, 'open');
    stack.push(n);
    for (const m of graph.get(n) ?? []) {
      if (state.get(m) === 'open') cycles.push([...stack.slice(stack.indexOf(m)), m]);
      else if (!state.has(m)) visit(m);
    }
    stack.pop();
    state.set(n, 'done');
  };
  for (const n of graph.keys()) if (!state.has(n)) visit(n);
  return cycles;
}

describe('the layers of src/core', () => {
  const files = sources(src);
  const graph = new Map(files.map((f) => [f, importsOf(f)]));
  const name = (f: string) => relative(root, f);

  it('every core module is in a layer folder', () => {
    const loose = files.filter((f) => layerOf(f) !== undefined && !CORE_LAYERS.includes(layerOf(f) as never));
    expect(loose.map(name)).toEqual([]);
  });

  it('a layer imports only itself and the layers below it, and the core never the CLI', () => {
    const wrong: string[] = [];
    for (const [file, targets] of graph) {
      const from = layerOf(file);
      if (from === undefined) continue;
      for (const t of targets) {
        const to = layerOf(t);
        if (to === undefined) wrong.push(`${name(file)} -> ${name(t)} (the core imports the edge)`);
        else if (CORE_LAYERS.indexOf(to as never) > CORE_LAYERS.indexOf(from as never)) wrong.push(`${name(file)} -> ${name(t)} (${from} below ${to})`);
      }
    }
    expect(wrong).toEqual([]);
  });

  it('no module of src/ imports itself through others', () => {
    expect(cyclesOf(graph).map((c) => c.map(name).join(' -> '))).toEqual([]);
  });

  it('finds what it looks for: a layer upside down and a circle are reported', () => {
    const a = join(src, 'core', 'base', 'a.ts');
    const b = join(src, 'core', 'faces', 'b.ts');
    expect(importsOf(a, "import type { X } from '../faces/b.js';\nconst m = await import('./c.js');\nexport { y } from \"../base/d.js\";\nimport './side.js';")).toEqual([
      b,
      join(src, 'core', 'base', 'c.ts'),
      join(src, 'core', 'base', 'd.ts'),
      join(src, 'core', 'base', 'side.ts'),
    ]);
    expect(cyclesOf(new Map([[a, [b]], [b, [a]]]))).toEqual([[a, b, a]]);
    expect(cyclesOf(new Map([[a, [b]], [b, []]]))).toEqual([]);
  });
});

describe('every parse goes through the input layer', () => {
  // Where a text may become data: the manifest stream (base/stream.ts, whose plainOf is the one
  // guarded YAML-to-data conversion), JSON with its number text (base/json-source.ts, with the
  // guarded JSON.parse), and the files users give (input/parse.ts; input/config.ts asks
  // jsonc-parser where a JSON error is, for its line and column).
  const HOMES: Record<string, RegExp> = {
    'src/core/base/stream.ts': /parseDocument\(|\.toJS\(/,
    'src/core/base/json-source.ts': /JSON\.parse\(|from 'jsonc-parser'/,
    'src/core/input/parse.ts': /parseDocument\(/,
    'src/core/input/config.ts': /from 'jsonc-parser'/,
  };
  const PARSE = /JSON\.parse\(|parseDocument\(|parseAllDocuments\(|\.toJS\(|from 'jsonc-parser'|import \{[^}]*\bparse\b[^}]*\} from 'yaml'|new (?:Parser|Composer|Lexer)\(|maxAliasCount: -1/;
  it('no YAML or JSON parse, and no toJS, outside its homes', () => {
    const found: string[] = [];
    for (const file of sources(src)) {
      const rel = relative(root, file);
      readFileSync(file, 'utf8')
        .split('\n')
        .forEach((line, i) => {
          const code = line.replace(/\/\/.*$/, '');
          if (/^\s*\*/.test(code) || !PARSE.test(code)) return;
          const home = HOMES[rel];
          const m = PARSE.exec(code)![0];
          if (!home || !home.test(m)) found.push(`${rel}:${i + 1}: ${line.trim()}`);
        });
    }
    expect(found).toEqual([]);
  });
});
