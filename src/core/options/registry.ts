/**
 * One home for each option: every field of Pulsar's RuntimeOpts (and the SecurityContext
 * extension's `securityContext`) declared once, with how it is read, how the worker's and
 * the function's values merge, which of Pulsar's customizer classes read it, where it
 * writes (kinds and paths, as kustomize's FieldSpecs say where a transformer writes), and
 * which of Kubernetes' rules its value must pass. The option type is derived from this
 * table, so a field without an entry does not exist, and an entry without a merge rule,
 * a writer or a target does not compile.
 *
 * Adding an option: an entry here (a generic writer, or a named special case in
 * writers.ts), its tests, and a line in the README. See ARCHITECTURE.md.
 * https://github.com/apache/pulsar/blob/master/pulsar-functions/runtime/src/main/java/org/apache/pulsar/functions/runtime/kubernetes/BasicKubernetesManifestCustomizer.java
 */
import { asArray } from '../base/values.js';
import type { OptionPath } from '../base/edit.js';
import { appendLists, firstNonEmpty, firstSet, mergeCpuMemory, mergeSecurityContext, unionByName, unionMaps } from './merge.js';
import type { ResourceRequirements, SecurityContextOpts, Spec, StringMap, Toleration } from './options.js';
import type { Probe } from './probes.js';
import type { CustomizerKind } from './customizers.js';
import type { CheckContext, LevelsContext } from './contexts.js';
import { checkAddedByName, checkAnnotations, checkCapabilityNames, checkIsObject, checkObjectName, checkProbe, checkReadOnlyRoot, checkLabels, checkNamespace, checkSecretRefs, checkSelectorKept, checkTolerations, checkVolumeMounts, volumesNeedingAllowance, warnIgnoredResources } from './value-rules.js';
import { refuseLoosening, seedClassIgnores, warnSeedClassIgnores, warnSharedResources, warnTolerationsOnBothLevels } from './levels.js';
import {
  addWritableDirectories,
  appendItems,
  setContainerSecurityContext,
  setCpuMemory,
  setEntries,
  setJobName,
  setPodSecurityContext,
  setProbe,
  setScalar,
  setValue,
  type Writer,
} from './writers.js';

/** The customizers that apply options: Pulsar's BasicKubernetesManifestCustomizer, and it with the SecurityContext extension. */
export type ApplyingCustomizer = 'basic' | 'security-context' | 'pod-policy';
export type WorkloadKind = 'StatefulSet' | 'Service';

/** Where an option writes: a kind, and a path in it where `[]` stands for each item of a list. */
export interface Target<T> {
  kind: WorkloadKind;
  path: string;
  /** How it writes there, when not as the entry's `write` says. */
  write?: Writer<T>;
}


/** Who set a part of the merged value: the worker, the function, or both (the function winning). */
export interface Provenance {
  worker?: string;
  function?: string;
}

export interface OptionEntry<T> {
  about: string;
  /** How a value is read from runtimeCustomizerConfig or customRuntimeOptions. */
  spec: Spec;
  /** Pulsar's mergeRuntimeOpts for this field: the worker's value, then the function's. */
  merge: (worker: T | undefined, fn: T | undefined) => T | undefined;
  /** The customizers that read it. */
  customizers: readonly [ApplyingCustomizer, ...ApplyingCustomizer[]];
  /** Where it writes, at least one place. */
  targets: readonly Target<T>[];
  write: Writer<T>;
  /** Kubernetes' rules for the merged value. */
  check?: (value: T, ctx: CheckContext) => void;
  /** What one level (the worker's or the function's options) gives that Pulsar would not apply. */
  checkLevel?: (value: T, ctx: CheckContext) => void;
  /** What the worker's level forbids the function's (a floor it may not loosen): errors, in every mode. */
  guard?: (worker: T | undefined, fn: T | undefined, ctx: LevelsContext) => void;
  /** What a real worker does with the two levels that pmc, on purpose, does not: a warning. */
  levels?: (worker: T | undefined, fn: T | undefined, ctx: LevelsContext) => void;
  /** explain: the worker's customizer as published would not apply the part at `path` (pmc does). */
  ignoredAsPublished?: (path: OptionPath, fn: T | undefined, customizer: CustomizerKind) => string | undefined;
  /** Who set the part at `path` (the option's own key first); by default, whoever's options hold that path. */
  provenance?: (path: OptionPath, worker: T | undefined, fn: T | undefined) => Provenance;
  /** The warning when the customizer does not read this option; `chosenBy` names the flag that chose it, if one did. */
  unread?: { code: 'PMC_SECURITY_CONTEXT_IGNORED' | 'PMC_POD_POLICY_IGNORED'; message: (chosenBy?: string) => string };
  /** Why admission (pmc webhook) cannot apply it, when it cannot. */
  notInAdmission?: string;
  /**
   * Why a function may not set it unless the worker allows it (it grants the pod an identity
   * or reaches the node): a Pulsar tenant is not a Kubernetes admin. The worker's
   * `allowedFunctionOptions` lists the keys it allows.
   */
  needsAllowance?: string | ((fn: T) => string | undefined);
  /** A setting that writes nothing itself (it has no targets): `allowedFunctionOptions`. */
  setting?: true;
  /**
   * What its field of the StatefulSet holds when no option sets it, when Pulsar always fills
   * it (KubernetesRuntime.createStatefulSet): a rule judged on the object cannot tell that
   * value from a function's.
   */
  pulsarFills?: string;
}

