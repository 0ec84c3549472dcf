// The compiled code of a packed template, loaded through the same code cache as our bundles
// (compile-cache.ts). Without it every run compiles each body it renders with `new Function`, and
// Node's own compile cache (Node 22.1+) does not cover code made at run time. With it, all bodies
// of the pack are one script, `[function (…) {…}, …]`, whose compiled code V8 reads back from the
// cache on every run after a machine's first (bench/README.md has the measurements).
//
// Same rules as for the bundles: only a speed-up, off in CI and with NODE_DISABLE_COMPILE_CACHE,
// logged with NODE_DEBUG_NATIVE=COMPILE_CACHE. Only for a pack file whose header names its code
// (codeHash, written by pack-ahead.ts): the cache entry is named after that hash and the file's
// size and modification time, so changed code never meets an old entry.

import { cacheLog, compileCacheOff, compileWithCache } from '../compile-cache.js';
import type { TemplatePack } from './pack.js';
import { BODY_PARAMETERS, useBodies, type Body } from './run-ejs.js';

const loaded = new WeakSet<TemplatePack>();

/** Makes the functions of every body of `pack` in one go, from the code cache when it can. */
export function loadCachedBodies(pack: TemplatePack, env: NodeJS.ProcessEnv): void {
  const code = pack.code;
  if (!code || loaded.has(pack) || compileCacheOff(env)) return;
  loaded.add(pack);
  const source = `[${code
    .read()
    .map((body) => `function (${BODY_PARAMETERS}) {\n${body}\n}`)
    .join(',\n')}]`;
  const log = cacheLog(env);
  const { script } = compileWithCache(source, code.path, `template-${code.key}`, { env, ...(log ? { log } : {}) });
  const functions = script.runInThisContext() as Body[];
  if (functions.length !== code.files.length) return; // cannot happen: one function per body
  useBodies(code.files, functions);
}
