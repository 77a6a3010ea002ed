/**
 * How an option's value is written at one of its targets. Three generic writers cover the
 * plain fields (a map's entries, a list's items, a scalar); the rest are Pulsar's special
 * cases, named and explained one by one. None of them names an option: each gets its own
 * key in the context and records every edit against it, for explain.
 */
import type { IContainer, IPodSpec } from '../base/k8s.js';
import type { DiagnosticSink, Location } from '../base/diagnostics.js';
import type { DocumentEditor, FieldPath, OptionPath } from '../base/edit.js';
import type { SecurityContextOpts, StringMap, ResourceRequirements } from './options.js';
import { expandProbe, type Probe, type ProbeKind } from './probes.js';
import { planMounts, workingDirOf, writablePaths } from './presets.js';
import { asArray, isObject } from '../base/values.js';
import { containerCommandLine } from '../base/workloads.js';

export interface WriteContext {
  editor: DocumentEditor;
  /** The option's own key: the first step of every provenance path. */
  key: string;
  /** Where to write, with `[]` already expanded to an index. */
  at: FieldPath;
  /** The name Pulsar computes from the job name option and the function's identity, when one is set. */
  workloadName?: string;
  /** The workload's pod spec as it stands (for writers that read the command). */
  podSpec?: IPodSpec;
  sink: DiagnosticSink;
  where: Location;
  /** Applied in admission (pmc webhook), where a second review of the same object must change nothing. */
  admission?: boolean;
}

export type Writer<T> = (value: T, ctx: WriteContext) => void;

/** A map option: each entry set under the target, the option's value winning per key. */
export const setEntries: Writer<StringMap> = (value, { editor, key, at }) => {
  for (const [k, v] of Object.entries(value)) editor.set([...at, k], v, { path: [key, k] });
};

/**
 * A list option: each item appended after what is there (Pulsar's rule for tolerations: no
 * de-duplication). An item already there is appended again, as Pulsar does, with a warning:
 * customizing an already customized manifest would otherwise pile up copies unseen. In
 * admission it is not (pmc's one difference there from the worker's customizer).
 */
export const appendItems: Writer<readonly object[]> = (value, { editor, key, at, sink, where, admission }) => {
  let existing: unknown = editor.plain;
  for (const p of at) existing = existing && typeof existing === 'object' ? (existing as Record<string | number, unknown>)[p] : undefined;
  const there = new Set(asArray(existing).map(canonical));
  value.forEach((item, i) => {
    if (there.has(canonical(item))) {
      // In admission the item is not appended again: a StatefulSet reviewed twice (a
      // reinvocation, or one pmc changed already) must come out as it went in.
      if (admission) return;
      sink.warn('PMC_TOLERATION_REPEATED', `${key}[${i}] is already in ${at.join('.')}; Pulsar appends it again (is this manifest customized already?)`, where);
    }
    editor.append(at, item, { path: [key, i] });
  });
};

/** JSON with sorted keys: equal values, equal text. */
function canonical(v: unknown): string {
  return JSON.stringify(v, (_k, x) => (x && typeof x === 'object' && !Array.isArray(x) ? Object.fromEntries(Object.entries(x).sort(([a], [b]) => (a < b ? -1 : 1))) : x));
}

/** A scalar option set as it is (an empty string means "not set", as in Pulsar's merge). */
export const setValue: Writer<string> = (value, { editor, key, at }) => {
  if (value !== '') editor.set(at, value, { path: [key] });
};

/** A value written whole as it is: a boolean, a number, an object set whole. */
export const setScalar: Writer<unknown> = (value, { editor, key, at }) => {
  editor.set(at, value, { path: [key] });
};

// --- special cases ---

/** A probe: written whole, a preset expanded to its handler and timings (probes.ts). */
export function setProbe(kind: ProbeKind): Writer<Probe> {
  return (value, { editor, key, at }) => editor.set(at, expandProbe(value, kind), { path: [key] });
}

/**
 * The job name: the name written is not the option's value but Pulsar's job name made from
 * it (toValidPodName(option) + a hash of it and the function's identity), computed and
 * checked before anything is written (naming.ts).
 */
export const setJobName: Writer<string> = (_value, { editor, key, at, workloadName }) => {
  if (workloadName) editor.set(at, workloadName, { path: [key] });
};

/** The only resource names Pulsar copies from the options into a container. */
export const PULSAR_RESOURCES = ['cpu', 'memory'] as const;

/**
 * Resources: Pulsar sets cpu and memory, limits and requests, on every container
 * from the options, and nothing else (other resource names never reach a container).
 * Pulsar throws on a container without `resources`; pmc creates it.
 * https://github.com/apache/pulsar/blob/master/pulsar-functions/runtime/src/main/java/org/apache/pulsar/functions/runtime/kubernetes/BasicKubernetesManifestCustomizer.java
 */
