// The project folder must be new or empty. Without a terminal a folder with files in it ends the
// run (exit 3) before any question is asked about it; a person is asked what to do instead (as
// create-vite and sv do): choose another folder, add the project beside the files (--force), or
// cancel. A folder holding a project of this tool is never mixed with a new one.

import { basename, resolve } from 'node:path';
import { ANSWERS_FILE } from '../answers-file.js';
import type { Context } from '../context.js';
import { CancelError, CliError, ExitCode, show } from '../errors.js';
import { commandLine } from '../invocation.js';
import { validateProjectName } from '../validate.js';
import { inspectTarget } from '../write/target.js';

type TargetContext = Pick<Context, 'target' | 'cwd' | 'answers' | 'run' | 'ui' | 'warnings' | 'invocation' | 'interactive' | 'prompt'>;

export async function checkTarget(ctx: TargetContext): Promise<void> {
  for (;;) {
    if (!ctx.target) return;
    const state = await inspectTarget(ctx.target);
    if (state.kind !== 'non-empty') return;
    // --force adds a project next to unrelated files. Over a project this tool made it would keep
    // that project's files and add the new answers' files beside them: a mix of two projects.
    const project = state.entries.includes(ANSWERS_FILE);
    const update = `${commandLine(ctx.invocation.run, ['update', ctx.target])} --set <answer>=<value>`;
    if (!project && ctx.run.force) {
      ctx.warnings.push(`${ctx.target} is not empty: existing files are kept as they are (--force)`);
      return;
    }
    const listed = state.entries.slice(0, 5).join(', ') + (state.entries.length > 5 ? ', …' : '');
    const problem = project
      ? `${ctx.target} already holds a project made by create-ml-project (${ANSWERS_FILE}); to change its answers, run ${update}`
      : `${ctx.target} is not empty (${listed})`;
    if (!ctx.interactive || ctx.run.yes) {
      throw new CliError(
        project ? problem : `${problem}; choose a new folder, or pass --force to add the project next to those files (none of them is changed or deleted)`,
        ExitCode.targetNotEmpty,
      );
    }
    const choice = await ctx.prompt.select({
      message: `${problem}. What now?`,
      options: [
        { value: 'another', label: 'Choose another folder' },
        ...(project ? [] : [{ value: 'beside', label: 'Add the project beside these files', hint: 'none of them is changed or deleted (--force)' }]),
        { value: 'cancel', label: 'Cancel' },
      ],
      initialValue: 'another',
    });
    if (choice === 'cancel') throw new CancelError();
    if (choice === 'beside') {
      ctx.run.force = true;
      continue;
    }
    await anotherFolder(ctx);
  }
}

/** Asks for a new folder. The project name follows the folder unless --name set it apart. */
async function anotherFolder(ctx: TargetContext): Promise<void> {
  const follows = ctx.answers.name === basename(ctx.target);
  const folder = await ctx.prompt.text({
    message: 'Project folder',
    validate: (value) => {
      if (value.trim() === '') return 'Give a folder name';
      const problem = follows ? validateProjectName(basename(resolve(ctx.cwd, value))) : undefined;
      return problem ? `The folder gives the project name ${show(basename(resolve(ctx.cwd, value)))}, which ${problem}` : undefined;
    },
  });
  ctx.target = resolve(ctx.cwd, folder);
  if (follows) ctx.answers.name = basename(ctx.target);
}
