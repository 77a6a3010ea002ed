/**
 * The shapes of the options' values, as Pulsar's RuntimeOpts and the SecurityContext
 * extension declare them: what the registry, the merge rules, the writers and the checks
 * speak of. The registry's schema reads input into them (options.ts).
 */
export type StringMap = Record<string, string>;

export interface ResourceRequirements {
  limits?: StringMap;
  requests?: StringMap;
}

export interface Toleration {
  key?: string;
  operator?: string;
  value?: string;
  effect?: string;
  tolerationSeconds?: number;
}

export interface SeccompProfile {
  type: string;
  localhostProfile?: string;
}

export interface SecurityContextOpts {
  /** Settings that pass a Pod Security Standards level; the fields beside it override it. */
  preset?: 'restricted' | 'baseline';
  /** The worker's only: its security context is a floor a function may tighten, never loosen. */
  enforce?: boolean;
  /** The image's working directory, where it is not Pulsar's /pulsar (for a preset's writable directories). */
  imageWorkingDir?: string;
  // pod level
  runAsUser?: number;
  runAsGroup?: number;
  fsGroup?: number;
  runAsNonRoot?: boolean;
  seccompProfile?: SeccompProfile;
  supplementalGroups?: number[];
  fsGroupChangePolicy?: string;
  // container level
  privileged?: boolean;
  allowPrivilegeEscalation?: boolean;
  readOnlyRootFilesystem?: boolean;
  addCapabilities?: string[];
  dropCapabilities?: string[];
  seLinuxLevel?: string;
  seLinuxRole?: string;
  seLinuxType?: string;
  seLinuxUser?: string;
}
