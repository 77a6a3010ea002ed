/**
 * kustomize's legacy exec transformer plugin: kustomize runs the plugin with the path of
 * its config as the first argument, the resources on stdin, and the kustomization root as
 * the working directory (also in KUSTOMIZE_PLUGIN_CONFIG_ROOT).
 */
import { chmod, mkdir, writeFile } from 'node:fs/promises';
import { homedir } from 'node:os';
import { join, resolve } from 'node:path';
import { DiagnosticSink, PmcError } from '../core/base/diagnostics.js';
import { EXIT_OK } from './exit.js';
import { customizeRequest } from '../core/app/run.js';
import { PLUGIN_API_VERSION, PLUGIN_KIND, readPluginConfig } from '../core/input/plugin-config.js';
import { deliver } from './app.js';
import { flagsFromPluginConfig, loadInput } from './inputs.js';
import { readTextFile, type Io } from './io.js';

/**
 * Runs as the plugin: the config file is `configPath`, resources on stdin. `bare`: pmc was
 * given the file alone, as kustomize runs it, and a user who meant `pmc customize FILE`
 * hears so.
 */
export async function runAsPlugin(configPath: string, io: Io, bare = false): Promise<number> {
  const text = await readTextFile(configPath, io, 'plugin config');
  const sink = new DiagnosticSink();
  let config;
  try {
    config = readPluginConfig(text, configPath, sink);
  } catch (e) {
    if (!bare || !(e instanceof PmcError) || !(e.code === 'PMC_YAML_SYNTAX' || (e.code === 'PMC_PLUGIN_CONFIG' && e.location?.path === 'kind'))) throw e;
    throw new PmcError(
      'PMC_PLUGIN_CONFIG',
      `${e.message}: \`pmc FILE\` runs pmc as a kustomize plugin with FILE as its config; to customize the manifests in it, run: pmc customize ${configPath}`,
      { location: e.location, more: e.more },
    );
  }
  sink.throwIfErrors();
  // Relative paths in the config are the kustomization's, not the temporary config file's.
  const root = io.env.KUSTOMIZE_PLUGIN_CONFIG_ROOT || io.cwd;
  const { input, warnings } = await loadInput(undefined, flagsFromPluginConfig(config, text, configPath), { ...io, cwd: root });
  const outcome = customizeRequest({
    input,
    earlier: [...sink.warnings, ...warnings],
    checkPss: config.checkPss,
    output: 'yaml',
    // kubectl kustomize shows a plugin's stderr only when the plugin fails: a warning printed
    // on a successful build reaches nobody. So a warning fails the build unless accepted.
    policy: {
      strict: true,
      allowed: new Set(config.allowWarnings ?? []),
      why: (w) => `(a warning fails the kustomize build, which would not show it otherwise: fix it, or accept it with allowWarnings: [${w.code}] in the ${PLUGIN_KIND} spec)`,
    },
  });
  await deliver(outcome, io);
  return EXIT_OK;
}

/** Where kustomize looks for this plugin's executable. */
export function pluginPath(env: Io['env']): string {
  const config = env.XDG_CONFIG_HOME || join(env.HOME || homedir(), '.config');
  return join(config, 'kustomize', 'plugin', PLUGIN_API_VERSION, PLUGIN_KIND.toLowerCase(), PLUGIN_KIND);
}


function shellQuote(s: string): string {
  return `'${s.replace(/'/g, `'\\''`)}'`;
}

export async function runInstall(io: Io): Promise<number> {
  if (!io.entry) throw new PmcError('PMC_USAGE', 'cannot tell where pmc itself is installed, so there is nothing to install');
  const path = pluginPath(io.env);
  const script = [
    '#!/bin/sh',
    '# Installed by `pmc kustomize-plugin install`: kustomize runs this with its plugin config as $1.',
    `exec ${shellQuote(process.execPath)} ${shellQuote(io.entry)} "$@"`,
    '',
  ].join('\n');
  try {
    await mkdir(resolve(path, '..'), { recursive: true });
    await writeFile(path, script);
    await chmod(path, 0o755);
  } catch (e) {
    throw new PmcError('PMC_WRITE', `cannot install the kustomize plugin: ${(e as Error).message}`, { location: { source: path } });
  }
  io.stdout.write(`${path}\n`);
  return EXIT_OK;
}
