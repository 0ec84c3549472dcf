// Scripted answers for the wizard (create-astro style): each prompt is answered by its message,
// and every question asked is recorded so a test can assert what was (not) asked.

import { CancelError } from '../../src/errors.js';
import type { Prompter } from '../../src/prompter.js';
import type { Spinner, Ui } from '../../src/ui.js';
import { colors } from '../../src/ui.js';

export type Script = Record<string, unknown | typeof CANCEL>;
export const CANCEL = Symbol('cancel');

export function scriptedPrompter(script: Script): Prompter & { asked: string[] } {
  const asked: string[] = [];
  const answer = async (message: string) => {
    asked.push(message);
    const key = Object.keys(script).find((k) => message.includes(k));
    if (key === undefined) throw new Error(`unexpected question: ${message}`);
    if (script[key] === CANCEL) throw new CancelError();
    return script[key];
  };
  return {
    asked,
    text: async (q) => {
      const value = (await answer(q.message)) as string;
      const problem = q.validate(value);
      if (problem) throw new Error(`scripted answer ${value} rejected: ${problem}`);
      return value;
    },
    select: async (q) => (await answer(q.message)) as string,
    multiselect: async (q) => (await answer(q.message)) as string[],
    confirm: async (q) => (await answer(q.message)) as boolean,
  };
}

/** A Ui that records every line instead of printing. */
export function captureUi(): Ui & { lines: string[] } {
  const lines: string[] = [];
  const push = (l: string) => lines.push(l);
  const spinner = (): Spinner => ({ start: push, stop: push, fail: push });
  return {
    lines,
    c: colors(false),
    intro: push,
    step: push,
    info: push,
    warn: (m) => push(`warning: ${m}`),
    error: (m) => push(`error: ${m}`),
    note: (body, title) => push(`${title}\n${body}`),
    outro: push,
    spinner,
  };
}
