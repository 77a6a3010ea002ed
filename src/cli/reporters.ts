/**
 * The CLI's Reporters: diagnostics as text on stderr (every command), and as structured log
 * lines (the webhook, whose stderr a log collector reads). The KRM function's results and the
 * webhook's admission warnings are the core's (faces/krm.ts, faces/webhook.ts).
 */
import { formatLocation, type Diagnostic, type Reporter } from '../core/base/diagnostics.js';
import { colours, type Io } from './io.js';

/** One line each on stderr, `pmc: warning: where: message [CODE]`, with the excerpt below. */
export function stderrReporter(io: Io): Reporter {
  return {
    async report(diags: readonly Diagnostic[]) {
      if (diags.length === 0) return;
      const chalk = await colours(io, io.stderr);
      for (const d of diags) {
        const label = d.severity === 'error' ? 'error' : d.severity === 'info' ? 'note' : 'warning';
        const tag = chalk ? (d.severity === 'error' ? chalk.red.bold(label) : d.severity === 'info' ? chalk.cyan(label) : chalk.yellow.bold(label)) : label;
        const where = formatLocation(d.location);
        let line = `pmc: ${tag}: ${where ? `${where}: ` : ''}${d.message} [${d.code}]\n`;
        if (d.location?.excerpt) line += `${d.location.excerpt}\n`;
        io.stderr.write(line);
      }
    },
  };
}

/** A JSON log line: the time, then the fields. */
export type Log = (fields: Record<string, unknown>) => void;

export function jsonLog(io: Io, now: () => Date = () => new Date()): Log {
  return (fields) => io.stderr.write(`${JSON.stringify({ time: now().toISOString(), ...fields })}\n`);
}

/** Each diagnostic as one log line: its level, what it was about (`msg`), its code and text. */
export function logReporter(log: Log, msg: string): Reporter {
  return {
    report(diags: readonly Diagnostic[]) {
      for (const d of diags) log({ level: d.severity === 'info' ? 'info' : d.severity, msg, code: d.code, detail: d.message, ...(d.location ? { where: formatLocation(d.location) } : {}) });
    },
  };
}
