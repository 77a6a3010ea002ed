/**
 * The pure core: worker options + function options -> merged options -> customized
 * documents. Text in, text out; no file system, no process, no printing.
 */
import { DiagnosticSink, PmcError, type Diagnostic, type Location } from './diagnostics.js';
import type { CustomizerKind } from './config.js';
import { readCustomRuntimeOptions } from './config.js';
import { DocumentEditor, type Change, type FieldPath } from './edit.js';
import { planMounts, writablePaths } from './presets.js';
import { embeddedFunctionDetails, isComplete, resolveIdentity, type IdentitySource } from './identity.js';
import { mergeRuntimeOpts, PULSAR_RESOURCES } from './merge.js';
import { customJobName, jobNameProblem, type FunctionIdentity } from './naming.js';
import { jsonPath, type RuntimeOpts, type SecurityContextOpts } from './options.js';
import { hasContent, mayHoldKind, parseChunk, printChunk, splitDocuments, toPlain, type ParsedChunk } from './stream.js';
import { checkOptions, checkWorkload, optionRoot, serviceNameProblem, type OptionRoot, type SchemaValidator } from './validate.js';
import { FORBIDDEN_KEYS } from './options.js';
import { asArray, isObject } from './values.js';

export interface CustomizeInput {
  /** The manifest stream, as read. */
  manifest: string;
  /** Its name in messages: a file name or `<stdin>`. */
  source: string;
  customizer: CustomizerKind;
  /** runtimeCustomizerConfig, already read. */
  worker: RuntimeOpts;
  /**
   * customRuntimeOptions given on the command line or in a config file, for every
   * StatefulSet. When absent, each StatefulSet's own embedded options are used.
   */
  functionOptions?: RuntimeOpts;
  /** Identity given on the command line or in a config file, highest priority first. */
  identity?: { from: IdentitySource; value: Partial<FunctionIdentity> }[];
  /** Customize every StatefulSet and Service, not only Pulsar's. */
  all?: boolean;
  strict?: boolean;
  /** Something asked for customization (for the warning when the customizer is none). */
  optionsGiven?: boolean;
  /** Check the options and the result against Kubernetes' rules (default true). */
  validate?: boolean;
  /** The Kubernetes OpenAPI schema check, when the caller has loaded one. */
  schema?: SchemaValidator;
}

export interface CustomizedDocument {
  index: number;
  /** 1-based line of the stream where the document starts. */
  line: number;
  /** The document's bytes as output: the source's own when it was not edited. */
  text: string;
  edited: boolean;
  /** The parsed document, when it was parsed. */
  parsed?: ParsedChunk;
  /** The document as plain data, when pmc already has it (every edited document). */
  object?: Record<string, unknown>;
}

export interface CustomizeResult {
  documents: CustomizedDocument[];
  changes: Change[];
  warnings: Diagnostic[];
  /** The options applied to each customized StatefulSet and its Services, by document index. */
  merged: Map<number, { options: RuntimeOpts; functionOptions: RuntimeOpts; identity: Partial<FunctionIdentity> }>;
  /** How many StatefulSets were customized. */
  workloads: number;
}

const FUNCTION_LABELS = ['component', 'tenant', 'namespace', 'name'] as const;
const PULSAR_CONTAINER = 'pulsarfunction';

interface Candidate {
  chunk: ParsedChunk;
  plain: Record<string, any>;
  kind: 'StatefulSet' | 'Service';
  name: string;
}

