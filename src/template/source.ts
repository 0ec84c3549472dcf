// Which template a run renders: the one bundled in the package, or a local folder given with
// --template. Remote sources (giget) are resolved in remote.ts.

import { lstat } from 'node:fs/promises';
import { resolve } from 'node:path';
import { CliError, ExitCode, show } from '../errors.js';
import { BUNDLED_TEMPLATE } from '../paths.js';

export interface TemplateSource {
  /** As recorded in the answers file: "bundled" or what the user gave. */
  source: string;
  /** Local folder holding template.json. */
  dir: string;
}

export function bundledTemplate(): TemplateSource {
  return { source: 'bundled', dir: BUNDLED_TEMPLATE };
}

export async function localTemplate(spec: string, cwd: string): Promise<TemplateSource> {
  const dir = resolve(cwd, spec);
  const ok = await lstat(resolve(dir, 'template.json')).then((s) => s.isFile(), () => false);
  if (!ok) throw new CliError(`--template ${show(spec)}: no template.json in ${dir}`, ExitCode.templateFetch);
  return { source: spec, dir };
}
