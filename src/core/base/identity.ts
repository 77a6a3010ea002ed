/**
 * Where a StatefulSet's Pulsar function comes from: its tenant, namespace and name
 * (needed for the job-name hash) and its own customRuntimeOptions.
 *
 * Pulsar's Java and Python runtimes start the instance with
 * `--function_details '<FunctionDetails as compact JSON>'` inside `sh -c`, and the Go runtime
 * with `-instance-conf '<its config as JSON>'`, so the generated StatefulSet carries
 * everything the worker knew.
 * https://github.com/apache/pulsar/blob/master/pulsar-functions/runtime/src/main/java/org/apache/pulsar/functions/runtime/RuntimeUtils.java
 */
import { tryParseJson } from './json-source.js';
import type { FunctionIdentity } from './naming.js';

export interface EmbeddedFunctionDetails {
  tenant?: string;
  namespace?: string;
  name?: string;
  customRuntimeOptions?: string;
  componentType?: string;
}

const FLAG = '--function_details';
/** Go's instance takes one JSON config instead: tenant, nameSpace, name, and (Pulsar 3.3+) the function details as a string. */
const GO_FLAG = '-instance-conf';

/** The function details embedded in a container's command or args, if any. */
export function embeddedFunctionDetails(commandParts: unknown[]): EmbeddedFunctionDetails | undefined {
  return embeddedJson(commandParts, FLAG, pickDetails) ?? embeddedJson(commandParts, GO_FLAG, pickGoInstanceConfig);
}

/** The first JSON object after `flag` in the command's parts that `pick` makes sense of. */
function embeddedJson(commandParts: unknown[], flag: string, pick: (o: Record<string, unknown>) => EmbeddedFunctionDetails): EmbeddedFunctionDetails | undefined {
  for (const part of commandParts) {
    if (typeof part !== 'string') continue;
    let at = part.indexOf(flag);
    while (at !== -1) {
      // `--function_details` does not hold `-instance-conf`, nor the other way round; still,
      // a match must stand alone, not inside a longer flag.
      const standalone = at === 0 || /\s|'|"/.test(part[at - 1]!);
      const brace = part.indexOf('{', at + flag.length);
      const json = standalone && brace !== -1 ? balancedJsonObject(part, brace) : undefined;
      if (json !== undefined) {
        const parsed = tryParseJson(json);
        // not JSON after all: keep looking
        if (parsed) return pick(parsed.value as Record<string, unknown>);
      }
      at = part.indexOf(flag, at + flag.length);
    }
  }
  return undefined;
}

/** Go's instance config: its own field names, and the details as a string when Pulsar put them there. */
function pickGoInstanceConfig(o: Record<string, unknown>): EmbeddedFunctionDetails {
  let details: EmbeddedFunctionDetails = {};
  if (typeof o.functionDetails === 'string') {
    // An older worker's config, or not JSON: the instance config's own fields still say who it is.
    const parsed = tryParseJson(o.functionDetails);
    if (parsed) details = pickDetails(parsed.value as Record<string, unknown>);
  }
  const s = (v: unknown) => (typeof v === 'string' && v !== '' ? v : undefined);
  return { ...details, tenant: s(o.tenant) ?? details.tenant, namespace: s(o.nameSpace) ?? details.namespace, name: s(o.name) ?? details.name };
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
