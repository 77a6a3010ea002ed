/**
 * The rules between the worker's options and the function's: what a real worker does
 * differently with the two levels (the seed class's worker-level blind spot, a shared
 * resource override, a toleration on both), said as warnings, and the security-context floor
 * the worker enforces, refused in every mode.
 */
import { PULSAR_RESOURCES } from './writers.js';
import type { Obj } from '../base/values.js';
import { type ResourceRequirements, type SecurityContextOpts, type Toleration } from './options.js';
import type { CustomizerKind } from './customizers.js';
import type { OptionPath } from '../base/edit.js';
import { expandPreset } from './presets.js';
import type { LevelsContext } from './contexts.js';

/**
 * The fields of the seed's SecurityContextOpts, as its published
 * SecurityContextKubernetesManifestCustomizer declares them. Gson skips every other field of
 * pmc's security context option (preset, seccompProfile, supplementalGroups, fsGroupChangePolicy), and
 * the class reads only the function's customRuntimeOptions: its initialize is
 * BasicKubernetesManifestCustomizer's, which keeps nothing of the worker's securityContext.
 * Both checked against that class compiled on Pulsar's jars (test/pulsar-oracle.test.ts).
 */
export const SEED_SECURITY_CONTEXT_FIELDS: readonly string[] = [
  'runAsUser', 'runAsGroup', 'fsGroup', 'runAsNonRoot', 'privileged', 'allowPrivilegeEscalation', 'readOnlyRootFilesystem',
  'addCapabilities', 'dropCapabilities', 'seLinuxLevel', 'seLinuxRole', 'seLinuxType', 'seLinuxUser',
];
const SEED_CLASS = "the seed's SecurityContextKubernetesManifestCustomizer as published";

/**
 * What the seed's published class ignores of the security context option pmc applies: the worker-level
 * fields a function does not set itself, and the fields its SecurityContextOpts lacks. pmc keeps
 * the seed's two-level design; whoever previews with pmc must know what that jar does.
 */
export function warnSeedClassIgnores(worker: SecurityContextOpts | undefined, fn: SecurityContextOpts | undefined, ctx: LevelsContext): void {
  if (ctx.customizer !== 'security-context') return;
  const workerSc = (worker ?? {}) as Obj;
  const fnSc = (fn ?? {}) as Obj;
  const list = (fields: string[]) => fields.join(', ');
  const defaults = Object.keys(workerSc).filter((f) => SEED_SECURITY_CONTEXT_FIELDS.includes(f) && !Object.hasOwn(fnSc, f));
  if (defaults.length) {
    ctx.sink.warn(
      'PMC_SEED_CLASS_IGNORES',
      `${SEED_CLASS} reads only each function's customRuntimeOptions, so a worker running it ignores the worker defaults ${list(defaults)} (pmc applies them, as the seed's two-level design describes): set them in each function's options, or let pmc webhook apply them in admission`,
      ctx.workerAt([]),
    );
  }
  for (const [sc, at] of [[workerSc, ctx.workerAt], [fnSc, ctx.fnAt]] as const) {
    const beyond = Object.keys(sc).filter((f) => !SEED_SECURITY_CONTEXT_FIELDS.includes(f));
    if (!beyond.length) continue;
    const them = beyond.length > 1 ? 'them' : 'it';
    ctx.sink.warn(
      'PMC_SEED_CLASS_IGNORES',
      `${SEED_CLASS} does not declare ${list(beyond)} (its SecurityContextOpts has ${list([...SEED_SECURITY_CONTEXT_FIELDS])}), so Gson skips ${them} and the pods get none of it: let pmc webhook apply ${them} in admission, or run a customizer that declares ${them}`,
      at([]),
    );
  }
}

/** explain: the seed's published class would not apply this part (a worker default, or a field it lacks). */
export function seedClassIgnores(path: OptionPath, fn: SecurityContextOpts | undefined, customizer: CustomizerKind): string | undefined {
  if (customizer !== 'security-context') return undefined;
  const field = String(path[1] ?? '');
  const ignored = !SEED_SECURITY_CONTEXT_FIELDS.includes(field) || !Object.hasOwn((fn ?? {}) as Obj, field);
  return ignored ? "the seed's SecurityContext class as published" : undefined;
}

/**
 * Pulsar's shared resources: RuntimeOpts.partialDeepClone() copies maps and lists but shares
 * the worker's V1ResourceRequirements, and mergeRuntimeOpts writes the function's limits and
 * requests into it, so a real worker keeps one function's override for every function it
 * customizes after it, until it restarts. pmc gives each function its own merge (what it asked
 * for, nothing from another) and says what the worker does instead.
 * https://github.com/apache/pulsar/blob/master/pulsar-functions/runtime/src/main/java/org/apache/pulsar/functions/runtime/kubernetes/BasicKubernetesManifestCustomizer.java
 */
export function warnSharedResources(worker: ResourceRequirements | undefined, fn: ResourceRequirements | undefined, ctx: LevelsContext): void {
  if (!worker || !fn || ctx.customizer === 'none') return;
  for (const level of ['limits', 'requests'] as const) {
    for (const [resource, value] of Object.entries(fn[level] ?? {})) {
      if (!(PULSAR_RESOURCES as readonly string[]).includes(resource)) continue;
      ctx.sink.warn(
        'PMC_SHARED_RESOURCES',
        `overrides the worker's resourceRequirements: a real worker writes this override into the resourceRequirements it shares between functions, so every function it customizes after this one (until it restarts) gets ${resource} ${JSON.stringify(value)} too; set resources in each function's options and none in the worker file, or none here`,
        ctx.fnAt([level, resource]),
      );
    }
  }
}

