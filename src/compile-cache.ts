// Loads our other bundles (dist/cli.cjs, help.cjs) with V8's code cache kept on disk, so a
// run after the first on a machine skips most of the parsing and compiling of our JavaScript —
// about a fifth of what a scaffold costs the CPU beyond Node's own start-up (bench/README.md).
//
// Node 22.1 and later do this themselves once a program calls module.enableCompileCache(), as
// several CLIs do. On Node 20.12 to 22.0 (which lack it) this module does the same for our
// bundles: it compiles a bundle as Node's CommonJS loader would (the same function wrapper), hands
// V8 the cached data when there is some, and after the first run writes the cache for the next one.
//
// The cache is only ever a speed-up: anything unexpected (no cache, V8 refusing it, a folder we
// cannot write) means the bundle is compiled as usual. Like Node's own compile cache it lives in
// $NODE_COMPILE_CACHE or <tmpdir>/node-compile-cache, and NODE_DISABLE_COMPILE_CACHE=1 turns it off.
// It is off in CI too (CI set): a fresh CI machine runs the tool once, and writing a cache that
// no later run reads only costs time. NODE_DEBUG_NATIVE=COMPILE_CACHE (Node's switch for its own
// cache's log) prints what happened. Entries not written for 30 days go when a run writes one
// (removeStale).

