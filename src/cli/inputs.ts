/**
 * The inputs every customizing command shares (customize, diff, explain): reads the
 * files the flags name and turns them into the core's CustomizeInput.
 */
import type { Diagnostic } from '../core/base/diagnostics.js';
import type { CustomizeInput } from '../core/customize/customize.js';
import type { PluginConfig } from '../core/input/plugin-config.js';
import { refuseBoth, settingsFrom, type CustomizeSettings, type GivenConfig } from '../core/customize/settings.js';
import { readStdin, readTextFile, type Io } from './io.js';
import { loadSchemaValidator } from './schema.js';

/** The flags, as commander parses them: the files to read, and the settings the core takes as they are. */
export interface InputFlags extends Pick<GivenConfig, 'customizer' | 'customizerChosenBy' | 'strict' | 'all' | 'validate' | 'select' | 'rename' | 'clean'> {
  workerConfig?: string;
  /** A worker config inside another YAML file (a plugin config's spec.workerConfig). */
  workerConfigInline?: { text: string; source: string; at: string[] };
  customRuntimeOptions?: string;
  /** Where an inline customRuntimeOptions came from, when not from -r. */
  customRuntimeOptionsSource?: string;
  customRuntimeOptionsFile?: string;
  functionConfig?: string;
  /** A customizer profile: the options of the worker's own customizer class. */
  customizerProfile?: string;
  /** A FunctionPolicy: what each tenant's functions may ask for. */
  policy?: string;
  tenant?: string;
  namespace?: string;
  name?: string;
}

export interface LoadedInput {
  input: CustomizeInput;
  /** The manifest began with a byte order mark, which the output keeps. */
  bom: boolean;
  /** Warnings from reading the configuration, before any customizing. */
  warnings: Diagnostic[];
}

export async function readManifest(manifest: string | undefined, io: Io): Promise<{ text: string; source: string; bom: boolean }> {
  const read = manifest === undefined || manifest === '-' ? { text: await readStdin(io, { keepBom: true }), source: '<stdin>' } : { text: await readTextFile(manifest, io, 'manifest', { keepBom: true }), source: manifest };
  // The core reads text without a byte order mark; the output gets it back.
  const bom = read.text.charCodeAt(0) === 0xfeff;
  return { ...read, text: bom ? read.text.slice(1) : read.text, bom };
}

/** Reads the files the flags name, as the core takes them: texts with their sources. */
export async function readGiven(flags: InputFlags, io: Io): Promise<GivenConfig> {
  if (flags.customRuntimeOptions !== undefined && flags.customRuntimeOptionsFile !== undefined) throw refuseBoth('--custom-runtime-options', '--custom-runtime-options-file');
  const given: GivenConfig = {
    ...pickSettings(flags),
    identity: { tenant: flags.tenant, namespace: flags.namespace, name: flags.name },
  };
  if (flags.workerConfig !== undefined) given.worker = { text: await readTextFile(flags.workerConfig, io, 'worker config'), source: flags.workerConfig };
  else if (flags.workerConfigInline) given.worker = flags.workerConfigInline;
  if (flags.customizerProfile !== undefined) given.profile = { text: await readTextFile(flags.customizerProfile, io, 'customizer profile'), source: flags.customizerProfile };
  if (flags.policy !== undefined) given.policy = { text: await readTextFile(flags.policy, io, 'policy'), source: flags.policy };
  if (flags.functionConfig !== undefined) given.functionConfig = { text: await readTextFile(flags.functionConfig, io, 'function config'), source: flags.functionConfig };
  if (flags.customRuntimeOptions !== undefined) given.options = { text: flags.customRuntimeOptions, source: flags.customRuntimeOptionsSource ?? '--custom-runtime-options' };
  else if (flags.customRuntimeOptionsFile !== undefined) {
    given.options = { text: await readTextFile(flags.customRuntimeOptionsFile, io, 'custom runtime options file'), source: flags.customRuntimeOptionsFile };
  }
  return given;
}

/** The run's settings from what was read, with the schema check loaded when validation is on. */
export async function settingsOf(given: GivenConfig): Promise<{ settings: CustomizeSettings; warnings: Diagnostic[] }> {
  return settingsFrom(given, given.validate !== false ? await loadSchemaValidator() : undefined);
}

/** Reads the files the flags name; the core turns them and the flags into the run's settings. */
export async function loadSettings(flags: InputFlags, io: Io): Promise<{ settings: CustomizeSettings; warnings: Diagnostic[] }> {
  return settingsOf(await readGiven(flags, io));
}

/** The flags the core takes as they are. */
function pickSettings(flags: InputFlags): GivenConfig {
  const { customizer, customizerChosenBy, strict, all, validate, select, rename, clean } = flags;
  return { customizer, customizerChosenBy, strict, all, validate, select, rename, clean };
}

/** The settings and the manifest: everything customize, diff and explain need. */
export async function loadInput(manifestArg: string | undefined, flags: InputFlags, io: Io): Promise<LoadedInput> {
  const { settings, warnings } = await loadSettings(flags, io);
  const manifest = await readManifest(manifestArg, io);
  return { input: { ...settings, manifest: manifest.text, source: manifest.source }, warnings, bom: manifest.bom };
}

/** The flags a PulsarManifestCustomizer config stands for. */
export function flagsFromPluginConfig(config: PluginConfig, text: string, source: string): InputFlags {
  return {
    customizer: config.customizer,
    customizerChosenBy: config.customizer ? `${config.label ?? source} spec.customizer: ${config.customizer}` : undefined,
    workerConfig: config.workerConfigFile,
    policy: config.policyFile,
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
    select: config.select,
    rename: config.rename,
    clean: config.clean,
  };
}
