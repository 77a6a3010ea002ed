/**
 * What the worker's runtimeCustomizerClassName names: Pulsar's Basic customizer, the
 * SecurityContext extension (in whatever package a team builds it), a class of the user's own,
 * or a mistake that stops the worker (the interface, a misspelling, a name without a package).
 */
import { distance } from 'fastest-levenshtein';
import type { DiagnosticSink, Location } from '../base/diagnostics.js';
import type { CustomizerKind } from '../options/customizers.js';

const PULSAR_PACKAGE = 'org.apache.pulsar.functions.runtime.kubernetes';
export const BASIC_CUSTOMIZER_CLASS = `${PULSAR_PACKAGE}.BasicKubernetesManifestCustomizer`;
/** The interface the worker loads a customizer as; not a class it can instantiate. */
export const CUSTOMIZER_INTERFACE = `${PULSAR_PACKAGE}.KubernetesManifestCustomizer`;
/** The SecurityContext extension's class, in whatever package a team builds it. */
export const EXTENSION_CLASS_NAME = 'SecurityContextKubernetesManifestCustomizer';

/**
 * What `runtimeCustomizerClassName` makes the worker run. The worker loads the class by its
 * fully qualified name and instantiates it (Reflections.createInstance), so the interface,
 * a misspelt name or a name without its package stop it; pmc refuses them with the fix.
 * https://github.com/apache/pulsar/blob/master/pulsar-functions/runtime/src/main/java/org/apache/pulsar/functions/runtime/kubernetes/KubernetesRuntimeFactory.java
 */
export function customizerForClassName(className: string | undefined, sink: DiagnosticSink, where: Location): CustomizerKind {
  const { kind, problem, name } = classify(className);
  const at = { ...where, path: 'runtimeCustomizerClassName' };
  if (problem) sink.error('PMC_WORKER_CONFIG', problem, at);
  if (kind !== 'unknown') return kind;
  sink.warn(
    'PMC_CUSTOMIZER_UNKNOWN',
    `pmc does not know ${name}, so it previews none of the options (a customizer of your own reads options of its own): if it extends BasicKubernetesManifestCustomizer, say so with --customizer basic (security-context if it also reads the SecurityContext extension's securityContext), and describe its own options in a profile (--customizer-profile FILE)`,
    at,
  );
  return 'none';
}

/**
 * A class pmc knows no options of: neither Pulsar's Basic customizer nor the SecurityContext
 * extension (in any package), and no mistake pmc refuses. Its own option names are its own,
 * so pmc does not say Pulsar ignores them.
 */
export function foreignCustomizer(className: string | undefined): string | undefined {
  const { kind, name } = classify(className);
  return kind === 'unknown' ? name : undefined;
}

function classify(className: string | undefined): { kind: CustomizerKind | 'unknown'; problem?: string; name: string } {
  const name = className?.trim() ?? '';
  if (name === '') return { kind: 'none', name };
  if (name === BASIC_CUSTOMIZER_CLASS) return { kind: 'basic', name };
  if (name === CUSTOMIZER_INTERFACE) {
    return { kind: 'none', name, problem: `${name} is Pulsar's interface, which the worker cannot instantiate: use ${BASIC_CUSTOMIZER_CLASS}, or the class of the SecurityContext extension you deploy` };
  }
  const simple = name.slice(name.lastIndexOf('.') + 1);
  for (const known of [BASIC_CUSTOMIZER_CLASS, CUSTOMIZER_INTERFACE]) {
    const knownSimple = known.slice(known.lastIndexOf('.') + 1);
    if (distance(name, known) <= 3 || (simple !== EXTENSION_CLASS_NAME && distance(simple, knownSimple) <= 2)) {
      return { kind: 'none', name, problem: `${name} is not a class Pulsar has, so the worker fails to load it; did you mean ${known}?` };
    }
  }
  if (!name.includes('.')) return { kind: 'none', name, problem: `"${name}" has no package: the worker loads the class by its fully qualified name (e.g. ${BASIC_CUSTOMIZER_CLASS})` };
  return simple === EXTENSION_CLASS_NAME ? { kind: 'security-context', name } : { kind: 'unknown', name };
}
