// The compiled code of a packed template, loaded through the same code cache as our bundles
// (compile-cache.ts). A pack's bodies are one script (run-ejs.ts, loadPackedBodies), and Node's own
// compile cache (Node 22.1+) does not cover code made at run time: with this, V8 reads that script's
// compiled code back from the cache on every run after a machine's first (bench/README.md has the
// measurements). The pack's compressed blocks are kept there too, as this run unpacked them
// (pack-blocks.ts): a later run reads them instead of unpacking them again.
//
// Same rules as for the bundles: only a speed-up, off in CI and with NODE_DISABLE_COMPILE_CACHE,
// logged with NODE_DEBUG_NATIVE=COMPILE_CACHE. The code only for a pack file whose header names it
// (codeHash, written by pack-ahead.ts): the cache entry is named after that hash and the file's
// size and modification time, so changed code never meets an old entry.

import { cacheLog, compileCacheOff, compileWithCache, keepAtExit, readKept } from '../compile-cache.js';
import type { TemplatePack } from './pack.js';
import type { UnpackedCache } from './pack-blocks.js';
import { loadPackedBodies } from './run-ejs.js';

/** Off only in a build that measures what it buys (build.mjs, CMLP_BUILD_WITHOUT=unpacked-cache). */
declare const __CMLP_UNPACKED_CACHE__: boolean | undefined;

/** Makes the functions of every body of `pack` in one go, from the code cache when it can. */
export function loadCachedBodies(pack: TemplatePack, env: NodeJS.ProcessEnv): void {
  const key = pack.code?.key;
  if (key === undefined || compileCacheOff(env)) return;
  const log = cacheLog(env);
  loadPackedBodies(pack, (source, filename) => compileWithCache(source, filename, `template-${key}`, { env, ...(log ? { log } : {}) }).script);
}

/** Where readPack keeps a pack file's blocks as this run unpacked them; none when the cache is off. */
export function unpackedCache(env: NodeJS.ProcessEnv): ((name: string) => UnpackedCache) | undefined {
  if (compileCacheOff(env) || (typeof __CMLP_UNPACKED_CACHE__ === 'boolean' && !__CMLP_UNPACKED_CACHE__)) return undefined;
  const log = cacheLog(env);
  const options = { env, ...(log ? { log } : {}) };
  return (name) => ({
    read: (index) => readKept(`unpacked-${name}-${index}.bin`, options),
    keep: (index, bytes) => keepAtExit(`unpacked-${name}-${index}.bin`, bytes, options),
  });
}
