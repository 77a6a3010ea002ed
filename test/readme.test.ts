// The README stays true: every pmc command in it runs, and every output pasted in a
// `console` block is what pmc prints today. Commands that need a cluster, Helm or kpt
// (`kubectl apply`, `helm`, `kpt`) or write outside the project (`kustomize-plugin install`)
// are left to test/integrations.test.ts, which runs the same steps in a sandbox.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runPmc } from './support/run.js';

const root = join(import.meta.dirname, '..');
const readme = readFileSync(join(root, 'README.md'), 'utf8');
const scratch = mkdtempSync(join(tmpdir(), 'pmc-readme-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

interface Example {
  /** Where in the README, for the test's name. */
  line: number;
  command: string;
  /** From a console block: the lines printed, `...` standing for any lines. */
  output?: string[];
  /** From a sh block's `# pmc: error: ...` comment under the command. */
  error?: string;
  status?: number;
}

const NEEDS_ELSEWHERE = /kubectl|helm |kpt |kustomize-plugin install|^npm |^node bench/;

function blocks(lang: string): { line: number; lines: string[] }[] {
  const out: { line: number; lines: string[] }[] = [];
  const all = readme.split('\n');
  for (let i = 0; i < all.length; i++) {
    if (all[i] !== '```' + lang) continue;
    const start = i + 1;
    while (all[++i] !== '```') {
      if (i >= all.length) throw new Error(`README.md:${start}: unclosed code block`);
    }
    out.push({ line: start + 1, lines: all.slice(start, i) });
  }
  return out;
}

/** A command and the lines that continue it: trailing backslashes and heredocs. */
function takeCommand(lines: string[], i: number): { command: string; next: number } {
  const parts = [lines[i]!];
  const heredoc = /<<'(\w+)'$/.exec(lines[i]!)?.[1];
  while (parts.at(-1)!.endsWith('\\') || (heredoc && parts.at(-1) !== heredoc)) {
    i++;
    if (i >= lines.length) break;
    parts.push(lines[i]!);
  }
  return { command: parts.join('\n'), next: i + 1 };
}

function consoleExamples(): Example[] {
  const examples: Example[] = [];
  for (const block of blocks('console')) {
    const { lines } = block;
    for (let i = 0; i < lines.length; ) {
      if (!lines[i]!.startsWith('$ ')) throw new Error(`README.md:${block.line + i}: a console block must start with "$ "`);
      const first = lines[i]!.slice(2);
      const { command, next } = takeCommand([first, ...lines.slice(i + 1)], 0);
      const line = block.line + i;
      i += next;
      const output: string[] = [];
      while (i < lines.length && !lines[i]!.startsWith('$ ')) output.push(lines[i++]!);
      if (command === 'echo $?') {
        examples.at(-1)!.status = Number(output[0]);
        continue;
      }
      if (!command.startsWith('pmc ') || NEEDS_ELSEWHERE.test(command)) continue;
      examples.push({ line, command, output });
    }
  }
  return examples;
}

function shExamples(): Example[] {
  const examples: Example[] = [];
  for (const block of blocks('sh')) {
    const { lines } = block;
    for (let i = 0; i < lines.length; ) {
      const line = block.line + i;
      const { command, next } = takeCommand(lines, i);
      i = next;
      // A `# pmc: error: ...` right under a command is the error it must end with.
      const error = lines[i]?.startsWith('# pmc: error: ') ? lines[i++]!.slice('# pmc: error: '.length) : undefined;
      if (!/^(pmc |cat |cp )/.test(command) || NEEDS_ELSEWHERE.test(command)) continue;
      // `pmc ...   # exit 1, why` names the exit status the command ends with.
      const status = /\s+# exit (\d+)\b.*$/.exec(command);
      examples.push({ line, command: status ? command.slice(0, status.index) : command, error, status: status ? Number(status[1]) : undefined });
    }
  }
  return examples;
}

/**
 * The words of a plain `pmc ...` command (quotes and line continuations only), or undefined
 * when it needs a shell: a pipe, a redirection, a variable, a heredoc, a glob.
 */
export function plainWords(command: string): string[] | undefined {
  const words: string[] = [];
  let word: string | undefined;
  for (let i = 0; i < command.length; i++) {
    const c = command[i]!;
    if (c === "'") {
      const end = command.indexOf("'", i + 1);
      if (end < 0) return undefined;
      word = (word ?? '') + command.slice(i + 1, end);
      i = end;
    } else if (c === '"') {
      let s = '';
      for (i++; i < command.length && command[i] !== '"'; i++) {
        if (command[i] === '$' || command[i] === '`') return undefined;
        if (command[i] === '\\' && '"\\$`'.includes(command[i + 1] ?? '')) i++;
        s += command[i];
      }
      if (i >= command.length) return undefined;
      word = (word ?? '') + s;
    } else if (c === '\\' && command[i + 1] === '\n') i++;
    else if (c === ' ' || c === '\n' || c === '\t') {
      if (word !== undefined) words.push(word);
      word = undefined;
    } else if ('|&;<>()$`*?[]{}~#'.includes(c)) return undefined;
    else if (c === '\\') return undefined;
    else word = (word ?? '') + c;
  }
  if (word !== undefined) words.push(word);
  return words[0] === 'pmc' ? words.slice(1) : undefined;
}

/** Runs a README command: a plain pmc command in-process, anything else in bash with pmc as the built bin. */
async function run(command: string): Promise<{ status: number | null; stdout: string; stderr: string }> {
  const inScratch = command.replaceAll('/tmp/', `${scratch}/`);
  const words = plainWords(inScratch);
  if (words) return runPmc(words, { cwd: root, env: { ...process.env, NO_COLOR: '1' } });
  const script = `pmc() { "${process.execPath}" "${join(root, 'bin', 'pmc.js')}" "$@"; }\n${inScratch}`;
  return spawnSync('bash', ['-c', script], { cwd: root, encoding: 'utf8', env: { ...process.env, NO_COLOR: '1' } });
}

/** The printed lines match the pasted ones in order; a line `...` (indented or not) stands for any lines. */
function matchesPasted(printed: string[], pasted: string[]): boolean {
  const at = (p: number, q: number): boolean => {
    if (p === pasted.length) return q === printed.length;
    if (pasted[p]!.trim() === '...') {
      for (let k = q; k <= printed.length; k++) if (at(p + 1, k)) return true;
      return false;
    }
    return q < printed.length && printed[q] === pasted[p] && at(p + 1, q + 1);
  };
  return at(0, 0);
}

const pasted = consoleExamples();
const commands = shExamples();

describe('README: pasted output is what pmc prints', () => {
  it('found the examples', () => {
    expect(pasted.length).toBeGreaterThanOrEqual(10);
  });

  it.each(pasted.map((e) => [`README.md:${e.line}: ${e.command.split('\n')[0]}`, e] as const))('%s', async (_name, example) => {
    const r = await run(example.command);
    // Console blocks show what a terminal shows: pmc writes its warnings and notes before its
    // output, so stderr first, then stdout.
    const printed = (r.stderr + r.stdout).replace(/\n$/, '').split('\n');
    const ok = matchesPasted(printed, example.output!);
    if (!ok) expect(printed.join('\n')).toBe(example.output!.join('\n'));
    if (example.status !== undefined) expect(r.status).toBe(example.status);
    else if (r.stderr.startsWith('pmc: error:')) expect(r.status).not.toBe(0);
    else expect(r.status).toBe(0);
  });
});

describe('README: every pmc command runs as described', () => {
  it('found the examples', () => {
    expect(commands.length).toBeGreaterThanOrEqual(15);
  });

  it.each(commands.map((e) => [`README.md:${e.line}: ${e.command.split('\n')[0]}`, e] as const))('%s', async (_name, example) => {
    const r = await run(example.command);
    if (example.error) {
      expect(r.status).toBe(1);
      expect(r.stdout).toBe('');
      const [head, ...rest] = example.error.split('...');
      expect(r.stderr.startsWith(`pmc: error: ${head}`)).toBe(true);
      let from = 0;
      for (const part of rest) {
        from = r.stderr.indexOf(part, from);
        expect(from, `"${part}" in ${r.stderr}`).toBeGreaterThanOrEqual(0);
      }
    } else if (example.status !== undefined) {
      expect(r.status).toBe(example.status);
    } else {
      expect(r.stderr.includes('pmc: error'), r.stderr).toBe(false);
      expect(r.status).toBe(0);
    }
  });
});

describe('README: which commands run in-process', () => {
  it.each([
    ["pmc customize f.yaml -r '{\"a\": 1}'", ['customize', 'f.yaml', '-r', '{"a": 1}']],
    ['pmc render -c "my fn.yaml" \\\n  -w w.yml', ['render', '-c', 'my fn.yaml', '-w', 'w.yml']],
    ['pmc customize f.yaml | kubectl apply -f -', undefined],
    ['pmc customize < f.yaml', undefined],
    ['pmc customize "$FILE"', undefined],
    ['cat f.yaml', undefined],
  ] as const)('%s', (command, words) => {
    expect(plainWords(command)).toEqual(words);
  });

  it('most of them', () => {
    const all = [...pasted, ...commands].map((e) => e.command);
    const inProcess = all.filter((c) => plainWords(c) !== undefined).length;
    expect(inProcess / all.length).toBeGreaterThan(0.5);
  });
});
