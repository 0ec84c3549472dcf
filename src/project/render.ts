// The core every command shares: a project rendered from its answers and a template, in memory.
// create (steps/scaffold.ts, and --dry-run), update (update/regenerate.ts) and the tests all make
// a project through renderProject, so the answers file and every template file come out the same
// whichever way the project is made. Nothing here writes: write/place.ts places a new project,
// write/update-plan.ts carries out an update's plan.

import { answersRecord, ANSWERS_FILE, serialise } from '../answers-file.js';
import { fromRegistry, type Invocation } from '../invocation.js';
import type { Answers } from '../options.js';
import { loadCachedBodies } from '../template/cached-bodies.js';
import { packHash } from '../template/hash.js';
import { renderTemplate, type RenderedFile } from '../template/render.js';
import { brokenTemplate, loadTemplate, type TemplateSource } from '../template/source.js';
import { isBundled } from '../template/trust.js';

export interface ProjectInput {
  answers: Answers;
  template: TemplateSource;
  /** The generator version the templates see and the answers file records. */
  version: string;
  /** How the tool was run: the README says whether it came from the npm registry (invocation.ts). Without it, not. */
  invocation?: Pick<Invocation, 'kind'>;
}

/** Every file of the project, the answers file included, in code-point order of their paths. */
export async function renderProject(input: ProjectInput, signal?: AbortSignal): Promise<RenderedFile[]> {
  const { answers, template, version } = input;
  try {
    const pack = loadTemplate(template);
    // Any template but the bundled one is someone else's code: it runs where a cancel or a time
    // limit stops it at once (template/render-isolated.ts).
    // Loaded only then: its node:worker_threads costs a scaffold of the bundled template ~8 M instructions.
    const render = isBundled(template.source) ? renderTemplate : (await import('../template/render-isolated.js')).renderIsolated;
    const files = await render(pack, answers, { name: 'create-ml-project', version, fromRegistry: fromRegistry(input.invocation) }, signal);
    template.hash ??= await packHash(pack);
    const record = answersRecord(answers, version, { source: template.source, name: pack.manifest.name, version: pack.manifest.version, hash: template.hash });
    files.push({ path: ANSWERS_FILE, mode: 0o644, content: Buffer.from(serialise(record)) });
    // Code-point order: the same on every machine (localeCompare depends on the locale, and is slow).
    return files.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
  } catch (error) {
    throw brokenTemplate(error, template);
  }
}

/**
 * A speed-up a create run asks for before it renders: the template's compiled code from the code
 * cache, and its blocks as an earlier run unpacked them (template/cached-bodies.ts). Kept apart
 * from renderProject because it is not pure: on a cache miss it writes the cache at exit.
 */
export function useCodeCache(template: TemplateSource, env: NodeJS.ProcessEnv): void {
  try {
    loadCachedBodies(loadTemplate(template, env), env);
  } catch (error) {
    throw brokenTemplate(error, template);
  }
}