export function customize(input: CustomizeInput): CustomizeResult {
  const sink = new DiagnosticSink();
  if (!hasContent(input.manifest)) {
    throw new PmcError('PMC_EMPTY_INPUT', 'the input holds no YAML document (did the command before pmc fail?)', {
      location: { source: input.source },
    });
  }
  const chunks = splitDocuments(input.manifest);
  const result: CustomizeResult = { documents: [], changes: [], warnings: [], merged: new Map(), workloads: 0 };

  if (input.customizer === 'none') {
    if (input.optionsGiven) {
      sink.warn('PMC_NO_CUSTOMIZER', 'no runtimeCustomizerClassName in the worker config: Pulsar ignores customRuntimeOptions, so the manifest is unchanged');
    }
    result.documents = chunks.map((c) => ({ index: c.index, line: c.line, text: c.text, edited: false }));
    result.warnings = sink.warnings;
    return result;
  }

  const candidates: Candidate[] = [];
  const parsed = new Map<number, ParsedChunk>();
  for (const chunk of chunks) {
    if (!mayHoldKind(chunk, ['StatefulSet', 'Service'])) continue;
    const p = parseChunk(chunk, input.source);
    parsed.set(chunk.index, p);
    const plain = toPlain(p, input.source);
    if (!isObject(plain)) continue;
    refuseForbiddenKeys(plain, p, input.source);
    if (plain.kind === 'StatefulSet' || plain.kind === 'Service') {
      candidates.push({ chunk: p, plain, kind: plain.kind, name: String(plain.metadata?.name ?? '') });
    }
  }

  const statefulSets = candidates.filter((c) => c.kind === 'StatefulSet' && (input.all || isPulsarStatefulSet(c.plain)));
  const services = candidates.filter((c) => c.kind === 'Service');
  const edited = new Set<number>();
  const pairedServices = new Set<number>();

  const serviceIndex = indexServices(services);
  for (const sts of statefulSets) {
    const own = servicesOf(sts, serviceIndex);
    own.forEach((s) => pairedServices.add(s.chunk.index));
    customizeWorkload(sts, own, input, sink, result);
    edited.add(sts.chunk.index);
    own.forEach((s) => edited.add(s.chunk.index));
    result.workloads++;
  }
  if (input.all) {
    for (const svc of services) {
      if (pairedServices.has(svc.chunk.index)) continue;
      customizeLoneService(svc, input, sink, result);
      edited.add(svc.chunk.index);
    }
  }
  if (result.workloads === 0) {
    sink.warn('PMC_NO_WORKLOAD', 'no Pulsar function StatefulSet in the input; the output is the input, unchanged', {
      source: input.source,
    });
  }
  sink.throwIfErrors();
  if (input.validate !== false) {
    const named = new Set(result.changes.filter((ch) => ch.path.length === 2 && ch.path[0] === 'metadata' && ch.path[1] === 'name').map((ch) => ch.document));
    for (const c of candidates) {
      if (!edited.has(c.chunk.index)) continue;
      // c.plain has followed every edit (DocumentEditor mirrors them): no second toJS.
      checkWorkload(c.kind, c.plain, docLocation(c, input.source), sink, { schema: input.schema, nameSet: named.has(c.chunk.index) });
    }
    sink.throwIfErrors();
  }

  const changedDocs = new Set(result.changes.map((c) => c.document));
  const objects = new Map(candidates.map((c) => [c.chunk.index, c.plain]));
  result.documents = chunks.map((c) => {
    const p = parsed.get(c.index);
    const object = objects.get(c.index);
    if (p && edited.has(c.index) && changedDocs.has(c.index)) {
      return { index: c.index, line: c.line, text: printChunk(p), edited: true, parsed: p, object };
    }
    return { index: c.index, line: c.line, text: c.text, edited: false, parsed: p, object };
  });
  result.warnings = sink.warnings;
  return result;
}

/** A manifest key that could reach Object.prototype in some later consumer is refused outright. */
function refuseForbiddenKeys(value: unknown, chunk: ParsedChunk, source: string, path: (string | number)[] = []): void {
  // One path stack for the whole walk: a copy per node is garbage for every document.
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) {
      path.push(i);
      refuseForbiddenKeys(value[i], chunk, source, path);
      path.pop();
    }
  } else if (isObject(value)) {
    for (const k in value) {
      if (!Object.hasOwn(value, k)) continue;
      const v = value[k];
      if (k === '__proto__' || (FORBIDDEN_KEYS.has(k) && typeof v === 'object')) {
        throw new PmcError('PMC_FORBIDDEN_KEY', `the key "${k}" is not allowed in a manifest`, {
          location: { source, line: chunk.line, document: { index: chunk.index }, path: [...path, k].join('.') },
        });
      }
      path.push(k);
      refuseForbiddenKeys(v, chunk, source, path);
      path.pop();
    }
  }
}


