/**
 * Checks of the customized result, run before anything is printed: what the Kubernetes
 * API server or the kubelet would refuse, reported before anything is deployed.
 */
import { RESOURCES_OPTION } from './registry.js';
import { formatPath, pathFromPointer } from '../base/paths.js';
import type { DiagnosticSink, Location } from '../base/diagnostics.js';
import { checkPodTemplate, quantityValue } from '../checks/pod-rules.js';
import { asArray, isObject, type Obj } from '../base/values.js';
import { containerCommandLine } from '../base/workloads.js';

export type { CheckContext, LevelsContext } from './contexts.js';
import { serviceNameProblem } from './value-rules.js';

export { serviceNameProblem };

/** Validates a whole object against the Kubernetes OpenAPI schema of its kind. */
export type SchemaValidator = (kind: 'StatefulSet' | 'Service', object: unknown) => SchemaProblem[];

export interface SchemaProblem {
  /** JSON pointer into the object, e.g. /spec/template/spec/tolerations/0/effect */
  pointer: string;
  message: string;
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
    `container "${c.name}": its memory limit (${limit} bytes) is at or below the JVM heap (-Xmx${xmx[1]}${xmx[2]}), and the JVM needs memory beyond its heap, so the kernel kills the instance as the heap fills: set percentMemoryPadding (e.g. 25) in the worker's functionRuntimeFactoryConfigs, or a memory limit above the function's ram in ${RESOURCES_OPTION}`,
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
