/**
 * The worker's resource rules for a function it registers (KubernetesRuntimeFactory's
 * validateMinResourcesRequired, validateMaxResourcesRequired and
 * validateResourcesGranularityAndProportion), with Pulsar's messages.
 * https://github.com/apache/pulsar/blob/master/pulsar-functions/runtime/src/main/java/org/apache/pulsar/functions/runtime/kubernetes/KubernetesRuntimeFactory.java
 */
import { isObject, type Obj } from '../base/values.js';
import { javaDouble, javaRound } from '../base/java.js';

const num = (v: unknown): number | undefined => (typeof v === 'number' ? v : typeof v === 'string' && v.trim() !== '' && !Number.isNaN(Number(v)) ? Number(v) : undefined);

/** The first rule the resources break, as Pulsar words it, and the worker key that sets the rule; undefined when they pass. */
export function resourceProblem(resources: { cpu: number; ram: bigint }, worker: Obj): { message: string; key: string } | undefined {
  const cpu = resources.cpu;
  const ram = Number(resources.ram);
  const c = javaDouble(cpu);
  const min = isObject(worker.functionInstanceMinResources) ? worker.functionInstanceMinResources : undefined;
  const max = isObject(worker.functionInstanceMaxResources) ? worker.functionInstanceMaxResources : undefined;
  const grn = isObject(worker.functionInstanceResourceGranularities) ? worker.functionInstanceResourceGranularities : undefined;
  const lockStep = worker.functionInstanceResourceChangeInLockStep === true || worker.functionInstanceResourceChangeInLockStep === 'true';

  const minCpu = num(min?.cpu);
  if (minCpu !== undefined && cpu < minCpu) return { key: 'functionInstanceMinResources', message: `Per instance CPU requested, ${c}, for function is less than the minimum required, ${javaDouble(minCpu)}` };
  const minRam = num(min?.ram);
  if (minRam !== undefined && ram < minRam) return { key: 'functionInstanceMinResources', message: `Per instance RAM requested, ${ram}, for function is less than the minimum required, ${minRam}` };
  const maxCpu = num(max?.cpu);
  if (maxCpu !== undefined && cpu > maxCpu) return { key: 'functionInstanceMaxResources', message: `Per instance CPU requested, ${c}, for function is greater than the maximum required, ${javaDouble(maxCpu)}` };
  const maxRam = num(max?.ram);
  if (maxRam !== undefined && ram > maxRam) return { key: 'functionInstanceMaxResources', message: `Per instance RAM requested, ${ram}, for function is greater than the maximum required, ${maxRam}` };

  // Cpu compared in milli-cores, so that 0.3 is a multiple of 0.1.
  let multiples = 0;
  const grnCpu = num(grn?.cpu);
  if (grnCpu !== undefined) {
    const grnMillis = javaRound(1000 * grnCpu);
    if (grnMillis > 0) {
      const millis = javaRound(1000 * cpu);
      if (millis === 0 || millis % grnMillis !== 0) {
        return { key: 'functionInstanceResourceGranularities', message: `Per instance cpu requested, ${c}, for function should be positive and a multiple of the granularity, ${javaDouble(grnCpu)}` };
      }
      if (lockStep) multiples = Math.trunc(millis / grnMillis);
    }
  }
  const grnRam = num(grn?.ram);
  if (grnRam !== undefined && grnRam > 0) {
    if (ram === 0 || ram % grnRam !== 0) {
      return { key: 'functionInstanceResourceGranularities', message: `Per instance ram requested, ${ram}, for function should be positive and a multiple of the granularity, ${grnRam}` };
    }
    if (lockStep && multiples > 0 && multiples !== Math.trunc(ram / grnRam)) {
      return {
        key: 'functionInstanceResourceChangeInLockStep',
        message: `Per instance cpu requested, ${c}, ram requested, ${ram}, for function should be positive and the same multiple of the granularity, cpu, ${grnCpu === undefined ? 'null' : javaDouble(grnCpu)}, ram, ${grnRam}`,
      };
    }
  }
  return undefined;
}
