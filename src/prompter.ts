// The four kinds of question the wizard asks. Steps only see this interface, so tests answer
// them from a script (test/helpers/scripted.ts) and the real run uses clack.

import type { Colors } from 'picocolors/types.js';
import { dumbTerminal } from './colour.js';
import { CancelError } from './errors.js';
import { linePrompter } from './line-prompter.js';
import { multiselect } from './multiselect.js';
import type { PromptChoice, Prompter } from './prompter-types.js';
import { terminalColumns } from './ui.js';
import { wrapLines } from './wrap.js';

export type { PromptChoice, Prompter } from './prompter-types.js';

/** A person's prompts: clack's, or on a terminal that moves no cursor (TERM=dumb) one line each. */
export function terminalPrompter(c: Colors, env: NodeJS.ProcessEnv, runSignal?: AbortSignal): Promise<Prompter> {
  return dumbTerminal(env) ? Promise.resolve(linePrompter(runSignal)) : clackPrompter(c, runSignal);
}

/**
 * clack's prompts, ended by the run's signal too (SIGTERM while a question waits). Ctrl+D is a
 * cancel, like Ctrl+C and Esc: clack would otherwise wait on a closed input and the process would
 * end with exit 0 and the cursor hidden.
 */
export async function clackPrompter(c: Colors, runSignal?: AbortSignal): Promise<Prompter> {
  const p = await import('./lib/clack.js');
  p.useColour(c.isColorSupported);
  // A validation message goes after clack's end mark (`└  `): wrapped at spaces, lined up below it.
  const room = () => Math.max(terminalColumns() - 3, 20);
  const problem = (message: string | undefined) => message && wrapLines(message, room()).join('\n   ');
  // Questions wrapped at spaces to the room beside the gutter. clack puts its gutter before each
  // line of a select's, a confirm's or a multiselect's message (and would break it itself, leaving
  // a space at the start of a line); a text question's it does not frame, so it gets one here.
  const wrapped = (message: string) => wrapLines(message, room()).join('\n');
  const framed = (message: string) => wrapLines(message, room()).join(`\n${c.gray(p.S_BAR)}  `);
  // One place turns clack's cancel symbol into an exception (never mistaken for an answer).
  const answer = <T>(value: T | symbol): T => {
    if (p.isCancel(value) || runSignal?.aborted) throw new CancelError();
    return value as T;
  };
  /** Runs one prompt with a signal that Ctrl+D (or the run's signal) aborts. */
  const asking = async <T>(ask: (signal: AbortSignal) => Promise<T | symbol>): Promise<T> => {
    if (runSignal?.aborted) throw new CancelError();
    const controller = new AbortController();
    const cancel = () => controller.abort();
    const onKey = (_: unknown, key: { ctrl?: boolean; name?: string } | undefined) => {
      if (key?.ctrl && key.name === 'd') cancel();
    };
    runSignal?.addEventListener('abort', cancel, { once: true });
    process.stdin.on('keypress', onKey);
    process.stdin.once('end', cancel);
    try {
      return answer<T>(await ask(controller.signal));
    } finally {
      runSignal?.removeEventListener('abort', cancel);
      process.stdin.off('keypress', onKey);
      process.stdin.off('end', cancel);
    }
  };
  return {
    text: (q) =>
      asking<string>((signal) =>
        p.text({
          message: framed(q.message),
          signal,
          ...(q.defaultValue === undefined ? {} : { placeholder: q.defaultValue, defaultValue: q.defaultValue }),
          validate: (v) => (!v && q.defaultValue !== undefined ? undefined : problem(q.validate(v ?? ''))),
        }),
      ),
    select: (q) => asking<string>((signal) => p.select({ message: wrapped(q.message), signal, options: q.options.map((o) => ({ ...o })), initialValue: q.initialValue })),
    multiselect: (q) =>
      asking<string[]>((signal) => multiselect(p, c, { message: wrapped(q.message), options: q.options, initialValues: q.initialValues, signal })),
    confirm: (q) => asking<boolean>((signal) => p.confirm({ message: wrapped(q.message), signal, initialValue: q.initialValue })),
  };
}
