// A content hash of a template: the same files with the same bytes and executable bits give the
// same hash wherever and however they were fetched (the archive's compression, top folder, file
// order, timestamps and folders do not count). Recorded in every project and checked against
// --template-hash; for a download that check runs on the files in memory, before any is written.

import { CliError, ExitCode, show } from '../errors.js';
import type { TemplateFile, TemplatePack } from './pack.js';

/** The hash of these files, given sorted by path in code-point order (as listFiles sorts them). */
export async function filesHash(files: readonly Pick<TemplateFile, 'path' | 'executable' | 'content'>[]): Promise<string> {
  // Loaded on use: a scaffold from the published package never needs it.
  const { createHash } = await import('node:crypto');
  const all = createHash('sha256');
  for (const file of files) {
    const content = createHash('sha256').update(file.content).digest('hex');
    all.update(`${file.path}\0${file.executable ? 'x' : '-'}\0${content}\n`);
  }
  return `sha256:${all.digest('hex')}`;
}

/** The pack's hash, computed once (the bundled pack carries the one build.mjs computed). */
export async function packHash(pack: TemplatePack): Promise<string> {
  pack.hash ??= await filesHash(pack.files);
  return pack.hash;
}

/** --template-hash named another hash than the template's. */
export function hashMismatch(source: string, actual: string, expected: string): CliError {
  return new CliError(`--template-hash: template ${show(source)} has ${actual}, expected ${expected}`, ExitCode.templateFetch, [
    'the template changed since the hash was recorded: review the change, then pin the new hash (or drop --template-hash)',
  ]);
}
