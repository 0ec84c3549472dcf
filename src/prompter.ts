// The four kinds of question the wizard asks. Steps only see this interface, so tests answer
// them from a script (test/helpers/scripted.ts) and the real run uses clack.

import { CancelError } from './errors.js';

export interface PromptChoice {
  value: string;
  label: string;
  hint?: string;
}

export interface Prompter {
  /** `defaultValue` is the answer when the user just presses Enter (shown as the placeholder). */
  text(q: { message: string; defaultValue?: string; validate: (v: string) => string | undefined }): Promise<string>;
  select(q: { message: string; options: readonly PromptChoice[]; initialValue: string }): Promise<string>;
  multiselect(q: { message: string; options: readonly PromptChoice[]; initialValues: readonly string[] }): Promise<string[]>;
  confirm(q: { message: string; initialValue: boolean }): Promise<boolean>;
}

/**
 * clack's prompts, ended by the run's signal too (SIGTERM while a question waits). Ctrl+D is a
 * cancel, like Ctrl+C and Esc: clack would otherwise wait on a closed input and the process would
 * end with exit 0 and the cursor hidden.
 */
export async function clackPrompter(runSignal?: AbortSignal): Promise<Prompter> {
  const p = await import('@clack/prompts');
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
          message: q.message,
          signal,
          ...(q.defaultValue === undefined ? {} : { placeholder: q.defaultValue, defaultValue: q.defaultValue }),
          validate: (v) => (!v && q.defaultValue !== undefined ? undefined : q.validate(v ?? '')),
        }),
      ),
    select: (q) => asking<string>((signal) => p.select({ message: q.message, signal, options: q.options.map((o) => ({ ...o })), initialValue: q.initialValue })),
    multiselect: (q) =>
      asking<string[]>((signal) =>
        p.multiselect({
          message: q.message,
          signal,
          options: q.options.map((o) => ({ ...o })),
          initialValues: [...q.initialValues],
          required: true,
        }),
      ),
    confirm: (q) => asking<boolean>((signal) => p.confirm({ message: q.message, signal, initialValue: q.initialValue })),
  };
}