export function isPulsarStatefulSet(plain: Record<string, any>): boolean {
  const labels = plain.metadata?.labels;
  if (isObject(labels) && FUNCTION_LABELS.every((k) => typeof labels[k] === 'string')) return true;
  const containers = plain.spec?.template?.spec?.containers;
  return Array.isArray(containers) && containers.some((c) => isObject(c) && c.name === PULSAR_CONTAINER);
}

interface ServiceIndex {
  byName: Map<string, Candidate[]>;
  byLabels: Map<string, Candidate[]>;
}

function functionLabelsKey(labels: unknown): string | undefined {
  if (!isObject(labels) || !FUNCTION_LABELS.every((k) => typeof labels[k] === 'string')) return undefined;
  return FUNCTION_LABELS.map((k) => labels[k]).join('\u0000');
}

/** Services by name and by function labels, so pairing stays linear in the stream. */
function indexServices(services: Candidate[]): ServiceIndex {
  const index: ServiceIndex = { byName: new Map(), byLabels: new Map() };
  const add = (m: Map<string, Candidate[]>, k: string | undefined, c: Candidate) => {
    if (k !== undefined) m.set(k, [...(m.get(k) ?? []), c]);
  };
  for (const svc of services) {
    add(index.byName, svc.name || undefined, svc);
    add(index.byLabels, functionLabelsKey(svc.plain.metadata?.labels), svc);
  }
  return index;
}

/**
 * Pulsar's headless Service: named by the StatefulSet's serviceName, or carrying its
 * function labels; in the same Kubernetes namespace when both say one.
 */
function servicesOf(sts: Candidate, index: ServiceIndex): Candidate[] {
  const serviceName = sts.plain.spec?.serviceName;
  const labelsKey = functionLabelsKey(sts.plain.metadata?.labels);
  const found = new Set([
    ...(typeof serviceName === 'string' ? (index.byName.get(serviceName) ?? []) : []),
    ...(labelsKey !== undefined ? (index.byLabels.get(labelsKey) ?? []) : []),
  ]);
  const stsNs = sts.plain.metadata?.namespace;
  return [...found]
    .filter((svc) => !svc.plain.metadata?.namespace || !stsNs || svc.plain.metadata.namespace === stsNs)
    .sort((a, b) => a.chunk.index - b.chunk.index);
}

function docLocation(c: Candidate, source: string, path?: string): Location {
  return { source, line: c.chunk.line, document: { index: c.chunk.index, kind: c.kind, name: c.name }, path };
}

function containerCommandParts(plain: Record<string, any>): unknown[] {
  const containers = plain.spec?.template?.spec?.containers;
  if (!Array.isArray(containers)) return [];
  return containers.flatMap((c) => (isObject(c) ? [...asArray(c.command), ...asArray(c.args)] : []));
}


function labelsIdentity(plain: Record<string, any>): Partial<FunctionIdentity> | undefined {
  const l = plain.metadata?.labels;
  if (!isObject(l)) return undefined;
  return { tenant: l.tenant, namespace: l.namespace, name: l.name };
}

