// Where the package's own files are. The same relative layout holds for src/ (tests run from
// source) and dist/ (the published bundle): both sit one level below the package root.

import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const root = new URL('../', import.meta.url);

export const BUNDLED_TEMPLATE = fileURLToPath(new URL('template', root));

export function packageVersion(): string {
  return (JSON.parse(readFileSync(new URL('package.json', root), 'utf8')) as { version: string }).version;
}
