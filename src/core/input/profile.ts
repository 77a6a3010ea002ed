/**
 * A customizer of your own, described: teams run their own KubernetesManifestCustomizer
 * classes, with option names of their own (a public one reads `podSecurityContext` and
 * `containerSecurityContext`). pmc cannot load a jar; a profile tells it, in the registry's
 * own terms, what each of the class's options does: where it writes (a kind and a path, `[]`
 * for each item of a list), how it writes there, and how the worker's and the function's
 * values merge. With a profile for the worker's class, pmc previews those options, beside
 * Basic's when the class extends BasicKubernetesManifestCustomizer.
 *
 *   apiVersion: pmc.pulsar/v1alpha1
 *   kind: CustomizerProfile
 *   metadata: {name: pod-security}
 *   spec:
 *     className: com.example.pulsar.PodSecurityCustomizer
 *     extends: basic                  # optional: basic | security-context
 *     options:
 *       podSecurityContext:
 *         targets: [{kind: StatefulSet, path: spec.template.spec.securityContext}]
 *         write: value                # value | entries | items
 *         merge: function-wins        # function-wins | union | append
 */
import { formatPath } from '../base/paths.js';
import { plainOf } from '../base/stream.js';
import { parseYamlFile, yamlLocator } from './config.js';
import { DiagnosticSink, PmcError, type Location } from '../base/diagnostics.js';
import type { DocumentEditor } from '../base/edit.js';
import { expandTarget } from '../options/apply.js';
import { OPTION_KEYS, type WorkloadKind } from '../options/registry.js';
import { isObject, type Obj } from '../base/values.js';

export type ProfileWrite = 'value' | 'entries' | 'items';
export type ProfileMerge = 'function-wins' | 'union' | 'append';

export interface ProfileOption {
  about?: string;
  targets: { kind: WorkloadKind; path: string }[];
  write: ProfileWrite;
  merge: ProfileMerge;
}

export interface CustomizerProfile {
  name: string;
  source: string;
  className: string;
  extends?: 'basic' | 'security-context';
  options: Record<string, ProfileOption>;
}

const WRITES: readonly ProfileWrite[] = ['value', 'entries', 'items'];
const MERGES: readonly ProfileMerge[] = ['function-wins', 'union', 'append'];
const KINDS: readonly WorkloadKind[] = ['StatefulSet', 'Service'];
/** Where a profile may write: the pod template and the objects' own metadata, never what the worker finds its pods by. */
const WRITABLE = /^(metadata\.(labels|annotations)|spec\.template\.metadata\.(labels|annotations)|spec\.template\.spec(\.[A-Za-z]+(\[\])?)*)$/;
const OFF_LIMITS = ['spec.template.spec.containers', 'spec.template.spec.containers[]'];

