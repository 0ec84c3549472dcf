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

/** Shows a user-supplied value on one line, whatever it contains. */
export function show(value: string): string {
  return /^[\w.,:/@+-]*$/.test(value) && value !== '' ? value : JSON.stringify(value);
}