function customizeWorkload(sts: Candidate, services: Candidate[], input: CustomizeInput, sink: DiagnosticSink, result: CustomizeResult) {
  const template = sts.plain.spec?.template;
  if (!isObject(template)) {
    sink.error('PMC_MANIFEST_SHAPE', 'the StatefulSet has no pod template (spec.template)', docLocation(sts, input.source, 'spec.template'));
    return;
  }
  const details = embeddedFunctionDetails(containerCommandParts(sts.plain));

  let functionOptions: RuntimeOpts = input.functionOptions ?? {};
  if (!input.functionOptions && details?.customRuntimeOptions) {
    functionOptions = readCustomRuntimeOptions(
      details.customRuntimeOptions,
      { source: input.source, line: sts.chunk.line, document: { index: sts.chunk.index, kind: sts.kind, name: sts.name } },
      sink,
      input.strict,
    );
  }
  const options = applicableOptions(mergeRuntimeOpts(input.worker, functionOptions), input, sink, docLocation(sts, input.source));
  warnIgnoredResources(input.worker, 'runtimeCustomizerConfig', sink);
  warnIgnoredResources(functionOptions, 'customRuntimeOptions', sink);

  const { identity, used } = resolveIdentity([
    ...(input.identity ?? []),
    { from: 'function details', value: details },
    { from: 'labels', value: labelsIdentity(sts.plain) },
  ]);
  result.merged.set(sts.chunk.index, { options, functionOptions, identity });
  if (input.validate !== false) {
    const rootOf = optionRoot(functionOptions);
    checkOptions(options, rootOf, docLocation(sts, input.source), sink);
    checkSelectorKept(options, sts, rootOf, docLocation(sts, input.source), sink);
  }

  let jobName: string | undefined;
  if (options.jobName) {
    if (!isComplete(identity)) {
      sink.error(
        'PMC_IDENTITY_UNKNOWN',
        'jobName is set, but the function\'s tenant, namespace and name are not known (they make the job name\'s hash): pass --tenant, --namespace and --name, or --function-config',
        docLocation(sts, input.source),
      );
      return;
    }
    if (used.has('labels')) {
      sink.warn(
        'PMC_IDENTITY_FROM_LABELS',
        `the function's identity was read from the tenant/namespace/name labels, which Pulsar lower-cases and shortens; the job name is right only if they are unchanged (pass --tenant, --namespace and --name to be sure)`,
        docLocation(sts, input.source),
      );
    }
    jobName = customJobName(options.jobName, identity);
    // Pulsar's own rule first; then Kubernetes' stricter one for the Service's name.
    const pulsarProblem = jobNameProblem(jobName);
    const serviceProblem = services.length > 0 && input.validate !== false ? serviceNameProblem(jobName) : undefined;
    if (pulsarProblem || serviceProblem) {
      const message = pulsarProblem
        ? `the job name "${jobName}" is refused by Pulsar: ${pulsarProblem}`
        : `the job name "${jobName}" passes Pulsar's check, but the API server refuses it as the Service's name: ${serviceProblem}`;
      sink.error('PMC_JOB_NAME', message, {
        ...docLocation(sts, input.source),
        path: jsonPath(optionRoot(functionOptions)(['jobName']), ['jobName']),
      });
      return;
    }
  }

  const editor = new DocumentEditor(sts.chunk.doc, sts.plain, sts.chunk.index, 'StatefulSet', sts.name, input.source);
  applyMeta(editor, ['metadata'], options);
  applyMeta(editor, ['spec', 'template', 'metadata'], options);
  const podSpec = ['spec', 'template', 'spec'];
  for (const [k, v] of Object.entries(options.nodeSelectorLabels ?? {})) {
    editor.set([...podSpec, 'nodeSelector', k], v, `nodeSelectorLabels.${k}`);
  }
  (options.tolerations ?? []).forEach((t, i) => editor.append([...podSpec, 'tolerations'], t, `tolerations[${i}]`));
  const containers = editor.length([...podSpec, 'containers']);
  for (let i = 0; i < containers; i++) applyResources(editor, [...podSpec, 'containers', i], options);
  if (options.securityContext) {
    applySecurityContext(editor, podSpec, containers, options.securityContext);
    if (options.securityContext.preset && options.securityContext.readOnlyRootFilesystem) {
      addWritableDirectories(editor, sts, podSpec, sink, docLocation(sts, input.source));
    }
  }
  if (options.jobNamespace) editor.set(['metadata', 'namespace'], options.jobNamespace, 'jobNamespace');
  if (jobName) {
    editor.set(['metadata', 'name'], jobName, 'jobName');
    editor.set(['spec', 'serviceName'], jobName, 'jobName');
  }
  result.changes.push(...editor.changes);

  for (const svc of services) {
    result.merged.set(svc.chunk.index, result.merged.get(sts.chunk.index)!);
    const svcEditor = new DocumentEditor(svc.chunk.doc, svc.plain, svc.chunk.index, 'Service', svc.name, input.source);
    applyMeta(svcEditor, ['metadata'], options);
    if (options.jobNamespace) svcEditor.set(['metadata', 'namespace'], options.jobNamespace, 'jobNamespace');
    if (jobName) svcEditor.set(['metadata', 'name'], jobName, 'jobName');
    result.changes.push(...svcEditor.changes);
  }
}

/**
 * An extra label may overwrite one the StatefulSet selects its pods by (Pulsar's
 * `component`, say). Pulsar applies it anyway; the API server then refuses the
 * StatefulSet, and the Service would select no pod.
 */
