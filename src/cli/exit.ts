/**
 * Exit statuses, decided at the edge: the core reports what went wrong, the CLI says what
 * that means for the process.
 */
import type { ErrorCode } from '../core/base/diagnostics.js';

export const EXIT_OK = 0;
/** Bad input, a failed check. */
export const EXIT_INPUT = 1;
/** Wrong usage: unknown flag, missing argument, conflicting options. */
export const EXIT_USAGE = 2;
/** `pmc diff`: something would change. */
export const EXIT_DIFFERS = 3;

const USAGE_CODES: ReadonlySet<ErrorCode> = new Set(['PMC_USAGE', 'PMC_NO_INPUT']);

export function exitStatusOf(code: ErrorCode): number {
  return USAGE_CODES.has(code) ? EXIT_USAGE : EXIT_INPUT;
}
