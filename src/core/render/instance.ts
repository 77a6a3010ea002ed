/**
 * What only the running worker knows about one instance, given by the user or a marked
 * placeholder: below the command, the Go config, the auth providers and the objects.
 */
/** What only the running worker knows, given by the user or a marked placeholder. */
export interface InstanceValues {
  functionId: string;
  functionVersion: string;
  /** The id of the stored auth token's Secret (pf-secret-ID), when the function has one. */
  authSecretId?: string;
  /** The worker JVM's pulsar.functions.instance.classpath, when the factory sets none. */
  workerClassPath: string;
  /** The Go instance id: -1 on a Kubernetes worker, which runs one externally managed instance. */
  instanceId: number;
  /** A sink's transform function id (random at each start). */
  transformFunctionId?: string;
  /** The worker's tlsTrustCertsFilePath file exists: a stored-token Secret then holds ca.pem too. */
  workerHasCa?: boolean;
}


export const validPort = (p: number): boolean => p > 0 && p < 65536;
