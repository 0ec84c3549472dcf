// A whole project rendered in memory, keyed by path: the same renderProject that create uses, so
// the answers file and every template file come out exactly as create would write them.

import type { Invocation } from '../invocation.js';
import type { Answers } from '../options.js';
import { renderProject } from '../project/render.js';
import type { RenderedFile } from '../template/render.js';
import type { TemplateSource } from '../template/source.js';

export type Generation = Map<string, RenderedFile>;

/**
 * `version` is the generator version templates see: the recorded one for the old generation;
 * `invocation` how the tool was run (the README tells whether it came from the npm registry);
 * `signal` cancels the render (Ctrl+C).
 */
export async function generate(template: TemplateSource, answers: Answers, version: string, invocation: Pick<Invocation, 'kind'>, signal?: AbortSignal): Promise<Generation> {
  const files = await renderProject({ answers, invocation, template, version }, signal);
  return new Map(files.map((file) => [file.path, file]));
}
