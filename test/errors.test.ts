// Bad input never reaches the cluster: each row is one bad input, with the exit status,
// an empty stdout and the place the message must name.
import { spawnSync } from 'node:child_process';
import { closeSync, mkdirSync, mkdtempSync, openSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { pulsarFunctionManifests } from './support/pulsar-generated.mjs';
import { runPmc } from './support/run.js';

const fn = pulsarFunctionManifests({ tenant: 'public', namespace: 'default', name: 'my-function' });
const stsLine = fn.slice(0, fn.indexOf('---\napiVersion: apps/v1')).split('\n').length;
const bare = (extra = '') =>
  `apiVersion: apps/v1\nkind: StatefulSet\nmetadata:\n  name: fn\nspec:\n  serviceName: fn\n  selector: {}\n  template:\n    spec:\n      containers:\n      - name: pulsarfunction\n        image: x\n${extra}`;
const bomb = ['a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]']
  .concat(['b', 'c', 'd', 'e', 'f'].map((k, i) => `${k}: &${k} [${Array(9).fill(`*${'abcdef'[i]}`).join(',')}]`))
  .join('\n');

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'pmc-errors-'));
  const files: Record<string, string | Buffer> = {
    'fn.yaml': fn,
    'worker-syntax.yml': 'runtimeCustomizerClassName: x\nruntimeCustomizerConfig:\n  extraLabels: [a\n',
    'worker-list.yml': '- a\n- b\n',
    'worker-badlabels.yml': 'runtimeCustomizerClassName: x\nruntimeCustomizerConfig:\n  extraLabels:\n    - a\n',
    'worker-badquantity.yml': 'runtimeCustomizerClassName: x\nruntimeCustomizerConfig:\n  resourceRequirements:\n    limits:\n      cpu: lots\n',
    'worker-classmap.yml': 'runtimeCustomizerClassName: {a: 1}\n',
    'worker-proto.yml': 'runtimeCustomizerClassName: x\nruntimeCustomizerConfig:\n  extraLabels:\n    __proto__: {polluted: "yes"}\n',
    'worker-bomb.yml': `${bomb}\nruntimeCustomizerClassName: x\n`,
    'plugin-bomb.yaml': `${bomb}\napiVersion: pmc.pulsar/v1alpha1\nkind: PulsarManifestCustomizer\n`,
    'worker-interface.yml': 'runtimeCustomizerClassName: org.apache.pulsar.functions.runtime.kubernetes.KubernetesManifestCustomizer\n',
    'worker-misspelt.yml': 'runtimeCustomizerClassName: org.apache.pulsar.functions.runtime.kubernetes.BasicKubernetesManifestCustomiser\n',
    'worker-package.yml': 'runtimeCustomizerClassName: org.apache.pulsar.functions.runtime.BasicKubernetesManifestCustomizer\n',
    'worker-nopackage.yml': 'runtimeCustomizerClassName: MyCustomizer\n',
    'worker-custom.yml': 'runtimeCustomizerClassName: com.acme.PulsarCustomizer\n',
    'fc-cro-map.yaml': 'tenant: public\nnamespace: default\nname: my-function\ncustomRuntimeOptions:\n  extraLabels: {a: b}\n',
    'worker-bigint.yml': 'runtimeCustomizerClassName: x\nruntimeCustomizerConfig:\n  securityContext:\n    runAsUser: 9223372036854775807\n',
    'worker-null-label.yml': 'runtimeCustomizerClassName: x\nruntimeCustomizerConfig:\n  extraLabels:\n    team:\n',
    'fc-list.yaml': '- 1\n',
    'fc-tenant.yaml': 'tenant: 42\nnamespace: ns\nname: fn\n',
    'fc-cro-number.yaml': 'tenant: t\nnamespace: ns\nname: fn\ncustomRuntimeOptions: 12\n',
    'fc-cro-badjson.yaml': "tenant: t\nnamespace: ns\nname: fn\ncustomRuntimeOptions: '{\"jobName\": }'\n",
    'options-bad.json': '{\n  "jobName": "x",\n  "extraLabels": {"a": "b",}\n}\n',
    'invalid-utf8.yaml': Buffer.from([0x6b, 0x3a, 0x20, 0xff, 0xfe, 0x0a]),
    'binary.yaml': Buffer.from([0x7f, 0x45, 0x4c, 0x46, 0x02, 0x01, 0x01, 0x00, 0x00]),
  };
  for (const [name, content] of Object.entries(files)) writeFileSync(join(dir, name), content);
  mkdirSync(join(dir, 'a-directory'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

interface Row {
  name: string;
  argv: string[];
  stdin?: string;
  status: 1 | 2;
  /** Every string must appear in stderr. */
  stderr: string[];
}

const r = (json: unknown) => ['customize', 'fn.yaml', '-r', typeof json === 'string' ? json : JSON.stringify(json)];
const sc = (securityContext: unknown) => r({ securityContext });
const cro = '--custom-runtime-options: customRuntimeOptions';

const rows: Row[] = [
  // usage: exit 2
  { name: 'unknown flag', argv: ['customize', '--bogus'], status: 2, stderr: ["unknown option '--bogus'"] },
  { name: 'unknown command', argv: ['frobnicate'], status: 2, stderr: ["unknown command 'frobnicate'"] },
  { name: 'no command', argv: [], status: 2, stderr: ['Usage: pmc'] },
  { name: 'bad --customizer', argv: ['customize', '--customizer', 'fancy'], status: 2, stderr: ["argument 'fancy' is invalid", 'basic, security-context, pod-policy, none'] },
  { name: 'bad --output', argv: ['customize', '-o', 'xml'], status: 2, stderr: ["argument 'xml' is invalid"] },
  { name: 'too many manifests', argv: ['customize', 'a.yaml', 'b.yaml'], status: 2, stderr: ['too many arguments'] },
  { name: '-r and its file together', argv: ['customize', 'fn.yaml', '-r', '{}', '--custom-runtime-options-file', 'x.json'], status: 2, stderr: ['not both', '[PMC_USAGE]'] },
  { name: '--in-place on stdin', argv: ['customize', '--in-place'], stdin: fn, status: 2, stderr: ['--in-place needs a MANIFEST file', '[PMC_USAGE]'] },
  { name: 'option without its value', argv: ['customize', '-w'], status: 2, stderr: ["option '-w, --worker-config <FILE>' argument missing"] },

  // files
  { name: 'missing manifest', argv: ['customize', 'nope.yaml'], status: 1, stderr: ['pmc: error: nope.yaml: cannot read the manifest: no such file [PMC_READ]'] },
  { name: 'manifest is a directory', argv: ['customize', 'a-directory'], status: 1, stderr: ['a-directory: cannot read the manifest: it is a directory'] },
  { name: 'missing worker config', argv: ['customize', 'fn.yaml', '-w', 'nope.yml'], status: 1, stderr: ['nope.yml: cannot read the worker config: no such file'] },
  { name: 'missing options file', argv: ['customize', 'fn.yaml', '--custom-runtime-options-file', 'nope.json'], status: 1, stderr: ['nope.json: cannot read the custom runtime options file'] },
  { name: 'invalid UTF-8', argv: ['customize', 'invalid-utf8.yaml'], status: 1, stderr: ['invalid-utf8.yaml: the input is not UTF-8 text [PMC_NOT_TEXT]'] },
  { name: 'binary garbage', argv: ['customize', 'binary.yaml'], status: 1, stderr: ['binary.yaml:1:1: the input holds the control character 0x7f', '[PMC_NOT_TEXT]'] },
  { name: 'binary on stdin', argv: ['customize'], stdin: 'kind: StatefulSet\n\u0000\u0001\u0002', status: 1, stderr: ['<stdin>:2:1: the input holds the control character 0x00'] },
  { name: 'input over the size limit', argv: ['customize', 'fn.yaml'], status: 1, stderr: ['fn.yaml: the input is larger than', 'PMC_MAX_INPUT_BYTES', '[PMC_INPUT_TOO_LARGE]'] },
  { name: 'stdin over the size limit', argv: ['customize'], stdin: fn, status: 1, stderr: ['<stdin>: the input is larger than', '[PMC_INPUT_TOO_LARGE]'] },

  // worker config
  { name: 'worker YAML syntax', argv: ['customize', 'fn.yaml', '-w', 'worker-syntax.yml'], status: 1, stderr: ['worker-syntax.yml:4:1:', '[PMC_YAML_SYNTAX]', '^'] },
  { name: 'worker is a list', argv: ['customize', 'fn.yaml', '-w', 'worker-list.yml'], status: 1, stderr: ['worker-list.yml:1:1: a functions_worker.yml must be a YAML map [PMC_WORKER_CONFIG]'] },
  { name: 'worker option of the wrong type', argv: ['customize', 'fn.yaml', '-w', 'worker-badlabels.yml'], status: 1, stderr: ['worker-badlabels.yml:4:5: runtimeCustomizerConfig.extraLabels: expected an object of names to values, got a list [PMC_OPTIONS_TYPE]'] },
  { name: 'worker quantity', argv: ['customize', 'fn.yaml', '-w', 'worker-badquantity.yml'], status: 1, stderr: ['worker-badquantity.yml:5:12: runtimeCustomizerConfig.resourceRequirements.limits.cpu: "lots" is not a Kubernetes quantity', '[PMC_OPTIONS_QUANTITY]'] },
  { name: 'worker class name not a string', argv: ['customize', 'fn.yaml', '-w', 'worker-classmap.yml'], status: 1, stderr: ['worker-classmap.yml:1:29: runtimeCustomizerClassName: runtimeCustomizerClassName must be a class name'] },
  { name: 'alias bomb in a plugin config', argv: ['plugin-bomb.yaml'], status: 1, stderr: ["plugin-bomb.yaml: refusing to expand the plugin config's aliases", '[PMC_YAML_ALIASES]'] },
  { name: 'alias bomb in a ResourceList', argv: ['krm'], stdin: `${bomb}\napiVersion: config.kubernetes.io/v1\nkind: ResourceList\nitems: []\n`, status: 1, stderr: ["<stdin>: refusing to expand the ResourceList's aliases", '[PMC_YAML_ALIASES]'] },
  { name: 'worker integer quoted as written', argv: ['customize', 'fn.yaml', '-w', 'worker-bigint.yml'], status: 1, stderr: ['worker-bigint.yml:4:16: runtimeCustomizerConfig.securityContext.runAsUser: 9223372036854775807 is too large', '[PMC_OPTIONS_RANGE]'] },
  { name: 'worker null label', argv: ['customize', 'fn.yaml', '-w', 'worker-null-label.yml'], status: 1, stderr: ['worker-null-label.yml:4:10: runtimeCustomizerConfig.extraLabels.team: a value is null', '[PMC_OPTIONS_NULL]'] },
  { name: 'options: duplicate map key', argv: r('{"extraLabels": {"team": "a", "team": "b"}}'), status: 1, stderr: [`${cro}.extraLabels.team: the key "team" is given twice; Pulsar refuses this (Gson: "duplicate key: team") [PMC_OPTIONS_DUPLICATE_KEY]`] },
  { name: 'options: null toleration', argv: r('{"tolerations": [null]}'), status: 1, stderr: [`${cro}.tolerations[0]: a list item is null`, '[PMC_OPTIONS_NULL]'] },
  { name: 'options: big number quoted as typed', argv: r('{"tolerations": [{"key": "k", "operator": "Exists", "tolerationSeconds": 92233720368547758070}]}'), status: 1, stderr: [`${cro}.tolerations[0].tolerationSeconds: 92233720368547758070 is too large`] },
  { name: 'options: lenient JSON', argv: r("{'jobName': 'x'}"), status: 1, stderr: ['customRuntimeOptions is not valid JSON', "pmc reads strict JSON only (Pulsar's lenient reader might take this, or misread it) [PMC_OPTIONS_JSON]"] },
  { name: '__proto__ in the worker YAML', argv: ['customize', 'fn.yaml', '-w', 'worker-proto.yml'], status: 1, stderr: ['worker-proto.yml:4:5: runtimeCustomizerConfig.extraLabels.__proto__: the key "__proto__" is not allowed [PMC_FORBIDDEN_KEY]'] },
  { name: 'alias bomb in the worker YAML', argv: ['customize', 'fn.yaml', '-w', 'worker-bomb.yml'], status: 1, stderr: ["worker-bomb.yml: refusing to expand the file's aliases", '[PMC_YAML_ALIASES]'] },

  // function config
  { name: 'function config not an object', argv: ['customize', 'fn.yaml', '-c', 'fc-list.yaml'], status: 1, stderr: ['fc-list.yaml:1:1: a function, source or sink config file must be a YAML or JSON object'] },
  { name: 'function config tenant not a string', argv: ['customize', 'fn.yaml', '-c', 'fc-tenant.yaml'], status: 1, stderr: ['fc-tenant.yaml:1:9: tenant: tenant must be a string, got 42 [PMC_FUNCTION_CONFIG]'] },
  { name: 'function config options a number', argv: ['customize', 'fn.yaml', '-c', 'fc-cro-number.yaml'], status: 1, stderr: ['fc-cro-number.yaml:4:23: customRuntimeOptions: customRuntimeOptions must be a JSON string, got 12'] },
  { name: 'function config options bad JSON', argv: ['customize', 'fn.yaml', '-c', 'fc-cro-badjson.yaml'], status: 1, stderr: ['fc-cro-badjson.yaml:4:23: customRuntimeOptions is not valid JSON', 'value expected (column 13 of the JSON)', '  {"jobName": }\n              ^', '[PMC_OPTIONS_JSON]'] },

  // customRuntimeOptions
  { name: 'JSON with a trailing comma', argv: r('{"jobName": "x",}'), status: 1, stderr: ['--custom-runtime-options:1:17: customRuntimeOptions is not valid JSON: property name expected [PMC_OPTIONS_JSON]', '  {"jobName": "x",}\n                  ^'] },
  { name: 'JSON cut short', argv: r('{"jobName": '), status: 1, stderr: ['--custom-runtime-options:1:13: customRuntimeOptions is not valid JSON: value expected [PMC_OPTIONS_JSON]'] },
  { name: 'JSON on several lines', argv: ['customize', 'fn.yaml', '--custom-runtime-options-file', 'options-bad.json'], status: 1, stderr: ['options-bad.json:3:28: customRuntimeOptions is not valid JSON: property name expected', '  "extraLabels": {"a": "b",}\n                             ^'] },
  { name: 'JSON not an object', argv: r('[1, 2]'), status: 1, stderr: ['--custom-runtime-options: customRuntimeOptions: customRuntimeOptions must be a JSON object, got a list'] },
  { name: 'runAsNonRoot "yes"', argv: sc({ runAsNonRoot: 'yes' }), status: 1, stderr: [`${cro}.securityContext.runAsNonRoot: expected true or false, got "yes" (Pulsar would read it as false) [PMC_OPTIONS_TYPE]`] },
  { name: 'runAsUser not a number', argv: sc({ runAsUser: 'abc' }), status: 1, stderr: [`${cro}.securityContext.runAsUser: expected an integer, got "abc"`] },
  { name: 'runAsUser negative', argv: sc({ runAsUser: -1 }), status: 1, stderr: [`${cro}.securityContext.runAsUser: must be at least 0, got -1 [PMC_OPTIONS_RANGE]`] },
  { name: 'runAsUser fractional', argv: sc({ runAsUser: 1.5 }), status: 1, stderr: [`${cro}.securityContext.runAsUser: expected an integer, got 1.5`] },
  { name: 'capabilities not a list', argv: sc({ dropCapabilities: 'ALL' }), status: 1, stderr: [`${cro}.securityContext.dropCapabilities: expected a list, got "ALL"`] },
  { name: 'seccomp type unknown', argv: sc({ seccompProfile: { type: 'Default' } }), status: 1, stderr: [`${cro}.securityContext.seccompProfile.type: "Default" is not one of "RuntimeDefault", "Localhost", "Unconfined" [PMC_OPTIONS_VALUE]`] },
  { name: 'tolerations not a list', argv: r({ tolerations: { key: 'a' } }), status: 1, stderr: [`${cro}.tolerations: expected a list, got an object`] },
  { name: 'toleration effect', argv: r({ tolerations: [{ key: 'a', effect: 'test' }] }), status: 1, stderr: [`${cro}.tolerations[0].effect: "test" is not one of "NoSchedule", "PreferNoSchedule", "NoExecute" or "" (the default)`] },
  { name: 'toleration Exists with a value', argv: r({ tolerations: [{ key: 'a', operator: 'Exists', value: 'b' }] }), status: 1, stderr: ["customRuntimeOptions.tolerations[0].value: value must be empty when `operator` is 'Exists' [PMC_TOLERATION]"] },
  { name: 'tolerationSeconds without NoExecute', argv: r({ tolerations: [{ key: 'a', operator: 'Exists', effect: 'NoSchedule', tolerationSeconds: 5 }] }), status: 1, stderr: ["customRuntimeOptions.tolerations[0].effect: effect must be 'NoExecute' when `tolerationSeconds` is set"] },
  { name: 'toleration without a key, not Exists', argv: r({ tolerations: [{ operator: 'Equal', value: 'x' }] }), status: 1, stderr: ['customRuntimeOptions.tolerations[0].operator: operator must be Exists when `key` is empty, which means "match all values and all keys" [PMC_TOLERATION]'] },
  { name: 'toleration key', argv: r({ tolerations: [{ key: 'bad key', operator: 'Exists' }] }), status: 1, stderr: ['customRuntimeOptions.tolerations[0].key: "bad key" is not a valid toleration key', '[PMC_TOLERATION]'] },
  { name: 'toleration value', argv: r({ tolerations: [{ key: 'k', operator: 'Equal', value: 'x'.repeat(64) }] }), status: 1, stderr: ['customRuntimeOptions.tolerations[0].value:', 'a label value must be at most 63 characters [PMC_TOLERATION]'] },
  { name: 'toleration operator', argv: r({ tolerations: [{ key: 'k', operator: 'In' }] }), status: 1, stderr: ['customRuntimeOptions.tolerations[0].operator: "In" is not one of "Exists", "Equal" or "" (the default) [PMC_OPTIONS_VALUE]'] },

  // the API server's rules at their limits (their passing side is in the next table)
  { name: 'runAsUser above 2147483647', argv: sc({ runAsUser: 2147483648 }), status: 1, stderr: ['spec.template.spec.securityContext.runAsUser: 2147483648: must be between 0 and 2147483647, inclusive [PMC_SECURITY_CONTEXT]'] },
  { name: 'fsGroup above 2147483647', argv: sc({ fsGroup: 2147483648 }), status: 1, stderr: ['spec.template.spec.securityContext.fsGroup: 2147483648: must be between 0 and 2147483647, inclusive'] },
  { name: 'supplementalGroups above 2147483647', argv: sc({ supplementalGroups: [1, 4294967296] }), status: 1, stderr: ['spec.template.spec.securityContext.supplementalGroups[1]: 4294967296: must be between 0 and 2147483647, inclusive'] },
  { name: 'request above its limit', argv: r({ resourceRequirements: { requests: { cpu: '1001m' }, limits: { cpu: '1' } } }), status: 1, stderr: ['spec.template.spec.containers[0].resources.requests.cpu: 1001m: must be less than or equal to cpu limit of 1 [PMC_RESOURCES]'] },
  { name: 'request above the manifest\'s limit', argv: r({ resourceRequirements: { requests: { memory: '2Gi' } } }), stdin: undefined, status: 1, stderr: ['resources.requests.memory: 2Gi: must be less than or equal to memory limit of'] },
  { name: 'AppArmor annotation for a container the pod does not have', argv: r({ extraAnnotations: { 'container.apparmor.security.beta.kubernetes.io/pulsar-function': 'runtime/default' } }), status: 1, stderr: ['spec.template.metadata.annotations["container.apparmor.security.beta.kubernetes.io/pulsar-function"]: "pulsar-function": container not found (the pod\'s containers: pulsarfunction) [PMC_SECURITY_CONTEXT]'] },
  { name: 'AppArmor profile name', argv: r({ extraAnnotations: { 'container.apparmor.security.beta.kubernetes.io/pulsarfunction': 'strict' } }), status: 1, stderr: ['"strict": invalid AppArmor profile name: "strict" [PMC_SECURITY_CONTEXT]'] },
  { name: 'seccomp Localhost without its profile', argv: sc({ seccompProfile: { type: 'Localhost' } }), status: 1, stderr: ['spec.template.spec.securityContext.seccompProfile.localhostProfile: Required value: must be set when seccomp type is Localhost [PMC_SECURITY_CONTEXT]'] },
  { name: 'seccomp profile file beside RuntimeDefault', argv: sc({ seccompProfile: { type: 'RuntimeDefault', localhostProfile: 'p.json' } }), status: 1, stderr: ['spec.template.spec.securityContext.seccompProfile.localhostProfile: can only be set when seccomp type is Localhost'] },

  // the worker's class name, as the worker loads it
  { name: 'class name: the interface', argv: ['customize', 'fn.yaml', '-w', 'worker-interface.yml'], status: 1, stderr: ['worker-interface.yml:1:29: runtimeCustomizerClassName: org.apache.pulsar.functions.runtime.kubernetes.KubernetesManifestCustomizer is Pulsar\'s interface, which the worker cannot instantiate', '[PMC_WORKER_CONFIG]'] },
  { name: 'class name: misspelt', argv: ['customize', 'fn.yaml', '-w', 'worker-misspelt.yml'], status: 1, stderr: ['BasicKubernetesManifestCustomiser is not a class Pulsar has, so the worker fails to load it; did you mean org.apache.pulsar.functions.runtime.kubernetes.BasicKubernetesManifestCustomizer?'] },
  { name: 'class name: in the wrong package', argv: ['customize', 'fn.yaml', '-w', 'worker-package.yml'], status: 1, stderr: ['org.apache.pulsar.functions.runtime.BasicKubernetesManifestCustomizer is not a class Pulsar has', 'did you mean org.apache.pulsar.functions.runtime.kubernetes.BasicKubernetesManifestCustomizer?'] },
  { name: 'class name: no package', argv: ['customize', 'fn.yaml', '-w', 'worker-nopackage.yml'], status: 1, stderr: ['"MyCustomizer" has no package: the worker loads the class by its fully qualified name'] },
  { name: 'class name: unknown, under --strict', argv: ['customize', 'fn.yaml', '-w', 'worker-custom.yml', '--strict'], status: 1, stderr: ['pmc does not know com.acme.PulsarCustomizer, so it previews none of the options', '(an error under --strict) [PMC_CUSTOMIZER_UNKNOWN]'] },

  // --strict: every warning an error
  { name: 'a resource Pulsar ignores, under --strict', argv: [...r({ resourceRequirements: { limits: { 'nvidia.com/gpu': '1' } } }), '--strict'], status: 1, stderr: ['"nvidia.com/gpu" never reaches a container: Pulsar applies only cpu and memory (an error under --strict) [PMC_RESOURCE_IGNORED]'] },
  { name: 'customRuntimeOptions as a map in a config file, under --strict', argv: ['customize', 'fn.yaml', '-c', 'fc-cro-map.yaml', '--strict'], status: 1, stderr: ["customRuntimeOptions is a map; pulsar-admin refuses one (the field is a JSON string): read as its JSON here, but write it as customRuntimeOptions: '{...}' (an error under --strict) [PMC_FUNCTION_CONFIG]"] },
  { name: 'readOnlyRootFilesystem without a preset, under --strict', argv: [...sc({ readOnlyRootFilesystem: true }), '--strict'], status: 1, stderr: ['readOnlyRootFilesystem: true, but container "pulsarfunction" writes to', 'add "preset": "restricted"', '[PMC_READ_ONLY_ROOT]'] },
  { name: 'the seccomp annotation, under --strict', argv: [...r({ extraAnnotations: { 'seccomp.security.alpha.kubernetes.io/pod': 'runtime/default' } }), '--strict'], status: 1, stderr: ['metadata.annotations[seccomp.security.alpha.kubernetes.io/pod]: non-functional in v1.27+; use the "seccompProfile" field instead (an error under --strict) [PMC_DEPRECATED]'] },
  { name: '--customizer none with options, under --strict', argv: [...r({ extraLabels: { a: 'b' } }), '--customizer', 'none', '--strict'], status: 1, stderr: ['--customizer none: no customizer runs, so the options are not applied and the manifest is unchanged (an error under --strict) [PMC_NO_CUSTOMIZER]'] },

  // messages that point to the fix
  { name: 'pmc FILE without a command', argv: ['fn.yaml'], status: 1, stderr: ['`pmc FILE` runs pmc as a kustomize plugin with FILE as its config; to customize the manifests in it, run: pmc customize fn.yaml'] },
  { name: 'krm fed a manifest', argv: ['krm'], stdin: bare(), status: 1, stderr: ['expected a ResourceList (apiVersion: config.kubernetes.io/v1) on stdin, got kind: StatefulSet', '[PMC_KRM]'] },
  { name: '-r given a file name', argv: ['customize', 'fn.yaml', '-r', 'opts.json'], status: 1, stderr: ['"opts.json" looks like a file name; to read the options from a file, use --custom-runtime-options-file opts.json [PMC_OPTIONS_JSON]'] },
  { name: '--in-place with -o json', argv: ['customize', 'fn.yaml', '-i', '-o', 'json', '-r', '{}'], status: 2, stderr: ['--in-place with -o json would replace the YAML file with JSON', '[PMC_USAGE]'] },
  { name: 'quantity', argv: r({ resourceRequirements: { limits: { cpu: 'two' } } }), status: 1, stderr: [`${cro}.resourceRequirements.limits.cpu: "two" is not a Kubernetes quantity`] },
  { name: 'label value an object', argv: r({ extraLabels: { a: { b: 1 } } }), status: 1, stderr: [`${cro}.extraLabels.a: expected a string, got an object`] },
  { name: 'label key', argv: r({ extraLabels: { 'bad key!': 'v' } }), status: 1, stderr: ['customRuntimeOptions.extraLabels["bad key!"]: "bad key!" is not a valid label key', '[PMC_LABEL_KEY]'] },
  { name: 'label value too long', argv: r({ extraLabels: { a: 'x'.repeat(64) } }), status: 1, stderr: ['customRuntimeOptions.extraLabels.a:', 'at most 63 characters [PMC_LABEL_VALUE]'] },
  { name: 'node selector value', argv: r({ nodeSelectorLabels: { disk: 'fast ssd' } }), status: 1, stderr: ['customRuntimeOptions.nodeSelectorLabels.disk: "fast ssd": a label value must'] },
  { name: 'annotation key', argv: r({ extraAnnotations: { 'Example.COM/x': 'v' } }), status: 1, stderr: ['customRuntimeOptions.extraAnnotations["Example.COM/x"]: "Example.COM/x" is not a valid annotation key: its prefix must be a DNS subdomain'] },
  { name: 'namespace', argv: r({ jobNamespace: 'Bad_NS' }), status: 1, stderr: ['customRuntimeOptions.jobNamespace: "Bad_NS" is refused: a namespace must be a DNS label', '[PMC_NAMESPACE]'] },
  { name: 'job name over 53', argv: r({ jobName: 'custom-k8s-pod-name-over-kuberenetes-max-character-limit-123456789' }), status: 1, stderr: [`fn.yaml:${stsLine}: document 2 StatefulSet/pf-public-default-my-function: customRuntimeOptions.jobName: the job name`, 'Pulsar allows at most 53 [PMC_JOB_NAME]'] },
  { name: 'job name that is no Service name', argv: r({ jobName: '1st.fn' }), status: 1, stderr: ['customRuntimeOptions.jobName: the job name "1st.fn-', 'passes Pulsar\'s check, but the API server refuses it as the Service\'s name: a Service name must be a DNS-1035 label'] },
  { name: 'job name with no identity', argv: ['customize', '-r', '{"jobName": "x"}'], stdin: bare(), status: 1, stderr: ["<stdin>:1: document 1 StatefulSet/fn: jobName is set, but the function's tenant, namespace and name are not known", '[PMC_IDENTITY_UNKNOWN]'] },
  { name: 'unknown key under --strict', argv: [...r({ securityContex: {} }), '--strict'], status: 1, stderr: [`${cro}.securityContex: unknown key "securityContex" (Pulsar ignores it silently); did you mean "securityContext"? [PMC_OPTIONS_UNKNOWN_KEY]`] },
  { name: '__proto__ in the options', argv: r('{"extraLabels": {"__proto__": {"polluted": "yes"}}}'), status: 1, stderr: [`${cro}.extraLabels.__proto__: the key "__proto__" is not allowed [PMC_FORBIDDEN_KEY]`] },
  { name: 'constructor in the options', argv: r('{"constructor": {"prototype": {}}}'), status: 1, stderr: [`${cro}.constructor: the key "constructor" is not allowed`] },
  { name: 'privileged without escalation', argv: sc({ privileged: true, allowPrivilegeEscalation: false }), status: 1, stderr: ['document 2 StatefulSet/pf-public-default-my-function: spec.template.spec.containers[0].securityContext: container "pulsarfunction": privileged: true with allowPrivilegeEscalation: false is refused', '[PMC_SECURITY_CONTEXT]'] },
  { name: 'runAsNonRoot as root', argv: sc({ runAsNonRoot: true, runAsUser: 0 }), status: 1, stderr: ['spec.template.spec.securityContext.runAsUser: container "pulsarfunction": runAsNonRoot: true with runAsUser: 0; the kubelet refuses to start it'] },
  { name: 'label overwriting the selector', argv: r({ extraLabels: { component: 'stream-processing' } }), status: 1, stderr: ['customRuntimeOptions.extraLabels.component: "stream-processing" would replace the pod label component: "function"', '[PMC_SELECTOR_MISMATCH]'] },

  // manifests
  { name: 'empty stream', argv: ['customize', '-r', '{}'], stdin: '# nothing here\n---\n', status: 1, stderr: ['<stdin>: the input holds no YAML document', '[PMC_EMPTY_INPUT]'] },
  { name: 'manifest YAML syntax', argv: ['customize', '-r', '{}'], stdin: `${fn}---\nkind: StatefulSet\nmetadata: {name: [}\n`, status: 1, stderr: [`<stdin>:${fn.split('\n').length + 2}:19: document 3:`, '[PMC_YAML_SYNTAX]', '  metadata: {name: [}\n                    ^'] },
  { name: 'alias bomb in a manifest', argv: ['customize', '-r', '{}'], stdin: `kind: StatefulSet\n${bomb}\n`, status: 1, stderr: ["<stdin>:1: document 1: refusing to expand the document's aliases", '[PMC_YAML_ALIASES]'] },
  { name: 'nested too deeply', argv: ['customize', '-r', '{}'], stdin: `kind: StatefulSet\nx: ${'['.repeat(20000)}${']'.repeat(20000)}\n`, status: 1, stderr: ['<stdin>:2:', 'the document is nested too deeply to read [PMC_YAML_TOO_DEEP]'] },
  { name: '__proto__ in a manifest', argv: ['customize', '-r', '{}'], stdin: bare().replace('  name: fn\n', '  name: fn\n  __proto__: {polluted: "yes"}\n'), status: 1, stderr: ['<stdin>:1: document 1: metadata.__proto__: the key "__proto__" is not allowed in a manifest'] },
  { name: 'StatefulSet without a pod template', argv: ['customize', '-r', '{}'], stdin: 'apiVersion: apps/v1\nkind: StatefulSet\nmetadata:\n  name: fn\n  labels: {component: function, tenant: t, namespace: n, name: fn}\nspec:\n  serviceName: fn\n', status: 1, stderr: ['<stdin>:1: document 1 StatefulSet/fn: spec.template: the StatefulSet has no pod template (spec.template) [PMC_MANIFEST_SHAPE]'] },
  { name: 'labels that are not a map', argv: ['customize', '-r', '{"extraLabels": {"a": "b"}}'], stdin: bare().replace('  name: fn\n', '  name: fn\n  labels: [a, b]\n'), status: 1, stderr: ['document 1 StatefulSet/fn: metadata.labels: metadata.labels must be a map [PMC_MANIFEST_SHAPE]'] },
  { name: 'schema: replicas not a number', argv: ['customize', '-r', '{"extraLabels": {"a": "b"}}'], stdin: bare().replace('  serviceName: fn\n', '  serviceName: fn\n  replicas: two\n'), status: 1, stderr: ['<stdin>:1: document 1 StatefulSet/fn: spec.replicas: must be integer (Kubernetes StatefulSet schema) [PMC_SCHEMA]'] },
  { name: 'schema: bad port in the Service', argv: ['customize', '-r', '{"extraLabels": {"a": "b"}}'], stdin: fn.replace('port: 9093', 'port: grpc'), status: 1, stderr: ['document 1 Service/pf-public-default-my-function: spec.ports[0].port: must be integer (Kubernetes Service schema)'] },
];

describe('bad input: exit status, nothing on stdout, and where', () => {
  it('has a row for every kind of bad input', () => {
    expect(rows.length).toBeGreaterThanOrEqual(40);
  });

  it.each(rows)('$name', async (row) => {
    const env = /size limit/.test(row.name) ? { PMC_MAX_INPUT_BYTES: '100' } : {};
    const res = await runPmc(row.argv, { cwd: dir, stdin: row.stdin ?? '', env });
    expect(res.stdout).toBe('');
    for (const s of row.stderr) expect(res.stderr).toContain(s);
    expect(res.stderr).not.toMatch(/\n\s+at .*\(.*:\d+:\d+\)/); // never a stack trace
    expect(res.stderr).not.toContain('internal error');
    expect(res.status).toBe(row.status);
  });
});

describe("the API server's rules: the passing side of each limit", () => {
  it.each([
    ['runAsUser 2147483647', { securityContext: { runAsUser: 2147483647, runAsGroup: 2147483647, fsGroup: 2147483647, supplementalGroups: [0, 2147483647] } }],
    ['a request equal to its limit', { resourceRequirements: { requests: { cpu: '1000m', memory: '2Gi' }, limits: { cpu: '1', memory: '2048Mi' } } }],
    ['an AppArmor annotation for Pulsar\'s container', { extraAnnotations: { 'container.apparmor.security.beta.kubernetes.io/pulsarfunction': 'localhost/fn' } }],
    ['seccomp Localhost with its profile', { securityContext: { seccompProfile: { type: 'Localhost', localhostProfile: 'profiles/fn.json' } } }],
    ['a toleration key and a 63-character value', { tolerations: [{ key: 'example.com/dedicated', operator: 'Equal', value: 'x'.repeat(63), effect: 'NoSchedule' }] }],
    ['no key, operator Exists', { tolerations: [{ operator: 'Exists' }] }],
  ])('%s', async (_name, options) => {
    // supplementalGroups and seccompProfile are pmc's, beyond the seed's published class: that
    // warning, and nothing else, is expected (without --strict, which would refuse it).
    const beyondSeed = /supplementalGroups|seccompProfile/.test(JSON.stringify(options));
    const res = await runPmc([...r(options), ...(beyondSeed ? [] : ['--strict'])], { cwd: dir });
    const lines = res.stderr.split('\n').filter(Boolean);
    expect(lines).toEqual(beyondSeed ? [expect.stringMatching(/does not declare .*\[PMC_SEED_CLASS_IGNORES\]$/)] : []);
    expect(res.status).toBe(0);
  });
});

describe('accepted as Pulsar reads it, with a warning', () => {
  it.each([
    ['"true" for a boolean', { securityContext: { runAsNonRoot: 'true' } }, `${cro}.securityContext.runAsNonRoot: "true" is a string; read as the boolean true, as Pulsar reads it [PMC_OPTIONS_COERCED]`],
    ['a numeric string for an integer', { securityContext: { runAsUser: '1000' } }, `${cro}.securityContext.runAsUser: "1000" is a string; read as the integer 1000`],
    ['a number for a label value', { extraLabels: { version: 2 } }, `${cro}.extraLabels.version: 2 is not a string; read as "2"`],
    ['an unknown key', { securityContex: { runAsUser: 1 } }, `${cro}.securityContex: unknown key "securityContex" (Pulsar ignores it silently); did you mean "securityContext"? [PMC_OPTIONS_UNKNOWN_KEY]`],
    ['an unknown key far from any known one', { zzzUnrelatedKey: 'x' }, `${cro}.zzzUnrelatedKey: unknown key "zzzUnrelatedKey" (Pulsar ignores it silently) [PMC_OPTIONS_UNKNOWN_KEY]`],
    ['a capability named CAP_X', { securityContext: { dropCapabilities: ['CAP_NET_RAW'] } }, `fn.yaml:${stsLine}: document 2 StatefulSet/pf-public-default-my-function: customRuntimeOptions.securityContext.dropCapabilities[0]: "CAP_NET_RAW": Kubernetes names capabilities without the CAP_ prefix ("NET_RAW")`],
  ])('%s', async (_name, options, warning) => {
    const res = await runPmc(r(options), { cwd: dir });
    expect(res.status).toBe(0);
    expect(res.stderr).toContain(`pmc: warning: ${warning}`);
    expect(res.stdout).toContain('kind: StatefulSet');
  });

  it('reads the coerced values, not a silent false', async () => {
    const res = await runPmc(r({ securityContext: { runAsNonRoot: 'true', runAsUser: '1000' } }), { cwd: dir });
    expect(res.stdout).toContain('      securityContext:\n        runAsUser: 1000\n        runAsNonRoot: true\n');
  });
});

describe('--no-validate', () => {
  it('turns the result checks off, and Pulsar\'s output comes through', async () => {
    const res = await runPmc([...sc({ privileged: true, allowPrivilegeEscalation: false }), '--no-validate'], { cwd: dir });
    expect(res.status).toBe(0);
    expect(res.stdout).toContain('privileged: true\n          allowPrivilegeEscalation: false');
  });
});


describe('a pipe as the manifest (bash process substitution)', () => {
  const pmc = join(import.meta.dirname, '..', 'bin', 'pmc.js');
  const viaPipe = (env: Record<string, string> = {}) =>
    spawnSync('bash', ['-c', `"${process.execPath}" "${pmc}" customize <(cat fn.yaml) -r '{"extraLabels": {"a": "b"}}'`], {
      cwd: dir,
      encoding: 'utf8',
      env: { ...process.env, ...env },
    });

  it('is read whole, as the file is', async () => {
    const fromFile = await runPmc(['customize', 'fn.yaml', '-r', '{"extraLabels": {"a": "b"}}'], { cwd: dir });
    const res = viaPipe();
    expect(res.status).toBe(0);
    expect(res.stdout).toBe(fromFile.stdout);
  });

  it('is refused past the size limit while reading, having no size to check first', () => {
    const res = viaPipe({ PMC_MAX_INPUT_BYTES: '100' });
    expect(res.status).toBe(1);
    expect(res.stdout).toBe('');
    expect(res.stderr).toMatch(/^pmc: error: \/dev\/fd\/\d+: the input is larger than .*\[PMC_INPUT_TOO_LARGE\]/m);
  });
});

describe('warnings', () => {
  it('options shared by several functions warn once, not once per function', async () => {
    const two = join(import.meta.dirname, '..', 'fixtures', 'golden', 'two-functions-no-leak', 'input.yaml');
    const options = { securityContext: { runAsUser: 1000 }, resourceRequirements: { limits: { 'nvidia.com/gpu': '1' } } };
    const res = await runPmc(['customize', two, '--all', '--customizer', 'basic', '-r', JSON.stringify(options)]);
    expect(res.status).toBe(0);
    expect(res.stdout.match(/^kind: StatefulSet$/gm)).toHaveLength(2);
    expect(res.stderr.match(/\[PMC_SECURITY_CONTEXT_IGNORED\]/g)).toHaveLength(1);
    expect(res.stderr.match(/\[PMC_RESOURCE_IGNORED\]/g)).toHaveLength(1);
  });
});

describe('messages that point to the fix, beyond the table', () => {
  const bin = join(import.meta.dirname, '..', 'bin', 'pmc.js');

  it('a full disk on stdout is PMC_WRITE, never an internal error', () => {
    const out = openSync('/dev/full', 'w');
    try {
      const res = spawnSync(process.execPath, [bin, 'customize', join(dir, 'fn.yaml'), '-r', '{}'], { stdio: ['ignore', out, 'pipe'], encoding: 'utf8' });
      expect(res.stderr).toContain('pmc: error: <stdout>: cannot write the output: ENOSPC');
      expect(res.stderr).toContain('[PMC_WRITE]');
      expect(res.stderr).not.toContain('internal error');
      expect(res.status).toBe(1);
    } finally {
      closeSync(out);
    }
  });

  it('pmc help customize is help asked for: exit 0', async () => {
    const res = await runPmc(['help', 'customize']);
    expect(res.status).toBe(0);
    expect(res.stdout).toContain('Usage: pmc customize');
  });

  it('the size limit is stated in bytes', async () => {
    const res = await runPmc(['customize', 'fn.yaml'], { cwd: dir, env: { PMC_MAX_INPUT_BYTES: '100' } });
    expect(res.stderr).toContain('the input is larger than the limit of 100 bytes');
  });

  it('--customizer basic: the message names the flag, not the worker file', async () => {
    const res = await runPmc(['customize', 'fn.yaml', '--customizer', 'basic', '-r', '{"securityContext": {"runAsUser": 1000}}'], { cwd: dir });
    expect(res.status).toBe(0);
    expect(res.stderr).toContain("securityContext is ignored: --customizer basic applies Pulsar's BasicKubernetesManifestCustomizer, which does not read it");
  });

  it('an unknown class: pmc says it does not know it and previews nothing, without blaming Pulsar for its own options', async () => {
    const input = readFileSync(join(dir, 'fn.yaml'), 'utf8');
    // A public custom customizer reads podSecurityContext and containerSecurityContext.
    const res = await runPmc(['customize', 'fn.yaml', '-w', 'worker-custom.yml', '-r', '{"podSecurityContext": {"runAsUser": 1000}}'], { cwd: dir });
    expect(res.status).toBe(0);
    expect(res.stdout).toBe(input);
    expect(res.stderr).toContain('pmc does not know com.acme.PulsarCustomizer, so it previews none of the options');
    expect(res.stderr).toContain('--customizer basic');
    expect(res.stderr).toContain('customRuntimeOptions.podSecurityContext: unknown key "podSecurityContext" (not an option of Pulsar\'s BasicKubernetesManifestCustomizer or the SecurityContext extension; pmc does not know PulsarCustomizer\'s own)');
    expect(res.stderr).not.toContain('Pulsar ignores');
    expect(res.stderr).not.toContain('PMC_NO_CUSTOMIZER');
  });

  it('an unknown class that extends Basic, said with --customizer basic: Basic\'s options are previewed', async () => {
    const res = await runPmc(['customize', 'fn.yaml', '-w', 'worker-custom.yml', '--customizer', 'basic', '-r', '{"extraLabels": {"team": "data"}}'], { cwd: dir });
    expect(res.status).toBe(0);
    expect(res.stdout).toContain('team: data');
    expect(res.stderr).not.toContain('PMC_CUSTOMIZER_UNKNOWN');
  });
});
