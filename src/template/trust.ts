// Consent before template code runs (issue 16, item 7). A template is EJS, and EJS is JavaScript:
// rendering one runs its code with the user's rights. The bundled template is part of this tool;
// any other (a --template, or the source a project's answers file names, which a cloned
// repository controls) runs only with --trust or a yes at a terminal. --dry-run is no consent.

import { CancelError, UsageError, show } from '../errors.js';

export interface ConsentOptions {
  /** --trust was given. */
  trusted: boolean;
  /** Asks yes/no at a terminal; absent without one (or with --json). */
  confirm?: (message: string) => Promise<boolean>;
}

/** True for a source that is the bundled template (needs no consent). */
export function isBundled(source: string): boolean {
  return source === 'bundled';
}

/**
 * Returns when every template in `sources` may run: the bundled one, --trust, or a yes. A no is a
 * cancel (exit 130); without a terminal it is a UsageError (exit 2) naming --trust and the source.
 */
export async function requireConsent(sources: readonly string[], options: ConsentOptions): Promise<void> {
  const foreign = [...new Set(sources.filter((s) => !isBundled(s)))];
  if (foreign.length === 0 || options.trusted) return;
  const named = foreign.map((s) => show(s)).join(' and ');
  if (options.confirm) {
    const yes = await options.confirm(`Run the code of template ${named}? It is not the bundled template: its EJS code runs on this machine with your rights`);
    if (yes) return;
    throw new CancelError();
  }
  throw new UsageError(`template ${named} is not the bundled one and its code would run on this machine: pass --trust to allow it (or run at a terminal to be asked)`);
}
