/**
 * Argument parsing and exit statuses. Commands run through `main(argv, io)`, which never
 * exits the process and never touches process streams: bin/pmc.js passes them in.
 */
import { PULSAR_VERSIONS } from '../core/render/runtime.js';
import { Command, CommanderError, InvalidArgumentError, Option } from 'commander';
import { PmcError } from '../core/base/diagnostics.js';
import { EXIT_INPUT, EXIT_USAGE, exitStatusOf } from './exit.js';
import { CUSTOMIZER_KINDS } from '../core/input/config.js';
import { report, type Io } from './io.js';
import { runCustomize, type CustomizeFlags } from './commands/customize.js';

// Commands other than customize load their code only when they run.
const commands = {
  plugin: () => import('./commands/kustomize-plugin.js'),
  krm: () => import('./commands/krm.js'),
  checkPss: () => import('./commands/check-pss.js'),
  diff: () => import('./commands/diff.js'),
  explain: () => import('./commands/explain.js'),
  render: () => import('./commands/render.js'),
  webhook: () => import('./commands/webhook.js'),
  rbac: () => import('./commands/rbac.js'),
  audit: () => import('./commands/audit.js'),
};
import type { InputFlags } from './inputs.js';
import { parsePssPolicy, type PssPolicy } from '../core/checks/pss.js';
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';

import { VERSION } from './version.js';

export { VERSION };

function addInputOptions(cmd: Command): Command {
  return cmd
    .argument('[MANIFEST]', 'a YAML file of manifests, or - for stdin (stdin when omitted)')
    .option('-w, --worker-config <FILE>', "the worker's functions_worker.yml (runtimeCustomizerClassName, runtimeCustomizerConfig)")
    .option('-r, --custom-runtime-options <JSON>', "the function's customRuntimeOptions, a JSON string")
    .option('--custom-runtime-options-file <FILE>', 'the same, read from a file')
    .option('-c, --function-config <FILE>', 'a pulsar-admin function, source or sink config file (YAML or JSON)')
    .option('--tenant <TENANT>', "the Pulsar function's tenant")
    .option('--namespace <NAMESPACE>', "the Pulsar function's namespace (not the Kubernetes namespace)")
    .option('--name <NAME>', "the Pulsar function's name")
    .addOption(
      new Option('--customizer <KIND>', 'overrides runtimeCustomizerClassName').choices(CUSTOMIZER_KINDS as string[]),
    )
    .option('--customizer-profile <FILE>', "a CustomizerProfile: what the options of the worker's own customizer class do")
    .option('--strict', 'every warning is an error (unknown keys included)')
    .option('--all', "customize every StatefulSet and Service, not only Pulsar functions'")
    .option('--select <STATEFULSET>', 'customize this StatefulSet only (by name), passing the other functions through')
    .option('--rename', "use the identity given even where the StatefulSet's own says another function")
    .option('--clean', 'drop what the cluster added to live objects: status, managedFields, uid, resourceVersion, generation, creationTimestamp')
    .option('--no-validate', 'skip the checks of the options and of the result against Kubernetes rules');
}

/** LEVEL[:VERSION], as the pod-security-admission library and namespace labels write it. */
function pssPolicyArgument(value: string): PssPolicy {
  const policy = parsePssPolicy(value);
  if ('error' in policy) throw new InvalidArgumentError(policy.error);
  return policy;
}

