/**
 * Checks of the customized result, run before anything is printed: what the Kubernetes
 * API server or the kubelet would refuse, reported before anything is deployed.
 */
import { formatPath, pathFromPointer } from '../base/paths.js';
import type { DiagnosticSink, Location } from '../base/diagnostics.js';
import { type ResourceRequirements, type SecurityContextOpts, type StringMap, type Toleration } from './options.js';
import type { IStatefulSet } from '../base/k8s.js';
import type { CustomizerKind } from './customizers.js';
import type { OptionPath } from '../base/edit.js';
import { checkPodTemplate, quantityValue } from '../checks/pod-rules.js';
import { expandPreset, workingDirOf, writablePaths } from './presets.js';
import { PULSAR_RESOURCES } from './writers.js';
import { asArray, isObject, type Obj } from '../base/values.js';
import { containerCommandLine } from '../base/workloads.js';

/** Validates a whole object against the Kubernetes OpenAPI schema of its kind. */

/** What an option's check is given: where each part of the value was set, the sink, the StatefulSet. */
export interface CheckContext {
  /** Where a part of this option was given: the JSON path in the options that set it. */
  at: (sub: (string | number)[]) => Location;
  sink: DiagnosticSink;
  /** The StatefulSet the options are for, as it was before customizing. */
  workload?: IStatefulSet;
}

export interface LevelsContext {
  customizer: CustomizerKind;
  sink: DiagnosticSink;
  /** A part of the option in the worker's runtimeCustomizerConfig, and in the function's customRuntimeOptions. */
  workerAt: (sub: (string | number)[]) => Location;
  fnAt: (sub: (string | number)[]) => Location;
}

export type SchemaValidator = (kind: 'StatefulSet' | 'Service', object: unknown) => SchemaProblem[];

export interface SchemaProblem {
  /** JSON pointer into the object, e.g. /spec/template/spec/tolerations/0/effect */
  pointer: string;
  message: string;
}

