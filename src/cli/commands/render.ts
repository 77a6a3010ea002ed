/**
 * `pmc render`: the Service and StatefulSet the worker would create for a pulsar-admin config
 * file, customized as `pmc customize` customizes them, on stdout.
 */
import { customize } from '../../core/customize/customize.js';
import { formatOutput, type OutputFormat } from '../../core/customize/output.js';
import type { PssPolicy } from '../../core/checks/pss.js';
import { CODE_FLAG_NAMES, type CodeFlags } from '../../core/render/code.js';
import type { ComponentKind } from '../../core/render/details.js';
import { render, renderYaml } from '../../core/render/render.js';
import type { PulsarVersion } from '../../core/render/runtime.js';
import { EXIT_OK } from '../exit.js';
import { readGiven, settingsOf, type InputFlags } from '../inputs.js';
import { reportWarnings, type Io } from '../io.js';
import { checkPss } from './customize.js';
import { DiagnosticSink } from '../../core/base/diagnostics.js';
import { lintInstances } from '../../core/options/validate.js';
import type { Obj } from '../../core/base/values.js';

export interface RenderFlags extends CodeFlags, Pick<InputFlags, 'customizer' | 'customizerProfile' | 'strict' | 'validate' | 'workerConfig' | 'functionConfig' | 'customRuntimeOptions' | 'customRuntimeOptionsFile' | 'tenant' | 'namespace' | 'name'> {
  kind?: ComponentKind;
  pulsarVersion: PulsarVersion;
  functionAuthSecretId?: string;
  functionId?: string;
  functionVersion?: string;
  originalFileName?: string;
  transformFunctionId?: string;
  workerCa?: boolean;
  output?: OutputFormat;
  checkPss?: PssPolicy;
}

/** The rendered stream's name in messages about it. */
const RENDERED = '<rendered>';

export async function runRender(flags: RenderFlags, io: Io): Promise<number> {
  // commander's requiredOption makes -c and -w present.
  const given = await readGiven(flags, io);
  const { settings, warnings } = await settingsOf(given);
  const config = given.functionConfig!;
  const worker = given.worker!;
  const identity = given.identity!;
  const options = given.options;
  const rendered = render({
    config,
    worker,
    kind: flags.kind,
    identity,
    code: Object.fromEntries((Object.keys(CODE_FLAG_NAMES) as (keyof CodeFlags)[]).map((k) => [k, flags[k]])),
    customRuntimeOptions: options?.text,
    pulsarVersion: flags.pulsarVersion,
    functionId: flags.functionId,
    functionVersion: flags.functionVersion,
    authSecretId: flags.functionAuthSecretId,
    originalFileName: flags.originalFileName,
    transformFunctionId: flags.transformFunctionId,
    workerHasCa: flags.workerCa,
  });
  const manifest = renderYaml(rendered.objects);
  const input = { ...settings, manifest, source: RENDERED };
  const result = customize(input);
  checkPss(result, flags.checkPss, RENDERED);
  // What customize did not check (it checks what it changes): Pulsar's own objects, linted.
  const lint = new DiagnosticSink();
  if (settings.validate && !result.changes.some((c) => c.kind === 'StatefulSet')) lintInstances(rendered.objects[1] as Obj, { source: RENDERED, document: { index: 1, kind: 'StatefulSet', name: rendered.jobName } }, lint);
  // Built whole before anything is written: a failure leaves stdout empty.
  const text = formatOutput(result, input, flags.output);
  await reportWarnings([...warnings, ...rendered.diagnostics, ...result.warnings, ...lint.warnings], io, settings.strict);
  io.stdout.write(text);
  return EXIT_OK;
}
