/**
 * `pmc diff`: what customizing would change, as a unified diff per document. Exit 0 when
 * nothing changes and 3 when something does, so CI can gate on it (as `kubectl diff`).
 */
import type { Command } from 'commander';
import type { PssPolicy } from '../../core/checks/pss.js';
import { inputOptions, pssOption, type CommandContext } from '../command.js';
import { EXIT_DIFFERS, EXIT_OK } from '../exit.js';
import type { InputFlags } from '../inputs.js';
import { colours, type Io } from '../io.js';

export function register(program: Command, ctx: CommandContext): void {
  inputOptions(program.command('diff').description('show what customize would change, as a unified diff per document (exit 3 when something changes)'))
    .addOption(pssOption())
    .action((manifest: string | undefined, flags: InputFlags & { checkPss?: PssPolicy }) => ctx.run(() => runDiff(manifest, flags, ctx.io)));
}

export async function runDiff(manifest: string | undefined, flags: InputFlags & { checkPss?: PssPolicy }, io: Io): Promise<number> {
  const [{ requestOf, customizeRequest, deliver }, { documentDiffs }] = await Promise.all([import('../app.js'), import('../../core/customize/report.js')]);
  const request = await requestOf(manifest, flags, io, { checkPss: flags.checkPss, output: 'none' });
  const outcome = customizeRequest(request);
  const diffs = documentDiffs(request.input, outcome.result);
  let text = diffs.map((d) => d.patch).join('');
  const chalk = await colours(io, io.stdout);
  if (chalk) {
    text = text
      .split('\n')
      .map((l) =>
        l.startsWith('+++') || l.startsWith('---')
          ? chalk.bold(l)
          : l.startsWith('+')
            ? chalk.green(l)
            : l.startsWith('-')
              ? chalk.red(l)
              : l.startsWith('@@')
                ? chalk.cyan(l)
                : l,
      )
      .join('\n');
  }
  await deliver({ text, warnings: outcome.warnings }, io);
  return diffs.length > 0 ? EXIT_DIFFERS : EXIT_OK;
}
