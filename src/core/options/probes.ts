/**
 * Probes for the function container, and their presets. Pulsar's pod starts by downloading the
 * function's package (pulsar-admin functions download), then starts the instance, which only
 * then listens on its gRPC port (9093, named grpc) and its metrics port (9094, named
 * prometheus): a probe that does not allow for the download kills every pod before it runs.
 * The presets probe those named ports with timings that do: a startup probe allows five
 * minutes, a liveness probe waits a minute before its first try (or for the startup probe).
 */
export interface Probe {
  /** grpc: a TCP probe of the instance's gRPC port; metrics: GET /metrics on its metrics port. */
  preset?: 'grpc' | 'metrics';
  [field: string]: unknown;
}

export type ProbeKind = 'liveness' | 'readiness' | 'startup';

export const PROBE_PRESETS = ['grpc', 'metrics'] as const;

const HANDLERS: Record<(typeof PROBE_PRESETS)[number], Record<string, unknown>> = {
  grpc: { tcpSocket: { port: 'grpc' } },
  metrics: { httpGet: { path: '/metrics', port: 'prometheus' } },
};

const TIMINGS: Record<ProbeKind, Record<string, number>> = {
  liveness: { initialDelaySeconds: 60, periodSeconds: 10, timeoutSeconds: 5, failureThreshold: 3 },
  readiness: { initialDelaySeconds: 10, periodSeconds: 10, timeoutSeconds: 5, failureThreshold: 3 },
  // 30 tries 10 s apart: five minutes for the download and the instance's start.
  startup: { periodSeconds: 10, timeoutSeconds: 5, failureThreshold: 30 },
};

/** The Probe written: a preset's handler and timings, the given fields over them. */
export function expandProbe(value: Probe, kind: ProbeKind): Record<string, unknown> {
  const { preset, ...given } = value;
  if (!preset) return given;
  return { ...HANDLERS[preset], ...TIMINGS[kind], ...given };
}
