/**
 * The inputs every customizing command shares (customize, diff, explain): reads the
 * files the flags name and turns them into the core's CustomizeInput.
 */
import { DiagnosticSink, EXIT_USAGE, PmcError, type Diagnostic } from '../core/diagnostics.js';
import {
  customizerForClassName,
  readCustomRuntimeOptions,
  readFunctionConfig,
  readWorkerConfig,
  type CustomizerKind,
} from '../core/config.js';
import type { CustomizeInput } from '../core/customize.js';
import type { RuntimeOpts } from '../core/options.js';
import { readStdin, readTextFile, type Io } from './io.js';
import { loadSchemaValidator } from './schema.js';

export interface InputFlags {
  workerConfig?: string;
  customRuntimeOptions?: string;
  customRuntimeOptionsFile?: string;
  functionConfig?: string;
  tenant?: string;
  namespace?: string;
  name?: string;
  customizer?: CustomizerKind;
  strict?: boolean;
  all?: boolean;
  /** commander's --no-validate sets this to false. */
  validate?: boolean;
}

export interface LoadedInput {
  input: CustomizeInput;
  /** Warnings from reading the configuration, before any customizing. */
  warnings: Diagnostic[];
}

export async function readManifest(manifest: string | undefined, io: Io): Promise<{ text: string; source: string }> {
  if (manifest === undefined || manifest === '-') return { text: await readStdin(io), source: '<stdin>' };
  return { text: await readTextFile(manifest, io, 'manifest'), source: manifest };
}

export async function loadInput(manifestArg: string | undefined, flags: InputFlags, io: Io): Promise<LoadedInput> {
  if (flags.customRuntimeOptions !== undefined && flags.customRuntimeOptionsFile !== undefined) {
    throw new PmcError('PMC_USAGE', 'give --custom-runtime-options or --custom-runtime-options-file, not both', { exitStatus: EXIT_USAGE });
  }
  const sink = new DiagnosticSink();
  const strict = !!flags.strict;

  let className: string | undefined;
  let worker: RuntimeOpts = {};
  if (flags.workerConfig !== undefined) {
    const text = await readTextFile(flags.workerConfig, io, 'worker config');
    ({ className, options: worker } = readWorkerConfig(text, flags.workerConfig, sink, strict));
  }

  let functionOptions: RuntimeOpts | undefined;
  const identity: CustomizeInput['identity'] = [];
  const fromFlags = { tenant: flags.tenant, namespace: flags.namespace, name: flags.name };
  identity.push({ from: 'flags', value: fromFlags });

  if (flags.functionConfig !== undefined) {
    const text = await readTextFile(flags.functionConfig, io, 'function config');
    const fc = readFunctionConfig(text, flags.functionConfig, sink);
    identity.push({ from: 'function config', value: fc.identity });
    if (fc.customRuntimeOptions !== undefined && fc.optionsOrigin) {
      functionOptions = readCustomRuntimeOptions(fc.customRuntimeOptions, fc.optionsOrigin, sink, strict);
    }
  }
  // The command line wins over the config file, as pulsar-admin's flags do.
  if (flags.customRuntimeOptions !== undefined) {
    functionOptions = readCustomRuntimeOptions(flags.customRuntimeOptions, { source: '--custom-runtime-options' }, sink, strict);
  } else if (flags.customRuntimeOptionsFile !== undefined) {
    const text = await readTextFile(flags.customRuntimeOptionsFile, io, 'custom runtime options file');
    functionOptions = readCustomRuntimeOptions(text, { source: flags.customRuntimeOptionsFile }, sink, strict);
  }
  sink.throwIfErrors();

  // No worker file, no class name to follow: assume the deployment the seed describes.
  const customizer: CustomizerKind =
    flags.customizer ?? (flags.workerConfig === undefined ? 'security-context' : customizerForClassName(className));

  const manifest = await readManifest(manifestArg, io);
  const optionsGiven = functionOptions !== undefined || Object.keys(worker).length > 0;
  return {
    input: {
      manifest: manifest.text,
      source: manifest.source,
      customizer,
      worker,
      functionOptions,
      identity,
      all: !!flags.all,
      strict,
      optionsGiven,
      validate: flags.validate !== false,
      schema: flags.validate !== false ? await loadSchemaValidator() : undefined,
    },
    warnings: sink.warnings,
  };
}