const option = <T>(entry: OptionEntry<T>): OptionEntry<T> => entry;

const str: Spec = { t: 'string' };
const uint: Spec = { t: 'int', min: 0 };
const bool: Spec = { t: 'bool' };
const stringMap: Spec = { t: 'map', of: str };
const stringList: Spec = { t: 'list', of: str };
const basicAndExtension = ['basic', 'security-context', 'pod-policy'] as const;
const podPolicy = ['pod-policy'] as const;
const POD_SPEC = 'spec.template.spec';

/** The warning when a pod-policy option reaches a customizer that does not read it. */
function POD_POLICY_UNREAD(key: string): NonNullable<OptionEntry<unknown>['unread']> {
  return {
    code: 'PMC_POD_POLICY_IGNORED',
    message: (chosenBy) =>
      `${key} is ignored: ${chosenBy ? `${chosenBy} applies a customizer` : "the worker's customizer"} that does not read it, and Pulsar drops it without a word; pmc's pod-policy customizer applies it (pmc webhook --customizer pod-policy; --customizer pod-policy to preview)`,
  };
}

/** The metadata Pulsar's customizer adds labels and annotations to: the StatefulSet's, its pods', its Service's. */
function everyMetadata<T>(field: 'labels' | 'annotations'): [Target<T>, ...Target<T>[]] {
  return [
    { kind: 'StatefulSet', path: `metadata.${field}` },
    { kind: 'StatefulSet', path: `spec.template.metadata.${field}` },
    { kind: 'Service', path: `metadata.${field}` },
  ];
}

export const SECURITY_CONTEXT_SPEC: Spec = {
  t: 'object',
  fields: {
    preset: { t: 'enum', values: ['restricted', 'baseline'] },
    enforce: bool,
    imageWorkingDir: str,
    runAsUser: uint,
    runAsGroup: uint,
    fsGroup: uint,
    runAsNonRoot: bool,
    seccompProfile: {
      t: 'object',
      fields: { type: { t: 'enum', values: ['RuntimeDefault', 'Localhost', 'Unconfined'] }, localhostProfile: str },
    },
    supplementalGroups: { t: 'list', of: uint },
    fsGroupChangePolicy: { t: 'enum', values: ['OnRootMismatch', 'Always'] },
    privileged: bool,
    allowPrivilegeEscalation: bool,
    readOnlyRootFilesystem: bool,
    addCapabilities: stringList,
    dropCapabilities: stringList,
    seLinuxLevel: str,
    seLinuxRole: str,
    seLinuxType: str,
    seLinuxUser: str,
  },
};

