// Writes fixtures/kubectl/: what `kubectl get` prints for Pulsar functions' StatefulSets and
// Services, live objects with what the cluster adds (uid, resourceVersion, managedFields,
// status). `get-list.yaml` is `kubectl get sts,svc -l component=function -o yaml` for two
// functions (a v1 List, long strings folded at 80 columns as kubectl folds them);
// `get-sts.json` is `kubectl get sts <one> -o json`. Run: node test/support/make-kubectl-fixtures.mjs
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseAllDocuments, stringify } from 'yaml';
import { pulsarFunctionManifests } from './pulsar-generated.mjs';

const out = join(import.meta.dirname, '..', '..', 'fixtures', 'kubectl');
let serial = 0;

function live(o) {
  serial++;
  const uid = `7c1e${String(serial).padStart(4, '0')}-3b2a-4d6f-9e11-0a5c2b8d${String(4000 + serial)}`;
  o.metadata = {
    ...o.metadata,
    creationTimestamp: '2026-11-24T08:30:12Z',
    ...(o.kind === 'StatefulSet' ? { generation: 1 } : {}),
    managedFields: [
      {
        apiVersion: o.apiVersion,
        fieldsType: 'FieldsV1',
        fieldsV1: { 'f:metadata': { 'f:labels': { '.': {}, 'f:component': {}, 'f:name': {}, 'f:namespace': {}, 'f:tenant': {} } }, 'f:spec': {} },
        manager: 'okhttp',
        operation: 'Update',
        time: '2026-11-24T08:30:12Z',
      },
    ],
    resourceVersion: String(90210 + serial),
    uid,
  };
  if (o.kind === 'StatefulSet') {
    o.status = { availableReplicas: 1, collisionCount: 0, currentReplicas: 1, currentRevision: `${o.metadata.name}-6d8f7c9b5`, observedGeneration: 1, readyReplicas: 1, replicas: 1, updateRevision: `${o.metadata.name}-6d8f7c9b5`, updatedReplicas: 1 };
  } else {
    o.status = { loadBalancer: {} };
  }
  return o;
}

const objects = ['word-count', 'exclamation']
  .flatMap((name) => parseAllDocuments(pulsarFunctionManifests({ tenant: 'public', namespace: 'default', name })).map((d) => d.toJS()))
  .filter(Boolean)
  .map(live);
// kubectl lists StatefulSets before Services for `get sts,svc`.
const items = [...objects.filter((o) => o.kind === 'StatefulSet'), ...objects.filter((o) => o.kind === 'Service')];
writeFileSync(join(out, 'get-list.yaml'), stringify({ apiVersion: 'v1', items, kind: 'List', metadata: { resourceVersion: '' } }, { indentSeq: false, lineWidth: 80 }));
writeFileSync(join(out, 'get-sts.json'), `${JSON.stringify(items[0], null, 4)}\n`);