function pssOption(): Option {
  return new Option(
    '--check-pss <LEVEL>',
    'fail unless every pod template in the output passes this Pod Security Standards level: baseline or restricted, optionally :VERSION (restricted:v1.25)',
  ).argParser(pssPolicyArgument);
}

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

  addInputOptions(
    program
      .command('customize')
      .description("merge the worker's runtimeCustomizerConfig with the function's customRuntimeOptions and customize the StatefulSet and Service"),
  )
    .addOption(new Option('-o, --output <FORMAT>', "output format (default: the input's, YAML or JSON)").choices(['yaml', 'json']))
    .option('-i, --in-place', 'replace the MANIFEST file (atomically) instead of printing')
    .addOption(pssOption())
    .action((manifest: string | undefined, flags: CustomizeFlags) => run(runCustomize(manifest, flags, io)));

  addInputOptions(program.command('diff').description('show what customize would change, as a unified diff per document (exit 3 when something changes)'))
    .addOption(pssOption())
    .action((manifest: string | undefined, flags: InputFlags & { checkPss?: PssPolicy }) => run(commands.diff().then((m) => m.runDiff(manifest, flags, io))));

  addInputOptions(program.command('explain').description('list every field customize sets, the value it replaced, and where the option came from'))
    .addOption(new Option('-o, --output <FORMAT>', 'output format').choices(['table', 'json']).default('table'))
    .action((manifest: string | undefined, flags: InputFlags & { output?: 'table' | 'json' }) => run(commands.explain().then((m) => m.runExplain(manifest, flags, io))));

  program
    .command('render')
    .description('the Service and StatefulSet the worker would create for a function, source or sink config, customized as customize does')
    .requiredOption('-c, --function-config <FILE>', 'the pulsar-admin function, source or sink config file (YAML or JSON)')
    .requiredOption('-w, --worker-config <FILE>', "the worker's functions_worker.yml, or a ConfigMap holding it, or the Helm chart's ConfigMap with PF_ keys")
    .addOption(new Option('--kind <KIND>', 'what the config describes (default: from its keys)').choices(['function', 'source', 'sink']))
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
    .option('--source-type <TYPE>', "a built-in source: its archive is builtin://TYPE")
    .option('--sink-type <TYPE>', "a built-in sink: its archive is builtin://TYPE")
    .addOption(new Option('--customizer <KIND>', 'overrides runtimeCustomizerClassName; none prints what Pulsar renders, untouched').choices(CUSTOMIZER_KINDS as string[]))
    .option('--customizer-profile <FILE>', "a CustomizerProfile: what the options of the worker's own customizer class do")
    .option('--function-auth-secret-id <ID>', 'the function has a stored auth token in the Secret pf-secret-ID (KubernetesSecretsTokenAuthProvider)')
    .option('--worker-ca', "the worker's tlsTrustCertsFilePath file exists, so a stored token's Secret also holds the CA (trust path /etc/auth/ca.pem)")
    .option('--function-id <UUID>', 'the --function_id to render (the worker draws a random one)')
    .option('--function-version <UUID>', 'the --function_version to render (the worker draws a random one)')
    .option('--transform-function-id <UUID>', "the --transform_function_id to render for a sink's transform function (the worker draws a random one)")
    .option('--original-file-name <FILE>', "the uploaded file's name (default: the base name of jar, py, go or archive)")
    .addOption(new Option('--pulsar-version <VERSION>', "the Pulsar release whose worker to reproduce").choices(PULSAR_VERSIONS).default('4.0'))
    .addOption(new Option('-o, --output <FORMAT>', 'output format').choices(['yaml', 'json']).default('yaml'))
    .addOption(pssOption())
    .option('--strict', 'every warning is an error')
    .option('--no-validate', 'skip the checks of the options and of the result against Kubernetes rules')
    .action((flags: import('./commands/render.js').RenderFlags) => run(commands.render().then((m) => m.runRender(flags, io))));

  const positive = (name: string) => (v: string) => {
    const n = Number(v);
    if (!Number.isInteger(n) || n < 0) throw new InvalidArgumentError(`${name} must be a whole number`);
    return n;
  };
  program
    .command('webhook')
    .description('serve a mutating admission webhook that customizes the StatefulSets the Pulsar worker creates')
    .option('-w, --worker-config <FILE>', "the worker's functions_worker.yml, or a ConfigMap holding it, or the Helm chart's ConfigMap with PF_ keys")
    .option('--tls-cert-file <FILE>', 'the serving certificate (PEM); reloaded when the file changes')
    .option('--tls-key-file <FILE>', 'its private key (PEM); reloaded when the file changes')
    .addOption(new Option('--mode <MODE>', 'hybrid: the worker runs BasicKubernetesManifestCustomizer, the webhook adds the security context; webhook-only: the worker runs no customizer').choices(['hybrid', 'webhook-only']).default('hybrid'))
    .addOption(new Option('--port <PORT>', 'the HTTPS port of POST /mutate').argParser(positive('--port')).default(8443))
    .addOption(new Option('--health-port <PORT>', 'the plain HTTP port of /healthz, /readyz and /metrics').argParser(positive('--health-port')).default(8080))
    .option('--host <ADDRESS>', 'the address to listen on', '0.0.0.0')
    .option('--strict', 'refuse a StatefulSet whose options give any warning')
    .addOption(new Option('--max-body-bytes <BYTES>', 'the largest request read').argParser(positive('--max-body-bytes')).default(3 * 1024 * 1024))
    .addOption(new Option('--request-timeout <MS>', 'how long a client may take to send a request').argParser(positive('--request-timeout')).default(10_000))
    .addOption(new Option('--tls-reload-interval <MS>', 'how often the certificate files are looked at').argParser(positive('--tls-reload-interval')).default(5_000))
    .addOption(new Option('--max-concurrent-reviews <N>', 'reviews read and answered at once; the rest wait unread').argParser(positive('--max-concurrent-reviews')).default(4))
    .addOption(new Option('--max-queued-reviews <N>', 'reviews that may wait; past them, 429 with Retry-After').argParser(positive('--max-queued-reviews')).default(32))
    .addOption(new Option('--shutdown-delay <MS>', 'after SIGTERM, how long to keep serving while /readyz fails').argParser(positive('--shutdown-delay')).default(5_000))
    .addOption(new Option('--tls-min-version <VERSION>', 'the lowest TLS version served').choices(['1.2', '1.3']).default('1.2'))
    .option('--tls-cipher-suites <LIST>', "TLS 1.2 suites, OpenSSL names, comma-separated (default: the ECDHE AEAD suites; TLS 1.3's are always on)")
    .option('--client-ca-file <FILE>', "verify the API server's client certificate against this CA (PEM)")
    .option('--client-allowed-names <LIST>', 'with --client-ca-file: the client certificate CN or DNS names allowed, comma-separated')
    .action((flags: import('./commands/webhook.js').WebhookFlags) => run(commands.webhook().then((m) => m.runWebhook(flags, io))));

  program
    .command('rbac')
    .description("the Role and RoleBinding the functions worker's service account needs in every namespace it deploys functions to")
    .requiredOption('-w, --worker-config <FILE>', "the worker's functions_worker.yml, or a ConfigMap holding it, or the Helm chart's ConfigMap with PF_ keys")
    .option('-c, --function-config <FILE...>', "the functions' pulsar-admin configs, whose customRuntimeOptions may name the namespace each runs in")
    .option('-r, --custom-runtime-options <JSON>', "one more function's customRuntimeOptions, a JSON string")
    .option('--service-account <NAMESPACE:NAME>', "the worker's service account (default: the Helm chart's broker account, pulsar:pulsar-broker-acct)")
    .option('--check <FILE>', 'check these RBAC objects (kubectl get roles,rolebindings,clusterroles,clusterrolebindings -A -o yaml) instead: each missing right named, exit status 3')
    .action((flags: import('./commands/rbac.js').RbacFlags) => run(commands.rbac().then((m) => m.runRbac(flags, io))));

  program
    .command('audit')
    .description('live functions against what the worker would create now: drift field by field, functions not running, StatefulSets without a config, duplicates')
    .requiredOption('-w, --worker-config <FILE>', "the worker's functions_worker.yml, or a ConfigMap holding it, or the Helm chart's ConfigMap with PF_ keys")
    .requiredOption('--live <FILE>', 'the live StatefulSets: kubectl get sts,svc -l component -A -o yaml (a file, or - for stdin)')
    .requiredOption('--functions <PATH...>', "the functions' configs (pulsar-admin functions|sources|sinks get), files or folders of them")
    .addOption(new Option('--pulsar-version <VERSION>', 'the Pulsar release of the worker').choices(PULSAR_VERSIONS).default('4.0'))
    .addOption(new Option('-o, --output <FORMAT>', 'output format (sarif: SARIF 2.1.0, for CI)').choices(['table', 'json', 'sarif']).default('table'))
    .addOption(new Option('--webhook-mode <MODE>', 'pmc webhook runs in this mode: what it applies is expected too, and its stamp on every function').choices(['hybrid', 'webhook-only']))
    .action((flags: import('./commands/audit.js').AuditFlags) => run(commands.audit().then((m) => m.runAudit(flags, io))));

  program
    .command('check-pss')
    .description('check every pod template against the Kubernetes Pod Security Standards')
    .argument('[MANIFEST]', 'a YAML file of manifests, or - for stdin (stdin when omitted)')
    .addOption(
      new Option('--level <LEVEL>', 'baseline or restricted, optionally with a policy version: restricted:v1.25, baseline:latest')
        .argParser(pssPolicyArgument)
        .default(pssPolicyArgument('restricted'), 'restricted'),
    )
    .action((manifest: string | undefined, flags: { level: PssPolicy }) => run(commands.checkPss().then((m) => m.runCheckPss(manifest, flags, io))));

  program
    .command('krm')
    .description('run as a KRM function: a ResourceList on stdin, its functionConfig a PulsarManifestCustomizer')
    .addOption(pssOption())
    .action((flags: { checkPss?: PssPolicy }) => run(commands.krm().then((m) => m.runKrm(io, flags))));

  const plugin = program.command('kustomize-plugin').description('the kustomize exec transformer plugin (kind PulsarManifestCustomizer)');
  plugin
    .command('install')
    .description('install pmc where kustomize looks for the PulsarManifestCustomizer plugin, and print the path')
    .action(() => run(commands.plugin().then((m) => m.runInstall(io))));

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
    if (pluginConfig !== undefined) return await (await commands.plugin()).runAsPlugin(pluginConfig, io, true);
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
    await report(write.diagnostics(), io);
    return exitStatusOf(write.code);
  }
  if (e instanceof PmcError) {
    await report(e.diagnostics(), io);
    return exitStatusOf(e.code);
  }
  // A bug, not bad input: still one clear line, and the stack only on request.
  const err = e instanceof Error ? e : new Error(String(e));
  io.stderr.write(`pmc: internal error: ${err.message}\n`);
  if (io.env.PMC_DEBUG) io.stderr.write(`${err.stack}\n`);
  return EXIT_INPUT;
}
