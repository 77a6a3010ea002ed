/**
 * The Kubernetes object types pmc reads and writes, from kubernetes-models: type imports
 * only, which cost nothing at run time.
 */
export type { IStatefulSet } from 'kubernetes-models/apps/v1/StatefulSet';
export type { IService } from 'kubernetes-models/v1/Service';
export type { IPodSpec } from 'kubernetes-models/v1/PodSpec';
export type { IPodTemplateSpec } from 'kubernetes-models/v1/PodTemplateSpec';
export type { IContainer } from 'kubernetes-models/v1/Container';
export type { IToleration } from 'kubernetes-models/v1/Toleration';
export type { IObjectMeta } from '@kubernetes-models/apimachinery/apis/meta/v1/ObjectMeta';
