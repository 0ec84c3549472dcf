// What update, check-update and doctor do around their own work, the same way: read the flags
// (commands/flags.ts; --help answered here), give the work a place for temporary folders that goes
// however the run ends, and end a failure as one line (plus details) on stderr naming the command,
// or as one JSON object on stdout with --json: the same shapes the create flow uses.

import { CliError, ExitCode } from '../errors.js';
import { commandLine, howRun, type Invocation } from '../invocation.js';
import { packageVersion } from '../paths.js';
import { parseCommandArgs, type CommandArgs } from './flags.js';
import type { CommandIO } from './index.js';

/** What a command's work is given. */
export interface Invoked {
  args: CommandArgs;
  json: boolean;
  /** This create-ml-project's version. */
  version: string;
  invocation: Invocation;
  /** Registers a temporary folder (a downloaded template) to remove when the command ends. */
  scratch: (path: string) => void;
}

/**
 * Runs `work` as `command`: `help(run)` is its --help, with `run` how this tool is run;
 * `failure` holds fields its --json failure adds (doctor's empty `checks`).
 */
export async function frame(
  io: CommandIO,
  command: 'update' | 'check-update' | 'doctor',
  help: (run: string) => string,
  work: (invoked: Invoked) => Promise<number>,
  failure: Record<string, unknown> = {},
): Promise<number> {
  const json = io.argv.includes('--json');
  const scratch: string[] = [];
  try {
    const version = packageVersion();
    const invocation = io.invocation ?? howRun(io.env, version);
    const args = parseCommandArgs(command, io.argv, commandLine(invocation.run));
    if (args.help) {
      io.stdout(help(commandLine(invocation.run)));
      return ExitCode.ok;
    }
    return await work({ args, json, version, invocation, scratch: (path) => scratch.push(path) });
  } catch (error) {
    return fail(io, json, command, error, failure);
  } finally {
    // node:fs/promises only when there is scratch to remove: loading it costs a scaffold ~5 M instructions.
    if (scratch.length > 0) {
      const { rm } = await import('node:fs/promises');
      await Promise.all(scratch.map((path) => rm(path, { recursive: true, force: true })));
    }
  }
}

function fail(io: Pick<CommandIO, 'stdout' | 'stderr'>, json: boolean, command: string, error: unknown, extra: Record<string, unknown> = {}): number {
  const known = error instanceof CliError;
  const exitCode = known ? error.exitCode : ExitCode.unexpected;
  const message = known ? error.message : `unexpected failure: ${(error as Error)?.message ?? String(error)}`;
  const details = known ? error.details : [];
  if (json) {
    io.stdout(`${JSON.stringify({ ok: false, exitCode, error: message, details, ...extra })}\n`);
  } else {
    io.stderr(`error: ${command}: ${message}\n`);
    for (const line of details) io.stderr(`${line}\n`);
    if (!known) io.stderr(`${(error as Error)?.stack ?? ''}\n`);
  }
  return exitCode;
}
