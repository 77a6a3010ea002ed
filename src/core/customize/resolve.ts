/**
 * The options one StatefulSet gets: the function's own (given, or embedded in its command),
 * merged over the worker's, filtered by what the worker's customizer reads, checked against
 * Kubernetes' rules, with the function's identity and Pulsar's job name for it.
 */
import type { FunctionPolicy } from '../input/policy.js';
import { checkPolicyOptions, policyDefaults } from './policy.js';
import { admissionMode, type AdmissionMode } from './modes.js';
import type { CustomizerKind } from '../input/config.js';
import { readCustomRuntimeOptions } from '../input/config.js';
import type { DiagnosticSink, Location } from '../base/diagnostics.js';
import { embeddedFunctionDetails, isComplete, resolveIdentity, type IdentitySource } from '../base/identity.js';
import type { IStatefulSet } from '../base/k8s.js';
import { customJobName, jobNameProblem, type FunctionIdentity } from '../base/naming.js';
import { jsonPath } from '../options/options.js';
import { entryOf, OPTION_KEYS, type RuntimeOpts } from '../options/registry.js';
import { serviceNameProblem, type CheckContext } from '../options/validate.js';
import { mergeProfileOption, profileFields, type CustomizerProfile } from '../input/profile.js';
import { containerCommandParts, docLocation, labelsIdentity, type Candidate } from '../base/workloads.js';

/** What resolving needs of the run: the customizer, the worker's options, and what was given for every function. */
export interface ResolveSettings {
  source: string;
  customizer: CustomizerKind;
  /** The flag that chose the customizer (`--customizer basic`), when the worker's class name did not. */
  customizerChosenBy?: string;
  worker: RuntimeOpts;
  /** The worker's customizer class when pmc does not know its options. */
  foreignClass?: string;
  /** The worker's customizer described by a profile. */
  profile?: CustomizerProfile;
  /** Where the worker's settings came from. */
  workerSource?: string;
  functionOptions?: RuntimeOpts;
  /** What each tenant's functions may ask for. */
  policy?: FunctionPolicy;
  identity?: { from: IdentitySource; value: Partial<FunctionIdentity> }[];
  strict?: boolean;
  validate: boolean;
  /**
   * Applied by pmc webhook in admission: `hybrid` beside the worker's own
   * BasicKubernetesManifestCustomizer (only what the extension adds), `webhook-only` in its
   * place (every option admission can apply).
   */
  admission?: AdmissionMode;
}


export interface ResolvedOptions {
  options: RuntimeOpts;
  functionOptions: RuntimeOpts;
  identity: Partial<FunctionIdentity>;
  /** The name Pulsar gives the StatefulSet and its Service for the job name option. */
  workloadName?: string;
  /** Where the job name option was given, for what is said about the name. */
  nameOptionAt?: Location;
  /** A profile's options, merged worker then function by each one's rule. */
  profiled?: Record<string, unknown>;
  /** The options the policy gave this function (its scope's defaults), and where they are written. */
  policyDefaults?: { options: RuntimeOpts; scope: string };
}

/** Pulsar's mergeRuntimeOpts: each field by its own rule, the worker's first. */
export function mergeRuntimeOpts(worker: RuntimeOpts, fn: RuntimeOpts): RuntimeOpts {
  const merged: Record<string, unknown> = {};
  for (const key of OPTION_KEYS) {
    const value = entryOf(key).merge(worker[key], fn[key]);
    if (value !== undefined) merged[key] = value;
  }
  return merged as RuntimeOpts;
}

/**
 * Whether an option holds something to apply. Pulsar's merge makes the label and
 * annotation maps empty when neither level sets them; such an option changes
 * nothing, so nothing about it is worth a warning.
 */
function isSet(value: unknown): boolean {
  if (Array.isArray(value)) return value.length > 0;
  if (value !== null && typeof value === 'object') return Object.keys(value).length > 0;
  return value !== undefined;
}

