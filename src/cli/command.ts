/**
 * What a command module is: it declares its flags and its action together, with its choices
 * taken from the core's constants, and registers itself on the program; main.ts only lists
 * the modules. A command's own code, and the core it calls, load when it runs (a dynamic
 * import in its action), so a start pays only for the command run.
 */
import { InvalidArgumentError, Option, type Command } from 'commander';
import { CUSTOMIZER_KINDS } from '../core/options/customizers.js';
import { parsePssPolicy, type PssPolicy } from '../core/checks/pss.js';
import type { Io } from './io.js';

export interface CommandContext {
  io: Io;
  /** Runs the action; main.ts awaits its exit status. */
  run(action: () => Promise<number>): void;
}

export interface PmcCommand {
  register(program: Command, ctx: CommandContext): void;
}

/** The flags every customizing command reads its inputs with (customize, diff, explain). */
export function inputOptions(cmd: Command): Command {
  return cmd
    .argument('[MANIFEST]', 'a YAML file of manifests, or - for stdin (stdin when omitted)')
    .option('-w, --worker-config <FILE>', "the worker's functions_worker.yml (runtimeCustomizerClassName, runtimeCustomizerConfig)")
    .option('-r, --custom-runtime-options <JSON>', "the function's customRuntimeOptions, a JSON string")
    .option('--custom-runtime-options-file <FILE>', 'the same, read from a file')
    .option('-c, --function-config <FILE>', 'a pulsar-admin function, source or sink config file (YAML or JSON)')
    .option('--tenant <TENANT>', "the Pulsar function's tenant")
    .option('--namespace <NAMESPACE>', "the Pulsar function's namespace (not the Kubernetes namespace)")
    .option('--name <NAME>', "the Pulsar function's name")
    .addOption(customizerOption('overrides runtimeCustomizerClassName'))
    .option('--customizer-profile <FILE>', "a CustomizerProfile: what the options of the worker's own customizer class do")
    .option('--policy <FILE>', "a FunctionPolicy: what each tenant's functions may ask for, refused otherwise")
    .option('--strict', 'every warning is an error (unknown keys included)')
    .option('--all', "customize every StatefulSet and Service, not only Pulsar functions'")
    .option('--select <STATEFULSET>', 'customize this StatefulSet only (by name), passing the other functions through')
    .option('--rename', "use the identity given even where the StatefulSet's own says another function")
    .option('--clean', 'drop what the cluster added to live objects: status, managedFields, uid, resourceVersion, generation, creationTimestamp')
    .option('--no-validate', 'skip the checks of the options and of the result against Kubernetes rules');
}

export function customizerOption(description: string): Option {
  return new Option('--customizer <KIND>', description).choices(CUSTOMIZER_KINDS as string[]);
}

/** The worker's settings, in every form pmc reads. */
export const WORKER_CONFIG_HELP = "the worker's functions_worker.yml, or a ConfigMap holding it, or the Helm chart's ConfigMap with PF_ keys";

/** LEVEL[:VERSION], as the pod-security-admission library and namespace labels write it. */
export function pssPolicyArgument(value: string): PssPolicy {
  const policy = parsePssPolicy(value);
  if ('error' in policy) throw new InvalidArgumentError(policy.error);
  return policy;
}

export function pssOption(): Option {
  return new Option(
    '--check-pss <LEVEL>',
    'fail unless every pod template in the output passes this Pod Security Standards level: baseline or restricted, optionally :VERSION (restricted:v1.25)',
  ).argParser(pssPolicyArgument);
}

/** A whole number of at least 0, or commander's usage error naming the flag. */
export function wholeNumber(flag: string) {
  return (v: string): number => {
    const n = Number(v);
    if (!Number.isInteger(n) || n < 0) throw new InvalidArgumentError(`${flag} must be a whole number`);
    return n;
  };
}
