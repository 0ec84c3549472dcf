// argv of `update` and `check-update`. They take few flags, so a small parser of their own keeps
// the create option table (and its --help) free of flags that mean nothing there.

import { UsageError, show } from '../errors.js';

export interface CommandArgs {
  dir?: string;
  dryRun: boolean;
  json: boolean;
  help: boolean;
  /** Raw --set key=value pairs, checked later against the option table. */
  sets: string[];
  template?: string;
  /** --trust: a template other than the bundled one may run its code. */
  trust: boolean;
}

export interface Accepts {
  /** --set and --dry-run (update only). */
  changes: boolean;
}

/** `run` is how this create-ml-project is run (invocation.ts), for the hint of an unknown option. */
export function parseCommandArgs(command: string, argv: readonly string[], accepts: Accepts, run: string): CommandArgs {
  const out: CommandArgs = { dryRun: false, json: false, help: false, sets: [], trust: false };
  const positionals: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i] ?? '';
    if (!arg.startsWith('-') || arg === '-') {
      positionals.push(arg);
      continue;
    }
    const eq = arg.indexOf('=');
    const name = eq === -1 ? arg : arg.slice(0, eq);
    const value = (): string => {
      if (eq !== -1) return arg.slice(eq + 1);
      const next = argv[++i];
      if (next === undefined || next.startsWith('--')) throw new UsageError(`${name} needs a value`);
      return next;
    };
    const noValue = (): void => {
      if (eq !== -1) throw new UsageError(`${name} takes no value`);
    };
    if (name === '--json') (noValue(), (out.json = true));
    else if (name === '--help' || name === '-h') (noValue(), (out.help = true));
    else if (name === '--no-color' || name === '--color') noValue(); // output of these commands is plain text
    else if (name === '--template') out.template = value();
    else if (name === '--trust') (noValue(), (out.trust = true));
    else if (accepts.changes && name === '--dry-run') (noValue(), (out.dryRun = true));
    else if (accepts.changes && name === '--set') out.sets.push(value());
    else throw new UsageError(`unknown option ${show(name)} for ${command}: see ${run} ${command} --help`);
  }
  if (positionals.length > 1) throw new UsageError(`takes at most one folder, got ${positionals.length}: ${positionals.map(show).join(' ')}`);
  if (positionals[0] !== undefined) out.dir = positionals[0];
  return out;
}