/** Only the options the worker's customizer reads; each one it would drop unread is a warning. */
export function applicableOptions(merged: RuntimeOpts, customizer: CustomizerKind, sink: DiagnosticSink, where: Location, chosenBy?: string): RuntimeOpts {
  if (customizer === 'none') return {};
  const out: Record<string, unknown> = {};
  for (const key of OPTION_KEYS) {
    if (merged[key] === undefined) continue;
    const entry = entryOf(key);
    if (entry.customizers.includes(customizer)) out[key] = merged[key];
    else if (entry.unread && isSet(merged[key])) sink.warn(entry.unread.code, entry.unread.message(chosenBy), { source: where.source, path: key });
  }
  return out as RuntimeOpts;
}

/**
 * The options admission applies, as the mode's entry (modes.ts) says. Hybrid: only the
 * extension's own (the worker's Basic customizer applied the rest). Webhook-only: all but
 * those admission cannot apply, each of those a warning; the Service's part of an option is a
 * warning too, since the Service reaches admission before the StatefulSet and carries no
 * function details.
 */
function admissionOptions(merged: RuntimeOpts, mode: AdmissionMode, sink: DiagnosticSink, where: Location, given?: { options: RuntimeOpts; scope: string }): RuntimeOpts {
  const out: Record<string, unknown> = {};
  for (const key of OPTION_KEYS) {
    if (merged[key] === undefined) continue;
    const entry = entryOf(key);
    const spec = admissionMode(mode);
    if (spec.workerApplies && entry.customizers.includes(spec.workerApplies)) {
      // The worker applied its own and the function's options; it never reads the policy.
      if (given && isSet(given.options[key])) sink.warn('PMC_NOT_IN_ADMISSION', `${key} from the policy's ${given.scope} is not applied: in ${mode} mode the worker's customizer applies ${key}, and the worker does not read the policy (run pmc webhook in webhook-only mode, or put it in the worker's runtimeCustomizerConfig)`, { source: where.source, path: key });
      continue;
    }
    if (!spec.sayWhatAdmissionCannot) {
      out[key] = merged[key];
      continue;
    }
    if (entry.notInAdmission) {
      if (isSet(merged[key])) sink.warn('PMC_NOT_IN_ADMISSION', `${key} is not applied: ${entry.notInAdmission}; set it with the worker's customizer`, { source: where.source, path: key });
      continue;
    }
    if (isSet(merged[key]) && (entry.targets as readonly { kind: string }[]).some((t) => t.kind === 'Service')) {
      sink.warn('PMC_NOT_IN_ADMISSION', `${key} is applied to the StatefulSet only: the Service reaches admission first, without the function's options`, { source: where.source, path: key });
    }
    out[key] = merged[key];
  }
  return out as RuntimeOpts;
}

/** Which options file an option path came from: the function's when it set it, else the worker's. */
export function optionRoot(functionOptions: RuntimeOpts): (path: (string | number)[]) => string {
  return (path) => {
    let v: unknown = functionOptions;
    for (const p of path) v = v && typeof v === 'object' ? (v as Record<string | number, unknown>)[p] : undefined;
    return v !== undefined ? 'customRuntimeOptions' : 'runtimeCustomizerConfig';
  };
}

/** Every option's checks on the merged value, each problem at the option that holds it. */
export function checkOptions(options: RuntimeOpts, functionOptions: RuntimeOpts, where: Location, sink: DiagnosticSink, workload?: IStatefulSet): void {
  const rootOf = optionRoot(functionOptions);
  for (const key of OPTION_KEYS) {
    const { check } = entryOf(key);
    if (!check || options[key] === undefined) continue;
    const at = (sub: (string | number)[]): Location => ({ ...where, path: jsonPath(rootOf([key, ...sub]), [key, ...sub]) });
    check(options[key], { at, sink, workload });
  }
}

