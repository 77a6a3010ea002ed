/**
 * Which documents are a Pulsar function's, and which Service goes with which StatefulSet.
 *
 * Pulsar's KubernetesRuntime labels what it generates `component`, `tenant`, `namespace`
 * and `name`, names the container `pulsarfunction`, and creates a headless Service whose
 * name is the StatefulSet's `spec.serviceName`.
 * https://github.com/apache/pulsar/blob/master/pulsar-functions/runtime/src/main/java/org/apache/pulsar/functions/runtime/kubernetes/KubernetesRuntime.java
 */
import type { Location } from './diagnostics.js';
import type { IService, IStatefulSet } from './k8s.js';
import type { FunctionIdentity } from './naming.js';
import type { WorkChunk } from './stream.js';
import { asArray, isObject } from './values.js';

export const FUNCTION_LABELS = ['component', 'tenant', 'namespace', 'name'] as const;
export const PULSAR_CONTAINER = 'pulsarfunction';

/** A StatefulSet or Service of the stream, parsed, with its plain data (kept equal to the document by every edit). */
export type Candidate =
  | { chunk: WorkChunk; kind: 'StatefulSet'; plain: IStatefulSet; name: string }
  | { chunk: WorkChunk; kind: 'Service'; plain: IService; name: string };

export function isPulsarStatefulSet(sts: IStatefulSet): boolean {
  const labels = sts.metadata?.labels;
  if (isObject(labels) && FUNCTION_LABELS.every((k) => typeof labels[k] === 'string')) return true;
  const containers = sts.spec?.template?.spec?.containers;
  return Array.isArray(containers) && containers.some((c) => isObject(c) && c.name === PULSAR_CONTAINER);
}

export interface ServiceIndex {
  byName: Map<string, Candidate[]>;
  byLabels: Map<string, Candidate[]>;
}

function functionLabelsKey(labels: unknown): string | undefined {
  if (!isObject(labels) || !FUNCTION_LABELS.every((k) => typeof labels[k] === 'string')) return undefined;
  return FUNCTION_LABELS.map((k) => labels[k]).join('\u0000');
}

/** Services by name and by function labels, so pairing stays linear in the stream. */
export function indexServices(services: Candidate[]): ServiceIndex {
  const index: ServiceIndex = { byName: new Map(), byLabels: new Map() };
  const add = (m: Map<string, Candidate[]>, k: string | undefined, c: Candidate) => {
    if (k !== undefined) m.set(k, [...(m.get(k) ?? []), c]);
  };
  for (const svc of services) {
    add(index.byName, svc.name || undefined, svc);
    add(index.byLabels, functionLabelsKey(svc.plain.metadata?.labels), svc);
  }
  return index;
}

/**
 * Pulsar's headless Service: named by the StatefulSet's serviceName, or carrying its
 * function labels; in the same Kubernetes namespace when both say one.
 */
export function servicesOf(sts: IStatefulSet, index: ServiceIndex): Candidate[] {
  const serviceName = sts.spec?.serviceName;
  const labelsKey = functionLabelsKey(sts.metadata?.labels);
  const found = new Set([
    ...(typeof serviceName === 'string' ? (index.byName.get(serviceName) ?? []) : []),
    ...(labelsKey !== undefined ? (index.byLabels.get(labelsKey) ?? []) : []),
  ]);
  const stsNs = sts.metadata?.namespace;
  return [...found]
    .filter((svc) => !svc.plain.metadata?.namespace || !stsNs || svc.plain.metadata.namespace === stsNs)
    .sort((a, b) => a.chunk.index - b.chunk.index);
}

export function docLocation(c: Candidate, source: string, path?: string): Location {
  const place = c.chunk.at ? { index: c.chunk.at.document, item: c.chunk.at.item } : { index: c.chunk.index };
  return { source, line: c.chunk.line, document: { ...place, kind: c.kind, name: c.name }, path };
}

/** One container's command and args as one line, as a shell would see them. */
export function containerCommandLine(c: { command?: unknown; args?: unknown }): string {
  return [...asArray(c.command), ...asArray(c.args)].filter((x) => typeof x === 'string').join(' ');
}

/** The command and args of every container: where Pulsar embeds the function details. */
export function containerCommandParts(sts: IStatefulSet): unknown[] {
  return asArray(sts.spec?.template?.spec?.containers).flatMap((c) => (isObject(c) ? [...asArray(c.command), ...asArray(c.args)] : []));
}

/** The identity the labels say, lossy (Pulsar lower-cases and shortens them). */
export function labelsIdentity(sts: IStatefulSet): Partial<FunctionIdentity> | undefined {
  const l = sts.metadata?.labels;
  if (!isObject(l)) return undefined;
  return { tenant: l.tenant, namespace: l.namespace, name: l.name };
}
