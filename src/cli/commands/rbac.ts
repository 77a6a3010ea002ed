/**
 * `pmc rbac`: the Role and RoleBinding the functions worker's service account needs in every
 * namespace the worker file and the functions' configs reach (core/rbac.ts), as a YAML stream
 * for `kubectl apply -f -`.
 */
import type { Command } from 'commander';
import { WORKER_CONFIG_HELP, type CommandContext } from '../command.js';
import { EXIT_DIFFERS, EXIT_OK } from '../exit.js';
import { readTextFile, type Io } from '../io.js';
import { stderrReporter } from '../reporters.js';

export interface RbacFlags {
  workerConfig: string;
  functionConfig?: string[];
  serviceAccount?: string;
  customRuntimeOptions?: string;
  /** `kubectl get roles,rolebindings,clusterroles,clusterrolebindings -A -o yaml`: check instead of write. */
  check?: string;
}

export function register(program: Command, ctx: CommandContext): void {
  program
    .command('rbac')
    .description("the Role and RoleBinding the functions worker's service account needs in every namespace it deploys functions to")
    .requiredOption('-w, --worker-config <FILE>', WORKER_CONFIG_HELP)
    .option('-c, --function-config <FILE...>', "the functions' pulsar-admin configs, whose customRuntimeOptions may name the namespace each runs in")
    .option('-r, --custom-runtime-options <JSON>', "one more function's customRuntimeOptions, a JSON string")
    .option('--service-account <NAMESPACE:NAME>', "the worker's service account (default: the Helm chart's broker account, pulsar:pulsar-broker-acct)")
    .option('--check <FILE>', 'check these RBAC objects (kubectl get roles,rolebindings,clusterroles,clusterrolebindings -A -o yaml) instead: each missing right named, exit status 3')
    .action((flags: RbacFlags) => ctx.run(() => runRbac(flags, ctx.io)));
}

/** The Apache Pulsar Helm chart's broker service account (the worker runs in the broker). */
const HELM_CHART_ACCOUNT = 'pulsar:pulsar-broker-acct';

export async function runRbac(flags: RbacFlags, io: Io): Promise<number> {
  const [{ parseServiceAccount, workerRbac }, { missingRights, rbacObjects }, { streamObjects }] = await Promise.all([
    import('../../core/faces/rbac.js'),
    import('../../core/faces/rbac-check.js'),
    import('../../core/base/stream.js'),
  ]);
  const worker = { text: await readTextFile(flags.workerConfig, io, 'worker config'), source: flags.workerConfig };
  const configs = [];
  for (const c of flags.functionConfig ?? []) configs.push({ text: await readTextFile(c, io, 'function config'), source: c });
  const serviceAccount = parseServiceAccount(flags.serviceAccount ?? HELM_CHART_ACCOUNT);
  const options = flags.customRuntimeOptions !== undefined ? { text: flags.customRuntimeOptions, source: '--custom-runtime-options' } : undefined;
  const result = workerRbac({ worker, configs, options, serviceAccount });
  const said = flags.serviceAccount
    ? []
    : [{ severity: 'info' as const, code: 'PMC_RBAC' as const, message: `bound to the Apache Pulsar Helm chart's broker service account ${HELM_CHART_ACCOUNT} (the worker runs in the broker there); give --service-account NAMESPACE:NAME for yours` }];
  await stderrReporter(io).report([...said, ...result.diagnostics]);
  if (flags.check === undefined) {
    io.stdout.write(result.yaml);
    return EXIT_OK;
  }
  const text = await readTextFile(flags.check, io, 'RBAC objects');
  const missing = missingRights(result.rights, rbacObjects(streamObjects(text, flags.check).map((d) => d.object)), serviceAccount);
  const account = `${serviceAccount.namespace}:${serviceAccount.name}`;
  const namespaces = [...new Set(result.rights.map((r) => r.namespace))].sort();
  if (missing.length === 0) {
    io.stdout.write(`the service account ${account} has all ${result.rights.length} rights the worker needs, in ${namespaces.join(', ')}\n`);
    return EXIT_OK;
  }
  const line = (r: (typeof missing)[number]) => `missing in ${r.namespace}: ${r.verb} ${r.resource}${r.apiGroup ? ` (${r.apiGroup})` : ''}${r.resourceName ? ` ${r.resourceName}` : ''}, for ${r.why}\n`;
  io.stdout.write(`the service account ${account} lacks ${missing.length} of the ${result.rights.length} rights the worker needs:\n${missing.map(line).join('')}`);
  return EXIT_DIFFERS;
}
