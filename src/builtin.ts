// Node's built-in modules that only some runs need, loaded when first asked for, without
// node:module's createRequire: loading node:module brings Node's ES module loader with it, ~0.7 ms
// of every run that imported it (bench/README.md), where most runs need neither.

/** The bundle's own CommonJS `require` (build.mjs defines it); undefined when running from source. */
declare const __cmlpRequire: NodeJS.Require | undefined;

/** Built-in module `name` (`node:zlib`, …). */
export function builtin<T>(name: string): T {
  // Node 20.16+ and 22.3+; a bundle on an older Node has its own require.
  const get = (process as { getBuiltinModule?: (id: string) => unknown }).getBuiltinModule;
  if (typeof get === 'function') return get(name) as T;
  if (typeof __cmlpRequire === 'function') return __cmlpRequire(name) as T;
  throw new Error(`cannot load ${name}: Node ${process.versions.node} has no process.getBuiltinModule (Node 20.16+), and this is not the built package`);
}

/**
 * The `require` a bundle loaded by the compile cache gets. Every bundle sits in dist/ beside the
 * bin, so the bin's own require resolves what createRequire(bundle) would, without node:module.
 */
export function bundleRequire(file: string): NodeJS.Require {
  if (typeof __cmlpRequire === 'function') return __cmlpRequire;
  return builtin<typeof import('node:module')>('node:module').createRequire(file);
}
