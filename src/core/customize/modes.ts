/**
 * The admission modes of `pmc webhook`, as data: option resolution (resolve.ts) reads which
 * options a mode applies, the server's start-up check reads which worker customizer it
 * expects, and the CLI's --mode and --webhook-mode choices and help are made from it. A new
 * mode is one entry here.
 */
import type { CustomizerKind } from '../options/customizers.js';

export interface AdmissionModeSpec {
  /** What --help says of it. */
  help: string;
  /** The worker's runtime customizer this mode is built for. */
  worker: CustomizerKind;
  /** What the start-up warning says the worker should run, and what happens otherwise. */
  expects: string;
  otherwise: string;
  /** The options the worker's own customizer reads, which it applied already: not applied again. */
  workerApplies?: Exclude<CustomizerKind, 'none'>;
  /**
   * Each option that admission cannot apply (the registry's notInAdmission), and the Service's
   * part of an option, said as a warning: in this mode nothing else applies them.
   */
  sayWhatAdmissionCannot: boolean;
}

export const ADMISSION_MODES = {
  hybrid: {
    help: 'the worker runs BasicKubernetesManifestCustomizer, the webhook adds the security context',
    worker: 'basic',
    expects: "the worker's runtimeCustomizerClassName to be BasicKubernetesManifestCustomizer",
    otherwise: '; only the security context is applied here',
    workerApplies: 'basic',
    sayWhatAdmissionCannot: false,
  },
  'webhook-only': {
    help: 'the worker runs no customizer',
    worker: 'none',
    expects: 'a worker without runtimeCustomizerClassName',
    otherwise: ': options the worker already applied are applied again (each toleration twice)',
    sayWhatAdmissionCannot: true,
  },
} as const satisfies Record<string, AdmissionModeSpec>;

export type AdmissionMode = keyof typeof ADMISSION_MODES;

/** What pmc webhook applies, in either mode: the SecurityContext extension's options, or pmc's pod-policy. */
export type AdmissionCustomizer = Extract<CustomizerKind, 'security-context' | 'pod-policy'>;
export const ADMISSION_CUSTOMIZERS: readonly AdmissionCustomizer[] = ['security-context', 'pod-policy'];
export const ADMISSION_MODE_NAMES = Object.keys(ADMISSION_MODES) as AdmissionMode[];
export const DEFAULT_ADMISSION_MODE: AdmissionMode = 'hybrid';

export function admissionMode(mode: AdmissionMode): AdmissionModeSpec {
  return ADMISSION_MODES[mode];
}

/** --mode's help: each mode and what it means. */
export function admissionModesHelp(): string {
  return ADMISSION_MODE_NAMES.map((m) => `${m}: ${ADMISSION_MODES[m].help}`).join('; ');
}

/** The start-up warning when the worker runs another customizer than the mode is built for. */
export function workerMismatch(mode: AdmissionMode, found: CustomizerKind): string | undefined {
  const spec = admissionMode(mode);
  return found === spec.worker ? undefined : `${mode} mode expects ${spec.expects} (found: ${found})${spec.otherwise}`;
}
