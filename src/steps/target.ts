// Refuses a folder that already holds a project (exit 3) before any question is asked about it.

import type { Context } from '../context.js';
import { CliError, ExitCode } from '../errors.js';
import { inspectTarget } from '../write/place.js';
import { ANSWERS_FILE } from '../answers-file.js';
import { commandLine } from '../invocation.js';

export async function checkTarget(ctx: Pick<Context, 'target' | 'run' | 'ui' | 'warnings' | 'invocation'>): Promise<void> {
  if (!ctx.target) return;
  const state = await inspectTarget(ctx.target);
  if (state.kind !== 'non-empty') return;
  // --force adds a project next to unrelated files. Over a project this tool made it would keep
  // that project's files and add the new answers' files beside them: a mix of two projects.
  if (state.entries.includes(ANSWERS_FILE)) {
    throw new CliError(
      `${ctx.target} already holds a project made by create-ml-project (${ANSWERS_FILE}); to change its answers, run ${commandLine(ctx.invocation.run, ['update', ctx.target])} --set <answer>=<value>`,
      ExitCode.targetNotEmpty,
    );
  }
  if (!ctx.run.force) {
    const listed = state.entries.slice(0, 5).join(', ') + (state.entries.length > 5 ? ', …' : '');
    throw new CliError(
      `${ctx.target} is not empty (${listed}); choose a new folder, or pass --force to add the project next to those files (none of them is changed or deleted)`,
      ExitCode.targetNotEmpty,
    );
  }
  ctx.warnings.push(`${ctx.target} is not empty: existing files are kept as they are (--force)`);
}