// Kubernetes' apimachinery validation rules.
const DNS1123_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
const DNS1123_SUBDOMAIN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;
const DNS1035_LABEL = /^[a-z]([-a-z0-9]*[a-z0-9])?$/;
const QUALIFIED_NAME = /^([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]$/;
const LABEL_VALUE = /^(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?$/;
const MAX_ANNOTATIONS_BYTES = 256 * 1024;

/** Why `key` is not a valid label or annotation key, or undefined. */
export function qualifiedNameProblem(key: string): string | undefined {
  const slash = key.lastIndexOf('/');
  const prefix = slash === -1 ? undefined : key.slice(0, slash);
  const name = slash === -1 ? key : key.slice(slash + 1);
  if (prefix !== undefined && (prefix.length === 0 || prefix.length > 253 || !DNS1123_SUBDOMAIN.test(prefix))) {
    return 'its prefix must be a DNS subdomain: lower case letters, digits, "-" and ".", at most 253 characters';
  }
  if (name.length === 0 || name.length > 63) return 'its name part must be 1 to 63 characters';
  if (!QUALIFIED_NAME.test(name)) {
    return 'its name part must consist of letters, digits, "-", "_" or ".", and start and end with a letter or digit';
  }
  return undefined;
}

export function labelValueProblem(value: string): string | undefined {
  if (value.length > 63) return 'a label value must be at most 63 characters';
  if (!LABEL_VALUE.test(value)) {
    return 'a label value must be empty or consist of letters, digits, "-", "_" or ".", and start and end with a letter or digit';
  }
  return undefined;
}

export function namespaceProblem(ns: string): string | undefined {
  if (ns.length > 63 || !DNS1123_LABEL.test(ns)) {
    return 'a namespace must be a DNS label: lower case letters, digits and "-", starting and ending with a letter or digit, at most 63 characters';
  }
  return undefined;
}

export function serviceNameProblem(name: string): string | undefined {
  if (name.length > 63 || !DNS1035_LABEL.test(name)) {
    return 'a Service name must be a DNS-1035 label: lower case letters, digits and "-", starting with a letter, at most 63 characters';
  }
  return undefined;
}

// --- the options' checks, one per rule; the registry says which option runs which ---

/** Label keys and values (the extra labels, the node selector), each problem at the entry's path. */
export function checkLabels(value: StringMap, { at, sink }: CheckContext): void {
  for (const [k, v] of Object.entries(value)) {
    const keyProblem = qualifiedNameProblem(k);
    if (keyProblem) sink.error('PMC_LABEL_KEY', `"${k}" is not a valid label key: ${keyProblem}`, at([k]));
    const valueProblem = labelValueProblem(v);
    if (valueProblem) sink.error('PMC_LABEL_VALUE', `${JSON.stringify(v)}: ${valueProblem}`, at([k]));
  }
}

/** Annotation keys, and their total size (Kubernetes' 256 KiB). */
export function checkAnnotations(value: StringMap, { at, sink }: CheckContext): void {
  let annotationBytes = 0;
  for (const [k, v] of Object.entries(value)) {
    const keyProblem = qualifiedNameProblem(k);
    if (keyProblem) sink.error('PMC_ANNOTATION_KEY', `"${k}" is not a valid annotation key: ${keyProblem}`, at([k]));
    annotationBytes += k.length + v.length;
  }
  if (annotationBytes > MAX_ANNOTATIONS_BYTES) {
    sink.error('PMC_ANNOTATION_SIZE', `the annotations add up to ${annotationBytes} bytes; Kubernetes allows 262144 in all`, at([]));
  }
}

export function checkNamespace(value: string, { at, sink }: CheckContext): void {
  const problem = value ? namespaceProblem(value) : undefined;
  if (problem) sink.error('PMC_NAMESPACE', `"${value}" is refused: ${problem}`, at([]));
}

/** ValidateTolerations, in the API server's words. */
export function checkTolerations(value: Toleration[], { at, sink }: CheckContext): void {
  value.forEach((t, i) => {
    const keyProblem = t.key ? qualifiedNameProblem(t.key) : undefined;
    if (keyProblem) sink.error('PMC_TOLERATION', `"${t.key}" is not a valid toleration key: ${keyProblem}`, at([i, 'key']));
    if (!t.key && t.operator !== 'Exists') sink.error('PMC_TOLERATION', 'operator must be Exists when `key` is empty, which means "match all values and all keys"', at([i, 'operator']));
    if (t.tolerationSeconds !== undefined && t.effect !== 'NoExecute') sink.error('PMC_TOLERATION', "effect must be 'NoExecute' when `tolerationSeconds` is set", at([i, 'effect']));
    if (t.operator === 'Exists' && t.value) sink.error('PMC_TOLERATION', "value must be empty when `operator` is 'Exists'", at([i, 'value']));
    const valueProblem = t.operator !== 'Exists' && t.value ? labelValueProblem(t.value) : undefined;
    if (valueProblem) sink.error('PMC_TOLERATION', `${JSON.stringify(t.value)}: ${valueProblem}`, at([i, 'value']));
  });
}

/** Capabilities written `CAP_X`: Kubernetes names them without the prefix. */
export function checkCapabilityNames(sc: SecurityContextOpts, { at, sink }: CheckContext): void {
  for (const field of ['addCapabilities', 'dropCapabilities'] as const) {
    (sc[field] ?? []).forEach((cap, i) => {
      if (/^CAP_/i.test(cap)) {
        sink.warn(
          'PMC_CAPABILITY_NAME',
          `"${cap}": Kubernetes names capabilities without the CAP_ prefix ("${cap.replace(/^CAP_/i, '')}"); as written, the container runtime may not recognize it`,
          at([field, i]),
        );
      }
    });
  }
}

/**
 * readOnlyRootFilesystem without a preset: the instance still writes its logs, its downloaded
 * code, extracted NARs and /tmp (read off the command Pulsar generated), and each write fails
 * unless a volume is mounted there. The presets mount an emptyDir at each.
 */
export function checkReadOnlyRoot(sc: SecurityContextOpts, { at, sink, workload }: CheckContext): void {
  if (sc.imageWorkingDir !== undefined && !sc.imageWorkingDir.startsWith('/')) {
    sink.error('PMC_OPTIONS_VALUE', `imageWorkingDir must be an absolute path (the image's WORKDIR), got ${JSON.stringify(sc.imageWorkingDir)}`, at(['imageWorkingDir']));
  }
  if (sc.readOnlyRootFilesystem !== true || sc.preset) return;
  for (const c of asArray(workload?.spec?.template?.spec?.containers)) {
    if (!isObject(c)) continue;
    const command = containerCommandLine(c);
    const mounted = asArray(c.volumeMounts).map((m: { mountPath?: string }) => m?.mountPath).filter((p): p is string => typeof p === 'string');
    const within = (p: string, dir: string) => p === dir || p.startsWith(dir === '/' ? '/' : `${dir}/`);
    const needed = writablePaths(command, workingDirOf(c, sc.imageWorkingDir)).filter((w) => !mounted.some((m) => within(w.path, m)));
    // /tmp/pulsar-nar is named by /tmp.
    const unwritable = needed.filter((w) => !needed.some((o) => o.path !== w.path && within(w.path, o.path)));
    if (unwritable.length === 0) continue;
    sink.warn(
      'PMC_READ_ONLY_ROOT',
      `readOnlyRootFilesystem: true, but container "${c.name}" writes to ${unwritable.map((w) => w.path).join(', ')}, where nothing writable is mounted, so the function fails; add "preset": "restricted" (it mounts an emptyDir at each), or mount volumes there`,
      at(['readOnlyRootFilesystem']),
    );
  }
}

/**
 * Special case, selector protection: an extra label may overwrite one the StatefulSet
 * selects its pods by (Pulsar's `component`, say). Pulsar applies it anyway; the API server
 * then refuses the StatefulSet, and the Service would select no pod.
 */
export function checkSelectorKept(value: StringMap, { at, sink, workload }: CheckContext): void {
  const selected = workload?.spec?.selector?.matchLabels;
  if (!isObject(selected)) return;
  for (const [k, v] of Object.entries(value)) {
    if (Object.hasOwn(selected, k) && selected[k] !== v) {
      sink.error(
        'PMC_SELECTOR_MISMATCH',
        `${JSON.stringify(v)} would replace the pod label ${k}: ${JSON.stringify(selected[k])}, which the StatefulSet's selector and its Service select pods by; the API server refuses a StatefulSet whose selector does not match its template (use another label key)`,
        at([k]),
      );
    }
  }
}

/** A resource other than cpu and memory, in either level of options: Pulsar never applies it. */
export function warnIgnoredResources(value: ResourceRequirements, { at, sink }: CheckContext): void {
  for (const kind of ['limits', 'requests'] as const) {
    for (const r of Object.keys(value[kind] ?? {})) {
      if ((PULSAR_RESOURCES as readonly string[]).includes(r)) continue;
      sink.warn('PMC_RESOURCE_IGNORED', `"${r}" never reaches a container: Pulsar applies only cpu and memory`, at([kind, r]));
    }
  }
}

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

/** The customized objects as the API server and the kubelet would judge them. */
export function checkWorkload(
  kind: 'StatefulSet' | 'Service',
  object: Obj,
  where: Location,
  sink: DiagnosticSink,
  /** lint: Pulsar's traps (PMC_JVM_MEMORY) too; not in admission, where a warning reaches every function's create. */
  opts: { schema?: SchemaValidator; nameSet?: boolean; lint?: boolean } = {},
): void {
  const at = (path: string): Location => ({ ...where, path });
  const schema = opts.schema;
  if (schema) {
    for (const p of collapse(schema(kind, object))) {
      sink.error('PMC_SCHEMA', `${p.message} (Kubernetes ${kind} schema)`, at(pointerToPath(p.pointer)));
    }
  }
  const name = object.metadata?.name;
  if (kind === 'Service' && typeof name === 'string') {
    const problem = serviceNameProblem(name);
    // A name the input already had is not pmc's doing: say so, but let it through.
    if (problem && opts.nameSet) sink.error('PMC_NAME', `"${name}" is refused by the API server: ${problem}`, at('metadata.name'));
    else if (problem) sink.warn('PMC_NAME', `"${name}" will be refused by the API server: ${problem} (Pulsar named it so; the job name option can give it another)`, at('metadata.name'));
  }
  if (kind !== 'StatefulSet') return;

  const template = object.spec?.template;
  const selector = object.spec?.selector?.matchLabels;
  const labels = template?.metadata?.labels;
  if (isObject(selector)) {
    for (const [k, v] of Object.entries(selector)) {
      if (!isObject(labels) || labels[k] !== v) {
        sink.error(
          'PMC_SELECTOR_MISMATCH',
          `spec.selector.matchLabels.${k} is ${JSON.stringify(v)} but the pod template's label is ${JSON.stringify(isObject(labels) ? labels[k] : undefined)}: the API server refuses a StatefulSet whose selector does not match its template (did an extra label overwrite one of Pulsar's?)`,
          at(`spec.template.metadata.labels.${k}`),
        );
      }
    }
  }
  const pod = template?.spec;
  if (!isObject(pod)) return;
  checkPodTemplate(template, at, sink);
  if (opts.lint !== false) lintInstances(object, where, sink);
  const podSc = isObject(pod.securityContext) ? pod.securityContext : {};
  const containers = asArray(pod.containers);
  containers.forEach((c: unknown, i: number) => {
    if (!isObject(c)) return;
    const sc = isObject(c.securityContext) ? c.securityContext : {};
    const path = `spec.template.spec.containers[${i}].securityContext`;
    if (sc.privileged === true && sc.allowPrivilegeEscalation === false) {
      sink.error(
        'PMC_SECURITY_CONTEXT',
        `container "${c.name}": privileged: true with allowPrivilegeEscalation: false is refused by the API server (cannot set allowPrivilegeEscalation to false and privileged to true)`,
        at(path),
      );
    }
    const runAsNonRoot = sc.runAsNonRoot ?? podSc.runAsNonRoot;
    const runAsUser = sc.runAsUser ?? podSc.runAsUser;
    if (runAsNonRoot === true && runAsUser === 0) {
      sink.error(
        'PMC_SECURITY_CONTEXT',
        `container "${c.name}": runAsNonRoot: true with runAsUser: 0; the kubelet refuses to start it (container's runAsUser breaks non-root policy)`,
        at(sc.runAsUser === 0 ? `${path}.runAsUser` : 'spec.template.spec.securityContext.runAsUser'),
      );
    }
  });
}

/**
 * A Java instance's memory limit at or below its heap: Pulsar gives the JVM `-Xmx` of the
 * function's ram and the container a limit of ram plus percentMemoryPadding (0 unless set),
 * and the JVM needs memory beyond its heap (metaspace, threads, direct buffers), so the
 * kernel kills the instance as its heap fills (apache/pulsar#3616).
 * https://github.com/apache/pulsar/blob/master/pulsar-functions/runtime/src/main/java/org/apache/pulsar/functions/runtime/kubernetes/KubernetesRuntime.java
 */
export function lintInstances(object: Obj, where: Location, sink: DiagnosticSink): void {
  asArray(object.spec?.template?.spec?.containers).forEach((c: unknown, i: number) => {
    if (isObject(c)) warnHeapAtLimit(c, `spec.template.spec.containers[${i}].resources.limits.memory`, (path) => ({ ...where, path }), sink);
  });
}

function warnHeapAtLimit(c: Obj, path: string, at: (path: string) => Location, sink: DiagnosticSink): void {
  const command = containerCommandLine(c);
  const xmx = /(?:^|\s)-Xmx(\d+)([kKmMgG]?)(?=\s|$)/.exec(command);
  if (!xmx || !/JavaInstanceMain/.test(command)) return;
  const heap = Number(xmx[1]) * ({ '': 1, k: 1024, m: 1024 ** 2, g: 1024 ** 3 } as Record<string, number>)[xmx[2]!.toLowerCase()]!;
  const limit = quantityValue(c.resources?.limits?.memory);
  if (limit === undefined || limit > heap) return;
  sink.warn(
    'PMC_JVM_MEMORY',
    `container "${c.name}": its memory limit (${limit} bytes) is at or below the JVM heap (-Xmx${xmx[1]}${xmx[2]}), and the JVM needs memory beyond its heap, so the kernel kills the instance as the heap fills: set percentMemoryPadding (e.g. 25) in the worker's functionRuntimeFactoryConfigs, or a memory limit above the function's ram in resourceRequirements`,
    at(path),
  );
}

/** Keeps the most telling message per place: ajv reports each branch of a oneOf. */
function collapse(problems: SchemaProblem[]): SchemaProblem[] {
  const byPointer = new Map<string, SchemaProblem[]>();
  for (const p of problems) byPointer.set(p.pointer, [...(byPointer.get(p.pointer) ?? []), p]);
  return [...byPointer.values()].map((ps) => {
    const format = ps.find((p) => /format/.test(p.message));
    return format ?? ps.find((p) => !/oneOf|anyOf/.test(p.message)) ?? ps[0];
  });
}

/** /spec/template/spec/tolerations/3/effect -> spec.template.spec.tolerations[3].effect */
export function pointerToPath(pointer: string): string {
  return formatPath(pathFromPointer(pointer));
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
