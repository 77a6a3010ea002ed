/**
 * `pmc customize`: the transformed stream on stdout, or nothing at all.
 */
import { customize, outputYaml, type CustomizeResult } from '../../core/customize.js';
import { outputObjects } from '../../core/customize.js';
import { pssDiagnostics, type PssPolicy } from '../../core/pss.js';
import { PmcError } from '../../core/diagnostics.js';
import { EXIT_OK } from '../exit.js';
import { resolve } from 'node:path';
import { loadInput, type InputFlags } from '../inputs.js';
import { reportWarnings, type Io } from '../io.js';

export type OutputFormat = 'yaml' | 'json';

export interface CustomizeFlags extends InputFlags {
  output?: OutputFormat;
  checkPss?: PssPolicy;
  inPlace?: boolean;
}

export async function runCustomize(manifest: string | undefined, flags: CustomizeFlags, io: Io): Promise<number> {
  if (flags.inPlace && (manifest === undefined || manifest === '-')) {
    throw new PmcError('PMC_USAGE', '--in-place needs a MANIFEST file, not stdin');
  }
  if (flags.inPlace && flags.output === 'json') {
    throw new PmcError('PMC_USAGE', '--in-place with -o json would replace the file with JSON: leave out -o json (the file keeps its own format), or write to stdout');
  }
  const { input, warnings } = await loadInput(manifest, flags, io);
  const result = customize(input);
  checkPss(result, flags.checkPss, input.source);
  // Built whole before anything is written: a failure leaves stdout empty.
  const text = flags.output === 'json' ? outputJson(result, input.source) : outputYaml(result);
  await reportWarnings([...warnings, ...result.warnings], io, input.strict);
  if (flags.inPlace && manifest) await (await import('../write.js')).replaceFileAtomically(resolve(io.cwd, manifest), text);
  else io.stdout.write(text);
  return EXIT_OK;
}

/** One object for one document, else a v1 List, as `kubectl get -o json` prints. */
export function outputJson(result: CustomizeResult, source: string): string {
  const items = outputObjects(result, source)
    .map((d) => d.object)
    .filter((o) => o !== null && o !== undefined);
  const out = items.length === 1 ? items[0] : { apiVersion: 'v1', kind: 'List', items };
  return `${JSON.stringify(out, null, 2)}\n`;
}

/** --check-pss: every pod template in the output against the policy, or an error. */
export function checkPss(result: CustomizeResult, policy: PssPolicy | undefined, source: string): void {
  if (!policy) return;
  const errors = pssDiagnostics(outputObjects(result, source), policy, source);
  if (errors.length) throw PmcError.fromDiagnostics(errors);
}