/** What one level of options gives that Pulsar would not apply (a resource other than cpu and memory). */
export function checkLevel(options: RuntimeOpts, root: string, sink: DiagnosticSink): void {
  for (const key of OPTION_KEYS) {
    const { checkLevel: check } = entryOf(key);
    if (!check || options[key] === undefined) continue;
    const ctx: CheckContext = { at: (sub) => ({ path: jsonPath(root, [key, ...sub]) }), sink };
    check(options[key], ctx);
  }
}

/**
 * What a real worker does differently with the two levels (the registry's `levels` rule of
 * each option): said as warnings, at the option in the worker's file or the function's options.
 */
export function checkLevels(worker: RuntimeOpts, fn: RuntimeOpts, customizer: CustomizerKind, sink: DiagnosticSink, workerAt: Location, fnAt: Location): void {
  eachLevelsRule('levels', worker, fn, customizer, sink, workerAt, fnAt);
}

/**
 * What the worker's level forbids the function's (the registry's `guard` of each option): in
 * every mode, with or without --no-validate, since a floor is a boundary, not a check.
 */
export function guardLevels(worker: RuntimeOpts, fn: RuntimeOpts, customizer: CustomizerKind, sink: DiagnosticSink, workerAt: Location, fnAt: Location): void {
  eachLevelsRule('guard', worker, fn, customizer, sink, workerAt, fnAt);
}

/** Runs one of the registry's rules between the two levels for every option that has it. */
function eachLevelsRule(rule: 'levels' | 'guard', worker: RuntimeOpts, fn: RuntimeOpts, customizer: CustomizerKind, sink: DiagnosticSink, workerAt: Location, fnAt: Location): void {
  for (const key of OPTION_KEYS) {
    const run = entryOf(key)[rule];
    if (!run || (worker[key] === undefined && fn[key] === undefined)) continue;
    run(worker[key], fn[key], {
      customizer,
      sink,
      workerAt: (sub) => ({ ...workerAt, path: jsonPath('runtimeCustomizerConfig', [key, ...sub]) }),
      fnAt: (sub) => ({ ...fnAt, path: jsonPath('customRuntimeOptions', [key, ...sub]) }),
    });
  }
}

/** The options of one StatefulSet and its Services; undefined when an error stops it (in the sink). */
export function resolveWorkload(
  sts: Extract<Candidate, { kind: 'StatefulSet' }>,
  hasServices: boolean,
  settings: ResolveSettings,
  sink: DiagnosticSink,
): ResolvedOptions | undefined {
  const where = docLocation(sts, settings.source);
  const details = embeddedFunctionDetails(containerCommandParts(sts.plain));
  let functionOptions: RuntimeOpts = settings.functionOptions ?? {};
  if (!settings.functionOptions && details?.customRuntimeOptions) {
    functionOptions = readCustomRuntimeOptions(details.customRuntimeOptions, { source: settings.source, line: sts.chunk.line, document: where.document }, sink, settings.strict, { foreignClass: settings.foreignClass, extra: profileFields(settings.profile) });
  }
  const { identity, used } = resolveIdentity([
    ...(settings.identity ?? []),
    { from: 'function details', value: details },
    { from: 'labels', value: labelsIdentity(sts.plain) },
  ]);
  // The policy's defaults for this function's tenant: a level between the worker's and the function's.
  const found = settings.policy ? policyDefaults(settings.policy, identity) : undefined;
  const given = found && { options: found.beneath ? mergeRuntimeOpts(found.beneath, found.options) : found.options, scope: found.scope };
  const merged = mergeRuntimeOpts(given ? mergeRuntimeOpts(settings.worker, given.options) : settings.worker, functionOptions);
  const options = settings.admission ? admissionOptions(applicableOptions(merged, settings.customizer, sink, where, settings.customizerChosenBy), settings.admission, sink, where, given) : applicableOptions(merged, settings.customizer, sink, where, settings.customizerChosenBy);
  checkLevel(settings.worker, 'runtimeCustomizerConfig', sink);
  checkLevel(functionOptions, 'customRuntimeOptions', sink);
  // pmc applies these itself in admission; only a worker running the published class ignores them.
  // In admission pmc applies the options itself: nothing of a worker's customizer is at stake.
  if (!settings.admission) checkLevels(settings.worker, functionOptions, settings.customizer, sink, { source: settings.workerSource }, where);
  guardLevels(settings.worker, functionOptions, settings.customizer, sink, { source: settings.workerSource }, where);

  refuseReservedKeys(merged, functionOptions, identity, where, sink);
  refuseUnallowed(settings.worker, functionOptions, options, identity, where, sink);
  if (settings.policy) checkPolicyOptions(settings.policy, functionOptions, merged, identity, where, sink);
  if (settings.validate) checkOptions(options, functionOptions, where, sink, sts.plain);
  const resolved: ResolvedOptions = { options, functionOptions, identity, profiled: profiledOptions(settings.profile, settings.worker, functionOptions), ...(given ? { policyDefaults: given } : {}) };
  if (!options.jobName) return resolved;
  const nameOptionAt = { ...where, path: jsonPath(optionRoot(functionOptions)(['jobName']), ['jobName']) };
  const workloadName = resolveJobName(options.jobName, identity, used, hasServices && settings.validate, sink, nameOptionAt);
  return workloadName === undefined ? undefined : { ...resolved, workloadName, nameOptionAt };
}

