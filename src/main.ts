// One run of create-ml-project: parse → ask (steps) → run the queued side effects → summary.
// Returns the exit code; bin.ts is the only place that calls process.exit.

import { join, relative, resolve } from 'node:path';
import { readAnswersFile, STANDARD_INPUT } from './answers-file.js';
import { createGrammar, parseArgs } from './args.js';
import { complete, type Context } from './context.js';
import { onEmergency } from './emergency.js';
import { CancelError, clean, CliError, ExitCode, show, UsageError } from './errors.js';
import { helpText } from './help.js';
import { howRun, type Invocation } from './invocation.js';
import { OPTIONS, defaultRunFlags, type RunFlags } from './options.js';
import { packageVersion } from './paths.js';
import type { Prompter } from './prompter.js';
import { CHECKS, checks } from './steps/checks.js';
import { git } from './steps/git.js';
import { install, SETUP_SCRIPT } from './steps/install.js';
import { printSummary, summarise } from './steps/next-steps.js';
import { projectName } from './steps/project-name.js';
import { questions } from './steps/questions.js';
import { renderForRun, scaffold } from './steps/scaffold.js';
import { checkTarget } from './steps/target.js';
import { runTasks } from './tasks.js';
import { bundledTemplate, checkTemplateHash, resolveTemplate, type TemplateSource } from './template/source.js';
import { requireConsent } from './template/trust.js';
import { dumbTerminal } from './colour.js';
import { clackUi, colorsFor, plainUi, silentUi, type Ui } from './ui.js';
import { exists } from './write/target.js';
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
  /** For tests: render this folder instead of the bundled template. */
  templateDir?: string;
  /** How the tool was run (default: worked out from env and where this package is, invocation.ts). */
  invocation?: Invocation;
  /** Aborted on Ctrl+C (bin.ts wires SIGINT/SIGTERM to it). */
  signal?: AbortSignal;
  /** Where --help, --version, --json and a run's plain lines go (bin.ts: output.ts; default process.stdout). */
  stdout?: (text: string) => void;
  /** Where warnings and errors go (bin.ts: output.ts; default process.stderr). */
  stderr?: (text: string) => void;
  /** The terminal's width, which --help wraps to (80 when stdout is not a terminal). */
  columns?: number;
}

const noPrompt: Prompter = {
  text: () => Promise.reject(new Error('no terminal to ask on')),
  select: () => Promise.reject(new Error('no terminal to ask on')),
  multiselect: () => Promise.reject(new Error('no terminal to ask on')),
  confirm: () => Promise.reject(new Error('no terminal to ask on')),
};

