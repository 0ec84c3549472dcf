// The compiled code of a packed template, loaded through the same code cache as our bundles
// (compile-cache.ts). A pack's bodies are one script (run-ejs.ts, loadPackedBodies), and Node's own
// compile cache (Node 22.1+) does not cover code made at run time: with this, V8 reads that script's
// compiled code back from the cache on every run after a machine's first (bench/README.md has the
// measurements).
//
// Same rules as for the bundles: only a speed-up, off in CI and with NODE_DISABLE_COMPILE_CACHE,
// logged with NODE_DEBUG_NATIVE=COMPILE_CACHE. Only for a pack file whose header names its code
// (codeHash, written by pack-ahead.ts): the cache entry is named after that hash and the file's
// size and modification time, so changed code never meets an old entry.

import { cacheLog, compileCacheOff, compileWithCache } from '../compile-cache.js';
import type { TemplatePack } from './pack.js';
import { loadPackedBodies } from './run-ejs.js';

/** Makes the functions of every body of `pack` in one go, from the code cache when it can. */
export function loadCachedBodies(pack: TemplatePack, env: NodeJS.ProcessEnv): void {
  const key = pack.code?.key;
  if (key === undefined || compileCacheOff(env)) return;
  const log = cacheLog(env);
  loadPackedBodies(pack, (source, filename) => compileWithCache(source, filename, `template-${key}`, { env, ...(log ? { log } : {}) }).script);
}
