import { join } from 'node:path';
import { main } from '../../src/cli/main.js';

export interface RunResult {
  status: number;
  stdout: string;
  stderr: string;
}

/** Runs the whole CLI in-process, with strings for streams. */
export async function runPmc(
  argv: string[],
  opts: { stdin?: string; cwd?: string; env?: Record<string, string | undefined>; stderrIsTTY?: boolean } = {},
): Promise<RunResult> {
  let stdout = '';
  let stderr = '';
  const status = await main(argv, {
    stdin: opts.stdin ?? '',
    stdout: { write: (s: string) => (stdout += s) },
    stderr: { write: (s: string) => (stderr += s), isTTY: opts.stderrIsTTY },
    env: { ...opts.env },
    cwd: opts.cwd ?? process.cwd(),
    entry: join(import.meta.dirname, '..', '..', 'bin', 'pmc.js'),
  });
  return { status, stdout, stderr };
}
