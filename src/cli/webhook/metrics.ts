/**
 * pmc webhook's Prometheus metrics, in the text exposition format: what it answered, what it
 * turned away, its certificate, and how long reviews take.
 * https://prometheus.io/docs/instrumenting/exposition_formats/
 */
import type { ReviewOutcome } from '../../core/faces/webhook.js';

const LATENCY_BUCKETS = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5];
const OUTCOMES: readonly ReviewOutcome[] = ['passed', 'unchanged', 'patched', 'refused'];

export interface CertificateFigures {
  reloads: number;
  reloadFailures: number;
  notAfter: Date;
}

export class Metrics {
  private reviews = new Map<ReviewOutcome, number>();
  badRequests = 0;
  /** Reviews turned away with 429 because the queue was full. */
  rejected = 0;
  private buckets = LATENCY_BUCKETS.map(() => 0);
  private count = 0;
  private sum = 0;

  review(outcome: ReviewOutcome, seconds: number): void {
    this.reviews.set(outcome, (this.reviews.get(outcome) ?? 0) + 1);
    this.count++;
    this.sum += seconds;
    LATENCY_BUCKETS.forEach((b, i) => {
      if (seconds <= b) this.buckets[i]!++;
    });
  }

  text(now: { inFlight: number; queued: number; certificate: CertificateFigures }): string {
    const { certificate } = now;
    const one = (name: string, type: 'counter' | 'gauge', help: string, value: number) => [`# HELP ${name} ${help}`, `# TYPE ${name} ${type}`, `${name} ${value}`];
    const lines = [
      '# HELP pmc_webhook_reviews_total AdmissionReviews answered, by outcome (passed: not a Pulsar StatefulSet CREATE; unchanged; patched; refused).',
      '# TYPE pmc_webhook_reviews_total counter',
      ...OUTCOMES.map((o) => `pmc_webhook_reviews_total{outcome="${o}"} ${this.reviews.get(o) ?? 0}`),
      ...one('pmc_webhook_bad_requests_total', 'counter', 'Requests that were not an AdmissionReview, too large, too slow, or not POST /mutate.', this.badRequests),
      ...one('pmc_webhook_rejected_total', 'counter', 'Reviews answered 429 (Retry-After) because as many as the queue holds were waiting.', this.rejected),
      ...one('pmc_webhook_reviews_in_flight', 'gauge', 'Reviews being read or answered now.', now.inFlight),
      ...one('pmc_webhook_reviews_queued', 'gauge', 'Reviews waiting for their turn, not yet read.', now.queued),
      ...one('pmc_webhook_tls_reloads_total', 'counter', 'Times a renewed certificate and key were loaded.', certificate.reloads),
      ...one('pmc_webhook_tls_reload_failures_total', 'counter', 'Times the certificate files changed into a pair that fails its checks (the last good pair kept serving).', certificate.reloadFailures),
      ...one('pmc_webhook_tls_certificate_expiry_seconds', 'gauge', 'When the serving certificate expires, in seconds since the epoch.', Math.floor(certificate.notAfter.getTime() / 1000)),
      '# HELP pmc_webhook_review_duration_seconds Time to answer one AdmissionReview, from the whole request read to the answer.',
      '# TYPE pmc_webhook_review_duration_seconds histogram',
      ...LATENCY_BUCKETS.map((b, i) => `pmc_webhook_review_duration_seconds_bucket{le="${b}"} ${this.buckets[i]}`),
      `pmc_webhook_review_duration_seconds_bucket{le="+Inf"} ${this.count}`,
      `pmc_webhook_review_duration_seconds_sum ${this.sum}`,
      `pmc_webhook_review_duration_seconds_count ${this.count}`,
    ];
    return `${lines.join('\n')}\n`;
  }
}
