// --help, generated from the option table so it can never disagree with the parser.

import type { Colors } from 'picocolors/types.js';
import { COMMANDS } from './commands/index.js';
import { ExitCode } from './errors.js';
import { commandLine, type Invocation } from './invocation.js';
import { DEFAULT_NAME, OPTIONS, type Option } from './options.js';
import { wrap } from './wrap.js';

function flagColumn(option: Option): string {
  const short = option.short ? `-${option.short}, ` : '    ';
  switch (option.kind) {
    case 'boolean':
      return option.default ? `${short}--${option.flag}, --no-${option.flag}` : `${short}--${option.flag}`;
    case 'text':
      return `${short}--${option.flag} <${option.metavar}>`;
    case 'list':
      return `${short}--${option.flag} <list>`;
    case 'choice':
      return `${short}--${option.flag} <value>`;
  }
}

function defaultText(option: Option): string {
  switch (option.kind) {
    case 'boolean':
      return option.default ? 'on' : '';
    case 'list':
      return option.default.join(',');
    case 'choice':
      return option.default;
    case 'text':
      return '';
  }
}

function valuesText(option: Option): string {
  return option.kind === 'choice' || option.kind === 'list' ? option.choices.map((c) => c.value).join('|') : '';
}

/** What each exit code means, in words (README.md's table says the same). */
const EXIT_MEANINGS: Record<number, string> = {
  [ExitCode.ok]: 'done',
  [ExitCode.unexpected]: 'unexpected failure (a bug: please report it)',
  [ExitCode.usage]: 'usage: a bad flag or value, a missing answer without a terminal, an impossible combination',
  [ExitCode.targetNotEmpty]: 'the target folder is not empty, already holds a project of this tool, another run is writing it, or it cannot be created or written',
  [ExitCode.templateFetch]: 'the template could not be fetched, or a template other than the bundled one is broken',
  [ExitCode.setupFailed]: 'the first setup failed (the project is kept; the retry command is printed)',
  [ExitCode.updateConflicts]: 'update left conflict markers to resolve',
  [ExitCode.updateAvailable]: 'check-update: the project is not at the current template (not a failure)',
  [ExitCode.cancelled]: 'cancelled (Ctrl+C, Esc, SIGINT, SIGTERM, SIGHUP); nothing this run created is left',
};

/** The widest --help gets, however wide the terminal: longer lines are hard to read. */
const MAX_WIDTH = 100;

/**
 * --help, with the usage and examples run the way this create-ml-project was run (invocation.ts),
 * wrapped to the terminal's `columns` (80 when unknown) with hanging indents.
 */
export function helpText(version: string, c: Colors, invocation: Invocation, columns = 80): string {
  const width = Math.min(Math.max(columns, 20), MAX_WIDTH);
  const create = commandLine(invocation.create);
  const run = commandLine(invocation.run);
  const rows = OPTIONS.map((o) => {
    const extra = [valuesText(o), defaultText(o) && `default: ${defaultText(o)}`].filter(Boolean).join('; ');
    return [flagColumn(o), extra ? `${o.help} (${extra})` : o.help] as const;
  });
  const flagWidth = Math.max(...rows.map(([flag]) => flag.length)) + 2;
  // Beside its flag while the text column keeps some room; on narrow terminals, below it.
  const beside = width - 2 - flagWidth >= 30;
  const option = ([flag, text]: readonly [string, string]) =>
    beside ? wrap(text, width, 2 + flagWidth, 2 + flagWidth, `  ${flag}`) : [`  ${flag}`, ...wrap(text, width, 6)];
  const paragraph = (text: string, indent = 0) => wrap(text, width, indent, indent);
  const command = (text: string) => wrap(text, width, 2, 6);
  return [
    ...paragraph(`${c.bold('create-ml-project')} ${version} — scaffold a working, maintained ML project`),
    '',
    `${c.bold('Usage')}`,
    ...command(`${create} [dir] [options]`),
    ...Object.values(COMMANDS).flatMap((usage) => command(`${run} ${usage.replace(/ {2,}/g, ' — ')}`)),
    ...command(`${run} help [command] — this text, or a command's own`),
    '',
    ...paragraph(`[dir] is the new project's folder; without it, a folder named after the project (${DEFAULT_NAME} by default).`, 2),
    '',
    `${c.bold('Options')}`,
    ...rows.flatMap(option),
    '',
    ...paragraph(`${c.bold('Without a terminal')} (CI, pipes, agents) nothing is asked: pass --yes for the defaults, or every answer as a flag. Missing answers are listed and the exit code is 2.`),
    '',
    `${c.bold('Examples')}`,
    ...command(`${create} loan-default --yes`),
    ...command(`${create} churn --os linux --cloud gcp --no-api --package-manager uv --yes`),
    '',
    `${c.bold('Exit codes')}`,
    ...Object.values(ExitCode).flatMap((code) => wrap(EXIT_MEANINGS[code] ?? '', width, 7, 7, String(code).padStart(5))),
    '',
  ].join('\n');
}