/** In Pulsar's order of RuntimeOpts' fields, which is also the order checks report in. */
export const OPTIONS = {
  jobNamespace: option<string>({
    about: 'the Kubernetes namespace of the StatefulSet and its Service',
    spec: str,
    merge: firstNonEmpty,
    customizers: basicAndExtension,
    targets: [
      { kind: 'StatefulSet', path: 'metadata.namespace' },
      { kind: 'Service', path: 'metadata.namespace' },
    ],
    write: setValue,
    check: checkNamespace,
    notInAdmission: 'the API server refuses to change an object\'s namespace in admission',
    pulsarFills: "the worker's jobNamespace",
  }),
  jobName: option<string>({
    about: 'the name of the StatefulSet, its serviceName and its Service (Pulsar adds a hash)',
    spec: str,
    merge: firstNonEmpty,
    customizers: basicAndExtension,
    targets: [
      { kind: 'StatefulSet', path: 'metadata.name' },
      { kind: 'StatefulSet', path: 'spec.serviceName' },
      { kind: 'Service', path: 'metadata.name' },
    ],
    write: setJobName,
    // The worker finds the pods by the StatefulSet's name (<jobName>-<i>.<jobName>.<namespace>).
    notInAdmission: "renaming in admission would leave the worker looking for pods under Pulsar's name",
  }),
  extraLabels: option<StringMap>({
    about: 'labels on the StatefulSet, its pods and its Service',
    spec: stringMap,
    merge: unionMaps,
    customizers: basicAndExtension,
    targets: everyMetadata('labels'),
    write: setEntries,
    check: (value, ctx) => {
      checkLabels(value, ctx);
      checkSelectorKept(value, ctx);
    },
  }),
  extraAnnotations: option<StringMap>({
    about: 'annotations on the StatefulSet, its pods and its Service',
    spec: stringMap,
    merge: unionMaps,
    customizers: basicAndExtension,
    targets: everyMetadata('annotations'),
    write: setEntries,
    check: checkAnnotations,
  }),
  nodeSelectorLabels: option<StringMap>({
    about: "the pods' node selector",
    spec: stringMap,
    merge: unionMaps,
    customizers: basicAndExtension,
    targets: [{ kind: 'StatefulSet', path: `${POD_SPEC}.nodeSelector` }],
    write: setEntries,
    check: checkLabels,
  }),
  resourceRequirements: option<ResourceRequirements>({
    about: "cpu and memory limits and requests of every container (Pulsar applies no other resource)",
    spec: {
      t: 'object',
      fields: { limits: { t: 'map', of: { t: 'quantity' } }, requests: { t: 'map', of: { t: 'quantity' } } },
    },
    merge: mergeCpuMemory,
    customizers: basicAndExtension,
    targets: [{ kind: 'StatefulSet', path: `${POD_SPEC}.containers[].resources` }],
    write: setCpuMemory,
    checkLevel: warnIgnoredResources,
    levels: warnSharedResources,
  }),
  tolerations: option<Toleration[]>({
    about: "tolerations appended to the pods' own",
    spec: {
      t: 'list',
      of: {
        t: 'object',
        fields: {
          key: str,
          // '' is Kubernetes' default for both: Equal, and every effect.
          operator: { t: 'enum', values: ['Exists', 'Equal', ''] },
          value: str,
          effect: { t: 'enum', values: ['NoSchedule', 'PreferNoSchedule', 'NoExecute', ''] },
          tolerationSeconds: { t: 'int' },
        },
      },
    },
    merge: appendLists,
    customizers: basicAndExtension,
    targets: [{ kind: 'StatefulSet', path: `${POD_SPEC}.tolerations` }],
    write: appendItems,
    check: checkTolerations,
    levels: warnTolerationsOnBothLevels,
    // The worker's come first in the merged list, then the function's.
    provenance: ([, i], worker) => (typeof i === 'number' && i < (worker?.length ?? 0) ? { worker: 'worker' } : { function: 'function' }),
  }),
  securityContext: option<SecurityContextOpts>({
    about: 'pod and container security contexts (the SecurityContext extension), with presets',
    spec: SECURITY_CONTEXT_SPEC,
    merge: mergeSecurityContext,
    customizers: ['security-context', 'pod-policy'],
    targets: [
      { kind: 'StatefulSet', path: `${POD_SPEC}.securityContext`, write: setPodSecurityContext },
      { kind: 'StatefulSet', path: `${POD_SPEC}.containers[].securityContext`, write: setContainerSecurityContext },
      // The emptyDirs a preset with readOnlyRootFilesystem adds, and their mounts.
      { kind: 'StatefulSet', path: `${POD_SPEC}.volumes`, write: addWritableDirectories },
    ],
    write: setPodSecurityContext,
    check: (value, ctx) => {
      checkCapabilityNames(value, ctx);
      checkReadOnlyRoot(value, ctx);
    },
    provenance: (path, worker, fn) => ({ worker: presetAware('worker', path, worker), function: presetAware('function', path, fn) }),
    guard: refuseLoosening,
    levels: warnSeedClassIgnores,
    ignoredAsPublished: seedClassIgnores,
    unread: {
      code: 'PMC_SECURITY_CONTEXT_IGNORED',
      message: (chosenBy) =>
        chosenBy
          ? `securityContext is ignored: ${chosenBy} applies Pulsar's BasicKubernetesManifestCustomizer, which does not read it (use --customizer security-context)`
          : "securityContext is ignored: the worker runs BasicKubernetesManifestCustomizer, which does not read it (use --customizer security-context, or the extension's class name)",
    },
  }),
  // --- pod-policy: the pod settings beyond Basic and the extension (pmc's own customizer). ---
  serviceAccountName: option<string>({
    about: "the pods' service account",
    spec: str,
    merge: firstNonEmpty,
    customizers: podPolicy,
    targets: [{ kind: 'StatefulSet', path: `${POD_SPEC}.serviceAccountName` }],
    write: setValue,
    check: checkObjectName('a service account name'),
    unread: POD_POLICY_UNREAD('serviceAccountName'),
    needsAllowance: 'it gives the pods an identity, and the rights bound to it',
  }),
  automountServiceAccountToken: option<boolean>({
    about: "whether the pods get their service account's token",
    spec: bool,
    merge: firstSet,
    customizers: podPolicy,
    targets: [{ kind: 'StatefulSet', path: `${POD_SPEC}.automountServiceAccountToken` }],
    write: setScalar,
    unread: POD_POLICY_UNREAD('automountServiceAccountToken'),
    needsAllowance: "it hands the pods their service account's token",
  }),
  imagePullSecrets: option<{ name: string }[]>({
    about: 'the Secrets the kubelet pulls the image with',
    spec: { t: 'list', of: { t: 'object', fields: { name: str } } },
    merge: appendLists,
    customizers: podPolicy,
    targets: [{ kind: 'StatefulSet', path: `${POD_SPEC}.imagePullSecrets` }],
    write: appendItems,
    check: checkSecretRefs,
    unread: POD_POLICY_UNREAD('imagePullSecrets'),
    needsAllowance: "it reads registry credentials from the namespace's Secrets",
  }),
  priorityClassName: option<string>({
    about: "the pods' PriorityClass",
    spec: str,
    merge: firstNonEmpty,
    customizers: podPolicy,
    targets: [{ kind: 'StatefulSet', path: `${POD_SPEC}.priorityClassName` }],
    write: setValue,
    check: checkObjectName('a PriorityClass name'),
    unread: POD_POLICY_UNREAD('priorityClassName'),
    needsAllowance: "it can preempt other workloads' pods",
  }),
  runtimeClassName: option<string>({
    about: "the pods' RuntimeClass (the container runtime handler on the node)",
    spec: str,
    merge: firstNonEmpty,
    customizers: podPolicy,
    targets: [{ kind: 'StatefulSet', path: `${POD_SPEC}.runtimeClassName` }],
    write: setValue,
    check: checkObjectName('a RuntimeClass name'),
    unread: POD_POLICY_UNREAD('runtimeClassName'),
    needsAllowance: 'it picks how the node runs the container',
  }),
  terminationGracePeriodSeconds: option<number>({
    about: 'how long a pod may take to stop (Pulsar gives 0)',
    spec: uint,
    merge: firstSet,
    customizers: podPolicy,
    targets: [{ kind: 'StatefulSet', path: `${POD_SPEC}.terminationGracePeriodSeconds` }],
    write: setScalar,
    unread: POD_POLICY_UNREAD('terminationGracePeriodSeconds'),
    pulsarFills: "Pulsar's 0",
  }),
  affinity: option<Record<string, unknown>>({
    about: "the pods' node and pod affinity (Kubernetes' Affinity, checked against its schema)",
    spec: { t: 'any' },
    merge: firstSet,
    customizers: podPolicy,
    targets: [{ kind: 'StatefulSet', path: `${POD_SPEC}.affinity` }],
    write: setScalar,
    check: checkIsObject('an Affinity object'),
    unread: POD_POLICY_UNREAD('affinity'),
  }),
  topologySpreadConstraints: option<object[]>({
    about: "how the pods spread over zones and nodes (Kubernetes' TopologySpreadConstraint list)",
    spec: { t: 'list', of: { t: 'any' } },
    merge: appendLists,
    customizers: podPolicy,
    targets: [{ kind: 'StatefulSet', path: `${POD_SPEC}.topologySpreadConstraints` }],
    write: appendItems,
    unread: POD_POLICY_UNREAD('topologySpreadConstraints'),
  }),
  extraEnv: option<{ name: string }[]>({
    about: "environment variables added to the function's container (Pulsar's own, such as POD_NAME, stay)",
    spec: { t: 'list', of: { t: 'any' } },
    merge: unionByName,
    customizers: podPolicy,
    targets: [{ kind: 'StatefulSet', path: `${POD_SPEC}.containers[].env` }],
    write: appendItems,
    check: checkAddedByName('extraEnv', 'an environment variable', (c) => c.env),
    unread: POD_POLICY_UNREAD('extraEnv'),
  }),
  extraEnvFrom: option<object[]>({
    about: "ConfigMaps and Secrets whose keys become the function container's environment",
    spec: { t: 'list', of: { t: 'any' } },
    merge: appendLists,
    customizers: podPolicy,
    targets: [{ kind: 'StatefulSet', path: `${POD_SPEC}.containers[].envFrom` }],
    write: appendItems,
    unread: POD_POLICY_UNREAD('extraEnvFrom'),
  }),
  extraVolumes: option<{ name: string }[]>({
    about: "volumes added to the pods, beside Pulsar's and its auth provider's",
    spec: { t: 'list', of: { t: 'any' } },
    merge: unionByName,
    customizers: podPolicy,
    targets: [{ kind: 'StatefulSet', path: `${POD_SPEC}.volumes` }],
    write: appendItems,
    check: checkAddedByName('extraVolumes', 'a volume', undefined, (pod) => pod.volumes),
    unread: POD_POLICY_UNREAD('extraVolumes'),
    needsAllowance: volumesNeedingAllowance,
  }),
  extraVolumeMounts: option<{ name: string; mountPath: string }[]>({
    about: "mounts added to the function's container, of its volumes or the pods'",
    spec: { t: 'list', of: { t: 'object', fields: { name: str, mountPath: str, subPath: str, readOnly: bool } } },
    merge: appendLists,
    customizers: podPolicy,
    targets: [{ kind: 'StatefulSet', path: `${POD_SPEC}.containers[].volumeMounts` }],
    write: appendItems,
    check: checkVolumeMounts,
    unread: POD_POLICY_UNREAD('extraVolumeMounts'),
  }),
  extraInitContainers: option<{ name: string }[]>({
    about: 'containers the pods run before the function (Kubernetes\' Container, checked against its schema)',
    spec: { t: 'list', of: { t: 'any' } },
    merge: unionByName,
    customizers: podPolicy,
    targets: [{ kind: 'StatefulSet', path: `${POD_SPEC}.initContainers` }],
    write: appendItems,
    check: checkAddedByName('extraInitContainers', 'an init container', undefined, (pod) => [...asArray(pod.initContainers), ...asArray(pod.containers)]),
    unread: POD_POLICY_UNREAD('extraInitContainers'),
    needsAllowance: 'it runs a container of its choosing in the pods, with their identity',
  }),
  livenessProbe: option<Probe>({
    about: "the function container's liveness probe: a Kubernetes Probe, or a preset (grpc, metrics) that waits for the package download",
    spec: { t: 'any' },
    merge: firstSet,
    customizers: podPolicy,
    targets: [{ kind: 'StatefulSet', path: `${POD_SPEC}.containers[].livenessProbe` }],
    write: setProbe('liveness'),
    check: checkProbe,
    unread: POD_POLICY_UNREAD('livenessProbe'),
  }),
  readinessProbe: option<Probe>({
    about: "the function container's readiness probe: a Kubernetes Probe, or a preset (grpc, metrics)",
    spec: { t: 'any' },
    merge: firstSet,
    customizers: podPolicy,
    targets: [{ kind: 'StatefulSet', path: `${POD_SPEC}.containers[].readinessProbe` }],
    write: setProbe('readiness'),
    check: checkProbe,
    unread: POD_POLICY_UNREAD('readinessProbe'),
  }),
  startupProbe: option<Probe>({
    about: "the function container's startup probe: a Kubernetes Probe, or a preset (grpc, metrics) that allows five minutes for the download and start",
    spec: { t: 'any' },
    merge: firstSet,
    customizers: podPolicy,
    targets: [{ kind: 'StatefulSet', path: `${POD_SPEC}.containers[].startupProbe` }],
    write: setProbe('startup'),
    check: checkProbe,
    unread: POD_POLICY_UNREAD('startupProbe'),
  }),
  allowedFunctionOptions: option<string[]>({
    about: "the worker's only: the options above that a function's customRuntimeOptions may set",
    spec: { t: 'list', of: { t: 'enum', values: ['serviceAccountName', 'automountServiceAccountToken', 'imagePullSecrets', 'priorityClassName', 'runtimeClassName', 'extraVolumes', 'extraInitContainers'] } },
    merge: (worker) => worker,
    customizers: podPolicy,
    targets: [],
    write: () => undefined,
    setting: true,
  }),
};

