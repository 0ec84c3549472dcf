// The one typed context a run passes from step to step. Steps read what they need and append
// side effects to `tasks`; nothing touches the disk until every question is answered.

import type { ParsedArgs } from './args.js';
import type { Invocation } from './invocation.js';
import type { Answers, Option, RunFlags } from './options.js';
import type { Prompter } from './prompter.js';
import type { RenderedFile } from './template/render.js';
import type { TemplateSource } from './template/source.js';
import type { Rollback } from './write/rollback.js';
import type { Ui } from './ui.js';

export interface Task {
  /** Spinner text while it runs. */
  title: string;
  /** Text once it succeeded. */
  done: string;
  /**
   * `detail` shows what the work is doing now (the spinner's second part). A task that ends red
   * without stopping the run (the project's first checks) returns the line to show instead.
   */
  run(signal: AbortSignal, detail: (text: string) => void): Promise<void | { red: string }>;
}

export interface Context {
  cwd: string;
  env: NodeJS.ProcessEnv;
  version: string;
  /** How this create-ml-project was run: every command it prints is run that way (invocation.ts). */
  invocation: Invocation;
  interactive: boolean;
  ui: Ui;
  prompt: Prompter;
  /** Raw positional folder, if given. */
  dir: string | undefined;
  /** Values given as flags (validated). */
  given: ParsedArgs['given'];
  run: RunFlags;
  answers: Partial<Answers>;
  /** Options nobody answered in a non-interactive run without --yes. */
  missing: Option[];
  /** Absolute project folder (set by the project-name step). */
  target: string;
  template: TemplateSource;
  tasks: Task[];
  /** What this run created, so a failure or Ctrl+C removes exactly that. */
  rollback: Rollback;
  files: RenderedFile[];
  /** Files of the template that were not written because the user already had them (--force). */
  kept: string[];
  warnings: string[];
}

export function complete(answers: Partial<Answers>): Answers {
  return answers as Answers;
}
