// --help, generated from the option table so it can never disagree with the parser.

import type { Colors } from 'picocolors/types.js';
import { COMMANDS } from './commands/index.js';
import { ExitCode } from './errors.js';
import { commandLine, type Invocation } from './invocation.js';
import { DEFAULT_NAME, OPTIONS, type Option } from './options.js';

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

/** --help, with the usage and examples run the way this create-ml-project was run (invocation.ts). */
export function helpText(version: string, c: Colors, invocation: Invocation): string {
  const create = commandLine(invocation.create);
  const run = commandLine(invocation.run);
  const rows = OPTIONS.map((o) => {
    const extra = [valuesText(o), defaultText(o) && `default: ${defaultText(o)}`].filter(Boolean).join('; ');
    return [flagColumn(o), extra ? `${o.help} (${extra})` : o.help] as const;
  });
  const width = Math.max(...rows.map(([flag]) => flag.length)) + 2;
  const exitCodes = Object.entries(ExitCode).map(([name, code]) => `${String(code).padStart(5)}  ${name}`);
  return [
    `${c.bold('create-ml-project')} ${version} — scaffold a working, maintained ML project`,
    '',
    `${c.bold('Usage')}`,
    `  ${create} [dir] [options]`,
    ...Object.values(COMMANDS).map((entry) => `  ${run} ${entry.usage}`),
    '',
    `  [dir] is the new project's folder; without it, a folder named after the project (${DEFAULT_NAME} by default).`,
    '',
    `${c.bold('Options')}`,
    ...rows.map(([flag, text]) => `  ${flag.padEnd(width)}${text}`),
    '',
    `${c.bold('Without a terminal')} (CI, pipes, agents) nothing is asked: pass --yes for the defaults, or`,
    'every answer as a flag. Missing answers are listed and the exit code is 2.',
    '',
    `${c.bold('Examples')}`,
    `  ${create} loan-default --yes`,
    `  ${create} churn --os linux --cloud gcp --no-api --package-manager uv --yes`,
    '',
    `${c.bold('Exit codes')}`,
    ...exitCodes,
    '',
  ].join('\n');
}
