// Where the project goes and what it is called. The folder and the name agree unless --name
// says otherwise: `create-ml-project ./work/churn` makes ./work/churn named "churn".

import { basename, resolve } from 'node:path';
import type { Context } from '../context.js';
import { UsageError, show } from '../errors.js';
import { DEFAULT_NAME, optionByKey } from '../options.js';
import { suggestProjectName, validateProjectName } from '../validate.js';
import { ask } from './ask.js';

type NameContext = Pick<Context, 'cwd' | 'dir' | 'given' | 'run' | 'interactive' | 'prompt' | 'ui' | 'missing' | 'answers' | 'target'>;

export async function projectName(ctx: NameContext): Promise<void> {
  if (ctx.dir === '') throw new UsageError('the folder argument is empty: give a folder, or . for the current one');
  if (ctx.dir !== undefined) {
    ctx.target = resolve(ctx.cwd, ctx.dir);
    if (!('name' in ctx.given)) {
      const derived = basename(ctx.target);
      const problem = validateProjectName(derived);
      if (problem) {
        const suggestion = suggestProjectName(derived);
        // A person at a terminal is asked, with a valid name made from the folder's filled in (as
        // create-vite does for its package name); the folder keeps the name it was given.
        if (ctx.interactive && !ctx.run.yes) {
          ctx.ui.warn(`folder ${show(ctx.dir)} gives the project name ${show(derived)}, which ${problem}`);
          ctx.answers.name = (await ask(ctx, optionByKey('name'), suggestion)) as string;
          return;
        }
        throw new UsageError(
          `folder ${show(ctx.dir)} gives the project name ${show(derived)}, which ${problem}; pass --name <name>${suggestion ? ` (e.g. --name ${suggestion})` : ''}`,
        );
      }
      ctx.given = { ...ctx.given, name: derived };
    }
    ctx.answers.name = (await ask(ctx, optionByKey('name'))) as string;
    return;
  }
  const name = (await ask(ctx, optionByKey('name'), DEFAULT_NAME)) as string | undefined;
  if (name === undefined) return; // reported with the other missing answers
  ctx.answers.name = name;
  ctx.target = resolve(ctx.cwd, name);
}
