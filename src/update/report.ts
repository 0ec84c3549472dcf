// Output shared by update and check-update: a failure as one line (plus details) on stderr, or as
// one JSON object on stdout with --json, the same shapes the create flow uses.

import { CliError, ExitCode } from '../errors.js';
import type { CommandIO } from '../commands/index.js';
import { requireConsent } from '../template/trust.js';
import { colorsFor } from '../ui.js';

/**
 * Consent before update or check-update renders or reads a template that is not the bundled one
 * (the answers file of a cloned project names it): --trust, a yes at a terminal, or exit 2.
 */
export async function consent(io: Pick<CommandIO, 'argv' | 'env' | 'interactive' | 'signal'>, json: boolean, trusted: boolean, sources: readonly string[]): Promise<void> {
  const ask = io.interactive && !json;
  await requireConsent(sources, {
    trusted,
    ...(ask
      ? {
          confirm: async (message: string) =>
            (await (await import('../prompter.js')).terminalPrompter(colorsFor(io.argv, io.env, io.interactive), io.env, io.signal)).confirm({ message, initialValue: false }),
        }
      : {}),
  });
}

export function fail(io: Pick<CommandIO, 'stdout' | 'stderr'>, json: boolean, command: string, error: unknown): number {
  const known = error instanceof CliError;
  const exitCode = known ? error.exitCode : ExitCode.unexpected;
  const message = known ? error.message : `unexpected failure: ${(error as Error)?.message ?? String(error)}`;
  const details = known ? error.details : [];
  if (json) {
    io.stdout(`${JSON.stringify({ ok: false, exitCode, error: message, details })}\n`);
  } else {
    io.stderr(`error: ${command}: ${message}\n`);
    for (const line of details) io.stderr(`${line}\n`);
    if (!known) io.stderr(`${(error as Error)?.stack ?? ''}\n`);
  }
  return exitCode;
}

/** "sha256:0123456789ab" — enough of a hash to tell two templates apart on screen. */
export function shortHash(hash: string): string {
  return hash.slice(0, 'sha256:'.length + 12);
}
