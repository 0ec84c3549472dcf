// Runs the queued side effects in order, one spinner each. Ctrl+C aborts the running one.

import type { Context } from './context.js';

export async function runTasks(ctx: Pick<Context, 'tasks' | 'ui'>, signal: AbortSignal): Promise<void> {
  for (const task of ctx.tasks) {
    if (signal.aborted) return;
    const spinner = ctx.ui.spinner();
    spinner.start(task.title);
    let outcome: void | { red: string };
    try {
      outcome = await task.run(signal, (text) => spinner.detail(text));
    } catch (error) {
      spinner.fail(`${task.title} failed`);
      throw error;
    }
    if (signal.aborted) {
      spinner.fail(`${task.title} cancelled`);
      return;
    }
    // Red, but the run goes on: the task has said what to do about it (ctx.warnings).
    const red = (outcome as { red?: unknown } | undefined)?.red;
    if (typeof red === 'string') spinner.fail(red);
    else spinner.stop(task.done);
  }
}
