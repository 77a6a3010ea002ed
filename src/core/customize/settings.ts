/**
 * From what the user gave (the texts of the files the flags named, and the flags) to the
 * complete settings of a run, once: which customizer runs, whose options win, where the
 * function's identity comes from. The edge only reads files; every rule is here.
 */
import { readPolicy, type FunctionPolicy } from '../input/policy.js';
import type { AdmissionMode } from './modes.js';
import { customizerForClassName, foreignCustomizer, readCustomRuntimeOptions, readFunctionConfig, type CustomizerKind } from '../input/config.js';
import { readWorker } from '../input/worker.js';
import { profileFields, readProfile, type CustomizerProfile } from '../input/profile.js';
import { DiagnosticSink, PmcError, type Diagnostic } from '../base/diagnostics.js';
import type { IdentitySource } from '../base/identity.js';
import type { FunctionIdentity } from '../base/naming.js';
import type { RuntimeOpts } from '../options/registry.js';
import type { SchemaValidator } from '../options/validate.js';

/** A text the user gave, and its name in messages. */
export interface GivenText {
  text: string;
  source: string;
}

export interface GivenConfig {
  /** functions_worker.yml, or a worker config inside another YAML file at `at` (a plugin config's spec.workerConfig). */
  worker?: GivenText & { at?: string[] };
  /** A pulsar-admin function, source or sink config file. */
  functionConfig?: GivenText;
  /** customRuntimeOptions from the command line (-r) or its file. */
  options?: GivenText;
  customizer?: CustomizerKind;
  /** How the customizer was chosen, as the user wrote it: `--customizer basic`, `spec.customizer: basic`. */
  customizerChosenBy?: string;
  identity?: Partial<FunctionIdentity>;
  strict?: boolean;
  all?: boolean;
  /** commander's --no-validate sets this to false. */
  validate?: boolean;
  /** The one StatefulSet (by name) the options are for; the others pass through. */
  select?: string;
  /** Use the given identity even where the StatefulSet's own says another. */
  rename?: boolean;
  /** Drop what the cluster added to live objects (status, managedFields, uid, ...). */
  clean?: boolean;
  /** A customizer profile (profile.ts): the options of the worker's own customizer class. */
  profile?: GivenText;
  /** A FunctionPolicy (input/policy.ts): what each tenant's functions may ask for. */
  policy?: GivenText;
}

/** Everything customizing needs besides the manifests. */
export interface CustomizeSettings {
  customizer: CustomizerKind;
  /** The flag or field that chose the customizer, when the worker's class name did not. */
  customizerChosenBy?: string;
  /** What each tenant's functions may ask for (--policy). */
  policy?: FunctionPolicy;
  /** runtimeCustomizerConfig, read. */
  worker: RuntimeOpts;
  /** The worker's customizer class when pmc does not know its options (it then previews none). */
  foreignClass?: string;
  /** The worker's customizer described by a profile: its own options, previewed. */
  profile?: CustomizerProfile;
  /** Where the worker's settings came from, for messages about them. */
  workerSource?: string;
  /**
   * customRuntimeOptions given for every StatefulSet. When absent, each StatefulSet's own
   * embedded options are used.
   */
  functionOptions?: RuntimeOpts;
  /** Identity given on the command line or in a config file, highest priority first. */
  identity: { from: IdentitySource; value: Partial<FunctionIdentity> }[];
  /** Customize every StatefulSet and Service, not only Pulsar's. */
  all: boolean;
  strict: boolean;
  /** Something asked for customization (for the warning when the customizer is none). */
  optionsGiven: boolean;
  /** Check the options and the result against Kubernetes' rules. */
  validate: boolean;
  /** The Kubernetes OpenAPI schema check, when the caller has loaded one. */
  schema?: SchemaValidator;
  select?: string;
  rename?: boolean;
  clean?: boolean;
  /** Applied in admission by pmc webhook (see resolve.ts), not by the worker. */
  admission?: AdmissionMode;
}

/** The settings, with the warnings reading them gave; every error at once, thrown. */
export function settingsFrom(given: GivenConfig, schema?: SchemaValidator): { settings: CustomizeSettings; warnings: Diagnostic[] } {
  const sink = new DiagnosticSink();
  const strict = !!given.strict;

  const profile = given.profile ? readProfile(given.profile.text, given.profile.source) : undefined;
  const policy = given.policy ? readPolicy(given.policy.text, given.policy.source) : undefined;
  const extra = profileFields(profile);
  let className: string | undefined;
  let worker: RuntimeOpts = {};
  let classLine: { line?: number; col?: number } | undefined;
  if (given.worker) {
    let form: string;
    let mapName: string | undefined;
    ({ className, classLine, options: worker, form, mapName } = readWorker(given.worker.text, given.worker.source, sink, strict, given.worker.at, extra));
    if (form !== 'functions_worker.yml') sink.note('PMC_WORKER_FORM', `read the worker's settings from a ${form}${mapName ? ` (${mapName})` : ''}`, { source: given.worker.source });
    // A profile is for one class: given for another, it would preview what the worker never runs.
    if (profile && className?.trim() !== profile.className) {
      sink.error('PMC_PROFILE', `the profile ${profile.name} describes ${profile.className}, and the worker runs ${className?.trim() || 'no customizer'}: give the profile of the worker's class, or the worker file that runs it`, { source: profile.source, path: 'spec.className' });
    }
  }

  const foreignClass = given.worker && !profile ? foreignCustomizer(className) : undefined;
  const reading = { foreignClass, extra };
  const identity: CustomizeSettings['identity'] = [{ from: 'flags', value: given.identity ?? {} }];
  let functionOptions: RuntimeOpts | undefined;
  if (given.functionConfig) {
    const fc = readFunctionConfig(given.functionConfig.text, given.functionConfig.source, sink);
    identity.push({ from: 'function config', value: fc.identity });
    if (fc.customRuntimeOptions !== undefined && fc.optionsOrigin) functionOptions = readCustomRuntimeOptions(fc.customRuntimeOptions, fc.optionsOrigin, sink, strict, reading);
  }
  // The command line wins over the config file, as pulsar-admin's flags do.
  if (given.options) functionOptions = readCustomRuntimeOptions(given.options.text, { source: given.options.source }, sink, strict, reading);
  sink.throwIfErrors();

  // No worker file, no class name to follow: assume the deployment the seed describes.
  // A profile says what its class is built on: Basic, Basic with the extension, or neither.
  const customizer = given.customizer ?? (profile ? (profile.extends ?? 'none') : given.worker ? customizerForClassName(className, sink, { source: given.worker.source, ...classLine }) : 'security-context');
  sink.throwIfErrors();
  const validate = given.validate !== false;
  return {
    settings: {
      customizer,
      foreignClass,
      profile,
      policy,
      customizerChosenBy: given.customizer ? (given.customizerChosenBy ?? `--customizer ${given.customizer}`) : undefined,
      worker,
      workerSource: given.worker?.source,
      functionOptions,
      identity,
      all: !!given.all,
      strict,
      optionsGiven: functionOptions !== undefined || Object.keys(worker).length > 0,
      validate,
      schema: validate ? schema : undefined,
      select: given.select,
      rename: !!given.rename,
      clean: !!given.clean,
    },
    warnings: sink.warnings,
  };
}

/** Two sources for one thing are a usage error, not a silent choice. */
export function refuseBoth(a: string, b: string): PmcError {
  return new PmcError('PMC_USAGE', `give ${a} or ${b}, not both`);
}
