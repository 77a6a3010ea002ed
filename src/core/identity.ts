/**
 * Where a StatefulSet's Pulsar function comes from: its tenant, namespace and name
 * (needed for the job-name hash) and its own customRuntimeOptions.
 *
 * Pulsar's Java and Python runtimes start the instance with
 * `--function_details '<FunctionDetails as compact JSON>'` inside `sh -c`, so the
 * generated StatefulSet carries everything the worker knew.
 */
import type { FunctionIdentity } from './naming.js';

export interface EmbeddedFunctionDetails {
  tenant?: string;
  namespace?: string;
  name?: string;
  customRuntimeOptions?: string;
  componentType?: string;
}

const FLAG = '--function_details';

/** The function details embedded in a container's command or args, if any. */
export function embeddedFunctionDetails(commandParts: unknown[]): EmbeddedFunctionDetails | undefined {
  for (const part of commandParts) {
    if (typeof part !== 'string') continue;
    let at = part.indexOf(FLAG);
    while (at !== -1) {
      const brace = part.indexOf('{', at + FLAG.length);
      const json = brace === -1 ? undefined : balancedJsonObject(part, brace);
      if (json !== undefined) {
        try {
          const parsed = JSON.parse(json) as Record<string, unknown>;
          return pickDetails(parsed);
        } catch {
          // not JSON after all; keep looking
        }
      }
      at = part.indexOf(FLAG, at + FLAG.length);
    }
  }
  return undefined;
}

function pickDetails(o: Record<string, unknown>): EmbeddedFunctionDetails {
  const s = (v: unknown) => (typeof v === 'string' ? v : undefined);
  const out: EmbeddedFunctionDetails = {};
  if (s(o.tenant) !== undefined) out.tenant = s(o.tenant);
  if (s(o.namespace) !== undefined) out.namespace = s(o.namespace);
  if (s(o.name) !== undefined) out.name = s(o.name);
  if (s(o.customRuntimeOptions) !== undefined) out.customRuntimeOptions = s(o.customRuntimeOptions);
  if (s(o.componentType) !== undefined) out.componentType = s(o.componentType);
  return out;
}

/** The text of the JSON object starting at `start`, found by matching braces outside strings. */
export function balancedJsonObject(text: string, start: number): string | undefined {
  let depth = 0;
  let inString = false;
  for (let i = start; i < text.length; i++) {
    const c = text[i];
    if (inString) {
      if (c === '\\') i++;
      else if (c === '"') inString = false;
    } else if (c === '"') inString = true;
    else if (c === '{') depth++;
    else if (c === '}') {
      depth--;
      if (depth === 0) return text.slice(start, i + 1);
    }
  }
  return undefined;
}

export type IdentitySource = 'flags' | 'function config' | 'function details' | 'labels';

/**
 * The identity, each field from the first source that has it. Returns which sources
 * were used so the caller can warn when the lossy labels were.
 */
export function resolveIdentity(
  sources: { from: IdentitySource; value: Partial<FunctionIdentity> | undefined }[],
): { identity: Partial<FunctionIdentity>; used: Set<IdentitySource> } {
  const identity: Partial<FunctionIdentity> = {};
  const used = new Set<IdentitySource>();
  for (const field of ['tenant', 'namespace', 'name'] as const) {
    for (const { from, value } of sources) {
      const v = value?.[field];
      if (typeof v === 'string' && v !== '') {
        identity[field] = v;
        used.add(from);
        break;
      }
    }
  }
  return { identity, used };
}

export function isComplete(id: Partial<FunctionIdentity>): id is FunctionIdentity {
  return !!(id.tenant && id.namespace && id.name);
}
