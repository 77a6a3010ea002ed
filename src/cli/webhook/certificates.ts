/**
 * The webhook's serving certificate as a source of its own, as cert-manager's webhook keeps
 * it: read from the two files a Secret mounts, checked (a PEM certificate, a PEM key, the key
 * the certificate's, within its validity), reloaded when the files change, and the last good
 * pair kept serving when a reload fails. What it reports decides readiness: a failed reload
 * or an expired certificate makes the pod not ready, so the Service stops sending it reviews
 * it would fail.
 */
import { createPrivateKey, X509Certificate } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { PmcError } from '../../core/base/diagnostics.js';

export interface CertificatePair {
  cert: Buffer;
  key: Buffer;
  /** When the certificate stops being valid. */
  notAfter: Date;
  notBefore: Date;
}

export type ReloadOutcome = 'unchanged' | 'reloaded' | 'recovered' | 'failed';

/** Reads and checks the pair; a problem is a PmcError naming the file. */
export function loadPair(certFile: string, keyFile: string, cwd: string): CertificatePair {
  const read = (file: string, what: string) => {
    try {
      return readFileSync(resolve(cwd, file));
    } catch (e) {
      throw new PmcError('PMC_TLS', `cannot read the ${what} ${file}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`, { location: { source: file } });
    }
  };
  const cert = read(certFile, 'TLS certificate');
  const key = read(keyFile, 'TLS key');
  let x509: X509Certificate;
  try {
    x509 = new X509Certificate(cert);
  } catch {
    throw new PmcError('PMC_TLS', `the TLS certificate ${certFile} holds no PEM certificate (${cert.length === 0 ? 'the file is empty' : 'no -----BEGIN CERTIFICATE----- block'}): give the tls.crt of the webhook's Secret`, { location: { source: certFile } });
  }
  let privateKey;
  try {
    privateKey = createPrivateKey(key);
  } catch {
    throw new PmcError('PMC_TLS', `the TLS key ${keyFile} holds no PEM private key (${key.length === 0 ? 'the file is empty' : 'no -----BEGIN ... PRIVATE KEY----- block'}): give the tls.key of the webhook's Secret`, { location: { source: keyFile } });
  }
  if (!x509.checkPrivateKey(privateKey)) {
    throw new PmcError('PMC_TLS', `the TLS key ${keyFile} is not the key of the certificate ${certFile} (a renewal half written, or files of two Secrets)`, { location: { source: keyFile } });
  }
  return { cert, key, notAfter: new Date(x509.validTo), notBefore: new Date(x509.validFrom) };
}

export class CertificateSource {
  private pair: CertificatePair;
  /** Why the last reload failed, until one succeeds. */
  private failure?: string;
  reloads = 0;
  reloadFailures = 0;

  constructor(
    private readonly certFile: string,
    private readonly keyFile: string,
    private readonly cwd: string,
    private readonly now: () => number = Date.now,
  ) {
    this.pair = loadPair(certFile, keyFile, cwd);
    const expired = this.expired();
    if (expired) throw new PmcError('PMC_TLS', `the TLS certificate ${certFile} ${expired}`, { location: { source: certFile } });
  }

  get current(): CertificatePair {
    return this.pair;
  }

  get files(): string[] {
    return [resolve(this.cwd, this.certFile), resolve(this.cwd, this.keyFile)];
  }

  /** Loads the files again; a pair that fails its checks is not taken, and is counted. */
  reload(): { outcome: ReloadOutcome; detail?: string } {
    let next: CertificatePair;
    try {
      next = loadPair(this.certFile, this.keyFile, this.cwd);
      // An expired or not-yet-valid pair is not taken over a good one.
      const invalid = this.validity(next);
      if (invalid) throw new PmcError('PMC_TLS', `the TLS certificate ${this.certFile} ${invalid}`, { location: { source: this.certFile } });
    } catch (e) {
      const detail = (e as Error).message;
      // The same broken files seen again are one failure, not one per look.
      if (this.failure !== detail) this.reloadFailures++;
      this.failure = detail;
      return { outcome: 'failed', detail };
    }
    const had = this.failure !== undefined;
    this.failure = undefined;
    if (next.cert.equals(this.pair.cert) && next.key.equals(this.pair.key)) return { outcome: had ? 'recovered' : 'unchanged' };
    this.pair = next;
    this.reloads++;
    return { outcome: 'reloaded' };
  }

  /** Why the webhook should not be sent reviews now, if it should not. */
  notReady(): string | undefined {
    if (this.failure) return `the certificate files could not be reloaded (${this.failure}); still serving the last good pair`;
    const expired = this.expired();
    return expired ? `the TLS certificate ${this.certFile} ${expired}` : undefined;
  }

  private expired(): string | undefined {
    return this.validity(this.pair);
  }

  private validity(pair: CertificatePair): string | undefined {
    const now = this.now();
    if (now > pair.notAfter.getTime()) return `expired at ${pair.notAfter.toISOString()}`;
    if (now < pair.notBefore.getTime()) return `is not valid before ${pair.notBefore.toISOString()}`;
    return undefined;
  }
}
