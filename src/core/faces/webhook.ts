/**
 * pmc webhook, the pure part: one AdmissionReview (admission.k8s.io/v1) in, its response
 * out, with a JSON Patch that makes the StatefulSet what `pmc customize` makes of it.
 *
 * What the worker does shapes the rules (KubernetesRuntime): it creates the Service, then
 * the StatefulSet, and never reads them back; every update is delete-then-create, so every
 * change reaches admission as a CREATE; it finds the pods by the StatefulSet's name and the
 * tenant/namespace/name labels. So only CREATEs of a Pulsar function's StatefulSet are
 * changed, and never its name, namespace, selector or serviceName.
 * https://github.com/apache/pulsar/blob/master/pulsar-functions/runtime/src/main/java/org/apache/pulsar/functions/runtime/kubernetes/KubernetesRuntime.java
 */
import { createHash } from 'node:crypto';
import { customizeObjects } from '../customize/customize.js';
import { PmcError, type Diagnostic, type Reporter } from '../base/diagnostics.js';
import { settle } from '../app/run.js';
import { jsonPatch, type PatchOperation } from '../base/json-patch.js';
import { entryOf, OPTION_KEYS, type OptionKey } from '../options/registry.js';
import { PMC_KEY_PREFIX } from '../customize/resolve.js';
import type { AdmissionCustomizer, AdmissionMode } from '../customize/modes.js';
import type { CustomizeSettings } from '../customize/settings.js';
import { isObject, type Obj } from '../base/values.js';
import { isPulsarStatefulSet } from '../base/workloads.js';

/** On a StatefulSet pmc webhook changed: a hash of the settings it applied, so that a second pass changes nothing. */
export const APPLIED_ANNOTATION = `${PMC_KEY_PREFIX}applied`;
/** The options admission could not apply, comma-separated, so that it is never silent. */
export const NOT_APPLIED_ANNOTATION = `${PMC_KEY_PREFIX}not-applied`;

export interface WebhookSettings extends CustomizeSettings {
  mode: AdmissionMode;
  /** What the webhook applies: the SecurityContext extension's options, or pmc's pod-policy (the extension's and the pod settings beyond it). */
  applies?: AdmissionCustomizer;
  /**
   * The users whose reviews it customizes (the worker's service account,
   * system:serviceaccount:NS:NAME); a review from anyone else passes untouched, so that a user
   * who may create StatefulSets cannot borrow a function's policy. None: every user.
   */
  workerUsers?: readonly string[];
}

export type { AdmissionCustomizer };

/** A request that is no AdmissionReview: answered 400, no review. */
export class BadReview extends Error {}

export type ReviewOutcome = 'passed' | 'unchanged' | 'patched' | 'refused';

/** What one review did, for the log: names and counts, never the object (its command can hold tokens). */
export interface ReviewSummary {
  uid: string;
  operation: string;
  kind: string;
  namespace?: string;
  name?: string;
  outcome: ReviewOutcome;
  reason?: string;
  operations?: number;
  warnings?: number;
}

export interface ReviewResult {
  review: Obj;
  summary: ReviewSummary;
  /** The patch, decoded (tests and the differential check apply it). */
  patch?: PatchOperation[];
}

/** The hash stamped on what this webhook changed: the settings it applied with. */
export function settingsStamp(settings: WebhookSettings, version: string): string {
  // The settings of a running webhook never change: hashed once, not at every review.
  const known = STAMPS.get(settings);
  if (known?.version === version) return known.stamp;
  const seen = JSON.stringify({ mode: settings.mode, ...(settings.applies === 'pod-policy' ? { applies: settings.applies } : {}), worker: settings.worker, strict: settings.strict, validate: settings.validate, version });
  const stamp = createHash('sha256').update(seen).digest('hex').slice(0, 16);
  STAMPS.set(settings, { version, stamp });
  return stamp;
}
const STAMPS = new WeakMap<WebhookSettings, { version: string; stamp: string }>();

/**
 * The webhook's Reporter: warnings as the API server passes them on to the client (kubectl
 * prints them, the worker logs them), short and one line each.
 */
export class AdmissionWarnings implements Reporter {
  readonly texts: string[] = [];
  report(diagnostics: readonly Diagnostic[]): void {
    for (const d of diagnostics) {
      const where = d.location?.path ? `${d.location.path}: ` : '';
      const text = `pmc ${d.code}: ${where}${d.message}`.replace(/\s+/g, ' ');
      this.texts.push(text.length > 250 ? `${text.slice(0, 247)}...` : text);
    }
  }
}

