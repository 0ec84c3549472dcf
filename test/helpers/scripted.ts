// Scripted answers for the wizard (create-astro style): each prompt is answered by its message,
// and every question asked is recorded so a test can assert what was (not) asked.

import { CancelError } from '../../src/errors.js';
import type { Prompter } from '../../src/prompter.js';
import type { Spinner, Ui } from '../../src/ui.js';
import { colors } from '../../src/ui.js';

export type Script = Record<string, unknown | typeof CANCEL | typeof ENTER>;
export const CANCEL = Symbol('cancel');
/** Enter pressed on a text prompt: its pre-filled default is the answer. */
export const ENTER = Symbol('enter');

export function scriptedPrompter(script: Script): Prompter & { asked: string[]; defaults: Record<string, string | undefined>; choices: Record<string, string[]> } {
  const asked: string[] = [];
  /** What each text prompt had filled in, and what each select offered, by message. */
  const defaults: Record<string, string | undefined> = {};
  const choices: Record<string, string[]> = {};
  const answer = async (message: string) => {
    asked.push(message);
    const key = Object.keys(script).find((k) => message.includes(k));
    if (key === undefined) throw new Error(`unexpected question: ${message}`);
    if (script[key] === CANCEL) throw new CancelError();
    return script[key];
  };
  return {
    asked,
    defaults,
    choices,
    text: async (q) => {
      defaults[q.message] = q.defaultValue;
      const given = await answer(q.message);
      const value = (given === ENTER ? (q.defaultValue ?? '') : given) as string;
      const problem = q.validate(value);
      if (problem) throw new Error(`scripted answer ${value} rejected: ${problem}`);
      return value;
    },
    select: async (q) => {
      choices[q.message] = q.options.map((o) => o.value);
      const value = (await answer(q.message)) as string;
      if (!choices[q.message]?.includes(value)) throw new Error(`scripted answer ${value} is not offered: ${choices[q.message]?.join(', ')}`);
      return value;
    },
    multiselect: async (q) => (await answer(q.message)) as string[],
    confirm: async (q) => (await answer(q.message)) as boolean,
  };
}

/** A Ui that records every line instead of printing. */
export function captureUi(): Ui & { lines: string[] } {
  const lines: string[] = [];
  const push = (l: string) => lines.push(l);
  const spinner = (): Spinner => ({ start: push, detail: (l) => push(`· ${l}`), stop: push, fail: push });
  return {
    lines,
    c: colors(false),
    intro: push,
    step: push,
    info: push,
    warn: (m) => push(`warning: ${m}`),
    error: (m) => push(`error: ${m}`),
    cancel: (m) => push(`error: ${m}`),
    note: (body, title) => push(`${title}\n${body}`),
    command: (title, line) => push(`${title}\n${line}`),
    outro: push,
    spinner,
  };
}
