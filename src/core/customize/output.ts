/**
 * The customized stream in the form asked for, or the input's own: YAML keeps each
 * document's bytes and layout (customize.ts), JSON is printed as kubectl prints it.
 */
import { stringify } from 'yaml';
import { outputObjects, outputYaml, type CustomizeResult } from './customize.js';
import { kubectlJson } from '../base/kubectl-json.js';
import { OUTPUT_FORMATS, formatOf, type OutputFormat } from './formats.js';

export { kubectlJson };

export { OUTPUT_FORMATS, formatOf, type OutputFormat };

/** The output's objects, one document each, dropping empty documents. */
function objectsOf(result: CustomizeResult, source: string): unknown[] {
  return outputObjects(result, source)
    .map((d) => d.object)
    .filter((o) => o !== null && o !== undefined);
}

/**
 * The output in `format`, the input's own when not given. Unchanged input comes back as it
 * was, byte for byte, in its own form.
 */
export function formatOutput(result: CustomizeResult, input: { manifest: string; source: string }, format?: OutputFormat): string {
  const from = formatOf(input.manifest);
  const to = format ?? from;
  const changed = result.documents.some((d) => d.edited);
  if (to === from && (!changed || to === 'yaml')) return changed ? outputYaml(result) : input.manifest;
  const objects = objectsOf(result, input.source);
  // One object for one document, else a v1 List, as kubectl prints several.
  const text =
    to === 'json'
      ? kubectlJson(objects.length === 1 ? objects[0] : { apiVersion: 'v1', kind: 'List', items: objects })
      : objects.map((o) => `---\n${stringify(o, { lineWidth: 0, indentSeq: false })}`).join('');
  return input.manifest.includes('\r\n') ? text.replace(/\n/g, '\r\n') : text;
}