/**
 * The capabilities each Pod Security level lets a container add: restricted only
 * NET_BIND_SERVICE, baseline the container runtime's defaults.
 * https://kubernetes.io/docs/concepts/security/pod-security-standards/
 */
const PSS_ADDABLE: Record<'restricted' | 'baseline', readonly string[]> = {
  restricted: ['NET_BIND_SERVICE'],
  baseline: ['AUDIT_WRITE', 'CHOWN', 'DAC_OVERRIDE', 'FOWNER', 'FSETID', 'KILL', 'MKNOD', 'NET_BIND_SERVICE', 'SETFCAP', 'SETGID', 'SETPCAP', 'SETUID', 'SYS_CHROOT'],
};

/** The SELinux types Pod Security's baseline allows (and so a floor lets a function pick). */
const BASELINE_SELINUX_TYPES = ['container_t', 'container_init_t', 'container_kvm_t'];

/**
 * The worker's `securityContext.enforce: true` makes its security context (with its preset) a
 * floor: a function's options may tighten it, never loosen it. Without it, a function's
 * `privileged: true` or `runAsUser: 0` overrides the worker's restricted preset field by field,
 * and the result reads as enforcement while it is not. `enforce` is the worker's alone.
 */
export function refuseLoosening(worker: SecurityContextOpts | undefined, fn: SecurityContextOpts | undefined, { sink, fnAt }: LevelsContext): void {
  if (fn?.enforce !== undefined) {
    sink.error('PMC_SECURITY_FLOOR', "enforce is the worker's setting (runtimeCustomizerConfig.securityContext.enforce): a function's options cannot set or lift the floor", fnAt(['enforce']));
  }
  if (!worker?.enforce || !fn) return;
  const floor = expandPreset(worker)!;
  const own = expandPreset(fn)!;
  const refuse = (field: string, what: string) =>
    sink.error('PMC_SECURITY_FLOOR', `${what} loosens the worker's security context, which it enforces (runtimeCustomizerConfig.securityContext.enforce): a function may tighten it, not loosen it`, fnAt([field]));
  if (floor.runAsNonRoot === true && own.runAsNonRoot === false) refuse('runAsNonRoot', 'runAsNonRoot false');
  if ((floor.runAsNonRoot === true || (floor.runAsUser !== undefined && floor.runAsUser !== 0)) && own.runAsUser === 0) refuse('runAsUser', 'runAsUser 0 (root)');
  if (floor.privileged !== true && own.privileged === true) refuse('privileged', 'privileged true');
  if (floor.allowPrivilegeEscalation === false && own.allowPrivilegeEscalation === true) refuse('allowPrivilegeEscalation', 'allowPrivilegeEscalation true');
  if (floor.readOnlyRootFilesystem === true && own.readOnlyRootFilesystem === false) refuse('readOnlyRootFilesystem', 'readOnlyRootFilesystem false');
  // What the preset's Pod Security level itself lets a container add stays open to the function.
  const allowed = [...(floor.addCapabilities ?? []), ...(worker.preset ? PSS_ADDABLE[worker.preset] : [])];
  const added = (own.addCapabilities ?? []).filter((c) => !allowed.includes(c));
  if (added.length) refuse('addCapabilities', `adding ${added.join(', ')} (the worker allows ${allowed.length ? allowed.join(', ') : 'none'})`);
  const kept = own.dropCapabilities && (floor.dropCapabilities ?? []).filter((c) => !own.dropCapabilities!.includes(c) && !own.dropCapabilities!.includes('ALL'));
  if (kept?.length) refuse('dropCapabilities', `dropping ${own.dropCapabilities!.length ? own.dropCapabilities!.join(', ') : 'nothing'} where the worker drops ${kept.join(', ')}`);
  if (floor.seccompProfile && floor.seccompProfile.type !== 'Unconfined' && own.seccompProfile?.type === 'Unconfined') refuse('seccompProfile', 'seccompProfile Unconfined');
  if (own.seLinuxType !== undefined && own.seLinuxType !== floor.seLinuxType && !BASELINE_SELINUX_TYPES.includes(own.seLinuxType)) refuse('seLinuxType', `seLinuxType ${own.seLinuxType}`);
  for (const field of ['seLinuxUser', 'seLinuxRole'] as const) {
    if (own[field] !== undefined && own[field] !== floor[field]) refuse(field, `${field} ${own[field]}`);
  }
}

/**
 * The same toleration in the worker's options and the function's: Pulsar's merge appends the
 * function's list to the worker's without de-duplication, so every pod carries it twice.
 */
export function warnTolerationsOnBothLevels(worker: Toleration[] | undefined, fn: Toleration[] | undefined, { sink, fnAt }: LevelsContext): void {
  if (!worker?.length || !fn?.length) return;
  const key = (t: Toleration) => JSON.stringify([t.key ?? '', t.operator ?? '', t.value ?? '', t.effect ?? '', t.tolerationSeconds ?? null]);
  const theWorkers = new Set(worker.map(key));
  fn.forEach((t, i) => {
    if (!theWorkers.has(key(t))) return;
    sink.warn('PMC_TOLERATION_REPEATED', "this toleration is also in the worker's runtimeCustomizerConfig.tolerations, and Pulsar appends the function's to the worker's without removing repeats, so every pod carries it twice: drop it from the function's options", fnAt([i]));
  });
}
