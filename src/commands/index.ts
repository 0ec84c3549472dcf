// Subcommands beside the default "create" flow: `create-ml-project <command> [args]`.
// Each is loaded only when used (from the one bundle of every command, src/cli.ts), so
// `create-ml-project --help` stays fast.

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

/** Loads one of build.mjs's bundles by name (bin.ts: through the compile cache); `load` is the plain import. */
export type BundleLoader = <T>(bundle: string, load: () => Promise<T>) => Promise<T>;

export interface CommandEntry {
  /** Usage line for the main --help (the command's own --help says the rest). */
  usage: string;
  load(from: BundleLoader): Promise<Command>;
}

/** Registry: name → usage and loader. A project cannot be named after a command (validate.ts). */
export const COMMANDS: Record<string, CommandEntry> = {
  update: {
    usage: 'update [dir]         merge the current template into a project (--dry-run, --set key=value)',
    load: (from) => from('cli', () => import('../cli.js')).then((m) => m.update),
  },
  'check-update': {
    usage: 'check-update [dir]   exit 0 when a project is at the current template, 10 when it is not',
    load: (from) => from('cli', () => import('../cli.js')).then((m) => m.checkUpdate),
  },
  doctor: {
    usage: 'doctor [dir]         check this machine for what a project needs, one fix per problem',
    load: (from) => from('cli', () => import('../cli.js')).then((m) => m.doctor),
  },
};
