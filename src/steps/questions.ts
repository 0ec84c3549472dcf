// Every answer after the name, in the option table's order, then the rules that tie answers
// together. Missing answers (no terminal, no --yes) are reported here, all at once.

import type { Context } from '../context.js';
import { UsageError } from '../errors.js';
import { commandLine, type Invocation } from '../invocation.js';
import { ANSWER_OPTIONS, optionByKey, type Answers, type ChoiceOption, type Option } from '../options.js';
import { ask } from './ask.js';
import { cloudQuestion } from './cloud.js';

type QuestionContext = Pick<Context, 'given' | 'run' | 'interactive' | 'prompt' | 'ui' | 'missing' | 'answers' | 'invocation' | 'template'>;

export async function questions(ctx: QuestionContext): Promise<void> {
  for (const entry of ANSWER_OPTIONS) {
    if (entry.key === 'name') continue;
    // The clouds are the template's (cloud.ts); every other question is the table's.
    const option = entry.key === 'cloud' ? cloudQuestion(ctx) : entry;
    // A project with no API must train: do not ask a question with only one valid answer.
    if (option.key === 'training' && ctx.answers.api === false && !('training' in ctx.given)) {
      ctx.answers.training = true;
      if (ctx.interactive) ctx.ui.step(`${option.prompt} ${ctx.ui.c.dim('yes (a project without an API trains)')}`);
      continue;
    }
    // Tracking is about training runs: a project that does not train is not asked (the default
    // is recorded, and applies should it train later).
    if (option.key === 'tracking' && ctx.answers.training === false && !('tracking' in ctx.given)) {
      ctx.answers.tracking = (option as ChoiceOption).default as Answers['tracking'];
      continue;
    }
    const value = await ask(ctx, option);
    if (value !== undefined) (ctx.answers as Record<string, unknown>)[option.key] = value;
  }
  reportMissing(ctx.missing, ctx.invocation);
  checkCombination(ctx.answers);
}

function flagFor(option: Option): string {
  if (option.key === 'name') return '[dir] or --name <name>';
  if (option.kind === 'boolean') return `--${option.flag} or --no-${option.flag}`;
  const values = option.kind === 'text' ? '<name>' : `<${option.choices.map((c) => c.value).join('|')}>`;
  return `--${option.flag} ${values}`;
}

export function reportMissing(missing: readonly Option[], invocation: Invocation): void {
  if (missing.length === 0) return;
  throw new UsageError(
    `no terminal to ask on, and ${missing.length} answer${missing.length === 1 ? ' is' : 's are'} missing; pass --yes for the defaults or give them as flags`,
    [...missing.map((o) => `  missing: ${flagFor(o)}`), '', `usage: ${commandLine(invocation.create)} [dir] [options] (see --help)`],
  );
}

export function checkCombination(answers: Partial<Record<string, unknown>>): void {
  if (answers.api === false && answers.training === false) {
    throw new UsageError(
      `--no-api together with --no-training leaves nothing to generate: keep ${flagFor(optionByKey('api')).split(' ')[0]} or ${flagFor(optionByKey('training')).split(' ')[0]}`,
    );
  }
}
