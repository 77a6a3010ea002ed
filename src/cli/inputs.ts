/**
 * The inputs every customizing command shares (customize, diff, explain): reads the
 * files the flags name and turns them into the core's CustomizeInput.
 */
import { DiagnosticSink, PmcError, type Diagnostic } from '../core/diagnostics.js';
import {
  customizerForClassName,
  readCustomRuntimeOptions,
  readFunctionConfig,
  readWorkerConfig,
  type CustomizerKind,
} from '../core/config.js';
import type { CustomizeInput } from '../core/customize.js';
import type { RuntimeOpts } from '../core/registry.js';
import type { PluginConfig } from '../core/plugin-config.js';
import { readStdin, readTextFile, type Io } from './io.js';
import { loadSchemaValidator } from './schema.js';

export interface InputFlags {
  workerConfig?: string;
  /** A worker config inside another YAML file (a plugin config's spec.workerConfig). */
  workerConfigInline?: { text: string; source: string; at: string[] };
  customRuntimeOptions?: string;
  /** Where an inline customRuntimeOptions came from, when not from -r. */
  customRuntimeOptionsSource?: string;
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
    throw new PmcError('PMC_USAGE', 'give --custom-runtime-options or --custom-runtime-options-file, not both');
  }
  const sink = new DiagnosticSink();
  const strict = !!flags.strict;

  let className: string | undefined;
  let worker: RuntimeOpts = {};
  const workerGiven = flags.workerConfig !== undefined || flags.workerConfigInline !== undefined;
  if (flags.workerConfig !== undefined) {
    const text = await readTextFile(flags.workerConfig, io, 'worker config');
    ({ className, options: worker } = readWorkerConfig(text, flags.workerConfig, sink, strict));
  } else if (flags.workerConfigInline) {
    const { text, source, at } = flags.workerConfigInline;
    ({ className, options: worker } = readWorkerConfig(text, source, sink, strict, at));
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
    const source = flags.customRuntimeOptionsSource ?? '--custom-runtime-options';
    functionOptions = readCustomRuntimeOptions(flags.customRuntimeOptions, { source }, sink, strict);
  } else if (flags.customRuntimeOptionsFile !== undefined) {
    const text = await readTextFile(flags.customRuntimeOptionsFile, io, 'custom runtime options file');
    functionOptions = readCustomRuntimeOptions(text, { source: flags.customRuntimeOptionsFile }, sink, strict);
  }
  sink.throwIfErrors();

  // No worker file, no class name to follow: assume the deployment the seed describes.
  const customizer: CustomizerKind =
    flags.customizer ?? (!workerGiven ? 'security-context' : customizerForClassName(className));

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

/** The flags a PulsarManifestCustomizer config stands for. */
export function flagsFromPluginConfig(config: PluginConfig, text: string, source: string): InputFlags {
  return {
    customizer: config.customizer,
    workerConfig: config.workerConfigFile,
    workerConfigInline: config.workerConfigInline ? { text, source, at: ['spec', 'workerConfig'] } : undefined,
    customRuntimeOptions: config.customRuntimeOptions,
    customRuntimeOptionsSource: `${config.label ?? source} spec.customRuntimeOptions`,
    functionConfig: config.functionConfigFile,
    tenant: config.function?.tenant,
    namespace: config.function?.namespace,
    name: config.function?.name,
    all: config.all,
    strict: config.strict,
    validate: config.validate,
  };
}