function checkSelectorKept(options: RuntimeOpts, sts: Candidate, rootOf: OptionRoot, where: Location, sink: DiagnosticSink) {
  const selected = sts.plain.spec?.selector?.matchLabels;
  if (!isObject(selected)) return;
  for (const [k, v] of Object.entries(options.extraLabels ?? {})) {
    if (k in selected && selected[k] !== v) {
      sink.error(
        'PMC_SELECTOR_MISMATCH',
        `${JSON.stringify(v)} would replace the pod label ${k}: ${JSON.stringify(selected[k])}, which the StatefulSet's selector and its Service select pods by; the API server refuses a StatefulSet whose selector does not match its template (use another label key)`,
        { ...where, path: jsonPath(rootOf(['extraLabels', k]), ['extraLabels', k]) },
      );
    }
  }
}

/** With --all, a Service without a StatefulSet gets the worker's and the given options' metadata. */
function customizeLoneService(svc: Candidate, input: CustomizeInput, sink: DiagnosticSink, result: CustomizeResult) {
  const options = applicableOptions(mergeRuntimeOpts(input.worker, input.functionOptions ?? {}), input, sink, docLocation(svc, input.source));
  const editor = new DocumentEditor(svc.chunk.doc, svc.plain, svc.chunk.index, 'Service', svc.name, input.source);
  applyMeta(editor, ['metadata'], options);
  if (options.jobNamespace) editor.set(['metadata', 'namespace'], options.jobNamespace, 'jobNamespace');
  result.changes.push(...editor.changes);
}

/** The basic customizer does not know securityContext: Pulsar would drop it unread. */
function applicableOptions(merged: RuntimeOpts, input: CustomizeInput, sink: DiagnosticSink, where: Location): RuntimeOpts {
  if (input.customizer === 'basic' && merged.securityContext) {
    sink.warn(
      'PMC_SECURITY_CONTEXT_IGNORED',
      'securityContext is ignored: the worker runs BasicKubernetesManifestCustomizer, which does not read it (use --customizer security-context, or the extension\'s class name)',
      { source: where.source, path: 'securityContext' },
    );
    const { securityContext: _dropped, ...rest } = merged;
    return rest;
  }
  return merged;
}

function warnIgnoredResources(opts: RuntimeOpts, root: string, sink: DiagnosticSink) {
  for (const kind of ['limits', 'requests'] as const) {
    for (const r of Object.keys(opts.resourceRequirements?.[kind] ?? {})) {
      if ((PULSAR_RESOURCES as readonly string[]).includes(r)) continue;
      const path = jsonPath(root, ['resourceRequirements', kind, r]);
      sink.warn('PMC_RESOURCE_IGNORED', `"${r}" never reaches a container: Pulsar applies only cpu and memory`, { path });
    }
  }
}

function applyMeta(editor: DocumentEditor, meta: (string | number)[], options: RuntimeOpts) {
  for (const [k, v] of Object.entries(options.extraLabels ?? {})) editor.set([...meta, 'labels', k], v, `extraLabels.${k}`);
  for (const [k, v] of Object.entries(options.extraAnnotations ?? {})) {
    editor.set([...meta, 'annotations', k], v, `extraAnnotations.${k}`);
  }
}

function applyResources(editor: DocumentEditor, container: (string | number)[], options: RuntimeOpts) {
  for (const kind of ['limits', 'requests'] as const) {
    const given = options.resourceRequirements?.[kind] ?? {};
    for (const r of PULSAR_RESOURCES) {
      if (given[r] !== undefined) editor.set([...container, 'resources', kind, r], given[r], `resourceRequirements.${kind}.${r}`);
    }
  }
}

// `preset` is not a Kubernetes field: it has been expanded into the others by now.
const POD_FIELDS = ['runAsUser', 'runAsGroup', 'fsGroup', 'runAsNonRoot', 'seccompProfile', 'supplementalGroups', 'fsGroupChangePolicy'] as const;
const CONTAINER_FIELDS = ['privileged', 'allowPrivilegeEscalation', 'readOnlyRootFilesystem'] as const;
const SELINUX_FIELDS = { seLinuxLevel: 'level', seLinuxRole: 'role', seLinuxType: 'type', seLinuxUser: 'user' } as const;

