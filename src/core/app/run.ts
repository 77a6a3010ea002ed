/**
 * The application layer: a request, normalised once by the face that received it (the CLI's
 * flags, a kustomize plugin's or a KRM function's config, an AdmissionReview), in; an outcome
 * out. What every face does after customizing is done here once: the lint of what customize
 * did not touch, Pod Security on the output, the output's format, and the warnings policy
 * (strict, or a plugin's accepted codes). Where the warnings then go is the face's Reporter.
 */
import { PmcError, warningsAsErrors, type Diagnostic } from '../base/diagnostics.js';
import { pssDiagnostics, type PssPolicy } from '../checks/pss.js';
import { customize, customizeJson, outputObjects, type CustomizeInput, type CustomizeResult } from '../customize/customize.js';
import { formatOutput } from '../customize/output.js';
import type { OutputFormat } from '../customize/formats.js';

/** What a face does with warnings: pass them on to its Reporter, or refuse the run. */
export interface WarningPolicy {
  /** Every warning is an error. */
  strict: boolean;
  /** What a refused warning's message adds: why it stops this face. */
  why: (w: Diagnostic) => string;
  /** Codes a refusing face accepts even so (a kustomize plugin's allowWarnings). */
  allowed?: ReadonlySet<string>;
}

/** The CLI's: warnings on stderr, or under --strict errors. */
export function strictFlag(strict: boolean): WarningPolicy {
  return { strict, why: () => '(an error under --strict)' };
}

/** The warnings to report, or the error that refuses the run. */
export function settle(warnings: Diagnostic[], policy: WarningPolicy): Diagnostic[] {
  const kept = policy.allowed ? warnings.filter((w) => !policy.allowed!.has(w.code)) : warnings;
  const refused = policy.strict ? warningsAsErrors(kept, policy.why) : undefined;
  if (refused) throw refused;
  return kept;
}

/** --check-pss and its config twins: every pod template in `objects` against the policy, or an error. */
export function checkPodSecurity(objects: () => { index: number; object: unknown }[], policy: PssPolicy | undefined, source: string): void {
  if (!policy) return;
  const errors = pssDiagnostics(objects(), policy, source);
  if (errors.length) throw PmcError.fromDiagnostics(errors);
}

export interface CustomizeRequest {
  input: CustomizeInput;
  /** Warnings met while reading the inputs, before customizing. */
  earlier?: Diagnostic[];
  checkPss?: PssPolicy;
  /** The output's format (default: the input's); `none` when the face reads the result itself (diff, explain). */
  output?: OutputFormat | 'none';
  /** The manifest began with a byte order mark, which the output keeps. */
  bom?: boolean;
  /** kubectl's JSON at JSON's speed when it needs nothing said; otherwise (or then) the YAML path. */
  jsonFastPath?: boolean;
  /** What customize did not check, linted after it (render: Pulsar's own objects). */
  lint?: (result: CustomizeResult) => Diagnostic[];
  policy: WarningPolicy;
}

export interface CustomizeOutcome {
  result: CustomizeResult;
  /** The whole output, built before anything is written: a failure leaves stdout empty. */
  text: string;
  /** What the face's Reporter says, after the policy. */
  warnings: Diagnostic[];
}

export function customizeRequest(req: CustomizeRequest): CustomizeOutcome {
  const { input } = req;
  const result = (req.jsonFastPath ? customizeJson(input) : undefined) ?? customize(input);
  const lint = req.lint?.(result) ?? [];
  checkPodSecurity(() => outputObjects(result, input.source), req.checkPss, input.source);
  const text = req.output === 'none' ? '' : (req.bom ? '\uFEFF' : '') + formatOutput(result, input, req.output);
  const warnings = settle([...(req.earlier ?? []), ...result.warnings, ...lint], req.policy);
  return { result, text, warnings };
}
