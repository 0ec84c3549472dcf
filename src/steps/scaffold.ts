// Builds the project in memory (template files + the answers file) and queues the one task that
// writes: stage next to the target, then move into place.

import { relative } from 'node:path';
import { answersRecord, ANSWERS_FILE, serialise } from '../answers-file.js';
import { complete, type Context } from '../context.js';
import { fromRegistry, type Invocation } from '../invocation.js';
import { CliError, ExitCode } from '../errors.js';
import { packHash } from '../template/hash.js';
import { loadCachedBodies } from '../template/cached-bodies.js';
import { TemplateError } from '../template/pack.js';
import { renderTemplate, type RenderedFile } from '../template/render.js';
import { loadTemplate } from '../template/source.js';
import { placeProject } from '../write/place.js';

/** Without an invocation the project is rendered as if not run from the registry (invocation.ts). */
type BuildContext = Pick<Context, 'answers' | 'template' | 'version'> & Partial<Pick<Context, 'env'>> & { invocation?: Pick<Invocation, 'kind'> };

/** Every file of the project, in memory. Pure: safe for --dry-run. */
export async function buildProject(ctx: BuildContext, signal?: AbortSignal): Promise<RenderedFile[]> {
  const answers = complete(ctx.answers);
  try {
    const pack = loadTemplate(ctx.template);
    // The pack's compiled code from the code cache, when there is an environment to ask about it.
    if (ctx.env) loadCachedBodies(pack, ctx.env);
    const files = await renderTemplate(pack, answers, { name: 'create-ml-project', version: ctx.version, fromRegistry: fromRegistry(ctx.invocation) }, signal);
    ctx.template.hash ??= await packHash(pack);
    const record = answersRecord(answers, ctx.version, {
      source: ctx.template.source,
      name: pack.manifest.name,
      version: pack.manifest.version,
      hash: ctx.template.hash,
    });
    files.push({ path: ANSWERS_FILE, mode: 0o644, content: Buffer.from(serialise(record)) });
    // Code-point order: the same on every machine (localeCompare depends on the locale, and is slow).
    return files.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
  } catch (error) {
    // The bundled template broken is a bug of this tool (exit 1); any other template is at fault itself.
    if (error instanceof TemplateError) throw new CliError(`the template is broken: ${error.message}`, ctx.template.source === 'bundled' ? ExitCode.unexpected : ExitCode.templateFetch);
    throw error;
  }
}

type ScaffoldContext = BuildContext & Pick<Context, 'target' | 'tasks' | 'rollback' | 'files' | 'kept' | 'cwd'> & { run?: Pick<Context['run'], 'force'> };

export function scaffold(ctx: ScaffoldContext): void {
  ctx.tasks.push({
    title: 'Writing the project',
    get done() {
      // With --force, files the user already had are kept, not written (listed in the summary).
      const kept = ctx.kept.length > 0 ? ` (kept ${ctx.kept.length} of yours)` : '';
      return `Wrote ${ctx.files.length - ctx.kept.length} files to ${relative(ctx.cwd, ctx.target) || '.'}${kept}`;
    },
    async run(signal) {
      ctx.files = await buildProject(ctx, signal);
      ctx.kept = await placeProject(ctx.target, ctx.files, ctx.rollback, signal, { force: ctx.run?.force ?? false });
    },
  });
}
