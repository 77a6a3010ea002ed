/**
 * `pmc customize`: the transformed stream on stdout, or nothing at all.
 */
import { customize, customizeJson, type CustomizeResult } from '../../core/customize/customize.js';
import { outputObjects } from '../../core/customize/customize.js';
import { pssDiagnostics, type PssPolicy } from '../../core/checks/pss.js';
import { PmcError } from '../../core/base/diagnostics.js';
import { EXIT_OK } from '../exit.js';
import { resolve } from 'node:path';
import { loadInput, type InputFlags } from '../inputs.js';
import { reportWarnings, type Io } from '../io.js';

import { formatOf, formatOutput, type OutputFormat } from '../../core/customize/output.js';

export interface CustomizeFlags extends InputFlags {
  output?: OutputFormat;
  checkPss?: PssPolicy;
  inPlace?: boolean;
}

export async function runCustomize(manifest: string | undefined, flags: CustomizeFlags, io: Io): Promise<number> {
  if (flags.inPlace && (manifest === undefined || manifest === '-')) {
    throw new PmcError('PMC_USAGE', '--in-place needs a MANIFEST file, not stdin');
  }

  const { input, warnings, bom } = await loadInput(manifest, flags, io);
  if (flags.inPlace && flags.output && flags.output !== formatOf(input.manifest)) {
    throw new PmcError('PMC_USAGE', `--in-place with -o ${flags.output} would replace the ${formatOf(input.manifest).toUpperCase()} file with ${flags.output.toUpperCase()}: leave out -o (the file keeps its own format), or write to stdout`);
  }
  // kubectl's JSON, when it needs nothing said, at JSON's speed; otherwise (or then) the YAML path.
  const result = customizeJson(input) ?? customize(input);
  checkPss(result, flags.checkPss, input.source);
  // Built whole before anything is written: a failure leaves stdout empty.
  const text = (bom ? '\uFEFF' : '') + formatOutput(result, input, flags.output);
  await reportWarnings([...warnings, ...result.warnings], io, input.strict);
  if (flags.inPlace && manifest) await (await import('../write.js')).replaceFileAtomically(resolve(io.cwd, manifest), text);
  else io.stdout.write(text);
  return EXIT_OK;
}

/** --check-pss: every pod template in the output against the policy, or an error. */
export function checkPss(result: CustomizeResult, policy: PssPolicy | undefined, source: string): void {
  if (!policy) return;
  const errors = pssDiagnostics(outputObjects(result, source), policy, source);
  if (errors.length) throw PmcError.fromDiagnostics(errors);
}
