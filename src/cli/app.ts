/**
 * The edge of the application layer (core/app/): a customizing command's flags become one
 * request (the files they name read once, by inputs.ts), and the outcome becomes output: the
 * warnings through the command's Reporter first, then the text, to stdout or, atomically, to
 * the file. Every command that customizes a stream goes through here.
 */
import { resolve } from 'node:path';
import type { Reporter } from '../core/base/diagnostics.js';
import { customizeRequest, strictFlag, type CustomizeOutcome, type CustomizeRequest } from '../core/app/run.js';
import { loadInput, type InputFlags } from './inputs.js';
import type { Io } from './io.js';
import { stderrReporter } from './reporters.js';

export { customizeRequest };

/** The request for MANIFEST and the flags, with what the command adds (its output, --check-pss, ...). */
export async function requestOf(manifest: string | undefined, flags: InputFlags, io: Io, face: Omit<CustomizeRequest, 'input' | 'earlier' | 'bom' | 'policy'> = {}): Promise<CustomizeRequest> {
  const { input, warnings, bom } = await loadInput(manifest, flags, io);
  return { ...face, input, earlier: warnings, bom, policy: strictFlag(input.strict) };
}

/** The warnings, then the text: to `inPlace` (replaced atomically) or stdout. */
export async function deliver(outcome: Pick<CustomizeOutcome, 'text' | 'warnings'>, io: Io, opts: { inPlace?: string; reporter?: Reporter } = {}): Promise<void> {
  await (opts.reporter ?? stderrReporter(io)).report(outcome.warnings);
  if (opts.inPlace !== undefined) await (await import('./write.js')).replaceFileAtomically(resolve(io.cwd, opts.inPlace), outcome.text);
  else io.stdout.write(outcome.text);
}
