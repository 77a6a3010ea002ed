/**
 * Security context presets: `{"preset": "restricted"}` stands for the settings that pass
 * that Pod Security Standards level; fields written beside it override it.
 */
import type { SecurityContextOpts } from './options.js';

export type PresetName = 'restricted' | 'baseline';
export const PRESET_NAMES: readonly PresetName[] = ['restricted', 'baseline'];

/** 10000 is the user the apachepulsar/pulsar image itself runs as. */
export const PULSAR_IMAGE_UID = 10000;

export const PRESETS: Record<PresetName, SecurityContextOpts> = {
  restricted: {
    runAsNonRoot: true,
    runAsUser: PULSAR_IMAGE_UID,
    runAsGroup: PULSAR_IMAGE_UID,
    fsGroup: PULSAR_IMAGE_UID,
    seccompProfile: { type: 'RuntimeDefault' },
    privileged: false,
    allowPrivilegeEscalation: false,
    dropCapabilities: ['ALL'],
  },
  baseline: {
    privileged: false,
    allowPrivilegeEscalation: false,
    seccompProfile: { type: 'RuntimeDefault' },
  },
};

/** The preset's settings with the explicit fields over them; `preset` itself is kept. */
export function expandPreset(sc: SecurityContextOpts | undefined): SecurityContextOpts | undefined {
  if (!sc?.preset) return sc;
  return { ...PRESETS[sc.preset], ...sc };
}

/**
 * What a Pulsar function instance writes, read off the command Pulsar generates: its log
 * directory, the directory its code is downloaded to, the NAR extraction directory, and
 * /tmp (the JVM's and Python's temporary files).
 */
export interface WritablePath {
  /** Volume name suffix: pmc-<what>. */
  what: 'logs' | 'download' | 'nar' | 'tmp';
  path: string;
}

/** Directories the image ships: an emptyDir over them would hide its files. */
export const IMAGE_PATHS = ['/', '/pulsar', '/pulsar/bin', '/pulsar/conf', '/pulsar/lib', '/pulsar/instances', '/pulsar/connectors'];

function dirname(p: string): string {
  const i = p.replace(/\/+$/, '').lastIndexOf('/');
  return i <= 0 ? '/' : p.slice(0, i);
}

/**
 * The working directory of Pulsar's images (apachepulsar/pulsar and pulsar-all: `WORKDIR
 * /pulsar`). Pulsar passes the instance a relative log directory (KubernetesRuntimeFactory's
 * logDirectory "logs/functions"), which the instance resolves against it; a volume mounted at
 * the relative path would land under `/` instead. A container's own workingDir wins.
 * https://github.com/apache/pulsar/blob/master/docker/pulsar/Dockerfile
 */
export const PULSAR_IMAGE_WORKDIR = '/pulsar';

/** A path as the container sees it: relative ones resolved against its working directory. */
function absolute(path: string, workdir: string): string {
  if (path.startsWith('/')) return path;
  const parts: string[] = [];
  for (const part of `${workdir}/${path}`.split('/')) {
    if (part === '' || part === '.') continue;
    if (part === '..') parts.pop();
    else parts.push(part);
  }
  return `/${parts.join('/')}`;
}

/** The directory a container resolves relative paths against: its own workingDir, else the image's (given, or Pulsar's). */
export function workingDirOf(container: { workingDir?: unknown }, imageWorkingDir?: string): string {
  return typeof container.workingDir === 'string' && container.workingDir ? container.workingDir : (imageWorkingDir ?? PULSAR_IMAGE_WORKDIR);
}

export function writablePaths(command: string, workdir: string = PULSAR_IMAGE_WORKDIR): WritablePath[] {
  const found: WritablePath[] = [];
  const first = (re: RegExp) => re.exec(command)?.[1];
  const logs = first(/-Dpulsar\.function\.log\.dir=(\S+)/) ?? first(/--logging_directory\s+(\S+)/);
  if (logs) found.push({ what: 'logs', path: logs });
  const code = first(/--destination-file\s+(\S+)/) ?? first(/packages\s+download\s+\S+\s+--path\s+(\S+)/);
  if (code) found.push({ what: 'download', path: dirname(absolute(code, workdir)) });
  const nar = first(/--nar_extraction_directory\s+(\S+)/);
  if (nar) found.push({ what: 'nar', path: nar });
  found.push({ what: 'tmp', path: '/tmp' });
  const paths = found.map((w) => ({ ...w, path: absolute(w.path, workdir).replace(/\/+$/, '') || '/' }));
  // The NAR directory is /tmp by default: one path, named once.
  return paths.filter((w, i) => paths.findIndex((o) => o.path === w.path) === i);
}

const within = (p: string, dir: string) => p === dir || p.startsWith(dir === '/' ? '/' : `${dir}/`);

/**
 * The mounts to add: no path the image ships (or one above it), and nothing already
 * inside another mount. Returns the refused ones too, so the caller can say why.
 */
export function planMounts(paths: WritablePath[]): { mounts: WritablePath[]; refused: WritablePath[] } {
  const refused = paths.filter((w) => IMAGE_PATHS.some((img) => within(img, w.path)));
  const allowed = paths.filter((w) => !refused.includes(w));
  const mounts = allowed.filter((w) => !allowed.some((o) => o !== w && o.path !== w.path && within(w.path, o.path)));
  // The same directory named twice is mounted once.
  const unique = mounts.filter((w, i) => mounts.findIndex((o) => o.path === w.path) === i);
  return { mounts: unique, refused };
}
