/**
 * Pulsar's mergeRuntimeOpts: the worker's runtimeCustomizerConfig first, the function's
 * customRuntimeOptions over it. Pure: neither input is touched, so one function's
 * options can never leak into the next (Pulsar's shallow copy of resourceRequirements
 * does leak; see pulsar-semantics.md section 3).
 */
import deepmerge from 'deepmerge';
import { expandPreset } from './presets.js';
import type { ResourceRequirements, RuntimeOpts, SecurityContextOpts, StringMap } from './options.js';

/** The only resource names Pulsar copies from the options into containers. */
export const PULSAR_RESOURCES = ['cpu', 'memory'] as const;

export function mergeRuntimeOpts(worker: RuntimeOpts, fn: RuntimeOpts): RuntimeOpts {
  const merged: RuntimeOpts = {};
  const jobName = nonEmpty(fn.jobName) ?? nonEmpty(worker.jobName);
  if (jobName !== undefined) merged.jobName = jobName;
  const jobNamespace = nonEmpty(fn.jobNamespace) ?? nonEmpty(worker.jobNamespace);
  if (jobNamespace !== undefined) merged.jobNamespace = jobNamespace;

  merged.extraLabels = union(worker.extraLabels, fn.extraLabels);
  merged.extraAnnotations = union(worker.extraAnnotations, fn.extraAnnotations);
  merged.nodeSelectorLabels = union(worker.nodeSelectorLabels, fn.nodeSelectorLabels);
  // Appended, not de-duplicated: the pod carries both when both name the same taint.
  merged.tolerations = [...(worker.tolerations ?? []), ...(fn.tolerations ?? [])].map((t) => ({ ...t }));
  merged.resourceRequirements = mergeResources(worker.resourceRequirements, fn.resourceRequirements);

  const securityContext = mergeSecurityContext(worker.securityContext, fn.securityContext);
  if (securityContext) merged.securityContext = securityContext;
  return merged;
}

function nonEmpty(s: string | undefined): string | undefined {
  return s !== undefined && s !== '' ? s : undefined;
}

function union(a: StringMap | undefined, b: StringMap | undefined): StringMap {
  return { ...a, ...b };
}

/**
 * The worker's requirements are kept whole (every resource name, as Pulsar keeps the
 * object), and the function overrides cpu and memory only.
 */
function mergeResources(worker: ResourceRequirements | undefined, fn: ResourceRequirements | undefined): ResourceRequirements {
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
 * The seed's guide promises that the worker's securityContext applies to all functions;
 * the function's overrides it field by field, and a list it gives replaces the worker's.
 */
export function mergeSecurityContext(
  worker: SecurityContextOpts | undefined,
  fn: SecurityContextOpts | undefined,
): SecurityContextOpts | undefined {
  if (!worker && !fn) return undefined;
  // Each level's preset is expanded under that level's own fields before the merge.
  return deepmerge<SecurityContextOpts>(expandPreset(worker) ?? {}, expandPreset(fn) ?? {}, {
    arrayMerge: (_target, source) => [...source],
  });
}
