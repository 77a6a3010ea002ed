/**
 * Pulsar's mergeRuntimeOpts, one rule per kind of field: the worker's runtimeCustomizerConfig
 * first, the function's customRuntimeOptions over it. Pure: neither input is touched, so one
 * function's options never leak into the next (Pulsar's shallow copy of
 * resource requirements does leak a function's cpu/memory into the worker's defaults).
 * https://github.com/apache/pulsar/blob/master/pulsar-functions/runtime/src/main/java/org/apache/pulsar/functions/runtime/kubernetes/BasicKubernetesManifestCustomizer.java
 */
import deepmerge from 'deepmerge';
import { expandPreset } from './presets.js';
import type { ResourceRequirements, SecurityContextOpts, StringMap } from './options.js';
import { PULSAR_RESOURCES } from './writers.js';

/** The job name and namespace: the function's when it is a non-empty string, else the worker's. */
export function firstNonEmpty(worker: string | undefined, fn: string | undefined): string | undefined {
  return fn !== undefined && fn !== '' ? fn : worker !== undefined && worker !== '' ? worker : undefined;
}

/** A value of its own (a boolean, a number, an object set whole): the function's when it gives one, else the worker's. */
export function firstSet<T>(worker: T | undefined, fn: T | undefined): T | undefined {
  return fn !== undefined ? fn : worker;
}

/** Named items (environment variables, volumes, init containers): the worker's, then the function's, one of a name replacing the worker's in its place. */
export function unionByName<T extends { name: string }>(worker: T[] | undefined, fn: T[] | undefined): T[] {
  const out = (worker ?? []).map((x) => ({ ...x }));
  for (const item of fn ?? []) {
    const at = out.findIndex((x) => x.name === item.name);
    if (at === -1) out.push({ ...item });
    else out[at] = { ...item };
  }
  return out;
}

/** Labels, annotations, node selector: the union, the function's value winning per key. */
export function unionMaps(worker: StringMap | undefined, fn: StringMap | undefined): StringMap {
  return { ...worker, ...fn };
}

/** Tolerations: the worker's, then the function's appended; not de-duplicated (the pod carries both). */
export function appendLists<T extends object>(worker: T[] | undefined, fn: T[] | undefined): T[] {
  return [...(worker ?? []), ...(fn ?? [])].map((t) => ({ ...t }));
}

/**
 * Special case, resources: the worker's requirements are kept whole (every resource name,
 * as Pulsar keeps the object), and the function overrides cpu and memory only.
 */
export function mergeCpuMemory(worker: ResourceRequirements | undefined, fn: ResourceRequirements | undefined): ResourceRequirements {
  const out: ResourceRequirements = {};
  if (worker?.limits) out.limits = { ...worker.limits };
  if (worker?.requests) out.requests = { ...worker.requests };
  for (const kind of ['limits', 'requests'] as const) {
    const from = fn?.[kind];
    if (!from) continue;
    for (const r of PULSAR_RESOURCES) {
      if (from[r] !== undefined) out[kind] = { ...out[kind], [r]: from[r] };
    }
  }
  return out;
}

/**
 * Special case, the security context: the seed's guide promises that the worker's applies to all
 * functions; the function's overrides it field by field, and a list or a seccomp profile it
 * gives replaces the worker's. Each level's preset is expanded under that level's own fields first.
 */
export function mergeSecurityContext(worker: SecurityContextOpts | undefined, fn: SecurityContextOpts | undefined): SecurityContextOpts | undefined {
  if (!worker && !fn) return undefined;
  return deepmerge<SecurityContextOpts>(expandPreset(worker) ?? {}, expandPreset(fn) ?? {}, {
    arrayMerge: (_target, source) => [...source],
    // A seccomp profile is one setting: a function's RuntimeDefault must not keep the
    // worker's localhostProfile, which the API server refuses beside any type but Localhost.
    customMerge: (key) => (key === 'seccompProfile' ? (_worker: unknown, fn: unknown) => fn : undefined),
  });
}
