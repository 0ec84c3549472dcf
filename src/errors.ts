// Every way a run can end, with the exit code scripts can branch on (documented in README.md).

export const ExitCode = {
  ok: 0,
  unexpected: 1,
  usage: 2,
  targetNotEmpty: 3,
  templateFetch: 4,
  setupFailed: 5,
  /** update: conflict markers were left in files (or would be, with --dry-run); resolve, then commit. */
  updateConflicts: 6,
  /**
   * check-update: the project is behind its template. Not a failure, so it sits apart from the
   * error codes 1-6 and leaves room for more; a scheduled CI job branches on it to open a PR.
   */
  updateAvailable: 10,
  cancelled: 130,
} as const;
export type ExitCodeValue = (typeof ExitCode)[keyof typeof ExitCode];

/** An expected failure: one clear line for the user and a documented exit code. */
export class CliError extends Error {
  constructor(
    message: string,
    readonly exitCode: ExitCodeValue,
    /** Extra lines shown after the message (usage, a log tail, a retry command). */
    readonly details: readonly string[] = [],
  ) {
    super(message);
  }
}

export class UsageError extends CliError {
  constructor(message: string, details: readonly string[] = []) {
    super(message, ExitCode.usage, details);
  }
}

/** The user pressed Ctrl+C or escaped a prompt. */
export class CancelError extends CliError {
  constructor() {
    super('Cancelled.', ExitCode.cancelled);
  }
}

// Characters JSON.stringify leaves raw that can still fool a terminal: C1 controls, bidirectional
// overrides and isolates (which reorder what is shown), line and paragraph separators.
const DECEPTIVE = /[\u0080-\u009f\u061c\u200b-\u200f\u2028-\u202e\u2066-\u2069\ufeff]/g;

/** Shows a user-supplied value on one line, as it is, whatever it contains. */
export function show(value: string): string {
  if (/^[\w.,:/@+-]+$/.test(value)) return value;
  return JSON.stringify(value).replace(DECEPTIVE, (ch) => `\\u${ch.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

/**
 * Outside data (names and versions from an answers file, paths from a template) made safe to print
 * inside a line: control characters (ESC of an escape sequence, CR, BEL, …) and the deceptive ones
 * above become \xNN / \uNNNN, so nothing of it reaches the terminal as a control.
 */
export function clean(text: string): string {
  return text
    .replace(/[\u0000-\u001f\u007f]/g, (ch) => `\\x${ch.charCodeAt(0).toString(16).padStart(2, '0')}`)
    .replace(DECEPTIVE, (ch) => `\\u${ch.charCodeAt(0).toString(16).padStart(4, '0')}`);
}
