// A content hash of a template: the same files with the same bytes and executable bits give the
// same hash wherever and however they were fetched. Recorded in every project and checked against
// --template-hash.

import type { TemplatePack } from './pack.js';

/** The pack's hash, computed once (the bundled pack carries the one build.mjs computed). */
export async function packHash(pack: TemplatePack): Promise<string> {
  if (pack.hash) return pack.hash;
  // Loaded on use: a scaffold from the published package never needs it.
  const { createHash } = await import('node:crypto');
  const all = createHash('sha256');
  for (const file of pack.files) {
    const content = createHash('sha256').update(file.content).digest('hex');
    all.update(`${file.path}\0${file.executable ? 'x' : '-'}\0${content}\n`);
  }
  pack.hash = `sha256:${all.digest('hex')}`;
  return pack.hash;
}