/** A profile's options, the worker's then the function's by each option's merge rule. */
function profiledOptions(profile: CustomizerProfile | undefined, worker: RuntimeOpts, fn: RuntimeOpts): Record<string, unknown> | undefined {
  if (!profile) return undefined;
  const out: Record<string, unknown> = {};
  for (const [key, option] of Object.entries(profile.options)) {
    const value = mergeProfileOption(option, (worker as Record<string, unknown>)[key], (fn as Record<string, unknown>)[key]);
    if (value !== undefined) out[key] = value;
  }
  return out;
}

/** The options whose keys become label or annotation keys: those the registry writes to metadata.labels or .annotations. */
const METADATA_OPTIONS = OPTION_KEYS.filter((key) => entryOf(key).targets.some((t) => /metadata\.(labels|annotations)$/.test(t.path)));

/** The prefix of the annotations pmc webhook writes (what it applied, what it could not). */
export const PMC_KEY_PREFIX = 'pulsar-manifest-customizer/';

/**
 * A label or annotation under pmc's own prefix is refused, at either level and whichever
 * customizer would write it (in hybrid mode the worker's Basic customizer writes a function's
 * annotations before admission): a function that could write pmc webhook's stamp could
 * pass for customized. Never under --no-validate either: it is a boundary, not a check.
 */
function refuseReservedKeys(merged: RuntimeOpts, functionOptions: RuntimeOpts, identity: Partial<FunctionIdentity>, where: Location, sink: DiagnosticSink): void {
  const rootOf = optionRoot(functionOptions);
  const fn = identity.tenant && identity.namespace && identity.name ? `the function ${identity.tenant}/${identity.namespace}/${identity.name}` : 'the function';
  for (const key of METADATA_OPTIONS) {
    for (const k of Object.keys((merged[key] as Record<string, unknown> | undefined) ?? {})) {
      if (!k.startsWith(PMC_KEY_PREFIX)) continue;
      sink.error('PMC_RESERVED_KEY', `${fn} sets ${k}: the prefix ${PMC_KEY_PREFIX} is pmc's own (pmc webhook records there what it applied), so no option may write it; remove it`, {
        ...where,
        path: jsonPath(rootOf([key, k]), [key, k]),
      });
    }
  }
}