/** Reads a profile file; every problem at its key, all at once. */
export function readProfile(text: string, source: string): CustomizerProfile {
  const doc = parseYamlFile(text, source, {});
  const locate = yamlLocator(doc, text, source);
  const at = (path: (string | number)[]): Location => ({ ...(locate(path) ?? { source }), path: formatPath(path) });
  const sink = new DiagnosticSink();
  const top = plainOf(doc, { source }, 'profile');
  if (!isObject(top) || top.kind !== 'CustomizerProfile') {
    throw new PmcError('PMC_PROFILE', 'a customizer profile is a YAML map with kind: CustomizerProfile (apiVersion pmc.pulsar/v1alpha1)', { location: at(['kind']) });
  }
  const spec = isObject(top.spec) ? top.spec : {};
  const className = typeof spec.className === 'string' && spec.className.includes('.') ? spec.className : undefined;
  if (!className) sink.error('PMC_PROFILE', "spec.className must be the customizer's fully qualified class name (the worker's runtimeCustomizerClassName)", at(['spec', 'className']));
  const base = spec.extends;
  if (base !== undefined && base !== 'basic' && base !== 'security-context') {
    sink.error('PMC_PROFILE', 'spec.extends must be basic (the class extends BasicKubernetesManifestCustomizer) or security-context (and reads the SecurityContext extension\'s options too)', at(['spec', 'extends']));
  }
  const options: Record<string, ProfileOption> = {};
  const given = isObject(spec.options) ? spec.options : {};
  if (!isObject(spec.options) || Object.keys(given).length === 0) sink.error('PMC_PROFILE', 'spec.options must name at least one option of the class', at(['spec', 'options']));
  for (const [key, raw] of Object.entries(given)) {
    const p = ['spec', 'options', key];
    if ((OPTION_KEYS as string[]).includes(key)) {
      sink.error('PMC_PROFILE', `${key} is one of Pulsar's own options: a profile describes the class's others (use extends: basic for Basic's)`, at(p));
      continue;
    }
    if (!isObject(raw)) {
      sink.error('PMC_PROFILE', `${key} must be a map with targets, write and merge`, at(p));
      continue;
    }
    const targets: ProfileOption['targets'] = [];
    const list = Array.isArray(raw.targets) ? raw.targets : isObject(raw.target) ? [raw.target] : [];
    if (list.length === 0) sink.error('PMC_PROFILE', `${key}: give targets, a list of {kind, path}`, at([...p, 'targets']));
    list.forEach((t: unknown, i: number) => {
      const tp = [...p, 'targets', i];
      if (!isObject(t) || !KINDS.includes(t.kind as WorkloadKind) || typeof t.path !== 'string') {
        sink.error('PMC_PROFILE', `${key}: each target is {kind: StatefulSet|Service, path: a field path}`, at(tp));
        return;
      }
      if (!WRITABLE.test(t.path) || OFF_LIMITS.includes(t.path) || (t.kind === 'Service' && !t.path.startsWith('metadata.'))) {
        sink.error('PMC_PROFILE', `${key}: ${t.kind} ${t.path} is not a place a customizer option may write: the pod template's spec (e.g. spec.template.spec.securityContext, spec.template.spec.containers[].securityContext) or the labels and annotations`, at([...tp, 'path']));
        return;
      }
      targets.push({ kind: t.kind as WorkloadKind, path: t.path });
    });
    const write = (raw.write ?? 'value') as ProfileWrite;
    if (!WRITES.includes(write)) sink.error('PMC_PROFILE', `${key}: write must be ${WRITES.join(', ')}`, at([...p, 'write']));
    const merge = (raw.merge ?? (write === 'items' ? 'append' : write === 'entries' ? 'union' : 'function-wins')) as ProfileMerge;
    if (!MERGES.includes(merge)) sink.error('PMC_PROFILE', `${key}: merge must be ${MERGES.join(', ')}`, at([...p, 'merge']));
    options[key] = { about: typeof raw.about === 'string' ? raw.about : undefined, targets, write, merge };
  }
  sink.throwIfErrors();
  const name = isObject(top.metadata) && typeof top.metadata.name === 'string' ? top.metadata.name : source;
  return { name, source, className: className!, extends: base as CustomizerProfile['extends'], options };
}

/** The worker's value, then the function's, by the option's merge rule. */
export function mergeProfileOption(option: ProfileOption, worker: unknown, fn: unknown): unknown {
  if (worker === undefined) return fn;
  if (fn === undefined) return worker;
  if (option.merge === 'append' && Array.isArray(worker) && Array.isArray(fn)) return [...worker, ...fn];
  if (option.merge === 'union' && isObject(worker) && isObject(fn)) return { ...worker, ...fn };
  return fn;
}

/** The profile's options, each written at each of its targets of this kind, recorded like every edit. */
export function applyProfile(editor: DocumentEditor, kind: WorkloadKind, profile: CustomizerProfile, values: Obj, sink: DiagnosticSink, where: Location): void {
  for (const [key, option] of Object.entries(profile.options)) {
    const value = values[key];
    if (value === undefined) continue;
    for (const target of option.targets) {
      if (target.kind !== kind) continue;
      for (const at of expandTarget(target.path, editor)) {
        if (option.write === 'value') editor.set(at, value, { path: [key] });
        else if (option.write === 'entries') {
          if (!isObject(value)) {
            sink.error('PMC_OPTIONS_TYPE', `${key} must be a map: the profile ${profile.name} writes its entries`, { ...where, path: key });
            continue;
          }
          for (const [k, v] of Object.entries(value)) editor.set([...at, k], v, { path: [key, k] });
        } else {
          if (!Array.isArray(value)) {
            sink.error('PMC_OPTIONS_TYPE', `${key} must be a list: the profile ${profile.name} appends its items`, { ...where, path: key });
            continue;
          }
          value.forEach((item, i) => editor.append(at, item, { path: [key, i] }));
        }
      }
    }
  }
}

/** The profile's option keys, read as any value (Kubernetes' schema checks the result). */
export function profileFields(profile: CustomizerProfile | undefined): Record<string, { t: 'any' }> | undefined {
  return profile ? Object.fromEntries(Object.keys(profile.options).map((k) => [k, { t: 'any' as const }])) : undefined;
}
