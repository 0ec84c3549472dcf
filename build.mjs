// Bundles src/ into dist/ with every dependency inside, so the published package installs nothing
// (like create-vite). Code split: --help loads only the small entry chunk; clack, ejs, execa and
// giget load when a run needs them.

import { build } from 'esbuild';
import { chmod, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';

await rm('dist', { recursive: true, force: true });

// The bundled template's content hash, computed here once with the very function the CLI uses
// (src/template/hash.ts), instead of in every scaffold: hashing reads 1.5 MB of lock files, about
// a fifth of a scaffold's own work. The package cannot change after it is built; a test (test/cli/
// answers.test.ts) checks the baked-in hash against the template folder and the installed package.
async function bundledTemplateHash() {
  const { outputFiles } = await build({ entryPoints: ['src/template/hash.ts'], bundle: true, write: false, format: 'esm', platform: 'node', logLevel: 'warning' });
  const scratch = await mkdtemp(join(tmpdir(), 'cmlp-build-'));
  try {
    const module = join(scratch, 'hash.mjs');
    await writeFile(module, outputFiles[0].text);
    const { templateHash } = await import(pathToFileURL(module).href);
    return await templateHash('template');
  } finally {
    await rm(scratch, { recursive: true, force: true });
  }
}
await build({
  entryPoints: { index: 'src/bin.ts' },
  outdir: 'dist',
  outExtension: { '.js': '.mjs' },
  chunkNames: '[name]-[hash]',
  bundle: true,
  splitting: true,
  format: 'esm',
  platform: 'node',
  target: 'node20.12',
  minifySyntax: true,
  legalComments: 'linked',
  banner: {
    // Some bundled CommonJS code calls require() for Node built-ins.
    js: "import { createRequire as __cmlpRequire } from 'node:module'; const require = __cmlpRequire(import.meta.url);",
  },
  define: { __BUNDLED_TEMPLATE_HASH__: JSON.stringify(await bundledTemplateHash()) },
  logLevel: 'warning',
});
await import('node:fs/promises').then(({ readFile, writeFile }) =>
  readFile('dist/index.mjs', 'utf8').then((code) => writeFile('dist/index.mjs', `#!/usr/bin/env node\n${code}`)),
);
await chmod('dist/index.mjs', 0o755);
