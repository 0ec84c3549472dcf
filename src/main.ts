// One run of create-ml-project: parse → ask (steps) → run the queued side effects → next steps.
// Returns the exit code; bin.ts is the only place that calls process.exit.

import { parseArgs } from './args.js';
import type { Context } from './context.js';
import { CancelError, CliError, ExitCode } from './errors.js';
import { helpText } from './help.js';
import type { RunFlags } from './options.js';
import { BUNDLED_TEMPLATE, packageVersion } from './paths.js';
import type { Prompter } from './prompter.js';
import { git } from './steps/git.js';
import { install } from './steps/install.js';
import { nextSteps } from './steps/next-steps.js';
import { projectName } from './steps/project-name.js';
import { questions } from './steps/questions.js';
import { scaffold } from './steps/scaffold.js';
import { checkTarget } from './steps/target.js';
import { runTasks } from './tasks.js';
import { clackUi, colors, plainUi, type Ui } from './ui.js';
import { Rollback } from './write/rollback.js';

export interface MainOptions {
  argv: readonly string[];
  cwd: string;
  env: NodeJS.ProcessEnv;
  /** Both stdin and stdout are terminals: a person can answer questions. */
  interactive: boolean;
  /** For tests: scripted answers and captured output instead of clack and the terminal. */
  prompt?: Prompter;
  ui?: Ui;
  templateDir?: string;
  /** Aborted on Ctrl+C (bin.ts wires SIGINT/SIGTERM to it). */
  signal?: AbortSignal;
}

const noPrompt: Prompter = {
  text: () => Promise.reject(new Error('no terminal to ask on')),
  select: () => Promise.reject(new Error('no terminal to ask on')),
  multiselect: () => Promise.reject(new Error('no terminal to ask on')),
  confirm: () => Promise.reject(new Error('no terminal to ask on')),
};

export async function main(options: MainOptions): Promise<number> {
  const version = packageVersion();
  const wantsColor = !options.argv.includes('--no-color') && !('NO_COLOR' in options.env && options.env.NO_COLOR !== '');
  const c = colors(wantsColor && (options.interactive || Boolean(options.env.FORCE_COLOR)));
  const fallbackUi = options.ui ?? plainUi(c);

  let parsed;
  try {
    parsed = parseArgs(options.argv);
  } catch (error) {
    return report(fallbackUi, error);
  }
  const run = { ...defaultRunFlags(), ...pickRunFlags(parsed.given) };
  if (run.help) {
    process.stdout.write(helpText(version, c));
    return ExitCode.ok;
  }
  if (run.version) {
    process.stdout.write(`${version}\n`);
    return ExitCode.ok;
  }

  const ui = options.ui ?? (options.interactive ? await clackUi(c) : fallbackUi);
  const prompt = options.prompt ?? (options.interactive ? await (await import('./prompter.js')).clackPrompter() : noPrompt);
  const signal = options.signal ?? new AbortController().signal;
  const ctx: Context = {
    cwd: options.cwd,
    env: options.env,
    version,
    interactive: options.interactive,
    ui,
    prompt,
    dir: parsed.dir,
    given: parsed.given,
    run,
    answers: {},
    missing: [],
    target: '',
    templateDir: options.templateDir ?? BUNDLED_TEMPLATE,
    tasks: [],
    rollback: new Rollback(),
    files: [],
    kept: [],
    warnings: [],
  };

  try {
    if (ctx.interactive) ui.intro(c.bold(`create-ml-project ${version}`));
    await projectName(ctx);
    await checkTarget(ctx);
    await questions(ctx);
    scaffold(ctx);
    git(ctx);
    install(ctx);
    await runTasks(ctx, signal);
    if (signal.aborted) throw new CancelError();
    nextSteps(ctx);
    return ExitCode.ok;
  } catch (error) {
    const cancelled = error instanceof CancelError || signal.aborted;
    await ctx.rollback.undo(cancelled);
    if (cancelled) {
      ui.error('Cancelled: nothing this run created was left behind.');
      return ExitCode.cancelled;
    }
    return report(ui, error);
  }
}

function report(ui: Ui, error: unknown): number {
  if (error instanceof CliError) {
    ui.error(error.message);
    for (const line of error.details) process.stderr.write(`${line}\n`);
    return error.exitCode;
  }
  ui.error(`unexpected failure: ${(error as Error)?.stack ?? String(error)}`);
  ui.error('please report it with the command you ran: nothing this run created was left behind');
  return ExitCode.unexpected;
}

function defaultRunFlags(): RunFlags {
  return { git: true, install: true, force: false, yes: false, help: false, version: false, color: true };
}

function pickRunFlags(given: Record<string, unknown>): Partial<RunFlags> {
  const out: Record<string, unknown> = {};
  for (const key of Object.keys(defaultRunFlags())) if (key in given) out[key] = given[key];
  return out as Partial<RunFlags>;
}
