/**
 * `pmc explain`: every field the customization set, the value it replaced, and where the
 * option came from; then what was ignored and why. A table for people, -o json for programs.
 */
import { Option, type Command } from 'commander';
import type { ExplainReport } from '../../core/customize/report.js';
import { inputOptions, type CommandContext } from '../command.js';
import { EXIT_OK } from '../exit.js';
import type { InputFlags } from '../inputs.js';
import type { Io } from '../io.js';

type ExplainFlags = InputFlags & { output?: 'table' | 'json' };

export function register(program: Command, ctx: CommandContext): void {
  inputOptions(program.command('explain').description('list every field customize sets, the value it replaced, and where the option came from'))
    .addOption(new Option('-o, --output <FORMAT>', 'output format').choices(['table', 'json']).default('table'))
    .action((manifest: string | undefined, flags: ExplainFlags) => ctx.run(() => runExplain(manifest, flags, ctx.io)));
}

export async function runExplain(manifest: string | undefined, flags: ExplainFlags, io: Io): Promise<number> {
  const [{ requestOf, customizeRequest, deliver }, { explain, IGNORED_CODES }] = await Promise.all([import('../app.js'), import('../../core/customize/report.js')]);
  // Under --strict what the report would list as ignored is an error too (the request's policy).
  const request = await requestOf(manifest, flags, io, { output: 'none' });
  const outcome = customizeRequest(request);
  const rep = explain(request.input, outcome.result, request.earlier ?? []);
  const text = flags.output === 'json' ? `${JSON.stringify(rep, null, 2)}\n` : table(rep);
  // What the report lists as ignored is not repeated on stderr.
  await deliver({ text, warnings: outcome.warnings.filter((w) => !IGNORED_CODES.has(w.code)) }, io);
  return EXIT_OK;
}

const MAX_VALUE = 48;

function show(v: unknown): string {
  if (v === undefined || v === null) return '-';
  const text = typeof v === 'string' ? v : JSON.stringify(v);
  return text.length > MAX_VALUE ? `${text.slice(0, MAX_VALUE - 1)}…` : text;
}

function table(rep: ExplainReport): string {
  const out: string[] = [];
  const byResource = new Map<string, ExplainReport['changes']>();
  for (const c of [...rep.changes].sort((a, b) => a.document - b.document || (a.item ?? 0) - (b.item ?? 0))) {
    const key = `${c.resource} (document ${c.document}${c.item !== undefined ? ` items[${c.item}]` : ''})`;
    byResource.set(key, [...(byResource.get(key) ?? []), c]);
  }
  for (const [resource, changes] of byResource) {
    out.push(resource);
    const rows = [['FIELD', 'VALUE', 'WAS', 'SOURCE'], ...changes.map((c) => [c.path, show(c.value), show(c.replaced), c.ignoredBy ? `${c.source} (ignored by ${c.ignoredBy})` : c.source])];
    const widths = [0, 1, 2].map((i) => Math.max(...rows.map((r) => r[i].length)));
    for (const r of rows) out.push(`  ${r.map((cell, i) => (i < 3 ? cell.padEnd(widths[i]) : cell)).join('  ')}`.trimEnd());
    out.push('');
  }
  if (rep.changes.length === 0) out.push('nothing changes', '');
  if (rep.ignored.length) {
    out.push('Ignored');
    for (const i of rep.ignored) out.push(`  ${i.what ? `${i.what}: ` : ''}${i.why} [${i.code}]`);
    out.push('');
  }
  return out.join('\n');
}
