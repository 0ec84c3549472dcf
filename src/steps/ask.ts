// Flag or prompt: the single path every answer takes. A flag is already validated (args.ts) and is
// echoed as if it had been asked; --yes takes the table's default; a person at a terminal is asked;
// anything else is recorded as missing, to be reported once with its flag.

import type { Context } from '../context.js';
import type { Option } from '../options.js';

export function display(value: unknown): string {
  if (typeof value === 'boolean') return value ? 'yes' : 'no';
  if (Array.isArray(value)) return value.join(', ');
  return String(value);
}

type AskContext = Pick<Context, 'given' | 'run' | 'interactive' | 'prompt' | 'ui' | 'missing'>;

export async function ask(ctx: AskContext, option: Option, fallback?: string): Promise<unknown> {
  if (option.key in ctx.given) {
    const value = ctx.given[option.key];
    if (ctx.interactive && option.prompt) ctx.ui.step(`${option.prompt} ${ctx.ui.c.dim(display(value))}`);
    return value;
  }
  const initial = option.kind === 'text' ? fallback : option.default;
  if (ctx.run.yes && initial !== undefined) return Array.isArray(initial) ? [...initial] : initial;
  if (!ctx.interactive || !option.prompt) {
    ctx.missing.push(option);
    return undefined;
  }
  const message = option.prompt;
  switch (option.kind) {
    case 'text':
      return ctx.prompt.text({
        message,
        ...(fallback ?? option.placeholder ? { defaultValue: (fallback ?? option.placeholder) as string } : {}),
        validate: (v) => {
          const problem = option.validate(v);
          return problem ? `The name ${problem}` : undefined;
        },
      });
    case 'choice':
      return ctx.prompt.select({ message, options: option.choices, initialValue: option.default });
    case 'list':
      return ctx.prompt.multiselect({ message, options: option.choices, initialValues: option.default });
    case 'boolean':
      return ctx.prompt.confirm({ message, initialValue: option.default });
  }
}
