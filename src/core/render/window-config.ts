/**
 * A window function's config (FunctionConfig.windowConfig and the window keys of the config),
 * as WindowConfigUtils and FunctionConfigUtils put it in the userConfig for the
 * WindowFunctionExecutor that runs the function.
 * https://github.com/apache/pulsar/blob/master/pulsar-functions/utils/src/main/java/org/apache/pulsar/functions/utils/WindowConfigUtils.java
 */
import { formatPath } from '../base/paths.js';
import type { Obj } from '../base/values.js';
import { gsonString } from './protojson.js';
import type { Reader } from './config-reader.js';

export const WINDOW_CONFIG_KEY = '__WINDOWCONFIGS__';
/** WindowConfig's fields in their declared order, which is the order Gson writes them in. */
const WINDOW_FIELDS = [
  ['windowLengthCount', 'int'],
  ['windowLengthDurationMs', 'int'],
  ['slidingIntervalCount', 'int'],
  ['slidingIntervalDurationMs', 'int'],
  ['lateDataTopic', 'string'],
  ['maxLagMs', 'int'],
  ['watermarkEmitIntervalMs', 'int'],
  ['timestampExtractorClassName', 'string'],
  ['actualWindowFunctionClassName', 'string'],
  ['processingGuarantees', 'string'],
] as const;

/**
 * windowConfig, read, checked and completed as WindowConfigUtils does: a sliding interval
 * defaults to the window length, and with a timestamp extractor the lag to 0 and the
 * watermark interval to 1000 ms.
 * https://github.com/apache/pulsar/blob/master/pulsar-functions/utils/src/main/java/org/apache/pulsar/functions/utils/WindowConfigUtils.java
 */
export function readWindowConfig(r: Reader, guarantees: string | undefined): { fields: Obj } | undefined {
  const raw = r.map('windowConfig');
  if (!raw) return undefined;
  const refuse = (message: string, key?: string) => {
    const path = key ? ['windowConfig', key] : ['windowConfig'];
    r.sink.error('PMC_RENDER', `the worker refuses the window config: ${message}`, { ...r.locate(path), path: formatPath(path) });
  };
  const fields: Obj = {};
  for (const [key, type] of WINDOW_FIELDS.slice(0, 8)) {
    const v = raw[key];
    if (v === undefined || v === null) continue;
    if (type === 'int' ? typeof v !== 'number' || !Number.isInteger(v) : typeof v !== 'string') {
      r.sink.error('PMC_FUNCTION_CONFIG', `windowConfig.${key} must be ${type === 'int' ? 'an integer' : 'a string'}, got ${JSON.stringify(v)}`, { ...r.locate(['windowConfig', key]), path: `windowConfig.${key}` });
      continue;
    }
    fields[key] = v;
  }
  for (const key of Object.keys(raw)) {
    if (!WINDOW_FIELDS.some(([k]) => k === key)) r.sink.warn('PMC_FUNCTION_CONFIG', `windowConfig.${key} is not a window setting; Pulsar ignores it`, { ...r.locate(['windowConfig', key]), path: `windowConfig.${key}` });
  }
  const n = (k: string) => fields[k] as number | undefined;
  if (n('windowLengthDurationMs') !== undefined && n('slidingIntervalDurationMs') === undefined) fields.slidingIntervalDurationMs = n('windowLengthDurationMs');
  if (n('windowLengthCount') !== undefined && n('slidingIntervalCount') === undefined) fields.slidingIntervalCount = n('windowLengthCount');
  if (fields.timestampExtractorClassName !== undefined) {
    if (n('maxLagMs') === undefined) fields.maxLagMs = 0;
    if (n('watermarkEmitIntervalMs') === undefined) fields.watermarkEmitIntervalMs = 1000;
  }
  if (n('windowLengthDurationMs') === undefined && n('windowLengthCount') === undefined) refuse('Window length is not specified');
  if (n('windowLengthDurationMs') !== undefined && n('windowLengthCount') !== undefined) refuse('Window length for time and count are set! Please set one or the other.');
  for (const key of ['windowLengthCount', 'windowLengthDurationMs'] as const) if ((n(key) ?? 1) <= 0) refuse(`Window length must be positive [${n(key)}]`, key);
  for (const key of ['slidingIntervalCount', 'slidingIntervalDurationMs'] as const) if ((n(key) ?? 1) <= 0) refuse(`Sliding interval must be positive [${n(key)}]`, key);
  if (fields.timestampExtractorClassName !== undefined) {
    if ((n('maxLagMs') ?? 0) < 0) refuse(`Lag duration must be positive [${n('maxLagMs')}]`, 'maxLagMs');
    if ((n('watermarkEmitIntervalMs') ?? 1) <= 0) refuse(`Watermark interval must be positive [${n('watermarkEmitIntervalMs')}]`, 'watermarkEmitIntervalMs');
  }
  if (guarantees === 'EFFECTIVELY_ONCE' || guarantees === 'MANUAL') refuse(`Windows Function not support ${guarantees} delivery semantics.`);
  return { fields };
}

/** The window config as Gson writes a WindowConfig: declared order, nulls left out. */
export function windowJson(fields: Obj): string {
  const parts: string[] = [];
  for (const [key, type] of WINDOW_FIELDS) {
    const v = fields[key];
    if (v === undefined || v === null) continue;
    parts.push(`${gsonString(key)}:${type === 'int' ? String(v) : gsonString(String(v))}`);
  }
  return `{${parts.join(',')}}`;
}

/** FAILOVER keeps order; KEY_SHARED keeps it per key; else SHARED. */
