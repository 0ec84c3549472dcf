// Bundles src/ into dist/ with every dependency inside, so the published package installs nothing
// (like create-vite). The layout is chosen for start-up time, which bench/README.md measures:
//
//   dist/index.cjs          the bin: checks Node, picks what to load (through the compile cache)
//   dist/help.cjs           a bare --help / --version (option table and help text only)
//   dist/cli.cjs            every command (create, update, check-update, doctor): src/cli.ts
//   dist/lib/               execa, @clack/prompts and ejs, each loaded only when a run needs it
//   dist/template.pack      the bundled template, packed ahead (src/template/pack-ahead.ts)
//
// Each of our bundles is self-contained, so a scaffold loads two modules (index + cli) where a
// code-split build loaded a dozen small shared chunks, each costing Node a resolve, a read and a
// link. The commands share one bundle: their common code (rendering, options, errors) ships once.
// The bundles never hand objects to each other (index only calls a command's run), so the
// shared code they each carry a copy of (options, errors) is never compared across them.

import { build } from 'esbuild';
import { createHash } from 'node:crypto';
import { chmod, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

// bench/tricks.mjs builds variants that each leave one speed trick out, to measure what it buys
// (bench/README.md): CMLP_BUILD_WITHOUT=<trick>[,<trick>…]. Nothing else sets it; the package has
// every trick. pack: the template read from its folder and compiled by EJS at run time, as from
// source; compile-cache: our bundles loaded without src/compile-cache.ts; body-cache: the pack's
// code compiled without the code cache (src/template/cached-bodies.ts: the header names no code
// hash); brotli: every file of the pack stored as it is;
// literal-hoisting: the compiled code keeps its literal text as string literals (run-ejs.ts);
// unpacked-cache: the pack's blocks unpacked on every run, never kept (src/template/cached-bodies.ts).
const TRICKS = ['pack', 'compile-cache', 'body-cache', 'brotli', 'literal-hoisting', 'unpacked-cache'];
const without = new Set((process.env.CMLP_BUILD_WITHOUT ?? '').split(',').filter(Boolean));
for (const trick of without) if (!TRICKS.includes(trick)) throw new Error(`CMLP_BUILD_WITHOUT: no trick ${trick} (known: ${TRICKS.join(', ')})`);

await rm('dist', { recursive: true, force: true });

const common = {
  outExtension: { '.js': '.cjs' },
  bundle: true,
  format: 'cjs',
  platform: 'node',
  target: 'node20.12',
  // Minified: the package ships under 500 kB (test/cli/pack.test.ts measures it). Function names
  // are not kept: esbuild's keepNames cost 3.5 kB and about 2 % of a scaffold's time, measured.
  minify: true,
  legalComments: 'linked',
  logLevel: 'warning',
  // import() of another bundle becomes require(): synchronous, and no ES module loader at all.
  supported: { 'dynamic-import': false },
  // The sources are ES modules; what CommonJS lacks of them is import.meta. They ask it only for
  // their own file and folder (never import.meta.url: building a file URL and parsing it back cost
  // a scaffold ~0.3 ms of Node's URL code, bench/README.md), which a CommonJS module has as is.
  // src/builtin.ts: the bundle's own require, for built-in modules on a Node without getBuiltinModule.
  define: { 'import.meta.dirname': '__dirname', 'import.meta.filename': '__filename', __cmlpRequire: 'require' },
};

// The libraries, as entry points of their own build (code they share is split between them).
// clack's entry is src/lib/clack.ts: @clack/prompts plus the pieces src/multiselect.ts uses.
const LIBRARIES = { execa: 'execa', '@clack/prompts': 'clack', ejs: 'ejs' };
const LIBRARY_ENTRIES = { '@clack/prompts': resolve('src/lib/clack.ts') };
// clack colours through node:util's styleText, which decides by itself whether to colour, never
// hears of --no-color, and on Node 20.20 writes a list of styles even under NO_COLOR or TERM=dumb
// (style-text.ts has the measurement). Its `node:util` import is resolved to
// src/lib/style-text.ts instead, which colours only when the run's one colour decision
// (src/colour.ts) says so. Only clack's own files are redirected: nothing else in the process
// sees a changed node:util.
const clackColour = {
  name: 'clack-colour',
  setup(build) {
    build.onResolve({ filter: /^node:util$/ }, (args) =>
      /[\\/]node_modules[\\/]@clack[\\/]/.test(args.importer) ? { path: resolve('src/lib/style-text.ts') } : undefined,
    );
  },
};
// picocolors works out a default colour setting when it loads, by reading process.stdout.isTTY:
// that one read makes Node build the stdout stream, which a run into a file or a pipe otherwise
// never does (src/output.ts: ~3 ms). Every colour of ours comes from createColors(decision) with
// src/colour.ts's decision, never from that default, so the read is taken out here. The build
// fails if picocolors changes that line, rather than quietly keep it.
const PICOCOLORS_TTY_READ = '(p.stdout || {}).isTTY';
const picocolorsQuiet = {
  name: 'picocolors-quiet',
  setup(build) {
    build.onLoad({ filter: /[\\/]node_modules[\\/]picocolors[\\/]picocolors\.js$/ }, async (args) => {
      const source = await readFile(args.path, 'utf8');
      if (source.split(PICOCOLORS_TTY_READ).length !== 2) throw new Error(`${args.path}: expected one ${PICOCOLORS_TTY_READ} to take out (build.mjs, picocolors-quiet)`);
      return { contents: source.replace(PICOCOLORS_TTY_READ, 'false'), loader: 'js' };
    });
  },
};
await build({
  ...common,
  entryPoints: Object.fromEntries(Object.entries(LIBRARIES).map(([spec, name]) => [name, LIBRARY_ENTRIES[spec] ?? fileURLToPath(import.meta.resolve(spec))])),
  outdir: 'dist/lib',
  plugins: [clackColour, picocolorsQuiet],
});

// Our bundles. A dynamic import of another bundle's entry, or of a library, stays an import of
// that file; everything else is bundled in.
const APP = {
  index: 'src/bin.ts',
  help: 'src/bare-flags.ts',
  cli: 'src/cli.ts',
};
const libraryFiles = new Map(Object.entries(LIBRARY_ENTRIES).map(([spec, file]) => [file, LIBRARIES[spec]]));
const entryNames = new Map(Object.entries(APP).map(([name, file]) => [resolve(file), name]));
const linkBundles = {
  name: 'link-bundles',
  setup(build) {
    build.onResolve({ filter: /.*/ }, (args) => {
      // A library by its package name, or by its entry file in src/lib/ (`import('./lib/clack.js')`).
      const library = LIBRARIES[args.path] ?? (args.path.startsWith('.') ? libraryFiles.get(resolve(args.resolveDir, args.path.replace(/\.js$/, '.ts'))) : undefined);
      if (library) return { path: `./lib/${library}.cjs`, external: true };
      if (args.kind !== 'dynamic-import' || !args.path.startsWith('.')) return undefined;
      const name = entryNames.get(resolve(args.resolveDir, args.path.replace(/\.js$/, '.ts')));
      return name ? { path: `./${name}.cjs`, external: true } : undefined;
    });
  },
};

// The bundled template, packed ahead by the very code the CLI uses for any other template: every
// file (the lock files compressed together), the file list, the content hash and every EJS file
// compiled. The package ships the template only in this form. A scaffold then neither walks ~80
// files nor parses ~25 EJS templates, and never loads EJS. The package cannot change after it is
// built; tests (test/unit/pack.test.ts, test/cli/pack.test.ts) check the pack against the
// template folder and the installed package.
async function packBundledTemplate() {
  const { packFileFor } = await buildTimeModule('src/template/pack-ahead.ts');
  return await packFileFor('template', { codeCache: !without.has('body-cache'), compress: !without.has('brotli'), hoistLiterals: !without.has('literal-hoisting') });
}

// The bundled template's clouds as --cloud, --help and the answers schema need them, read from its
// records (template/clouds/<name>/cloud.json) by the code that reads them from source, and baked
// into the bundles: --help reads no template.
async function bundledCloudChoices() {
  const { folderCloudChoices } = await buildTimeModule('src/template/clouds.ts');
  return folderCloudChoices('template');
}

/** One of our source modules, bundled and imported here at build time. */
async function buildTimeModule(entry) {
  const { outputFiles } = await build({ entryPoints: [entry], bundle: true, write: false, format: 'esm', platform: 'node', logLevel: 'warning' });
  const scratch = await mkdtemp(join(tmpdir(), 'cmlp-build-'));
  try {
    const module = join(scratch, 'module.mjs');
    await writeFile(module, outputFiles[0].text);
    return await import(pathToFileURL(module).href);
  } finally {
    await rm(scratch, { recursive: true, force: true });
  }
}

// The bin last: it carries each other bundle's content hash, which names that bundle's compile
// cache (src/compile-cache.ts), so a rebuilt bundle never meets the cache of an old one.
const { index, ...bundles } = APP;
// src/bundled-clouds.ts reads the records from template/, which the package does not ship: each
// bundle gets the list itself instead.
const clouds = `export const BUNDLED_CLOUDS = ${JSON.stringify(await bundledCloudChoices())};`;
const bakeClouds = {
  name: 'bake-clouds',
  setup(build) {
    build.onResolve({ filter: /\/bundled-clouds\.js$/ }, () => ({ path: 'bundled-clouds', namespace: 'baked' }));
    build.onLoad({ filter: /.*/, namespace: 'baked' }, () => ({ contents: clouds, loader: 'js' }));
  },
};
await build({
  ...common,
  entryPoints: bundles,
  outdir: 'dist',
  plugins: [bakeClouds, linkBundles, picocolorsQuiet],
  define: { ...common.define, __BUNDLED_TEMPLATE_PACKED__: String(!without.has('pack')), __CMLP_UNPACKED_CACHE__: String(!without.has('unpacked-cache')) },
});
const hashes = {};
for (const name of Object.keys(bundles)) {
  hashes[name] = createHash('sha256').update(await readFile(`dist/${name}.cjs`)).digest('hex').slice(0, 16);
}
await build({
  ...common,
  entryPoints: { index },
  outdir: 'dist',
  plugins: [bakeClouds, linkBundles, picocolorsQuiet],
  define: { ...common.define, __BUNDLE_HASHES__: without.has('compile-cache') ? 'undefined' : JSON.stringify(hashes) },
});
if (!without.has('pack')) await writeFile('dist/template.pack', await packBundledTemplate());
await writeFile('dist/index.cjs', `#!/usr/bin/env node\n${await readFile('dist/index.cjs', 'utf8')}`);
await chmod('dist/index.cjs', 0o755);
