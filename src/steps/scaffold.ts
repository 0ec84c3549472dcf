// Queues the one task that writes files: render in memory, stage next to the target, move in.

import { relative } from 'node:path';
import { complete, type Context } from '../context.js';
import { CliError, ExitCode } from '../errors.js';
import { renderTemplate, TemplateError } from '../template/render.js';
import { placeProject } from '../write/place.js';

type ScaffoldContext = Pick<Context, 'answers' | 'target' | 'templateDir' | 'version' | 'tasks' | 'rollback' | 'files' | 'kept' | 'cwd'>;

export function scaffold(ctx: ScaffoldContext): void {
  ctx.tasks.push({
    title: 'Writing the project',
    get done() {
      return `Wrote ${ctx.files.length} files to ${relative(ctx.cwd, ctx.target) || '.'}`;
    },
    async run() {
      try {
        ctx.files = await renderTemplate(ctx.templateDir, complete(ctx.answers), { name: 'create-ml-project', version: ctx.version });
      } catch (error) {
        if (error instanceof TemplateError) throw new CliError(`the template is broken: ${error.message}`, ExitCode.unexpected);
        throw error;
      }
      ctx.kept = await placeProject(ctx.target, ctx.files, ctx.rollback);
    },
  });
}
