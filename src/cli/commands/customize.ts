/**
 * `pmc customize`: the transformed stream on stdout, or nothing at all.
 */
import { Option, type Command } from 'commander';
import type { PssPolicy } from '../../core/checks/pss.js';
import { OUTPUT_FORMATS, formatOf, type OutputFormat } from '../../core/customize/formats.js';
import { PmcError } from '../../core/base/diagnostics.js';
import { inputOptions, pssOption, type CommandContext } from '../command.js';
import { EXIT_OK } from '../exit.js';
import type { InputFlags } from '../inputs.js';
import type { Io } from '../io.js';

export interface CustomizeFlags extends InputFlags {
  output?: OutputFormat;
  checkPss?: PssPolicy;
  inPlace?: boolean;
  stream?: boolean;
}

export function register(program: Command, ctx: CommandContext): void {
  inputOptions(
    program
      .command('customize')
      .description("merge the worker's runtimeCustomizerConfig with the function's customRuntimeOptions and customize the StatefulSet and Service"),
  )
    .addOption(new Option('-o, --output <FORMAT>', "output format (default: the input's, YAML or JSON)").choices(OUTPUT_FORMATS))
    .option('-i, --in-place', 'replace the MANIFEST file (atomically) instead of printing')
    .option('--stream', 'read, customize and write one document at a time, in bounded memory: for cluster-sized streams (an error after output began ends the stream there)')
    .addOption(pssOption())
    .action((manifest: string | undefined, flags: CustomizeFlags) => ctx.run(() => runCustomize(manifest, flags, ctx.io)));
}

export async function runCustomize(manifest: string | undefined, flags: CustomizeFlags, io: Io): Promise<number> {
  if (flags.inPlace && (manifest === undefined || manifest === '-')) {
    throw new PmcError('PMC_USAGE', '--in-place needs a MANIFEST file, not stdin');
  }
  if (flags.stream) {
    if (flags.output === 'json') throw new PmcError('PMC_USAGE', '--stream with -o json: a JSON output is one object or List of the whole stream; leave out --stream, or -o');
    const { streamCustomize } = await import('../stream.js');
    await streamCustomize(manifest, flags, io, { checkPss: flags.checkPss, inPlace: flags.inPlace ? manifest : undefined });
    return EXIT_OK;
  }
  const { requestOf, customizeRequest, deliver } = await import('../app.js');
  const request = await requestOf(manifest, flags, io, { output: flags.output, checkPss: flags.checkPss, jsonFastPath: true });
  const { manifest: text } = request.input;
  if (flags.inPlace && flags.output && flags.output !== formatOf(text)) {
    throw new PmcError('PMC_USAGE', `--in-place with -o ${flags.output} would replace the ${formatOf(text).toUpperCase()} file with ${flags.output.toUpperCase()}: leave out -o (the file keeps its own format), or write to stdout`);
  }
  await deliver(customizeRequest(request), io, { inPlace: flags.inPlace ? manifest : undefined });
  return EXIT_OK;
}