export const setCpuMemory: Writer<ResourceRequirements> = (value, { editor, key, at }) => {
  for (const kind of ['limits', 'requests'] as const) {
    const given = value[kind] ?? {};
    for (const r of PULSAR_RESOURCES) {
      if (given[r] !== undefined) editor.set([...at, kind, r], given[r], { path: [key, kind, r] });
    }
  }
};

// The SecurityContext extension's fields, by where they go. `preset` is not a Kubernetes
// field: it has been expanded into the others by the merge.
const POD_FIELDS = ['runAsUser', 'runAsGroup', 'fsGroup', 'runAsNonRoot', 'seccompProfile', 'supplementalGroups', 'fsGroupChangePolicy'] as const;
const CONTAINER_FIELDS = ['privileged', 'allowPrivilegeEscalation', 'readOnlyRootFilesystem'] as const;
const SELINUX_FIELDS = { seLinuxLevel: 'level', seLinuxRole: 'role', seLinuxType: 'type', seLinuxUser: 'user' } as const;
const CAPABILITY_FIELDS = ['addCapabilities', 'dropCapabilities'] as const;

/** The security context, pod level: the fields given, each over what the pod has. */
export const setPodSecurityContext: Writer<SecurityContextOpts> = (sc, { editor, key, at }) => {
  for (const f of POD_FIELDS) if (sc[f] !== undefined) editor.set([...at, f], sc[f], { path: [key, f] });
};

/**
 * The security context, container level (every container, not init containers). The flat
 * options become Kubernetes' nested objects: either capabilities list makes `capabilities`
 * `{add, drop}` of those given, and any seLinux* field makes `seLinuxOptions` of those given.
 */
export const setContainerSecurityContext: Writer<SecurityContextOpts> = (sc, { editor, key, at }) => {
  for (const f of CONTAINER_FIELDS) if (sc[f] !== undefined) editor.set([...at, f], sc[f], { path: [key, f] });
  if (sc.addCapabilities || sc.dropCapabilities) {
    const caps: Record<string, string[]> = {};
    if (sc.addCapabilities) caps.add = sc.addCapabilities;
    if (sc.dropCapabilities) caps.drop = sc.dropCapabilities;
    const given = CAPABILITY_FIELDS.filter((f) => sc[f] !== undefined);
    editor.set([...at, 'capabilities'], caps, { path: [key, given[0]!], sources: given.map((f): OptionPath => [key, f]) });
  }
  const seLinux: Record<string, string> = {};
  const given: OptionPath[] = [];
  for (const [opt, field] of Object.entries(SELINUX_FIELDS)) {
    const v = sc[opt as keyof typeof SELINUX_FIELDS];
    if (v !== undefined) (seLinux[field] = v), given.push([key, opt]);
  }
  if (given.length > 0) editor.set([...at, 'seLinuxOptions'], seLinux, { path: [key, 'seLinuxOptions'], sources: given });
};

/**
 * With a preset and readOnlyRootFilesystem, the instance still has to write its logs, its
 * downloaded code, extracted NARs and temporary files: an emptyDir for each, at the paths
 * read off the command Pulsar generated, mounted in the container that writes there.
 */
export const addWritableDirectories: Writer<SecurityContextOpts> = (sc, { editor, key, at, podSpec, sink, where }) => {
  if (!sc.preset || !sc.readOnlyRootFilesystem) return;
  const option = { path: [key, 'readOnlyRootFilesystem'] };
  const containersPath = [...at.slice(0, -1), 'containers'];
  const volumes = new Set<string>(asArray(podSpec?.volumes).map((v: { name?: string }) => v?.name ?? ''));
  asArray(podSpec?.containers).forEach((c: IContainer, i: number) => {
    if (!isObject(c)) return;
    const command = containerCommandLine(c);
    const { mounts, refused } = planMounts(writablePaths(command, workingDirOf(c, sc.imageWorkingDir)));
    for (const r of refused) {
      sink.warn(
        'PMC_PRESET_PATH',
        `container "${c.name}" writes its ${r.what === 'download' ? 'downloaded code' : r.what} to ${r.path}, which the image ships: no emptyDir there (it would hide the image's files), so with readOnlyRootFilesystem that write fails; set functionRuntimeFactoryConfigs.downloadDirectory (e.g. /pulsar/download) in functions_worker.yml`,
        where,
      );
    }
    const existing = new Set(asArray(c.volumeMounts).map((m: { mountPath?: string }) => m?.mountPath));
    for (const m of mounts) {
      const name = `pmc-${m.what}`;
      if (!volumes.has(name)) {
        editor.append(at, { name, emptyDir: {} }, option);
        volumes.add(name);
      }
      if (!existing.has(m.path)) editor.append([...containersPath, i, 'volumeMounts'], { name, mountPath: m.path }, option);
    }
  });
};
