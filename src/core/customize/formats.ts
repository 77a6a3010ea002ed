/**
 * The forms a stream of manifests comes in and goes out as: YAML (a stream of documents) or
 * JSON (one object, or kubectl's `kind: List`). No imports: the CLI's `-o` choices read it.
 */
export const OUTPUT_FORMATS = ['yaml', 'json'] as const;
export type OutputFormat = (typeof OUTPUT_FORMATS)[number];

/** `kubectl get -o json` output (or any JSON): the first thing after blanks and a BOM is `{` or `[`. */
export function formatOf(text: string): OutputFormat {
  return /^\uFEFF?\s*[[{]/.test(text) ? 'json' : 'yaml';
}

/** What `pmc policy export` compiles a FunctionPolicy to: a ValidatingAdmissionPolicy, or a Kyverno ValidatingPolicy. */
export const POLICY_EXPORT_FORMATS = ['vap', 'kyverno'] as const;
export type PolicyExportFormat = (typeof POLICY_EXPORT_FORMATS)[number];