function applySecurityContext(editor: DocumentEditor, podSpec: (string | number)[], containers: number, sc: SecurityContextOpts) {
  for (const f of POD_FIELDS) {
    if (sc[f] !== undefined) editor.set([...podSpec, 'securityContext', f], sc[f], `securityContext.${f}`);
  }
  for (let i = 0; i < containers; i++) {
    const at = [...podSpec, 'containers', i, 'securityContext'];
    for (const f of CONTAINER_FIELDS) {
      if (sc[f] !== undefined) editor.set([...at, f], sc[f], `securityContext.${f}`);
    }
    if (sc.addCapabilities || sc.dropCapabilities) {
      const caps: Record<string, string[]> = {};
      if (sc.addCapabilities) caps.add = sc.addCapabilities;
      if (sc.dropCapabilities) caps.drop = sc.dropCapabilities;
      editor.set([...at, 'capabilities'], caps, sc.addCapabilities ? 'securityContext.addCapabilities' : 'securityContext.dropCapabilities');
    }
    const seLinux: Record<string, string> = {};
    for (const [opt, field] of Object.entries(SELINUX_FIELDS)) {
      const v = sc[opt as keyof typeof SELINUX_FIELDS];
      if (v !== undefined) seLinux[field] = v;
    }
    if (Object.keys(seLinux).length > 0) editor.set([...at, 'seLinuxOptions'], seLinux, 'securityContext.seLinuxOptions');
  }
}

/** Every document of the output as plain data (null for an empty one), in order. */
export function outputObjects(result: CustomizeResult, source: string): { index: number; object: unknown }[] {
  return result.documents.map((d) => {
    if (d.object) return { index: d.index, object: d.object };
    // A parse of the original bytes for a document that was passed over.
    const parsed = d.parsed ?? parseChunk({ index: d.index, text: d.text, line: d.line }, source);
    return { index: d.index, object: toPlain(parsed, source) };
  });
}

/**
 * With a preset and readOnlyRootFilesystem, the instance still has to write its logs, its
 * downloaded code, extracted NARs and temporary files: an emptyDir for each, at the
 * paths read off the command Pulsar generated.
 */
function addWritableDirectories(editor: DocumentEditor, sts: Candidate, podSpec: FieldPath, sink: DiagnosticSink, where: Location) {
  const containers: unknown[] = sts.plain.spec?.template?.spec?.containers ?? [];
  const volumes = new Set<string>(
    (Array.isArray(sts.plain.spec?.template?.spec?.volumes) ? sts.plain.spec.template.spec.volumes : []).map((v: any) => v?.name),
  );
  containers.forEach((c, i) => {
    if (!isObject(c)) return;
    const command = [...asArray(c.command), ...asArray(c.args)].filter((x) => typeof x === 'string').join(' ');
    const { mounts, refused } = planMounts(writablePaths(command));
    for (const r of refused) {
      sink.warn(
        'PMC_PRESET_PATH',
        `container "${c.name}" writes its ${r.what === 'download' ? 'downloaded code' : r.what} to ${r.path}, which the image ships: no emptyDir there (it would hide the image's files), so with readOnlyRootFilesystem that write fails; set functionRuntimeFactoryConfigs.downloadDirectory (e.g. /pulsar/download) in functions_worker.yml`,
        where,
      );
    }
    const existing = new Set(asArray(c.volumeMounts).map((m: any) => m?.mountPath));
    for (const m of mounts) {
      const name = `pmc-${m.what}`;
      if (!volumes.has(name)) {
        editor.append([...podSpec, 'volumes'], { name, emptyDir: {} }, 'securityContext.readOnlyRootFilesystem');
        volumes.add(name);
      }
      if (!existing.has(m.path)) {
        editor.append([...podSpec, 'containers', i, 'volumeMounts'], { name, mountPath: m.path }, 'securityContext.readOnlyRootFilesystem');
      }
    }
  });
}

/** The whole output stream as YAML. */
export function outputYaml(result: CustomizeResult): string {
  return result.documents.map((d) => d.text).join('');
}

export { PmcError };