export async function main(options: MainOptions): Promise<number> {
  const version = packageVersion();
  const stdout = options.stdout ?? ((text: string) => process.stdout.write(text));
  const stderr = options.stderr ?? ((text: string) => process.stderr.write(text));
  const json = options.argv.includes('--json');
  const c = colorsFor(options.argv, options.env, options.interactive);
  const interactive = options.interactive && !json;
  // A terminal that moves no cursor (TERM=dumb) gets plain lines, as a pipe does, and questions asked one line at a time.
  const ui = options.ui ?? (json ? silentUi(c) : interactive && !dumbTerminal(options.env) ? await clackUi(c) : plainUi(c, (line) => stdout(`${line}\n`), (line) => stderr(`${line}\n`)));
  const ctx: Context = {
    cwd: options.cwd,
    env: options.env,
    version,
    invocation: options.invocation ?? howRun(options.env, version),
    interactive,
    ui,
    prompt: noPrompt,
    dir: undefined,
    given: {},
    run: defaultRunFlags(),
    answers: {},
    missing: [],
    target: '',
    template: options.templateDir ? { source: options.templateDir, dir: options.templateDir } : bundledTemplate(),
    tasks: [],
    rollback: new Rollback(),
    files: [],
    kept: [],
    warnings: [],
  };
  const signal = options.signal ?? new AbortController().signal;
  // A second Ctrl+C does not wait for this run: it still removes what the run created (bin.ts).
  const offEmergency = onEmergency(() => ctx.rollback.undoSync(true));

  try {
    const parsed = parseArgs(options.argv, createGrammar(options.argv));
    ctx.dir = parsed.dir;
    ctx.given = parsed.given;
    ctx.run = { ...ctx.run, ...pickRunFlags(parsed.given) };
    checkRunFlags(ctx.run);
    if (ctx.run.help) {
      stdout(helpText(version, c, ctx.invocation, options.columns));
      return ExitCode.ok;
    }
    if (ctx.run.version) {
      stdout(`${version}\n`);
      return ExitCode.ok;
    }
    await replayAnswers(ctx);
    ctx.prompt = options.prompt ?? (interactive ? await (await import('./prompter.js')).terminalPrompter(c, options.env, signal) : noPrompt);
    ctx.template = await chooseTemplate(ctx, options.templateDir, signal);

    if (interactive) ui.intro(c.bold(`create-ml-project ${version}`));
    await projectName(ctx);
    await checkTarget(ctx);
    await questions(ctx);
    if (ctx.run.dryRun) return await dryRun(ctx, stdout, signal);

    scaffold(ctx);
    git(ctx);
    install(ctx);
    checks(ctx);
    await runTasks(ctx, signal);
    if (signal.aborted) throw new CancelError();

    const summary = summarise(ctx, ctx.files.map((f) => f.path));
    if (json) {
      stdout(`${JSON.stringify({ ok: true, exitCode: 0, dryRun: false, ...summary, files: ctx.files.map((f) => f.path), kept: ctx.kept, answers: complete(ctx.answers), warnings: ctx.warnings })}\n`);
    } else {
      printSummary(ctx, summary, relative(ctx.cwd, ctx.target) || '.');
    }
    return ExitCode.ok;
  } catch (error) {
    const cancelled = error instanceof CancelError || signal.aborted;
    await ctx.rollback.undo(cancelled);
    const failure = cancelled ? new CancelError() : error;
    if (json) {
      stdout(`${JSON.stringify(errorObject(failure))}\n`);
      return errorObject(failure).exitCode;
    }
    if (cancelled) {
      ui.cancel('Cancelled: nothing this run created was left behind.');
      return ExitCode.cancelled;
    }
    return report(ui, failure, stderr);
  } finally {
    offEmergency();
    // Staging and downloaded templates go on success too (a failure has already cleaned them).
    await ctx.rollback.cleanScratch();
  }
}

/** --answers: the recorded answers become flags; flags on the command line still win. */
async function replayAnswers(ctx: Context): Promise<void> {
  if (!ctx.run.answersFile) return;
  const file = ctx.run.answersFile === STANDARD_INPUT ? STANDARD_INPUT : resolve(ctx.cwd, ctx.run.answersFile);
  const { given } = await readAnswersFile(file, `--answers ${show(ctx.run.answersFile)}`);
  // A folder given on the command line names the project, as it does without --answers.
  if (ctx.dir !== undefined) delete given.name;
  ctx.given = { ...given, ...ctx.given };
  // The recorded name picks the folder when none is given.
  if (ctx.dir === undefined && typeof ctx.given.name === 'string') ctx.dir = ctx.given.name;
}

async function chooseTemplate(ctx: Context, override: string | undefined, signal: AbortSignal): Promise<TemplateSource> {
  // Before anything is downloaded or read: a template that is not the bundled one runs only with consent.
  const spec = override ?? ctx.run.template;
  const asked = spec !== undefined && !ctx.run.trust && ctx.interactive;
  if (spec !== undefined) {
    await requireConsent([spec], { trusted: ctx.run.trust, ...(ctx.interactive ? { confirm: (message: string) => ctx.prompt.confirm({ message, initialValue: false }) } : {}) });
  }
  const template = override
    ? { source: override, dir: override }
    : await resolveTemplate(ctx.run.template, {
        cwd: ctx.cwd,
        env: ctx.env,
        offline: ctx.run.offline,
        preferOffline: ctx.run.preferOffline,
        signal,
        ...(ctx.run.templateHash ? { expectedHash: ctx.run.templateHash } : {}),
        // A downloaded template lives in a temporary folder that goes with the run's scratch space.
        scratch: (path) => ctx.rollback.scratch(path),
        // --json keeps stdout to one object and stderr empty: the warning travels in its warnings.
        // (Not repeated right after the user said yes to the same words.)
        warn: (message) => (asked ? undefined : ctx.run.json ? ctx.warnings.push(message) : ctx.ui.warn(message)),
      });
  if (ctx.run.templateHash) await checkTemplateHash(template, ctx.run.templateHash);
  return template;
}

