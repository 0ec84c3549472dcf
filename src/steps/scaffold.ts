// Queues the one task that writes the project: render it in memory (project/render.ts), then
// stage it next to the target and move it into place (write/place.ts).

import { relative } from 'node:path';
import { complete, type Context } from '../context.js';
import { renderProject, useCodeCache } from '../project/render.js';
import type { RenderedFile } from '../template/render.js';
import { loadTemplate } from '../template/source.js';
import { placeProject } from '../write/place.js';
import { serviceNameWarning } from './service-name.js';

type RenderContext = Pick<Context, 'answers' | 'template' | 'version' | 'env' | 'invocation'>;

/** This run's project in memory, with the template's compiled code from the code cache: also what --dry-run lists. */
export async function renderForRun(ctx: RenderContext, signal?: AbortSignal): Promise<RenderedFile[]> {
  useCodeCache(ctx.template, ctx.env);
  return renderProject({ answers: complete(ctx.answers), template: ctx.template, version: ctx.version, invocation: ctx.invocation }, signal);
}

type ScaffoldContext = RenderContext & Pick<Context, 'target' | 'tasks' | 'rollback' | 'files' | 'kept' | 'cwd' | 'warnings'> & { run?: Pick<Context['run'], 'force'> };

export function scaffold(ctx: ScaffoldContext): void {
  ctx.tasks.push({
    title: 'Writing the project',
    get done() {
      // With --force, files the user already had are kept, not written (listed in the summary).
      const kept = ctx.kept.length > 0 ? ` (kept ${ctx.kept.length} of yours)` : '';
      return `Wrote ${ctx.files.length - ctx.kept.length} files to ${relative(ctx.cwd, ctx.target) || '.'}${kept}`;
    },
    async run(signal) {
      ctx.files = await renderForRun(ctx, signal);
      ctx.kept = await placeProject(ctx.target, ctx.files, ctx.rollback, signal, { force: ctx.run?.force ?? false });
      const { name, api, cloud } = complete(ctx.answers);
      // The template is loaded by now (renderForRun): its cloud records cost nothing more.
      const record = api ? loadTemplate(ctx.template, ctx.env).clouds.find((c) => c.name === cloud) : undefined;
      const warning = record && serviceNameWarning(name, record);
      if (warning) ctx.warnings.push(warning);
    },
  });
}
