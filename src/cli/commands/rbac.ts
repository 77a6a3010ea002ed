/**
 * `pmc rbac`: the Role and RoleBinding the functions worker's service account needs in every
 * namespace the worker file and the functions' configs reach (core/rbac.ts), as a YAML stream
 * for `kubectl apply -f -`.
 */
import { parseServiceAccount, workerRbac } from '../../core/rbac.js';
import { EXIT_OK } from '../exit.js';
import { readTextFile, report, type Io } from '../io.js';

export interface RbacFlags {
  workerConfig: string;
  functionConfig?: string[];
  serviceAccount?: string;
}

/** The Apache Pulsar Helm chart's broker service account (the worker runs in the broker). */
const HELM_CHART_ACCOUNT = 'pulsar:pulsar-broker-acct';

export async function runRbac(flags: RbacFlags, io: Io): Promise<number> {
  const worker = { text: await readTextFile(flags.workerConfig, io, 'worker config'), source: flags.workerConfig };
  const configs = [];
  for (const c of flags.functionConfig ?? []) configs.push({ text: await readTextFile(c, io, 'function config'), source: c });
  const serviceAccount = parseServiceAccount(flags.serviceAccount ?? HELM_CHART_ACCOUNT);
  const result = workerRbac({ worker, configs, serviceAccount });
  const said = flags.serviceAccount
    ? []
    : [{ severity: 'info' as const, code: 'PMC_RBAC' as const, message: `bound to the Apache Pulsar Helm chart's broker service account ${HELM_CHART_ACCOUNT} (the worker runs in the broker there); give --service-account NAMESPACE:NAME for yours` }];
  await report([...said, ...result.diagnostics], io);
  io.stdout.write(result.yaml);
  return EXIT_OK;
}
