/**
 * The function auth providers a Kubernetes worker runs: the instance's auth settings after
 * the provider rewrote them (KubernetesSecretsTokenAuthProvider, KubernetesServiceAccountTokenAuthProvider),
 * their flags on the instance's command line, and the volumes they add to the pod.
 * https://github.com/apache/pulsar/blob/master/pulsar-functions/runtime/src/main/java/org/apache/pulsar/functions/auth/KubernetesSecretsTokenAuthProvider.java
 * https://github.com/apache/pulsar/blob/master/pulsar-functions/runtime/src/main/java/org/apache/pulsar/functions/auth/KubernetesServiceAccountTokenAuthProvider.java
 */
import type { Obj } from '../base/values.js';
import type { Worker } from './factory.js';
import type { InstanceValues } from './instance.js';

/** The auth settings the instance gets, after the function auth provider rewrote them. */
export interface Auth {
  plugin?: string;
  params?: string;
  trustPath: string;
  useTls: boolean;
  allowInsecure: boolean;
  hostnameVerification: boolean;
}

export function authOf(worker: Worker, instance: InstanceValues): Auth | undefined {
  if (!worker.authenticationEnabled) return undefined;
  const auth: Auth = {
    plugin: worker.authPlugin,
    params: worker.authParams,
    trustPath: worker.tlsTrustCertsFilePath,
    useTls: worker.useTls,
    allowInsecure: worker.tlsAllowInsecureConnection,
    hostnameVerification: worker.tlsEnableHostnameVerification,
  };
  const token = { plugin: 'org.apache.pulsar.client.impl.auth.AuthenticationToken', params: 'file:///etc/auth/token' };
  if (worker.authProvider === 'secrets-token') {
    // Without a stored token the provider clears plugin and params; with one, a worker that
    // has its CA file put it in the Secret too, mounted as /etc/auth/ca.pem.
    if (instance.authSecretId === undefined) return { ...auth, plugin: undefined, params: undefined };
    return { ...auth, ...token, trustPath: instance.workerHasCa ? '/etc/auth/ca.pem' : auth.trustPath };
  }
  if (worker.authProvider === 'service-account') {
    const secret = worker.factory.authProviderConfig.brokerClientTrustCertsSecretName;
    return { ...auth, ...token, trustPath: secret ? '/etc/auth/ca.crt' : auth.trustPath };
  }
  return auth;
}

export const nonBlank = (s: string | undefined): s is string => s !== undefined && s.trim() !== '';

export function authFlags(auth: Auth | undefined): string[] {
  if (!auth) return [];
  const parts: string[] = [];
  if (nonBlank(auth.plugin) && nonBlank(auth.params)) parts.push('--client_auth_plugin', auth.plugin, '--client_auth_params', auth.params);
  parts.push('--use_tls', String(auth.useTls), '--tls_allow_insecure', String(auth.allowInsecure), '--hostname_verification_enabled', String(auth.hostnameVerification));
  if (nonBlank(auth.trustPath)) parts.push('--tls_trust_cert_path', auth.trustPath);
  return parts;
}

/** What the function auth provider adds to the pod when Pulsar submits it. */
export function addAuthVolumes(podSpec: Obj, container: Obj, worker: Worker, instance: InstanceValues): void {
  if (!worker.authenticationEnabled) return;
  if (worker.authProvider === 'secrets-token' && instance.authSecretId !== undefined) {
    podSpec.volumes = [{ name: 'function-auth', secret: { secretName: `pf-secret-${instance.authSecretId}` } }];
    container.volumeMounts = [{ mountPath: '/etc/auth', name: 'function-auth', readOnly: true }];
  }
  if (worker.authProvider === 'service-account') {
    const c = worker.factory.authProviderConfig;
    const secret = typeof c.brokerClientTrustCertsSecretName === 'string' && c.brokerClientTrustCertsSecretName ? c.brokerClientTrustCertsSecretName : undefined;
    const token: Obj = {};
    if (typeof c.serviceAccountTokenAudience === 'string') token.audience = c.serviceAccountTokenAudience;
    token.expirationSeconds = Number(c.serviceAccountTokenExpirationSeconds ?? 0);
    token.path = 'token';
    const volumes: Obj[] = [];
    if (secret) volumes.push({ name: 'ca-cert', secret: { items: [{ key: 'ca.crt', path: 'ca.crt' }], secretName: secret } });
    volumes.push({ name: 'service-account-token', projected: { sources: [{ serviceAccountToken: token }] } });
    podSpec.volumes = volumes;
    const mounts: Obj[] = [{ mountPath: '/etc/auth', name: 'service-account-token', readOnly: true }];
    if (secret) mounts.push({ mountPath: '/etc/auth', name: 'ca-cert', readOnly: true });
    container.volumeMounts = mounts;
  }
}