export type OptionKey = keyof typeof OPTIONS;

/** The option that sets the function container's resources, for the messages about them outside the registry. */
export const RESOURCES_OPTION: OptionKey = 'resourceRequirements';
type ValueOf<E> = E extends OptionEntry<infer T> ? T : never;
/** Pulsar's RuntimeOpts with the extension's securityContext: one optional field per entry. */
export type RuntimeOpts = { [K in OptionKey]?: ValueOf<(typeof OPTIONS)[K]> };

export const OPTION_KEYS = Object.keys(OPTIONS) as OptionKey[];

export const RUNTIME_OPTS_SPEC: Spec = {
  t: 'object',
  fields: Object.fromEntries(OPTION_KEYS.map((k) => [k, OPTIONS[k].spec])),
};

/** The entry for a key, with its value type erased: for the generic applier and report. */
export function entryOf(key: OptionKey): OptionEntry<unknown> {
  return OPTIONS[key] as unknown as OptionEntry<unknown>;
}

/**
 * Where options write, in the order they are written: the order explain lists changes
 * in, and new keys appear in the output. Every target's path is one of these.
 */
export const WRITE_ORDER: readonly string[] = [
  'metadata.labels',
  'metadata.annotations',
  'spec.template.metadata.labels',
  'spec.template.metadata.annotations',
  `${POD_SPEC}.nodeSelector`,
  `${POD_SPEC}.tolerations`,
  `${POD_SPEC}.containers[].resources`,
  `${POD_SPEC}.securityContext`,
  `${POD_SPEC}.containers[].securityContext`,
  `${POD_SPEC}.volumes`,
  `${POD_SPEC}.containers[].env`,
  `${POD_SPEC}.containers[].envFrom`,
  `${POD_SPEC}.containers[].volumeMounts`,
  `${POD_SPEC}.initContainers`,
  `${POD_SPEC}.containers[].livenessProbe`,
  `${POD_SPEC}.containers[].readinessProbe`,
  `${POD_SPEC}.containers[].startupProbe`,
  `${POD_SPEC}.serviceAccountName`,
  `${POD_SPEC}.automountServiceAccountToken`,
  `${POD_SPEC}.imagePullSecrets`,
  `${POD_SPEC}.priorityClassName`,
  `${POD_SPEC}.runtimeClassName`,
  `${POD_SPEC}.terminationGracePeriodSeconds`,
  `${POD_SPEC}.affinity`,
  `${POD_SPEC}.topologySpreadConstraints`,
  'metadata.namespace',
  'metadata.name',
  'spec.serviceName',
];

/** A securityContext field set explicitly, or through a preset of that level. */
function presetAware(who: string, [, ...fields]: OptionPath, sc: SecurityContextOpts | undefined): string | undefined {
  if (!sc) return undefined;
  if (sc[fields[0] as keyof SecurityContextOpts] !== undefined) return who;
  return sc.preset ? `${who} (preset ${sc.preset})` : undefined;
}

/**
 * A FunctionPolicy's `sandbox` (input/policy.ts), as options: what it gives a scope's
 * functions beneath the scope's own defaults (restricted, a read-only root with the emptyDirs
 * the instance writes, the tenant's own service account, no service-account token: Pulsar's
 * token auth providers mount what they need as volumes of their own, which
 * automountServiceAccountToken leaves alone), and the options it pins to their default, so
 * that a function cannot choose another service account or the token back.
 */
export const SANDBOX: { defaults: Record<string, unknown>; pinned: readonly OptionKey[] } = {
  defaults: {
    securityContext: { preset: 'restricted', readOnlyRootFilesystem: true },
    serviceAccountName: 'fn-{tenant}',
    automountServiceAccountToken: false,
  },
  pinned: ['serviceAccountName', 'automountServiceAccountToken'],
};
