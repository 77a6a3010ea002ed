/**
 * `pmc explain`: every field the customization set, the value it replaced, and where the
 * option came from; then what was ignored and why. A table for people, -o json for programs.
 */
import { customize } from '../../core/customize/customize.js';
import { EXIT_OK } from '../exit.js';
import { explain, IGNORED_CODES, type ExplainReport } from '../../core/customize/report.js';
import { loadInput, type InputFlags } from '../inputs.js';
import { report, reportWarnings, type Io } from '../io.js';

export async function runExplain(manifest: string | undefined, flags: InputFlags & { output?: 'table' | 'json' }, io: Io): Promise<number> {
  const { input, warnings } = await loadInput(manifest, flags, io);
  const result = customize(input);
  // Under --strict what the report would list as ignored is an error too.
  if (input.strict) await reportWarnings([...warnings, ...result.warnings], io, true);
  const rep = explain(input, result, warnings);
  const text = flags.output === 'json' ? `${JSON.stringify(rep, null, 2)}\n` : table(rep);
  // What the report lists as ignored is not repeated on stderr.
  await report([...warnings, ...result.warnings].filter((w) => !IGNORED_CODES.has(w.code)), io);
  io.stdout.write(text);
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
