/**
 * `pmc kustomize-plugin install`. The plugin itself (kustomize runs `pmc CONFIG`) is
 * cli/kustomize-plugin.ts, which main.ts calls when pmc is given a config file alone.
 */
import type { Command } from 'commander';
import type { CommandContext } from '../command.js';

export function register(program: Command, ctx: CommandContext): void {
  program
    .command('kustomize-plugin')
    .description('the kustomize exec transformer plugin (kind PulsarManifestCustomizer)')
    .command('install')
    .description('install pmc where kustomize looks for the PulsarManifestCustomizer plugin, and print the path')
    .action(() => ctx.run(async () => (await import('../kustomize-plugin.js')).runInstall(ctx.io)));
}
