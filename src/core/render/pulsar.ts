/**
 * The Pulsar releases `pmc render` and `pmc audit` reproduce, and what changed between them:
 * one table (the shape the Pod Security checks use for their versions), read by every stage
 * (the config reader, the instance command, the Go instance config, the objects), by
 * `--pulsar-version`'s choices and default, and checked against the README's list and the
 * Pulsar oracle's releases by the tests. Adding a release is one entry in RELEASES (and, where
 * it changes what the worker does, one in CHANGES), plus its golden and oracle cases.
 * Below the rest of render/: every module of it speaks of these.
 */
export const RELEASES = [
  // 3.0.0: the only 3.0 release whose jars Maven Central serves whole.
  { line: '3.0', patch: '3.0.0' },
  { line: '3.3', patch: '3.3.6' },
  { line: '4.0', patch: '4.0.8' },
  { line: '4.2', patch: '4.2.4' },
] as const;

export type PulsarVersion = (typeof RELEASES)[number]['line'];
export const PULSAR_VERSIONS: readonly PulsarVersion[] = RELEASES.map((r) => r.line);
/** The release line a worker is taken to run when none is named. */
export const DEFAULT_PULSAR_VERSION: PulsarVersion = '4.0';
/** The newest line pmc knows. */
export const LATEST_PULSAR_VERSION: PulsarVersion = PULSAR_VERSIONS[PULSAR_VERSIONS.length - 1]!;

export interface ReleaseChange {
  /** The first of pmc's release lines that has it. */
  from: PulsarVersion;
  /** The Pulsar release that brought it, when it is not one of the lines. */
  since: string;
  what: string;
}

/** Each behaviour of the worker that differs between the lines, with where it starts. */
export const CHANGES = {
  sanitizedFileName: { from: '3.3', since: '3.1', what: "the uploaded file's name keeps only [a-zA-Z0-9-_.] (RuntimeUtils.sanitizeFileName)" },
  downloadTlsFlags: { from: '3.3', since: '3.1', what: "the download step passes the worker's TLS settings to pulsar-admin" },
  nettyReflectionFlags: { from: '3.3', since: '3.3.1', what: "the Java instance's three netty reflection flags and three --add-opens (PR #22910)" },
  ignoreUnknownConfigFields: { from: '3.3', since: '3.1', what: 'the instance gets --ignore_unknown_config_fields when the worker sets it' },
  goInstanceConfigFields: { from: '3.3', since: '3.1', what: "GoInstanceConfig's stateStorageServiceUrl, pulsarWebServiceUrl, auth, sourceInputSpecs and functionDetails" },
  goInstancePortFromFactory: { from: '3.3', since: '3.1', what: "the Go instance's port is the factory's grpcPort (3.0: a free port of the worker's host)" },
  converterOrderingFields: { from: '3.3', since: '3.1', what: "a sink's retainOrdering and retainKeyOrdering and a function's batchBuilder reach the details" },
  connectorLogTopic: { from: '3.3', since: '3.1', what: "a source's or sink's logTopic and a source's sourceType are config fields" },
} as const satisfies Record<string, ReleaseChange>;

export type ReleaseChangeName = keyof typeof CHANGES;

/** Whether the worker of `version` does what the change describes. */
export function has(version: PulsarVersion, change: ReleaseChangeName): boolean {
  return PULSAR_VERSIONS.indexOf(version) >= PULSAR_VERSIONS.indexOf(CHANGES[change].from);
}

export type ComponentKind = 'function' | 'source' | 'sink';
export const COMPONENT_KINDS: readonly ComponentKind[] = ['function', 'source', 'sink'];
