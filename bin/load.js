// Loads pmc's bundle with the V8 code cache the build made, so a start skips compiling
// what the warm-up run compiled. A cache from another Node is rejected by V8 and pmc
// simply compiles as usual.
const { readFileSync, writeSync } = require('node:fs');
const Module = require('node:module');
const path = require('node:path');
const vm = require('node:vm');

const DIST = path.join(__dirname, '..', 'dist');
const BUNDLE = path.join(DIST, 'pmc.cjs');
const CODE_CACHE = path.join(DIST, 'pmc.cache');

function loadPmc({ useCache = true } = {}) {
  let cachedData;
  if (useCache) {
    try {
      cachedData = readFileSync(CODE_CACHE);
    } catch {
      // no cache: compile
    }
  }
  const script = new vm.Script(Module.wrap(readFileSync(BUNDLE, 'utf8')), { filename: BUNDLE, cachedData });
  const module = { exports: {} };
  script.runInThisContext()(module.exports, Module.createRequire(BUNDLE), module, BUNDLE, DIST);
  return { pmc: module.exports, script };
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

module.exports = { loadPmc, processIo, BUNDLE, CODE_CACHE };