/**
 * A key that grants the pod an identity or reaches the node (the registry's `needsAllowance`),
 * set by a function's customRuntimeOptions, is refused unless the worker's
 * allowedFunctionOptions lists it: a Pulsar tenant who submits a function is not a
 * Kubernetes admin. Only where the customizer applies the key (pod-policy); the worker's own
 * options may set any. A function cannot allow itself. A boundary: never under --no-validate either.
 */
function refuseUnallowed(worker: RuntimeOpts, functionOptions: RuntimeOpts, applied: RuntimeOpts, identity: Partial<FunctionIdentity>, where: Location, sink: DiagnosticSink): void {
  const fn = identity.tenant && identity.namespace && identity.name ? `the function ${identity.tenant}/${identity.namespace}/${identity.name}` : 'the function';
  if (functionOptions.allowedFunctionOptions !== undefined) {
    sink.error('PMC_OPTION_NOT_ALLOWED', `${fn} sets allowedFunctionOptions, which only the worker's runtimeCustomizerConfig may set (a function cannot allow itself options)`, {
      ...where,
      path: jsonPath('customRuntimeOptions', ['allowedFunctionOptions']),
    });
  }
  const allowed = new Set<string>(worker.allowedFunctionOptions ?? []);
  for (const key of OPTION_KEYS) {
    const rule = entryOf(key).needsAllowance as string | ((fn: unknown) => string | undefined) | undefined;
    if (!rule || applied[key] === undefined || !isSet(functionOptions[key]) || allowed.has(key)) continue;
    const why = typeof rule === 'string' ? rule : rule(functionOptions[key]);
    if (!why) continue;
    sink.error('PMC_OPTION_NOT_ALLOWED', `${fn} sets ${key}, which a function may not set unless the worker allows it (${why}): add ${key} to allowedFunctionOptions in the worker's runtimeCustomizerConfig, or set it there for every function`, {
      ...where,
      path: jsonPath('customRuntimeOptions', [key]),
    });
  }
}

/**
 * Special case, the job name: Pulsar names the StatefulSet and its Service
 * toValidPodName(jobName) + "-" + a hash of jobName and the function's tenant, namespace
 * and name, and refuses a name over 53 characters or not a DNS subdomain; the API server
 * refuses a Service name that is not a DNS-1035 label.
 */
function resolveJobName(
  option: string,
  identity: Partial<FunctionIdentity>,
  used: Set<IdentitySource>,
  checkServiceName: boolean,
  sink: DiagnosticSink,
  where: Location,
): string | undefined {
  const workload = { ...where, path: undefined };
  if (!isComplete(identity)) {
    sink.error(
      'PMC_IDENTITY_UNKNOWN',
      "jobName is set, but the function's tenant, namespace and name are not known (they make the job name's hash): pass --tenant, --namespace and --name, or --function-config",
      workload,
    );
    return undefined;
  }
  if (used.has('labels')) {
    sink.warn(
      'PMC_IDENTITY_FROM_LABELS',
      `the function's identity was read from the tenant/namespace/name labels, which Pulsar lower-cases and shortens; the job name is right only if they are unchanged (pass --tenant, --namespace and --name to be sure)`,
      workload,
    );
  }
  const name = customJobName(option, identity);
  const pulsarProblem = jobNameProblem(name);
  if (pulsarProblem) {
    sink.error('PMC_JOB_NAME', `the job name "${name}" is refused by Pulsar: ${pulsarProblem}`, where);
    return undefined;
  }
  if (checkServiceName && !serviceNameAllowed(name, where, sink)) return undefined;
  return name;
}

/** The job name as the Service's name: the API server's rule, said at the option. */
export function serviceNameAllowed(name: string, where: Location, sink: DiagnosticSink): boolean {
  const problem = serviceNameProblem(name);
  if (problem) sink.error('PMC_JOB_NAME', `the job name "${name}" passes Pulsar's check, but the API server refuses it as the Service's name: ${problem}`, where);
  return problem === undefined;
}
