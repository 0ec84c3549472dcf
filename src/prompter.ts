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

export async function clackPrompter(): Promise<Prompter> {
  const p = await import('@clack/prompts');
  // One place turns clack's cancel symbol into an exception (never mistaken for an answer).
  const answer = <T>(value: T | symbol): T => {
    if (p.isCancel(value)) throw new CancelError();
    return value as T;
  };
  return {
    text: async (q) =>
      answer<string>(
        await p.text({
          message: q.message,
          ...(q.defaultValue === undefined ? {} : { placeholder: q.defaultValue, defaultValue: q.defaultValue }),
          validate: (v) => (!v && q.defaultValue !== undefined ? undefined : q.validate(v ?? '')),
        }),
      ),
    select: async (q) => answer<string>(await p.select({ message: q.message, options: q.options.map((o) => ({ ...o })), initialValue: q.initialValue })),
    multiselect: async (q) =>
      answer<string[]>(
        await p.multiselect({
          message: q.message,
          options: q.options.map((o) => ({ ...o })),
          initialValues: [...q.initialValues],
          required: true,
        }),
      ),
    confirm: async (q) => answer<boolean>(await p.confirm({ message: q.message, initialValue: q.initialValue })),
  };
}
