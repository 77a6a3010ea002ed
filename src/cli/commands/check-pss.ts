/**
 * `pmc check-pss`: every pod template in a stream (StatefulSet, Deployment, DaemonSet,
 * ReplicaSet, Job, CronJob, Pod) against a Pod Security Standards level.
 */
import { EXIT_OK, PmcError } from '../../core/diagnostics.js';
import { podTemplate, pssDiagnostics, type PssLevel } from '../../core/pss.js';
import { streamObjects } from '../../core/stream.js';
import { readManifest } from '../inputs.js';
import type { Io } from '../io.js';

export async function runCheckPss(manifest: string | undefined, flags: { level: PssLevel }, io: Io): Promise<number> {
  const { text, source } = await readManifest(manifest, io);
  const documents = streamObjects(text, source);
  const errors = pssDiagnostics(documents, flags.level, source);
  if (errors.length) throw PmcError.fromDiagnostics(errors);
  const checked = documents.filter((d) => d.object && podTemplate(d.object as Record<string, unknown>));
  const lines = checked.map(({ index, object }) => {
    const o = object as { kind: string; metadata?: { name?: string } };
    return `${source}: document ${index + 1} ${o.kind}/${o.metadata?.name ?? '<unnamed>'}: passes PodSecurity "${flags.level}:latest"\n`;
  });
  io.stdout.write(lines.length ? lines.join('') : `${source}: no pod template to check\n`);
  return EXIT_OK;
}
