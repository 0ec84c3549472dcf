// The bundled template as build.mjs ships it (dist/template.pack): read, every EJS file compiled,
// the content hash computed, all ahead of any run.

import { packHash } from './hash.js';
import { readTemplateFolder, serialisePack, type TemplatePack } from './pack.js';
import { compileEjs, loadEjs } from './run-ejs.js';

export async function packAhead(dir: string): Promise<TemplatePack> {
  const pack = readTemplateFolder(dir);
  const ejs = await loadEjs();
  for (const file of pack.files) {
    if (file.path.endsWith('.ejs')) file.compiled = compileEjs(ejs, file.content.toString('utf8'), file.path);
  }
  pack.compiledAhead = true;
  await packHash(pack);
  // Names the compiled code in the code cache of a run (cached-bodies.ts).
  const { createHash } = await import('node:crypto');
  const code = createHash('sha256');
  for (const file of pack.files) if (file.compiled) code.update(`${file.path}\0${file.compiled.body}\0`);
  pack.codeHash = code.digest('hex').slice(0, 16);
  return pack;
}

/** The bytes of dist/template.pack for the template folder `dir`. */
export async function packFileFor(dir: string): Promise<Buffer> {
  return serialisePack(await packAhead(dir));
}