export function reviewAdmission(body: unknown, settings: WebhookSettings, version: string): ReviewResult {
  if (!isObject(body) || body.apiVersion !== 'admission.k8s.io/v1' || body.kind !== 'AdmissionReview') {
    throw new BadReview('expected an AdmissionReview of admission.k8s.io/v1');
  }
  const request = body.request;
  if (!isObject(request) || typeof request.uid !== 'string' || request.uid === '') throw new BadReview('the AdmissionReview has no request with a uid');
  const uid = request.uid;
  const object = isObject(request.object) ? request.object : undefined;
  const metadata = isObject(object?.metadata) ? (object.metadata as Obj) : {};
  const summary: ReviewSummary = {
    uid,
    operation: String(request.operation ?? ''),
    kind: String(isObject(request.kind) ? request.kind.kind : (object?.kind ?? '')),
    namespace: typeof request.namespace === 'string' ? request.namespace : (metadata.namespace as string | undefined),
    name: typeof request.name === 'string' && request.name ? request.name : (metadata.name as string | undefined),
    outcome: 'passed',
  };
  const answer = (response: Obj): Obj => ({ apiVersion: 'admission.k8s.io/v1', kind: 'AdmissionReview', response: { uid, allowed: true, ...response } });
  const pass = (reason: string): ReviewResult => ({ review: answer({}), summary: { ...summary, outcome: 'passed', reason } });

  if (request.operation !== 'CREATE') return pass('not a CREATE');
  if (settings.workerUsers?.length) {
    const user = isObject(request.userInfo) && typeof request.userInfo.username === 'string' ? request.userInfo.username : undefined;
    if (!user || !settings.workerUsers.includes(user)) return pass(`not the worker's account (${user ?? 'no userInfo.username'})`);
  }
  if (!object || object.kind !== 'StatefulSet' || summary.kind !== 'StatefulSet') return pass('not a StatefulSet');
  // The API server always sends metadata (a name at least); a review without it is no StatefulSet the worker made.
  if (!isObject(object.metadata)) return pass('no metadata');
  if (!isPulsarStatefulSet(object as never)) return pass("not a Pulsar function's StatefulSet");
  const stamp = settingsStamp(settings, version);

  const source = `AdmissionReview ${uid}`;
  let customized: Obj;
  let warnings: Diagnostic[];
  let changed: boolean;
  try {
    // Every review of a function's StatefulSet is customized: the stamp records what pmc did,
    // it never decides whether pmc acts (a function's options can write any annotation).
    // Customizing is idempotent in admission, so an object customized already changes nothing.
    const { result, objects } = customizeObjects([object], { ...settings, customizer: settings.applies ?? 'security-context', admission: settings.mode, source });
    warnings = settle(
      result.warnings.filter((w) => w.severity === 'warning'),
      { strict: settings.strict, why: () => '(--strict: every warning refuses)' },
    );
    customized = objects[0] as Obj;
    changed = result.changes.length > 0;
  } catch (e) {
    if (!(e instanceof PmcError)) throw e;
    const message = e
      .diagnostics()
      .map((d) => `${d.location?.path ? `${d.location.path}: ` : ''}${d.message} [${d.code}]`)
      .join('; ');
    return {
      review: answer({ allowed: false, status: { code: 403, reason: 'Forbidden', message: `pmc: the function's options cannot be applied: ${message}` } }),
      summary: { ...summary, outcome: 'refused', reason: e.code },
    };
  }

  const reporter = new AdmissionWarnings();
  reporter.report(warnings);
  const texts = reporter.texts;
  if (!changed) {
    return { review: answer(texts.length ? { warnings: texts } : {}), summary: { ...summary, outcome: 'unchanged', reason: 'nothing to change', warnings: texts.length } };
  }
  const meta = customized.metadata as Obj;
  // The options admission left out: those the registry marks, named by the warnings' paths.
  const notApplied = [
    ...new Set(warnings.filter((w) => w.code === 'PMC_NOT_IN_ADMISSION').map((w) => w.location?.path as OptionKey | undefined)),
  ].filter((key): key is OptionKey => key !== undefined && OPTION_KEYS.includes(key) && entryOf(key).notInAdmission !== undefined);
  const own: Obj = { ...(isObject(meta.annotations) ? meta.annotations : {}), [APPLIED_ANNOTATION]: stamp };
  if (notApplied.length) own[NOT_APPLIED_ANNOTATION] = notApplied.join(',');
  else delete own[NOT_APPLIED_ANNOTATION];
  meta.annotations = own;
  const patch = jsonPatch(object, customized);
  guardUntouched(patch);
  return {
    review: answer({ patchType: 'JSONPatch', patch: Buffer.from(JSON.stringify(patch)).toString('base64'), ...(texts.length ? { warnings: texts } : {}) }),
    summary: { ...summary, outcome: 'patched', operations: patch.length, warnings: texts.length },
    patch,
  };
}

/** What the worker relies on is never patched; a patch that would is a bug, not a review. */
function guardUntouched(patch: PatchOperation[]): void {
  const forbidden = ['/metadata/name', '/metadata/namespace', '/spec/selector', '/spec/serviceName'];
  const bad = patch.find((op) => forbidden.some((f) => op.path === f || op.path.startsWith(`${f}/`) || f.startsWith(`${op.path}/`)));
  if (bad) throw new Error(`refusing to patch ${bad.path}`);
}
