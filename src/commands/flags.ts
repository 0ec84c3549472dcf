// The flags of update, check-update and doctor, read by the one parser (args.ts) so that a bad
// flag is worded the same for every command. Each is the option table's own entry where the flag
// means what it means for create (--template, --trust, --dry-run, --json, --help, --color); update
// adds --set, which only it takes.

import { parseArgs } from '../args.js';
import { optionByKey, type Option, type TextOption } from '../options.js';

/** update --set key=value: raw pairs, checked against the option table by update/sets.ts. */
const SET: TextOption = {
  key: 'set',
  flag: 'set',
  kind: 'text',
  answer: false,
  metavar: 'key=value',
  help: 'change one answer, checked like its flag; repeatable',
  validate: () => undefined,
};

const TAKES: Record<string, readonly string[]> = {
  update: ['set', 'template', 'dryRun', 'trust', 'json', 'help', 'color'],
  'check-update': ['template', 'trust', 'json', 'help', 'color'],
  doctor: ['json', 'help', 'color'],
};

export interface CommandArgs {
  /** The project folder, when given. */
  dir?: string;
  json: boolean;
  help: boolean;
  dryRun: boolean;
  trust: boolean;
  template?: string;
  /** Raw --set key=value pairs, in the order given. */
  sets: string[];
}

/** `run` is how this create-ml-project is run (invocation.ts): an unknown flag's message points at `<run> <command> --help`. */
export function parseCommandArgs(command: 'update' | 'check-update' | 'doctor', argv: readonly string[], run: string): CommandArgs {
  const options: Option[] = (TAKES[command] ?? []).map((key) => (key === SET.key ? SET : optionByKey(key)));
  const { dir, given } = parseArgs(argv, { options, help: `${run} ${command} --help`, repeatable: [SET.key] });
  const template = given.template;
  return {
    ...(dir === undefined ? {} : { dir }),
    json: given.json === true,
    help: given.help === true,
    dryRun: given.dryRun === true,
    trust: given.trust === true,
    ...(typeof template === 'string' ? { template } : {}),
    sets: (given.set as string[] | undefined) ?? [],
  };
}
