/**
 * The body reader and its limits: a request body read whole, refused past `maxBytes` (as it
 * arrives, whatever Content-Length said) and when the client takes longer than `timeoutMs` to
 * send it, so that a slow or oversized client cannot hold a review slot.
 */
import type { IncomingMessage } from 'node:http';

export interface BodyLimits {
  maxBytes: number;
  timeoutMs: number;
}

export type BodyOutcome =
  | { kind: 'body'; body: Buffer }
  | { kind: 'too-large'; message: string }
  | { kind: 'too-slow'; message: string }
  /** The client went away: nothing to answer. */
  | { kind: 'gone' };

/** Reads `req` within the limits; `done` is called once, with the body or why there is none. */
export function readBody(req: IncomingMessage, limits: BodyLimits, done: (outcome: BodyOutcome) => void): void {
  const chunks: Buffer[] = [];
  let size = 0;
  let settled = false;
  const finish = (outcome: BodyOutcome) => {
    if (settled) return;
    settled = true;
    clearTimeout(slow);
    chunks.length = 0;
    done(outcome);
  };
  const slow = setTimeout(() => finish({ kind: 'too-slow', message: `the request was not sent within ${limits.timeoutMs} ms` }), limits.timeoutMs);
  req.on('data', (chunk: Buffer) => {
    if (settled) return;
    size += chunk.length;
    if (size > limits.maxBytes) return finish({ kind: 'too-large', message: `request body over ${limits.maxBytes} bytes` });
    chunks.push(chunk);
  });
  req.on('end', () => {
    if (!settled) finish({ kind: 'body', body: Buffer.concat(chunks) });
  });
  req.on('error', () => finish({ kind: 'gone' }));
  req.resume();
}
