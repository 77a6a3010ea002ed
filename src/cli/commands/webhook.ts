/**
 * `pmc webhook`: its flags. The server is cli/webhook/server.ts, with its parts beside it
 * (the certificate source, the review queue and body reader, the metrics); the admission
 * modes are the core's table (core/customize/modes.ts), which --mode's choices and help read.
 */
import { Option, type Command } from 'commander';
import { ADMISSION_CUSTOMIZERS, ADMISSION_MODE_NAMES, DEFAULT_ADMISSION_MODE, admissionModesHelp } from '../../core/customize/modes.js';
import { WORKER_CONFIG_HELP, wholeNumber, type CommandContext } from '../command.js';
import type { WebhookFlags } from '../webhook/server.js';

export function register(program: Command, ctx: CommandContext): void {
  program
    .command('webhook')
    .description('serve a mutating admission webhook that customizes the StatefulSets the Pulsar worker creates')
    .option('-w, --worker-config <FILE>', WORKER_CONFIG_HELP)
    .option('--tls-cert-file <FILE>', 'the serving certificate (PEM); reloaded when the file changes')
    .option('--tls-key-file <FILE>', 'its private key (PEM); reloaded when the file changes')
    .addOption(new Option('--mode <MODE>', admissionModesHelp()).choices(ADMISSION_MODE_NAMES).default(DEFAULT_ADMISSION_MODE))
    .addOption(new Option('--customizer <KIND>', "what the webhook applies: security-context, the SecurityContext extension's options; pod-policy, those and the pod settings beyond them (service account, scheduling, pull secrets, ...)").choices(ADMISSION_CUSTOMIZERS).default(ADMISSION_CUSTOMIZERS[0]))
    .option('--policy <FILE>', "a FunctionPolicy: what each tenant's functions may ask for; a review that breaks it is denied with the reason")
    .option('--worker-user <USER...>', "customize only the reviews of these users, the worker's service account (system:serviceaccount:NS:NAME); any other user's StatefulSet passes untouched (default: every user)")
    .addOption(new Option('--port <PORT>', 'the HTTPS port of POST /mutate').argParser(wholeNumber('--port')).default(8443))
    .addOption(new Option('--health-port <PORT>', 'the plain HTTP port of /healthz, /readyz and /metrics').argParser(wholeNumber('--health-port')).default(8080))
    .option('--host <ADDRESS>', 'the address to listen on', '0.0.0.0')
    .option('--strict', 'refuse a StatefulSet whose options give any warning')
    .addOption(new Option('--max-body-bytes <BYTES>', 'the largest request read').argParser(wholeNumber('--max-body-bytes')).default(3 * 1024 * 1024))
    .addOption(new Option('--request-timeout <MS>', 'how long a client may take to send a request').argParser(wholeNumber('--request-timeout')).default(10_000))
    .addOption(new Option('--tls-reload-interval <MS>', 'how often the certificate files are looked at').argParser(wholeNumber('--tls-reload-interval')).default(5_000))
    .addOption(new Option('--max-concurrent-reviews <N>', 'reviews read and answered at once; the rest wait unread').argParser(wholeNumber('--max-concurrent-reviews')).default(4))
    .addOption(new Option('--max-queued-reviews <N>', 'reviews that may wait; past them, 429 with Retry-After').argParser(wholeNumber('--max-queued-reviews')).default(32))
    .addOption(new Option('--shutdown-delay <MS>', 'after SIGTERM, how long to keep serving while /readyz fails').argParser(wholeNumber('--shutdown-delay')).default(5_000))
    .addOption(new Option('--tls-min-version <VERSION>', 'the lowest TLS version served').choices(['1.2', '1.3']).default('1.2'))
    .option('--tls-cipher-suites <LIST>', "TLS 1.2 suites, OpenSSL names, comma-separated (default: the ECDHE AEAD suites; TLS 1.3's are always on)")
    .option('--client-ca-file <FILE>', "verify the API server's client certificate against this CA (PEM)")
    .option('--client-allowed-names <LIST>', 'with --client-ca-file: the client certificate CN or DNS names allowed, comma-separated')
    .action((flags: WebhookFlags) => ctx.run(async () => (await import('../webhook/server.js')).runWebhook(flags, ctx.io)));
}
