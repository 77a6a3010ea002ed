/**
 * The customizers pmc reproduces, as `--customizer` and a profile name them: Pulsar's
 * BasicKubernetesManifestCustomizer, the SecurityContext extension our users deploy, or none.
 * The registry says which of them reads each option; the worker file's
 * runtimeCustomizerClassName is mapped onto them in input/config.ts.
 */
export type CustomizerKind = 'basic' | 'security-context' | 'none';
export const CUSTOMIZER_KINDS: readonly CustomizerKind[] = ['basic', 'security-context', 'none'];
