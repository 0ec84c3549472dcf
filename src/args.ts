// argv → the values the user gave, checked against the option table: the one parser of every
// command (create's grammar is the whole table; update, check-update and doctor take a few of its
// entries, commands/flags.ts). Nothing here prompts or touches the file system; every problem is a
// UsageError naming the flag, the value and what is allowed, worded the same for every command.

import { UsageError, show } from './errors.js';
import { didYouMean } from './nearest.js';
import { OPTIONS, type Option } from './options.js';

export interface ParsedArgs {
  /** Positional target folder, if given. */
  dir?: string;
  /** Values given on the command line, by option key, already validated and typed. */
  given: Record<string, string | boolean | string[]>;
}

/** What a command accepts. */
export interface Grammar {
  options: readonly Option[];
  /** Where the message about an unknown flag sends the reader: `--help`, `<run> update --help`. */
  help: string;
  /** Keys whose flag may be given again and again, every value kept in order (update's --set). */
  repeatable?: readonly string[];
  /** Keys whose values a template may add (option.fromTemplate): taken as given here, checked once the template is read. */
  checkedLater?: readonly string[];
}

/** create's grammar: every flag of the table. */
export const CREATE: Grammar = { options: OPTIONS, help: '--help' };

/**
 * create's grammar for these arguments: with --template, the values that template may add
 * (--cloud) wait until it is read (steps/cloud.ts); without, they are the bundled template's and
 * are checked here as always. (A value never starts with `--`, so a `--template` before `--` is the flag.)
 */
export function createGrammar(argv: readonly string[]): Grammar {
  const end = argv.indexOf('--');
  const flags = end === -1 ? argv : argv.slice(0, end);
  const template = flags.some((arg) => arg === '--template' || arg.startsWith('--template='));
  return template ? { ...CREATE, checkedLater: OPTIONS.filter((o) => o.kind === 'choice' && o.fromTemplate).map((o) => o.key) } : CREATE;
}

/** Every long flag as typed, `--no-…` forms included: what an unknown flag is compared with. */
const longFlags = (options: readonly Option[]) => options.flatMap((o) => (o.kind === 'boolean' ? [`--${o.flag}`, `--no-${o.flag}`] : [`--${o.flag}`]));

function allowed(option: Option): string {
  if (option.kind === 'choice' || option.kind === 'list') return option.choices.map((c) => c.value).join(', ');
  return '';
}

/**
 * Checks one raw flag value and returns it typed. `given` is how the messages name what the user
 * typed (by default the flag and the value; `update --set` passes its own key=value). `later`: a
 * value a template may add (option.fromTemplate) is taken as it is, for the run to check against
 * its template (steps/cloud.ts).
 */
export function parseValue(option: Option, raw: string, given?: string, later = false): string | boolean | string[] {
  const flag = `--${option.flag}`;
  const typed = given ?? (option.kind === 'boolean' ? `${flag}=${show(raw)}` : `${flag} ${show(raw)}`);
  switch (option.kind) {
    case 'boolean': {
      if (['true', '1', 'yes', 'on'].includes(raw)) return true;
      if (['false', '0', 'no', 'off'].includes(raw)) return false;
      throw new UsageError(`${typed} is not allowed: use ${given ? 'true or false' : `${flag} or --no-${option.flag}`}`);
    }
    case 'choice': {
      if (option.choices.some((c) => c.value === raw) || (later && option.fromTemplate)) return raw;
      throw new UsageError(`${typed} is not allowed: use one of ${allowed(option)}${didYouMean(raw, option.choices.map((c) => c.value))}`);
    }
    case 'list': {
      const values = raw.split(',').map((v) => v.trim());
      const bad = values.filter((v) => !option.choices.some((c) => c.value === v));
      if (bad.length > 0 || values.length === 0) {
        throw new UsageError(`${typed} is not allowed: use a comma list of ${allowed(option)}${didYouMean(bad[0] ?? '', option.choices.map((c) => c.value))}`);
      }
      // Keep the table's order and drop repeats, so equal answers render equal projects.
      return option.choices.map((c) => c.value).filter((v) => values.includes(v));
    }
    case 'text': {
      const problem = option.validate(raw);
      if (problem) throw new UsageError(`${typed} ${problem}`);
      return raw;
    }
  }
}

