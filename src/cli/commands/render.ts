/**
 * `pmc render`: the Service and StatefulSet the worker would create for a pulsar-admin config
 * file, customized as `pmc customize` customizes them, on stdout (core/app/render.ts).
 */
import { Option, type Command } from 'commander';
import type { PssPolicy } from '../../core/checks/pss.js';
import { OUTPUT_FORMATS, type OutputFormat } from '../../core/customize/formats.js';
import { COMPONENT_KINDS, DEFAULT_PULSAR_VERSION, PULSAR_VERSIONS, type ComponentKind, type PulsarVersion } from '../../core/render/pulsar.js';
import type { CodeFlags } from '../../core/render/code.js';
import { customizerOption, pssOption, WORKER_CONFIG_HELP, type CommandContext } from '../command.js';
import { EXIT_OK } from '../exit.js';
import type { InputFlags } from '../inputs.js';
import type { Io } from '../io.js';

export interface RenderFlags extends CodeFlags, Pick<InputFlags, 'customizer' | 'customizerProfile' | 'policy' | 'strict' | 'validate' | 'workerConfig' | 'functionConfig' | 'customRuntimeOptions' | 'customRuntimeOptionsFile' | 'tenant' | 'namespace' | 'name'> {
  kind?: ComponentKind;
  pulsarVersion: PulsarVersion;
  functionAuthSecretId?: string;
  functionId?: string;
  functionVersion?: string;
  originalFileName?: string;
  transformFunctionId?: string;
  workerCa?: boolean;
  output?: OutputFormat;
  checkPss?: PssPolicy;
}

export function register(program: Command, ctx: CommandContext): void {
  program
    .command('render')
    .description('the Service and StatefulSet the worker would create for a function, source or sink config, customized as customize does')
    .requiredOption('-c, --function-config <FILE>', 'the pulsar-admin function, source or sink config file (YAML or JSON)')
    .requiredOption('-w, --worker-config <FILE>', WORKER_CONFIG_HELP)
    .addOption(new Option('--kind <KIND>', 'what the config describes (default: from its keys)').choices(COMPONENT_KINDS))
    .option('-r, --custom-runtime-options <JSON>', "the function's customRuntimeOptions, a JSON string (replaces the config's)")
    .option('--custom-runtime-options-file <FILE>', 'the same, read from a file')
    .option('--tenant <TENANT>', "the Pulsar function's tenant (replaces the config's)")
    .option('--namespace <NAMESPACE>', "the Pulsar function's namespace (replaces the config's)")
    .option('--name <NAME>', "the Pulsar function's name (replaces the config's)")
    .option('--jar <FILE>', "a Java function's jar, as pulsar-admin takes it (replaces the config's)")
    .option('--py <FILE>', "a Python function's .py, .zip or .whl (replaces the config's)")
    .option('--go <FILE>', "a Go function's executable (replaces the config's)")
    .option('--function-type <TYPE>', 'a built-in function: its code is builtin://TYPE')
    .option('-a, --archive <FILE>', "a source's or sink's .nar, or builtin://NAME (replaces the config's)")
    .option('--source-type <TYPE>', 'a built-in source: its archive is builtin://TYPE')
    .option('--sink-type <TYPE>', 'a built-in sink: its archive is builtin://TYPE')
    .addOption(customizerOption('overrides runtimeCustomizerClassName; none prints what Pulsar renders, untouched'))
    .option('--customizer-profile <FILE>', "a CustomizerProfile: what the options of the worker's own customizer class do")
    .option('--policy <FILE>', "a FunctionPolicy: what each tenant's functions may ask for, refused otherwise")
    .option('--function-auth-secret-id <ID>', 'the function has a stored auth token in the Secret pf-secret-ID (KubernetesSecretsTokenAuthProvider)')
    .option('--worker-ca', "the worker's tlsTrustCertsFilePath file exists, so a stored token's Secret also holds the CA (trust path /etc/auth/ca.pem)")
    .option('--function-id <UUID>', 'the --function_id to render (the worker draws a random one)')
    .option('--function-version <UUID>', 'the --function_version to render (the worker draws a random one)')
    .option('--transform-function-id <UUID>', "the --transform_function_id to render for a sink's transform function (the worker draws a random one)")
    .option('--original-file-name <FILE>', "the uploaded file's name (default: the base name of jar, py, go or archive)")
    .addOption(new Option('--pulsar-version <VERSION>', 'the Pulsar release whose worker to reproduce').choices(PULSAR_VERSIONS).default(DEFAULT_PULSAR_VERSION))
    .addOption(new Option('-o, --output <FORMAT>', 'output format').choices(OUTPUT_FORMATS).default('yaml'))
    .addOption(pssOption())
    .option('--strict', 'every warning is an error')
    .option('--no-validate', 'skip the checks of the options and of the result against Kubernetes rules')
    .action((flags: RenderFlags) => ctx.run(() => runRender(flags, ctx.io)));
}

export async function runRender(flags: RenderFlags, io: Io): Promise<number> {
  const [{ deliver }, { readGiven, settingsOf }, { renderRequest }, { CODE_FLAG_NAMES }] = await Promise.all([
    import('../app.js'),
    import('../inputs.js'),
    import('../../core/app/render.js'),
    import('../../core/render/code.js'),
  ]);
  // commander's requiredOption makes -c and -w present.
  const given = await readGiven(flags, io);
  const { settings, warnings } = await settingsOf(given);
  const outcome = renderRequest({
    render: {
      config: given.functionConfig!,
      worker: given.worker!,
      kind: flags.kind,
      identity: given.identity!,
      code: Object.fromEntries((Object.keys(CODE_FLAG_NAMES) as (keyof CodeFlags)[]).map((k) => [k, flags[k]])),
      customRuntimeOptions: given.options?.text,
      pulsarVersion: flags.pulsarVersion,
      functionId: flags.functionId,
      functionVersion: flags.functionVersion,
      authSecretId: flags.functionAuthSecretId,
      originalFileName: flags.originalFileName,
      transformFunctionId: flags.transformFunctionId,
      workerHasCa: flags.workerCa,
    },
    settings,
    earlier: warnings,
    output: flags.output,
    checkPss: flags.checkPss,
  });
  await deliver(outcome, io);
  return EXIT_OK;
}
