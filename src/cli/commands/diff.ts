/**
 * `pmc diff`: what customizing would change, as a unified diff per document. Exit 0 when
 * nothing changes and 3 when something does, so CI can gate on it (as `kubectl diff`).
 */
import { customize } from '../../core/customize/customize.js';
import { EXIT_DIFFERS, EXIT_OK } from '../exit.js';
import { documentDiffs } from '../../core/customize/report.js';
import type { PssPolicy } from '../../core/checks/pss.js';
import { loadInput, type InputFlags } from '../inputs.js';
import { colours, reportWarnings, type Io } from '../io.js';
import { checkPss } from './customize.js';

export async function runDiff(manifest: string | undefined, flags: InputFlags & { checkPss?: PssPolicy }, io: Io): Promise<number> {
  const { input, warnings } = await loadInput(manifest, flags, io);
  const result = customize(input);
  checkPss(result, flags.checkPss, input.source);
  const diffs = documentDiffs(input, result);
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
  await reportWarnings([...warnings, ...result.warnings], io, input.strict);
  io.stdout.write(text);
  return diffs.length > 0 ? EXIT_DIFFERS : EXIT_OK;
}
