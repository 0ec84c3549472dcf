// Subcommands beside the default "create" flow: `create-ml-project <command> [args]`.
// Each is loaded only when used, so `create-ml-project --help` stays fast.

export interface CommandIO {
  /** Arguments after the command name. */
  argv: readonly string[];
  cwd: string;
  env: NodeJS.ProcessEnv;
  interactive: boolean;
  signal: AbortSignal;
  stdout: (text: string) => void;
  stderr: (text: string) => void;
}

export interface Command {
  name: string;
  /** One line for the main --help. */
  summary: string;
  run(io: CommandIO): Promise<number>;
}

/** Registry: name → loader. A project cannot be named after a command (validate.ts). */
export const COMMANDS: Record<string, () => Promise<Command>> = {
  update: () => import('./update.js').then((m) => m.update),
  'check-update': () => import('./check-update.js').then((m) => m.checkUpdate),
  doctor: () => import('./doctor.js').then((m) => m.doctor),
};