export function parseArgs(argv: readonly string[], grammar: Grammar = CREATE): ParsedArgs {
  const { options } = grammar;
  const findLong = (name: string) => options.find((o) => o.flag === name);
  // `typed` is compared with the known flags; `shown` is how the message quotes it.
  const unknown = (shown: string, typed: string, known: string[]) => new UsageError(`unknown option ${shown}: see ${grammar.help} for the options${didYouMean(typed, known)}`);
  const given: ParsedArgs['given'] = {};
  // How each option was spelled the first time, to name both when a later flag contradicts it
  // (`--api --no-api`, `--cloud aws --cloud gcp`): refused rather than "last one wins", since a
  // script that says both has a bug, and either reading of it could be the wrong one.
  const spelled = new Map<string, string>();
  const set = (option: Option, value: string | boolean | string[], as: string) => {
    if (grammar.repeatable?.includes(option.key)) {
      given[option.key] = [...((given[option.key] as string[] | undefined) ?? []), value as string];
      return;
    }
    const before = spelled.get(option.key);
    if (before !== undefined && JSON.stringify(given[option.key]) !== JSON.stringify(value)) {
      throw new UsageError(`${before} and ${as} contradict each other: give --${option.flag} once`);
    }
    if (before === undefined) spelled.set(option.key, as);
    given[option.key] = value;
  };
  const positionals: string[] = [];
  let onlyPositionals = false;
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i] ?? '';
    if (onlyPositionals || !arg.startsWith('-') || arg === '-') {
      positionals.push(arg);
      continue;
    }
    if (arg === '--') {
      onlyPositionals = true;
      continue;
    }
    if (!arg.startsWith('--')) {
      // Short flags: only booleans have them (-y, -h, -v), and they may be grouped (-yh).
      for (const letter of arg.slice(1)) {
        const option = options.find((o) => o.short === letter);
        if (!option) throw unknown(`-${show(letter)}`, `-${letter}`, options.flatMap((o) => (o.short ? [`-${o.short}`] : [])));
        set(option, true, `-${letter}`);
      }
      continue;
    }
    const eq = arg.indexOf('=');
    const name = eq === -1 ? arg.slice(2) : arg.slice(2, eq);
    const inline = eq === -1 ? undefined : arg.slice(eq + 1);
    const option = findLong(name);
    if (!option && name.startsWith('no-')) {
      const negated = findLong(name.slice(3));
      if (negated?.kind === 'boolean' && inline === undefined) {
        set(negated, false, arg);
        continue;
      }
    }
    if (!option) throw unknown(`--${show(name)}`, `--${name}`, longFlags(options));
    if (option.kind === 'boolean') {
      set(option, inline === undefined ? true : parseValue(option, inline), inline === undefined ? arg : `--${option.flag}=${show(inline)}`);
      continue;
    }
    let raw = inline;
    if (raw === undefined) {
      const next = argv[i + 1];
      if (next === undefined || (next.startsWith('--') && next.length > 2)) {
        const hint = allowed(option);
        throw new UsageError(`--${option.flag} needs a value${hint ? `: one of ${hint}` : ''}`);
      }
      raw = next;
      i++;
    }
    set(option, parseValue(option, raw, undefined, grammar.checkedLater?.includes(option.key)), `--${option.flag} ${show(raw)}`);
  }
  if (positionals.length > 1) {
    throw new UsageError(`expected at most one folder, got ${positionals.length}: ${positionals.map(show).join(' ')}`);
  }
  const dir = positionals[0];
  return dir === undefined ? { given } : { dir, given };
}
