// What every doctor check reads and returns. Checks never print and never exit: the command
// decides how to show them (lines or --json) and what the exit code is.

import type { Answers, Os } from '../options.js';
import type { ProgramResult } from '../process.js';

/** ok: fine; warn: worth knowing, nothing blocks; fail: the project cannot run until it is fixed. */
export type Status = 'ok' | 'warn' | 'fail';

export interface CheckResult {
  name: string;
  status: Status;
  detail: string;
  /** One concrete command or action for this host's OS; only for warn and fail. */
  fix?: string;
}

export interface Host {
  /** The OS doctor advises for, in the option table's names (src/host.ts says which this machine is). */
  os: Os;
  env: NodeJS.ProcessEnv;
  /** Runs a program without a shell; never throws. */
  run(command: string, args: readonly string[]): Promise<ProgramResult>;
}

/** What the project on disk says it needs (read from the project, not from this generator). */
export interface ProjectNeeds {
  dir: string;
  answers: Answers;
  /** Lowest Python the project accepts (pyproject.toml requires-python), e.g. [3, 11]. */
  minPython: number[];
  /** Pinned package manager version, e.g. "2.5.1"; undefined when the project does not pin one. */
  packageManagerVersion: string | undefined;
}
