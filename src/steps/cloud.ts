// --cloud as this run's template has it (template/cloud-option.ts). The template is read for this
// only when the cloud is given or asked: a run that takes the default reads it when it renders, as
// before.

import { parseValue } from '../args.js';
import type { Context } from '../context.js';
import { optionByKey, type ChoiceOption } from '../options.js';
import { cloudOption } from '../template/cloud-option.js';

type CloudContext = Pick<Context, 'given' | 'interactive' | 'template'>;

/**
 * The cloud question for this run, with a given --cloud checked against the template's clouds:
 * args.ts and an answers file take a value a template may add as it is (option.fromTemplate).
 */
export function cloudQuestion(ctx: CloudContext): ChoiceOption {
  const given = ctx.given.cloud;
  if (given === undefined && !ctx.interactive) return optionByKey('cloud') as ChoiceOption;
  const option = cloudOption(ctx.template);
  if (typeof given === 'string') parseValue(option, given);
  return option;
}
