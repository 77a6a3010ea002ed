/**
 * Argument parsing and exit statuses. Commands run through `main(argv, io)`, which never
 * exits the process and never touches process streams: bin/pmc.js passes them in.
 */
import { Command, CommanderError } from 'commander';
import { PmcError } from '../core/base/diagnostics.js';
import { EXIT_INPUT, EXIT_USAGE, exitStatusOf } from './exit.js';
import type { Io } from './io.js';
import { stderrReporter } from './reporters.js';
import type { PmcCommand } from './command.js';
import * as customize from './commands/customize.js';
import * as diff from './commands/diff.js';
import * as explain from './commands/explain.js';
import * as render from './commands/render.js';
import * as webhook from './commands/webhook.js';
import * as rbac from './commands/rbac.js';
import * as audit from './commands/audit.js';
import * as policy from './commands/policy.js';
import * as checkPss from './commands/check-pss.js';
import * as krm from './commands/krm.js';
import * as kustomizePlugin from './commands/kustomize-plugin.js';
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';

import { VERSION } from './version.js';

export { VERSION };

/** The commands, in the order --help lists them. Each declares its own flags and action. */
const COMMANDS: PmcCommand[] = [customize, diff, explain, render, webhook, rbac, audit, policy, checkPss, krm, kustomizePlugin];

export function buildProgram(io: Io, run: (p: Promise<number>) => void): Command {
  const program = new Command('pmc')
    .description("Apply Apache Pulsar Functions' Kubernetes manifest customization offline")
    .version(VERSION, '-V, --version')
    .exitOverride()
    .configureOutput({
      writeOut: (s) => io.stdout.write(s),
      writeErr: (s) => io.stderr.write(s),
      outputError: (s, write) => write(`pmc: ${s}`),
    })
    .showHelpAfterError('(run with --help for usage)');
  for (const command of COMMANDS) command.register(program, { io, run: (action) => run(action()) });
  return program;
}

/**
 * kustomize runs a plugin with its config file as the only argument. Anything that is not
 * a command or an option, and names a file, is taken as that.
 */
function pluginConfigArgument(argv: string[], program: Command, io: Io): string | undefined {
  const [first] = argv;
  if (argv.length !== 1 || !first || first.startsWith('-')) return undefined;
  if (program.commands.some((c) => c.name() === first || c.aliases().includes(first))) return undefined;
  return existsSync(resolve(io.cwd, first)) ? first : undefined;
}

/**
 * A failed write to stdout or stderr (a full disk, a closed or read-only descriptor): said
 * as such, never as an internal error.
 */
function writeFailure(e: unknown): PmcError | undefined {
  const err = e as NodeJS.ErrnoException;
  if (!(err instanceof Error) || err.syscall !== 'write' || !err.code) return undefined;
  return new PmcError('PMC_WRITE', `cannot write the output: ${err.message} (is the disk full, or the output closed?)`, { location: { source: '<stdout>' } });
}

/** Runs pmc with `argv` (without node and script); resolves to the exit status. */
export async function main(argv: string[], io: Io): Promise<number> {
  let pending: Promise<number> | undefined;
  const program = buildProgram(io, (p) => {
    pending = p;
  });
  try {
    const pluginConfig = pluginConfigArgument(argv, program, io);
    if (pluginConfig !== undefined) return await (await import('./kustomize-plugin.js')).runAsPlugin(pluginConfig, io, true);
    await program.parseAsync(argv, { from: 'user' });
    if (!pending) {
      program.outputHelp({ error: true });
      return EXIT_USAGE;
    }
    return await pending;
  } catch (e) {
    return handleError(e, io);
  }
}

async function handleError(e: unknown, io: Io): Promise<number> {
  if (e instanceof CommanderError) {
    // Help asked for (--help, `pmc help customize`) and version are successes; help shown
    // because the command line was incomplete, and everything else commander refuses, usage.
    if (e.code === 'commander.helpDisplayed' || e.code === 'commander.version') return e.exitCode;
    if (e.code === 'commander.help' && e.exitCode === 0) return 0;
    return EXIT_USAGE;
  }
  const write = writeFailure(e);
  if (write) {
    await stderrReporter(io).report(write.diagnostics());
    return exitStatusOf(write.code);
  }
  if (e instanceof PmcError) {
    await stderrReporter(io).report(e.diagnostics());
    return exitStatusOf(e.code);
  }
  // A bug, not bad input: still one clear line, and the stack only on request.
  const err = e instanceof Error ? e : new Error(String(e));
  io.stderr.write(`pmc: internal error: ${err.message}\n`);
  if (io.env.PMC_DEBUG) io.stderr.write(`${err.stack}\n`);
  return EXIT_INPUT;
}
