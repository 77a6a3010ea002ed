/**
 * The Pulsar releases `pmc render` and `pmc audit` reproduce, and the three kinds of
 * component the worker runs. Below the rest of render/: the config reader, the code
 * locations and the runtime all speak of them.
 */
export type PulsarVersion = '3.0' | '3.3' | '4.0' | '4.2';
export const PULSAR_VERSIONS: readonly PulsarVersion[] = ['3.0', '3.3', '4.0', '4.2'];
/** The release line a worker is taken to run when none is named. */
export const DEFAULT_PULSAR_VERSION: PulsarVersion = '4.0';

export type ComponentKind = 'function' | 'source' | 'sink';
export const COMPONENT_KINDS: readonly ComponentKind[] = ['function', 'source', 'sink'];
