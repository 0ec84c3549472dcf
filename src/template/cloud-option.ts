// --cloud as a template has it. The bundled template's clouds are the option table's (options.ts,
// baked in at build time); a template with cloud records (clouds/<name>/cloud.json) offers its own
// instead, so it can deploy to a cloud the bundled template lacks. create asks and checks --cloud
// with it (steps/cloud.ts), update checks --set cloud=… against the template it updates to.

import { optionByKey, type ChoiceOption } from '../options.js';
import { cloudChoices } from './clouds.js';
import { brokenTemplate, loadTemplate, type TemplateSource } from './source.js';

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
