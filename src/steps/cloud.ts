// --cloud as this run's template has it. The bundled template's clouds are the option table's
// (options.ts, baked in at build time); a --template with cloud records (clouds/<name>/cloud.json)
// offers its own instead, so it can deploy to a cloud the bundled template lacks. The template is
// read for this only when the cloud is given or asked: a run that takes the default reads it when
// it renders, as before.

import { parseValue } from '../args.js';
import type { Context } from '../context.js';
import { optionByKey, type ChoiceOption } from '../options.js';
import { cloudChoices } from '../template/clouds.js';
import { brokenTemplate, loadTemplate, type TemplateSource } from '../template/source.js';

/** The --cloud option with the template's clouds: "none", then its records in their order. */
export function cloudOption(template: TemplateSource): ChoiceOption {
  const option = optionByKey('cloud') as ChoiceOption;
  if (template.source === 'bundled') return option;
  let records;
  try {
    records = loadTemplate(template).clouds;
  } catch (error) {
    throw brokenTemplate(error, template);
  }
  // A template without records handles --cloud itself, as before: it gets the bundled values.
  if (records.length === 0) return option;
  const none = option.choices.filter((c) => c.value === 'none');
  return { ...option, choices: [...none, ...cloudChoices(records).map((c) => ({ value: c.name, label: c.label, hint: c.hint }))] };
}

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
