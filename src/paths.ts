// Where the package's own files are. The same relative layout holds for src/ (tests run from
// source) and dist/ (the published bundle): both sit one level below the package root.

import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const root = new URL('../', import.meta.url);

/** The bundled template's folder: in a checkout only (tests run from source); the package ships the pack. */
export const BUNDLED_TEMPLATE = fileURLToPath(new URL('template', root));

/** The bundled template packed by build.mjs, every file in it (only the built bundle uses it: template/source.ts). */
export const BUNDLED_PACK = fileURLToPath(new URL('dist/template.pack', root));

export function packageVersion(): string {
  return (JSON.parse(readFileSync(new URL('package.json', root), 'utf8')) as { version: string }).version;
}