/** --dry-run: the full plan (files, kept files, setup commands), nothing written. */
async function dryRun(ctx: Context, stdout: (text: string) => void, signal: AbortSignal): Promise<number> {
  const files = await renderForRun(ctx, signal);
  const kept: string[] = [];
  for (const file of files) if (await exists(join(ctx.target, file.path))) kept.push(file.path);
  const setup = [
    ...(ctx.run.git ? ['git init && git add --all && git commit (skipped inside an existing repository)'] : []),
    ...(ctx.run.install ? [`python3 ${SETUP_SCRIPT}`, `then the project's checks with .venv's Python: ${CHECKS.map((c) => `python ${c.args.join(' ')}`).join(', ')}`] : []),
  ];
  const summary = summarise(ctx, files.map((f) => f.path));
  if (ctx.run.json) {
    stdout(`${JSON.stringify({ ok: true, exitCode: 0, dryRun: true, ...summary, files: files.map((f) => f.path), kept, setup, answers: complete(ctx.answers), warnings: ctx.warnings })}\n`);
    return ExitCode.ok;
  }
  const where = relative(ctx.cwd, ctx.target) || '.';
  ctx.ui.note(files.map((f) => `${clean(f.path)}${f.mode & 0o111 ? ' (executable)' : ''}`).join('\n'), `Dry run: would write ${files.length} files to ${clean(where)}`);
  if (setup.length > 0) ctx.ui.note(setup.join('\n'), 'Then would run');
  ctx.ui.command('Run it for real with', summary.reproduce);
  ctx.ui.outro('Dry run: nothing was written.');
  return ExitCode.ok;
}

function errorObject(error: unknown): { ok: false; exitCode: number; error: string; details: readonly string[] } {
  if (error instanceof CliError) return { ok: false, exitCode: error.exitCode, error: error.message, details: error.details };
  return { ok: false, exitCode: ExitCode.unexpected, error: `unexpected failure: ${(error as Error)?.message ?? String(error)}`, details: [] };
}

function report(ui: Ui, error: unknown, stderr: (text: string) => void): number {
  if (error instanceof CliError) {
    // Messages quote outside data (paths and names from templates, an installer's output): no
    // control character of theirs reaches the terminal.
    ui.error(clean(error.message));
    for (const line of error.details) stderr(`${clean(line)}\n`);
    return error.exitCode;
  }
  ui.error(`unexpected failure: ${(error as Error)?.stack ?? String(error)}`);
  ui.error('please report it with the command you ran: nothing this run created was left behind');
  return ExitCode.unexpected;
}

/** Flags that only mean something together with another, or never together. */
function checkRunFlags(run: RunFlags): void {
  if (run.help || run.version) return;
  if (run.offline && run.preferOffline) {
    throw new UsageError('--offline and --prefer-offline contradict each other: --offline never downloads, --prefer-offline may; give one');
  }
  for (const [on, flag] of [[run.offline, '--offline'], [run.preferOffline, '--prefer-offline']] as const) {
    if (on && !run.template) throw new UsageError(`${flag} applies only to a downloaded template: add --template <source>, or leave ${flag} out`);
  }
}

function pickRunFlags(given: Record<string, unknown>): Partial<RunFlags> {
  const out: Record<string, unknown> = {};
  for (const option of OPTIONS) if (!option.answer && option.key in given) out[option.key] = given[option.key];
  return out as Partial<RunFlags>;
}
