// Where the package's own files are. The same relative layout holds for src/ (tests run from
// source) and dist/ (the published bundle): both sit one level below the package root.

import { readFileSync } from 'node:fs';
import { join } from 'node:path';

const root = join(import.meta.dirname, '..');

/** The bundled template's folder: in a checkout only (tests run from source); the package ships the pack. */
export const BUNDLED_TEMPLATE = join(root, 'template');

/** The bundled template packed by build.mjs, every file in it (only the built bundle uses it: template/source.ts). */
export const BUNDLED_PACK = join(root, 'dist', 'template.pack');

export function packageVersion(): string {
  return (JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { version: string }).version;
}
