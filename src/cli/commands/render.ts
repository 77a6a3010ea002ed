/**
 * `pmc render`: the Service and StatefulSet the worker would create for a pulsar-admin config
 * file, customized as `pmc customize` customizes them, on stdout.
 */
import { customize } from '../../core/customize.js';
import { PmcError } from '../../core/diagnostics.js';
import { formatOutput, type OutputFormat } from '../../core/output.js';
import type { PssPolicy } from '../../core/pss.js';
import type { ComponentKind } from '../../core/render/details.js';
import { render, renderText } from '../../core/render/render.js';
import type { PulsarVersion } from '../../core/render/runtime.js';
import { refuseBoth, settingsFrom, type GivenConfig } from '../../core/settings.js';
import { EXIT_OK } from '../exit.js';
import type { InputFlags } from '../inputs.js';
import { readTextFile, reportWarnings, type Io } from '../io.js';
import { loadSchemaValidator } from '../schema.js';
import { checkPss } from './customize.js';

export interface RenderFlags extends Pick<InputFlags, 'customizer' | 'strict' | 'validate' | 'workerConfig' | 'functionConfig' | 'customRuntimeOptions' | 'customRuntimeOptionsFile' | 'tenant' | 'namespace' | 'name'> {
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
  if (flags.customRuntimeOptions !== undefined && flags.customRuntimeOptionsFile !== undefined) throw refuseBoth('--custom-runtime-options', '--custom-runtime-options-file');
  if (!flags.functionConfig) throw new PmcError('PMC_USAGE', 'pmc render needs the function, source or sink config file: -c FILE');
  if (!flags.workerConfig) throw new PmcError('PMC_USAGE', "pmc render needs the worker's functions_worker.yml (or its ConfigMap): -w FILE");
  const config = { text: await readTextFile(flags.functionConfig, io, 'function config'), source: flags.functionConfig };
  const worker = { text: await readTextFile(flags.workerConfig, io, 'worker config'), source: flags.workerConfig };
  const options =
    flags.customRuntimeOptions !== undefined
      ? { text: flags.customRuntimeOptions, source: '--custom-runtime-options' }
      : flags.customRuntimeOptionsFile !== undefined
        ? { text: await readTextFile(flags.customRuntimeOptionsFile, io, 'custom runtime options file'), source: flags.customRuntimeOptionsFile }
        : undefined;
  const identity = { tenant: flags.tenant, namespace: flags.namespace, name: flags.name };
  const given: GivenConfig = { customizer: flags.customizer, strict: flags.strict, validate: flags.validate, worker, functionConfig: config, options, identity };
  const { settings, warnings } = settingsFrom(given, flags.validate !== false ? await loadSchemaValidator() : undefined);
  const rendered = render({
    config,
    worker,
    kind: flags.kind,
    identity,
    customRuntimeOptions: options?.text,
    pulsarVersion: flags.pulsarVersion,
    functionId: flags.functionId,
    functionVersion: flags.functionVersion,
    authSecretId: flags.functionAuthSecretId,
    originalFileName: flags.originalFileName,
    transformFunctionId: flags.transformFunctionId,
    workerHasCa: flags.workerCa,
  });
  const manifest = renderText(rendered.objects, 'yaml');
  const input = { ...settings, manifest, source: RENDERED };
  const result = customize(input);
  checkPss(result, flags.checkPss, RENDERED);
  // Built whole before anything is written: a failure leaves stdout empty.
  const text = formatOutput(result, input, flags.output);
  await reportWarnings([...warnings, ...rendered.diagnostics, ...result.warnings], io, settings.strict);
  io.stdout.write(text);
  return EXIT_OK;
}
