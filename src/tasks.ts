// Runs the queued side effects in order, one spinner each. Ctrl+C aborts the running one.

import type { Context } from './context.js';

export async function runTasks(ctx: Pick<Context, 'tasks' | 'ui'>, signal: AbortSignal): Promise<void> {
  for (const task of ctx.tasks) {
    if (signal.aborted) return;
    const spinner = ctx.ui.spinner();
    spinner.start(task.title);
    try {
      await task.run(signal, (text) => spinner.detail(text));
    } catch (error) {
      spinner.fail(`${task.title} failed`);
      throw error;
    }
    if (signal.aborted) {
      spinner.fail(`${task.title} cancelled`);
      return;
    }
    spinner.stop(task.done);
  }
}
