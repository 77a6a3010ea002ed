/**
 * The customizers pmc reproduces, as `--customizer` and a profile name them: Pulsar's
 * BasicKubernetesManifestCustomizer, the SecurityContext extension our users deploy, pmc's own
 * pod-policy (Basic, the extension, and the pod settings beyond them, applied by pmc webhook:
 * no jar in the worker), or none. The registry says which of them reads each option; the
 * worker file's runtimeCustomizerClassName is mapped onto them in input/customizer-class.ts.
 */
export type CustomizerKind = 'basic' | 'security-context' | 'pod-policy' | 'none';
export const CUSTOMIZER_KINDS: readonly CustomizerKind[] = ['basic', 'security-context', 'pod-policy', 'none'];
