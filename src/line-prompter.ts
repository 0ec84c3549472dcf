// Questions for a terminal that moves no cursor (TERM=dumb: Emacs' M-x shell, some IDE consoles):
// one line each, typed with the terminal's own line editing. Nothing is redrawn, nothing is
// coloured: stdin stays in cooked mode, so the terminal echoes and Backspace works, Ctrl+C is a
// SIGINT to the run (bin.ts) and Ctrl+D ends the input, a cancel. A choice is picked by its
// number or its value.

import { createInterface } from 'node:readline';
import { CancelError } from './errors.js';
import type { PromptChoice, Prompter } from './prompter-types.js';

export function linePrompter(
  runSignal?: AbortSignal,
  input: NodeJS.ReadableStream = process.stdin,
  write: (text: string) => void = (t) => process.stdout.write(t),
): Prompter {
  /** One typed line, trimmed; a cancel on the run's signal or the end of input. */
  const line = (question: string) =>
    new Promise<string>((resolve, reject) => {
      if (runSignal?.aborted) return reject(new CancelError());
      const rl = createInterface({ input, terminal: false });
      // The cursor is still after the question (Ctrl+C echoed as ^C): what follows starts a line.
      const cancelled = () => {
        write('\n');
        reject(new CancelError());
      };
      const cancel = () => rl.close();
      runSignal?.addEventListener('abort', cancel, { once: true });
      rl.once('line', (typed) => {
        runSignal?.removeEventListener('abort', cancel);
        rl.off('close', cancelled);
        rl.close();
        resolve(typed.trim());
      });
      // The input ended before a line (Ctrl+D), or the run was cancelled.
      rl.once('close', cancelled);
      write(question);
    });
  /** Asks until `parse` accepts the line, saying why it did not. */
  const until = async <T>(question: string, parse: (typed: string) => T | string): Promise<T> => {
    for (;;) {
      const result = parse(await line(question));
      if (typeof result !== 'string') return result;
      write(`  ${result}\n`);
    }
  };
  const list = (message: string, options: readonly PromptChoice[]) =>
    write(`${message}\n${options.map((o, i) => `  ${i + 1}) ${o.label}${o.hint ? ` - ${o.hint}` : ''}`).join('\n')}\n`);
  const pick = (options: readonly PromptChoice[], typed: string) => {
    const number = /^\d+$/.test(typed) ? options[Number(typed) - 1] : undefined;
    return number ?? options.find((o) => o.value === typed || o.label === typed);
  };
  const numbers = (options: readonly PromptChoice[], values: readonly string[]) => values.map((v) => options.findIndex((o) => o.value === v) + 1).join(',');
  return {
    text: (q) =>
      until(`${q.message}${q.defaultValue === undefined ? '' : ` [${q.defaultValue}]`}: `, (typed) => {
        const value = typed === '' && q.defaultValue !== undefined ? q.defaultValue : typed;
        return q.validate(value) ?? { value };
      }).then((r) => r.value),
    select: (q) => {
      list(q.message, q.options);
      return until(`Choose 1-${q.options.length} [${numbers(q.options, [q.initialValue])}]: `, (typed) => {
        const choice = typed === '' ? q.options.find((o) => o.value === q.initialValue) : pick(q.options, typed);
        return choice ? { value: choice.value } : `Type a number from 1 to ${q.options.length}, or a value`;
      }).then((r) => r.value);
    },
    multiselect: (q) => {
      list(q.message, q.options);
      return until(`Choose one or more, separated by commas [${numbers(q.options, q.initialValues)}]: `, (typed) => {
        if (typed === '') return { values: [...q.initialValues] };
        const chosen = typed.split(/[\s,]+/).filter(Boolean).map((t) => pick(q.options, t));
        if (chosen.length === 0 || chosen.some((c) => c === undefined)) return `Type numbers from 1 to ${q.options.length} (or values), separated by commas`;
        // In the list's order, each once.
        return { values: q.options.filter((o) => chosen.includes(o)).map((o) => o.value) };
      }).then((r) => r.values);
    },
    confirm: (q) =>
      until(`${q.message} [${q.initialValue ? 'Y/n' : 'y/N'}]: `, (typed) => {
        if (typed === '') return { yes: q.initialValue };
        if (/^(y|yes)$/i.test(typed)) return { yes: true };
        if (/^(n|no)$/i.test(typed)) return { yes: false };
        return 'Type y or n';
      }).then((r) => r.yes),
  };
}
