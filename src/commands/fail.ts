// How update, check-update and doctor end on a failure: one line (plus details) on stderr naming
// the command, or one JSON object on stdout with --json; the same shapes the create flow uses.

import { CliError, ExitCode } from '../errors.js';
import type { CommandIO } from './index.js';

/** `extra`: fields a command's --json failure adds (doctor's empty `checks`). */
export function fail(io: Pick<CommandIO, 'stdout' | 'stderr'>, json: boolean, command: string, error: unknown, extra: Record<string, unknown> = {}): number {
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
