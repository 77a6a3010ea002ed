/**
 * The top-level keys of the Apache Pulsar Helm chart's values.yaml: a file given as the worker's
 * settings that has them is the chart's values, not a functions_worker.yml (worker.ts says so).
 * Data of the chart's, not pmc's options, though some share a Kubernetes word with them.
 * https://github.com/apache/pulsar-helm-chart/blob/master/charts/pulsar/values.yaml
 */
export const HELM_VALUES_KEYS = ['components', 'broker', 'zookeeper', 'bookkeeper', 'proxy', 'images', 'functions', 'function', 'autorecovery', 'toolset', 'pulsar_metadata', 'volumes', 'affinity', 'initialize', 'extra', 'enableTls'];
