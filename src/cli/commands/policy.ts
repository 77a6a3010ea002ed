/**
 * `pmc policy test`: each function's pulsar-admin config (files, or folders of them) rendered
 * as the worker would create it, customized, and judged against a FunctionPolicy: a CI step
 * before `pulsar-admin functions create`. A table of allowed and denied with the reasons, or
 * `-o json`; exit status 3 when any is denied.
 */
import { readdirSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { Option, type Command } from 'commander';
import { DEFAULT_PULSAR_VERSION, PULSAR_VERSIONS, type PulsarVersion } from '../../core/render/pulsar.js';
import { customizerOption, WORKER_CONFIG_HELP, type CommandContext } from '../command.js';
import { EXIT_DIFFERS, EXIT_OK } from '../exit.js';
import type { CustomizerKind } from '../../core/options/customizers.js';
import { POLICY_EXPORT_FORMATS, type PolicyExportFormat } from '../../core/customize/formats.js';
import type { Io } from '../io.js';

export interface PolicyTestFlags {
  policy: string;
  workerConfig: string;
  customizer?: CustomizerKind;
  pulsarVersion: PulsarVersion;
  output?: 'table' | 'json';
}

export function register(program: Command, ctx: CommandContext): void {
  const policy = program.command('policy').description("a FunctionPolicy's tools");
  policy
    .command('export')
    .description("the rules the final StatefulSet shows, as the cluster's own admission policy: a ValidatingAdmissionPolicy and its binding, or a Kyverno ValidatingPolicy (what cannot be expressed is listed at the top)")
    .requiredOption('--policy <FILE>', 'the FunctionPolicy')
    .addOption(new Option('--format <FORMAT>', 'vap: admissionregistration.k8s.io/v1 (Kubernetes 1.30+); kyverno: policies.kyverno.io/v1alpha1 ValidatingPolicy').choices(POLICY_EXPORT_FORMATS).default('vap'))
    .option('--name <NAME>', "the policy object's name", 'pmc-function-policy')
    .action((flags: PolicyExportFlags) => ctx.run(() => runPolicyExport(flags, ctx.io)));
  policy
    .command('test')
    .description("each function config against the policy, as the worker would create it: allowed or denied, with the reasons (exit 3 when any is denied)")
    .argument('<CONFIG...>', "the functions' pulsar-admin configs, files or folders of them")
    .requiredOption('--policy <FILE>', 'the FunctionPolicy')
    .requiredOption('-w, --worker-config <FILE>', WORKER_CONFIG_HELP)
    .addOption(customizerOption('overrides runtimeCustomizerClassName'))
    .addOption(new Option('--pulsar-version <VERSION>', 'the Pulsar release of the worker').choices(PULSAR_VERSIONS).default(DEFAULT_PULSAR_VERSION))
    .addOption(new Option('-o, --output <FORMAT>', 'output format').choices(['table', 'json']).default('table'))
    .action((configs: string[], flags: PolicyTestFlags) => ctx.run(() => runPolicyTest(configs, flags, ctx.io)));
}

export interface PolicyExportFlags {
  policy: string;
  format: PolicyExportFormat;
  name: string;
}

export async function runPolicyExport(flags: PolicyExportFlags, io: Io): Promise<number> {
  const [{ readTextFile }, { readPolicy }, { exportPolicy, printExport }] = await Promise.all([import('../io.js'), import('../../core/input/policy.js'), import('../../core/faces/policy-export.js')]);
  const policy = readPolicy(await readTextFile(flags.policy, io, 'policy'), flags.policy);
  io.stdout.write(printExport(exportPolicy(policy, flags.format, flags.name), flags.policy));
  return EXIT_OK;
}

interface Verdict {
  config: string;
  function?: string;
  allowed: boolean;
  reasons: string[];
}

export async function runPolicyTest(paths: string[], flags: PolicyTestFlags, io: Io): Promise<number> {
  const [{ readGiven, settingsOf }, { renderRequest }, { PmcError }, { readTextFile }] = await Promise.all([
    import('../inputs.js'),
    import('../../core/app/render.js'),
    import('../../core/base/diagnostics.js'),
    import('../io.js'),
  ]);
  const files = paths.flatMap((p) =>
    statSync(resolve(io.cwd, p), { throwIfNoEntry: false })?.isDirectory()
      ? readdirSync(resolve(io.cwd, p)).filter((f) => /\.(ya?ml|json)$/.test(f)).sort().map((f) => join(p, f))
      : [p],
  );
  // The worker and the policy read once: their own mistakes stop the run, located.
  const { settings } = await settingsOf(await readGiven({ workerConfig: flags.workerConfig, policy: flags.policy, customizer: flags.customizer }, io));
  const worker = { text: await readTextFile(flags.workerConfig, io, 'worker config'), source: flags.workerConfig };
  const verdicts: Verdict[] = [];
  for (const file of files) {
    const config = { text: await readTextFile(file, io, 'function config'), source: file };
    try {
      const outcome = renderRequest({ render: { config, worker, identity: {}, pulsarVersion: flags.pulsarVersion }, settings });
      const merged = outcome.result.merged.values().next().value;
      const id = merged?.identity;
      verdicts.push({ config: file, function: id ? `${id.tenant}/${id.namespace}/${id.name}` : undefined, allowed: true, reasons: [] });
    } catch (e) {
      if (!(e instanceof PmcError)) throw e;
      const fn = /the function (\S+\/\S+\/\S+)/.exec(e.message)?.[1];
      verdicts.push({ config: file, function: fn, allowed: false, reasons: e.diagnostics().map((d) => `${d.location?.path ? `${d.location.path}: ` : ''}${d.message} [${d.code}]`) });
    }
  }
  if (flags.output === 'json') io.stdout.write(`${JSON.stringify({ verdicts }, null, 2)}\n`);
  else {
    const lines = verdicts.map((v) => `${v.allowed ? 'allowed' : 'denied '}  ${v.config}${v.function ? ` (${v.function})` : ''}${v.reasons.map((r) => `\n  ${r}`).join('')}`);
    io.stdout.write(`${lines.join('\n')}\n`);
  }
  return verdicts.some((v) => !v.allowed) ? EXIT_DIFFERS : EXIT_OK;
}
