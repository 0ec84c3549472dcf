// clack's multiselect marks the focused row by colour alone (a cyan box; its checked and unchecked
// boxes look the same focused or not), so without colour the focus is invisible. This is the same
// prompt (clack's MultiSelectPrompt: keys, wrapping, scrolling, instructions), drawn with a `>`
// before the focused row when colour is off. With colour it looks as clack's own does.

import type { Colors } from 'picocolors/types.js';
import type { PromptChoice } from './prompter-types.js';

type Clack = typeof import('./lib/clack.js');

export function multiselect(
  p: Clack,
  c: Colors,
  q: { message: string; options: readonly PromptChoice[]; initialValues: readonly string[]; signal: AbortSignal },
): Promise<string[] | symbol> {
  const row = (option: PromptChoice, focused: boolean, checked: boolean): string => {
    const mark = c.isColorSupported ? '' : focused ? '> ' : '  ';
    const box = checked ? c.green(p.S_CHECKBOX_SELECTED) : focused ? c.cyan(p.S_CHECKBOX_ACTIVE) : c.dim(p.S_CHECKBOX_INACTIVE);
    const label = focused ? option.label : c.dim(option.label);
    return `${mark}${box} ${label}${focused && option.hint ? ` ${c.dim(`(${option.hint})`)}` : ''}`;
  };
  const prompt = new p.MultiSelectPrompt<PromptChoice>({
    options: q.options,
    initialValues: q.initialValues,
    required: true,
    signal: q.signal,
    validate: (values) => (values === undefined || values.length === 0 ? 'Choose at least one (Space selects, Enter confirms)' : undefined),
    render() {
      const head = `${c.gray(p.S_BAR)}\n${p.wrapTextWithPrefix(process.stdout, q.message, `${p.symbolBar(this.state)}  `, `${p.symbol(this.state)}  `)}\n`;
      const chosen = this.value ?? [];
      const labels = (format: (s: string) => string) => q.options.filter((o) => chosen.includes(o.value)).map((o) => format(o.label)).join(c.dim(', '));
      if (this.state === 'submit') return `${head}${p.wrapTextWithPrefix(process.stdout, labels(c.dim) || c.dim('none'), `${c.gray(p.S_BAR)}  `)}`;
      if (this.state === 'cancel') return `${head}${p.wrapTextWithPrefix(process.stdout, labels((s) => c.strikethrough(c.dim(s))), `${c.gray(p.S_BAR)}  `)}\n${c.gray(p.S_BAR)}`;
      const error = this.state === 'error';
      const bar = `${error ? c.yellow(p.S_BAR) : c.cyan(p.S_BAR)}  `;
      const footer = error ? [`${c.yellow(p.S_BAR_END)}  ${c.yellow(this.error)}`] : p.formatInstructionFooter(process.stdout, p.MULTISELECT_INSTRUCTIONS, true);
      const rows = p.limitOptions({
        output: process.stdout,
        options: q.options,
        cursor: this.cursor,
        columnPadding: 3, // the gutter: a bar and two spaces
        rowPadding: head.split('\n').length + footer.length + 1,
        style: (option, focused) => row(option, focused, chosen.includes(option.value)),
      });
      return `${head}${bar}${rows.join(`\n${bar}`)}\n${footer.join('\n')}\n`;
    },
  });
  return prompt.prompt() as Promise<string[] | symbol>;
}