import { isAscii } from 'node:buffer';
import { closeSync, fstatSync, lstatSync, mkdirSync, openSync, readdirSync, readSync, renameSync, rmdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { Script } from 'node:vm';
import { builtin, bundleRequire } from './builtin.js';

/** hit: V8 took the cached code; miss: none yet; rejected: V8 refused it (another V8, damaged); unusable: no cache folder. */
export type CacheOutcome = 'hit' | 'miss' | 'rejected' | 'unusable';

interface Options {
  env: NodeJS.ProcessEnv;
  /** The bundle's content hash, from build.mjs: a rebuilt bundle never meets an old cache. */
  hash: string;
  log?: (line: string) => void;
}

/** NODE_DISABLE_COMPILE_CACHE, or a CI run (CI set to anything but "false" or "0"). */
export function compileCacheOff(env: NodeJS.ProcessEnv): boolean {
  return Boolean(env.NODE_DISABLE_COMPILE_CACHE) || (env.CI !== undefined && env.CI !== '' && env.CI !== 'false' && env.CI !== '0');
}

/** The parts of node:module for Node's own compile cache (22.1+); not loaded on an older Node. */
function nodeCacheApi(): { enableCompileCache?: () => unknown; flushCompileCache?: () => void } | undefined {
  const [major = 0, minor = 0] = process.versions.node.split('.').map(Number);
  if (major < 22 || (major === 22 && minor < 1)) return undefined;
  try {
    return builtin('node:module');
  } catch {
    return undefined;
  }
}

/** Turns on Node's own compile cache where Node has one. True when Node has one (used or off). */
export function enableNodeCompileCache(env: NodeJS.ProcessEnv): boolean {
  const enable = nodeCacheApi()?.enableCompileCache;
  if (!enable) return false;
  if (compileCacheOff(env)) return true;
  try {
    enable();
  } catch {
    // Only ever a speed-up.
  }
  return true;
}

/**
 * Writes Node's own compile cache now, for a process about to end without its natural exit (where
 * Node writes it). False where Node has that cache but no way to write it early (22.1 to 22.9).
 */
export function flushNodeCompileCache(): boolean {
  const node = nodeCacheApi();
  if (typeof node?.enableCompileCache !== 'function') return true;
  if (typeof node.flushCompileCache !== 'function') return false;
  try {
    node.flushCompileCache();
  } catch {
    // Only ever a speed-up.
  }
  return true;
}

// Each folder is made and checked once per run (a run reads up to four cache files).
const folders = new Map<string, string | undefined>();

/** The folder for this Node (V8 refuses another version's code anyway): created private, checked ours. */
function cacheFolder(env: NodeJS.ProcessEnv): string | undefined {
  const folder = join(env.NODE_COMPILE_CACHE || join(tmpdir(), 'node-compile-cache'), `create-ml-project-${process.version}-${process.arch}`);
  if (folders.has(folder)) return folders.get(folder);
  mkdirSync(folder, { recursive: true, mode: 0o700 });
  const stat = lstatSync(folder);
  const usable = stat.isDirectory() && ownedAndPrivate(stat) ? folder : undefined;
  folders.set(folder, usable);
  return usable;
}

function usableFolder(env: NodeJS.ProcessEnv): string | undefined {
  try {
    return cacheFolder(env);
  } catch {
    return undefined;
  }
}

// Code from the cache runs as this user: only trust what this user wrote and nobody else can change.
// (In a shared temporary folder another user could otherwise leave a file there first.)
function ownedAndPrivate(stat: { uid: number; mode: number }): boolean {
  if (typeof process.getuid !== 'function') return true; // Windows: the temporary folder is per user
  const uid = process.getuid();
  return (stat.uid === uid || stat.uid === 0) && (stat.mode & 0o022) === 0;
}

function readTrusted(path: string): Buffer | undefined {
  let fd: number;
  try {
    fd = openSync(path, 'r');
  } catch {
    return undefined;
  }
  try {
    const stat = fstatSync(fd);
    if (!stat.isFile() || !ownedAndPrivate(stat)) return undefined;
    const data = Buffer.allocUnsafe(stat.size);
    return readFully(fd, data, 0, stat.size) === stat.size ? data : undefined;
  } finally {
    closeSync(fd);
  }
}

/** Reads the first `size` bytes of file `fd` into `buffer` from `at` on; returns how many there were. */
function readFully(fd: number, buffer: Buffer, at: number, size: number): number {
  let done = 0;
  while (done < size) {
    const got = readSync(fd, buffer, at + done, size - done, done);
    if (got === 0) break;
    done += got;
  }
  return done;
}

// The wrapper Node's CommonJS loader puts around a module, so the bundle sees what require() gives it.
const WRAPPER_HEAD = '(function (exports, require, module, __filename, __dirname) {';
const WRAPPER_TAIL = '\n})';

/**
 * The bundle `file` inside the wrapper, as one flat string: read into a buffer that already holds
 * the wrapper, and made a string in one copy. (Read as a string and then wrapped, V8 copied all of
 * it once more, flattening the joined string before it looks for its code.) Our bundles are ASCII
 * (test/cli/pack.test.ts), so their bytes are their characters; any other file is read as UTF-8.
 */
function wrappedSource(file: string): { source: string; size: number; mtimeMs: number } {
  const fd = openSync(file, 'r');
  try {
    const { size, mtimeMs } = fstatSync(fd);
    const bytes = Buffer.allocUnsafe(WRAPPER_HEAD.length + size + WRAPPER_TAIL.length);
    bytes.write(WRAPPER_HEAD, 0, 'latin1');
    const done = readFully(fd, bytes, WRAPPER_HEAD.length, size);
    const end = WRAPPER_HEAD.length + done;
    bytes.write(WRAPPER_TAIL, end, 'latin1');
    const wrapped = bytes.subarray(0, end + WRAPPER_TAIL.length);
    return { source: wrapped.toString(isAscii(wrapped) ? 'latin1' : 'utf8'), size: done, mtimeMs };
  } finally {
    closeSync(fd);
  }
}

/**
 * Runs the CommonJS bundle `file` (an absolute path) and returns its exports, compiled with the
 * cached code when there is usable one. `outcome` says which way it went.
 */
export function loadWithCache(file: string, options: Options): { exports: unknown; outcome: CacheOutcome } {
  const { source, size, mtimeMs } = wrappedSource(file);
  // The build's hash names the bundle's content; length and modification time catch a hand edit.
  const name = `${file.slice(dirname(file).length + 1)}-${options.hash}-${size}-${Math.trunc(mtimeMs)}`;
  const { script, outcome } = compileWithCache(source, file, name, options);
  const module = { exports: {} as unknown };
  const wrapper = script.runInThisContext() as (...args: unknown[]) => void;
  wrapper.call(module.exports, module.exports, bundleRequire(file), module, file, dirname(file));
  return { exports: module.exports, outcome };
}

/**
 * Compiles `source` as a script, with the cached code kept under `name` when there is usable one,
 * and writes the cache at exit when there was none. `name` must change whenever `source` does:
 * V8 checks a cache against the source's length, not its content.
 */
export function compileWithCache(source: string, filename: string, name: string, options: Pick<Options, 'env' | 'log'>): { script: Script; outcome: CacheOutcome } {
  const folder = usableFolder(options.env);
  const cacheFile = folder && join(folder, `${name}.bin`);
  const cached = cacheFile ? readTrusted(cacheFile) : undefined;
  const script = new Script(source, { filename, ...(cached ? { cachedData: cached } : {}) });
  const outcome: CacheOutcome = !cacheFile ? 'unusable' : !cached ? 'miss' : script.cachedDataRejected ? 'rejected' : 'hit';
  options.log?.(`${name}.bin: ${outcome}`);
  if (cacheFile && outcome !== 'hit') {
    // At exit, so the cache holds every function this run compiled, not only the top level.
    process.once('exit', () => writeCache(() => script.createCachedData(), cacheFile, options.log));
  }
  return { script, outcome };
}

/** Bytes an earlier run kept in the cache under `name` (keepAtExit), when there is a usable file. */
export function readKept(name: string, options: Pick<Options, 'env' | 'log'>): Buffer | undefined {
  const folder = usableFolder(options.env);
  const kept = folder ? readTrusted(join(folder, name)) : undefined;
  options.log?.(`${name}: ${!folder ? 'unusable' : kept ? 'hit' : 'miss'}`);
  return kept;
}

/** Keeps `bytes` in the cache under `name` for the next run, written when this one exits. */
export function keepAtExit(name: string, bytes: Buffer, options: Pick<Options, 'env' | 'log'>): void {
  const folder = usableFolder(options.env);
  if (folder) process.once('exit', () => writeCache(() => bytes, join(folder, name), options.log));
}

/** NODE_DEBUG_NATIVE=COMPILE_CACHE (Node's switch for its own cache's log): where our cache says what it did. */
export function cacheLog(env: NodeJS.ProcessEnv): ((line: string) => void) | undefined {
  return /\bCOMPILE_CACHE\b/.test(env.NODE_DEBUG_NATIVE ?? '') ? (line) => process.stderr.write(`create-ml-project compile cache: ${line}\n`) : undefined;
}

function writeCache(bytes: () => Buffer, cacheFile: string, log: Options['log']): void {
  // A private temporary name, then one rename: a reader never sees half a file.
  const partial = `${cacheFile}.${process.pid}.partial`;
  try {
    writeFileSync(partial, bytes(), { mode: 0o600, flag: 'wx' });
    renameSync(partial, cacheFile);
    log?.(`${cacheFile.slice(dirname(cacheFile).length + 1)}: written`);
    removeStale(dirname(cacheFile), log);
  } catch {
    // Only ever a speed-up: a read-only or full disk just means no cache next time.
    try {
      rmSync(partial, { force: true });
    } catch {
      // Nothing more to do.
    }
  }
}

/** An entry not written for this long is removed; a run that needs it again writes it again. */
const STALE_MS = 30 * 24 * 60 * 60 * 1000;
let staleRemoved = false;

/**
 * Removes this tool's cache entries not written for 30 days, in its folder for every Node version
 * (a folder left empty goes too), once a run and only in a run that writes an entry. Each new
 * version of the tool, or of Node, starts with a miss and new entries, and the old ones would
 * otherwise stay in the temporary folder for good. Reading an entry does not renew it, so one in
 * use for longer is written again once. Only ever housekeeping: any failure is ignored.
 */
function removeStale(folder: string, log: Options['log']): void {
  if (staleRemoved) return;
  staleRemoved = true;
  const parent = dirname(folder);
  const before = Date.now() - STALE_MS;
  let removed = 0;
  try {
    for (const name of readdirSync(parent)) {
      if (!name.startsWith('create-ml-project-')) continue;
      const dir = join(parent, name);
      const stat = lstatSync(dir);
      if (!stat.isDirectory() || !ownedAndPrivate(stat)) continue;
      let left = 0;
      for (const entry of readdirSync(dir)) {
        const file = lstatSync(join(dir, entry));
        if (file.isFile() && file.mtimeMs < before) {
          rmSync(join(dir, entry), { force: true });
          removed++;
        } else left++;
      }
      if (left === 0 && dir !== folder) rmdirSync(dir);
    }
  } catch {
    // Only ever housekeeping.
  }
  if (removed > 0) log?.(`removed ${removed} entries not written for 30 days`);
}
