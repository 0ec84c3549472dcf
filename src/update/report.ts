// What update and check-update share around their work: consent before a template that is not the
// bundled one is read, and how a template's hash is shown.

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

/** "sha256:0123456789ab" — enough of a hash to tell two templates apart on screen. */
export function shortHash(hash: string): string {
  return hash.slice(0, 'sha256:'.length + 12);
}
