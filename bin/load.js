// Loads pmc's bundle with a V8 code cache, so a start skips compiling what a typical run
// compiles. The cache is an optimisation only: the build ships one named for the V8 that
// made it (dist/pmc-v8-<version>.cache), which no other V8 ever reads; under another Node
// pmc compiles as usual and leaves a cache for its own V8 in the user's cache directory
// ($XDG_CACHE_HOME or ~/.cache, under pulsar-manifest-customizer/), keyed by the bundle's
// build id. A cache V8 rejects (corrupt, or made for other code) just means compiling;
// a cache that cannot be read or written is never an error.
const { mkdirSync, readFileSync, renameSync, writeFileSync, writeSync } = require('node:fs');
const Module = require('node:module');
const path = require('node:path');
const vm = require('node:vm');

const DIST = path.join(__dirname, '..', 'dist');
const BUNDLE = path.join(DIST, 'pmc.cjs');
const BUILD_ID = path.join(DIST, 'build-id');
const cacheName = (v8) => `pmc-v8-${v8.replace(/[^\w.-]/g, '_')}.cache`;
const SHIPPED_CACHE = path.join(DIST, cacheName(process.versions.v8));

/** Where a cache for this Node's V8 is kept when the package ships none for it. */
function userCachePath(env) {
  const base = env.XDG_CACHE_HOME || path.join(env.HOME || require('node:os').homedir(), '.cache');
  const buildId = readFileSync(BUILD_ID, 'utf8').trim();
  return path.join(base, 'pulsar-manifest-customizer', `${buildId}-${cacheName(process.versions.v8)}`);
}

function readCache(env) {
  try {
    return { cachedData: readFileSync(SHIPPED_CACHE), savePath: undefined };
  } catch {
    // no cache shipped for this V8: look in the user's cache directory
  }
  let savePath;
  try {
    savePath = userCachePath(env);
    return { cachedData: readFileSync(savePath), savePath };
  } catch {
    return { cachedData: undefined, savePath };
  }
}

function loadPmc({ useCache = true, env = process.env } = {}) {
  const { cachedData, savePath } = useCache ? readCache(env) : {};
  const script = new vm.Script(Module.wrap(readFileSync(BUNDLE, 'utf8')), { filename: BUNDLE, cachedData });
  const module = { exports: {} };
  script.runInThisContext()(module.exports, Module.createRequire(BUNDLE), module, BUNDLE, DIST);
  const missed = useCache && (!cachedData || script.cachedDataRejected);
  return {
    pmc: module.exports,
    script,
    /** After a run: keep what it compiled for the next start, when no usable cache was there. */
    saveCache() {
      if (!missed || !savePath) return;
      try {
        mkdirSync(path.dirname(savePath), { recursive: true });
        const tmp = `${savePath}.${process.pid}.tmp`;
        writeFileSync(tmp, script.createCachedData());
        renameSync(tmp, savePath);
      } catch {
        // a read-only or missing cache directory: the next start compiles again
      }
    },
  };
}

/**
 * A file descriptor as a TextSink: fs.writeSync, as Node itself writes to files and, on
 * Linux, to pipes, without building process.stdout's stream (a few milliseconds of every
 * start). A non-blocking descriptor that is full (EAGAIN) hands the rest to the stream;
 * a reader that went away (EPIPE, `pmc ... | head`) ends the writing quietly.
 */
function fdSink(fd, stream) {
  let mode = 'fd';
  return {
    get isTTY() {
      return require('node:tty').isatty(fd);
    },
    write(chunk) {
      if (mode === 'stream') return stream().write(chunk);
      if (mode === 'closed') return false;
      const buf = Buffer.from(chunk);
      let done = 0;
      try {
        while (done < buf.length) done += writeSync(fd, buf, done);
      } catch (e) {
        if (e.code === 'EAGAIN') {
          mode = 'stream';
          return stream().write(buf.subarray(done));
        }
        if (e.code === 'EPIPE') {
          mode = 'closed';
          return false;
        }
        throw e;
      }
      return true;
    },
    /** A stream that buffers (after EAGAIN) drains before more is written: pmc --stream's memory stays bounded. */
    drained() {
      if (mode !== 'stream' || !stream().writableNeedDrain) return Promise.resolve();
      return new Promise((resolve) => stream().once('drain', resolve));
    },
  };
}

/** The process as pmc's Io. Its streams are made on first use, if ever: most runs read files. */
function processIo(entry) {
  return {
    get stdin() {
      return process.stdin;
    },
    get stdinIsTTY() {
      return process.stdin.isTTY;
    },
    stdout: fdSink(1, () => process.stdout),
    stderr: fdSink(2, () => process.stderr),
    env: process.env,
    cwd: process.cwd(),
    entry,
  };
}

/** What bin/pmc.js does: run pmc with `argv` as the process, `entry` being pmc.js's path. */
function run(argv, entry) {
  const { pmc, saveCache } = loadPmc();
  pmc.main(argv, processIo(entry)).then((status) => {
    process.exitCode = status;
    saveCache();
  });
}

module.exports = { loadPmc, processIo, run, BUNDLE, BUILD_ID, SHIPPED_CACHE };
