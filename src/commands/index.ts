// Subcommands beside the default "create" flow: `create-ml-project <command> [args]`.
// This table is plain data for the main --help and for bin.ts, which loads a command only when it
// is used (from the one bundle of every command, src/cli.ts), so `create-ml-project --help` stays
// fast. It imports no command: the commands import their types from here, and nothing here leads
// back to them.

import type { Invocation } from '../invocation.js';

export interface CommandIO {
  /** Arguments after the command name. */
  argv: readonly string[];
  cwd: string;
  env: NodeJS.ProcessEnv;
  interactive: boolean;
  signal: AbortSignal;
  stdout: (text: string) => void;
  stderr: (text: string) => void;
  /** How the tool was run, for the commands it prints (default: worked out by invocation.ts). */
  invocation?: Invocation;
}

export interface Command {
  name: string;
  run(io: CommandIO): Promise<number>;
}

/** Name → usage line for the main --help (the command's own --help says the rest). A project cannot be named after a command (validate.ts). */
export const COMMANDS: Record<string, string> = {
  update: 'update [dir]         merge the current template into a project (--dry-run, --set key=value)',
  'check-update': 'check-update [dir]   exit 0 when a project is at the current template, 10 when it is not',
  doctor: 'doctor [dir]         check this machine for what a project needs, one fix per problem',
};
