/**
 * The Kubernetes OpenAPI schema check, from kubernetes-models' precompiled validators.
 * Loaded only when validation is on: importing them costs more than the rest of pmc.
 */
import type { SchemaProblem, SchemaValidator } from '../core/options/validate.js';

interface ModelClass {
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- the models take their own input types
  new (data: any): { validate(): void };
}

export async function loadSchemaValidator(): Promise<SchemaValidator> {
  const [{ StatefulSet }, { Service }] = await Promise.all([
    import('kubernetes-models/apps/v1/StatefulSet'),
    import('kubernetes-models/v1/Service'),
  ]);
  const models: Record<string, ModelClass> = { StatefulSet, Service };
  return (kind, object) => {
    try {
      new models[kind](object).validate();
      return [];
    } catch (e) {
      const errors = (e as { errors?: { instancePath: string; message?: string; params?: Record<string, unknown> }[] }).errors;
      if (!errors) throw e;
      return errors.map(
        (err): SchemaProblem => ({
          pointer: err.instancePath,
          message: err.params?.allowedValues
            ? `${err.message}: ${(err.params.allowedValues as unknown[]).map((v) => JSON.stringify(v)).join(', ')}`
            : (err.message ?? 'invalid'),
        }),
      );
    }
  };
}
