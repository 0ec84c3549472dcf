// Bundles src/ into dist/ with every dependency inside, so the published package installs nothing
// (like create-vite). Code split: --help loads only the small entry chunk; clack, ejs, execa and
// giget load when a run needs them.

import { build } from 'esbuild';
import { chmod, rm } from 'node:fs/promises';

await rm('dist', { recursive: true, force: true });
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
  logLevel: 'warning',
});
await import('node:fs/promises').then(({ readFile, writeFile }) =>
  readFile('dist/index.mjs', 'utf8').then((code) => writeFile('dist/index.mjs', `#!/usr/bin/env node\n${code}`)),
);
await chmod('dist/index.mjs', 0o755);
