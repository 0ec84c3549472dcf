// A content hash of a template folder: the same files with the same bytes and executable bits
// give the same hash wherever and however they were fetched. Recorded in every project and
// checked against --template-hash.

import { lstatSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { listFiles } from './render.js';

export async function templateHash(dir: string): Promise<string> {
  // Loaded on use: a scaffold from the published package records the hash made at build time.
  const { createHash } = await import('node:crypto');
  const all = createHash('sha256');
  for (const path of await listFiles(dir)) {
    const abs = join(dir, path);
    const exec = lstatSync(abs).mode & 0o111 ? 'x' : '-';
    const content = createHash('sha256').update(readFileSync(abs)).digest('hex');
    all.update(`${path}\0${exec}\0${content}\n`);
  }
  return `sha256:${all.digest('hex')}`;
}
