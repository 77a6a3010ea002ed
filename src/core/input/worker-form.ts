/**
 * The forms the worker's settings come in. PF_ keys are the Helm chart's: the broker's
 * ConfigMap when the worker runs in the broker, the functions worker's own when it runs apart.
 */
export type WorkerForm = 'functions_worker.yml' | 'ConfigMap holding functions_worker.yml' | 'ConfigMap with PF_ keys';
