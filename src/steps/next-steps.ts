// The closing summary: where the project is, what to run first on this machine, and the one
// command that makes the same project again without a single question.

import { relative } from 'node:path';
import { complete, type Context } from '../context.js';
import { hostOs } from '../host.js';
import { commandLine, shellWord as word, type Invocation } from '../invocation.js';
import { ANSWER_OPTIONS, type Answers, type Os } from '../options.js';
import type { TemplateSource } from '../template/source.js';

const GO_SCRIPT: Record<Os, string> = {
  mac: './scripts/go/go-mac.sh',
  linux: './scripts/go/go-linux-ubuntu.sh',
  windows: 'scripts\\go\\go-windows.bat',
};

/**
 * Every answer as an explicit flag, so the command means the same with any future defaults, run
 * the way this create-ml-project was run (invocation.ts): it works wherever this run worked.
 */
export function reproduceCommand(answers: Answers, dir: string, invocation: Invocation, template?: TemplateSource): string {
  const args = [dir];
  // Another template is part of what made the project; its hash pins exactly that content.
  if (template && template.source !== 'bundled') {
    args.push('--template', template.source);
    if (template.hash) args.push('--template-hash', template.hash);
  }
  for (const option of ANSWER_OPTIONS) {
    const value = (answers as unknown as Record<string, unknown>)[option.key];
    if (option.key === 'name') {
      if (value !== dir.split(/[\\/]/).pop()) args.push('--name', String(value));
    } else if (option.kind === 'boolean') args.push(value ? `--${option.flag}` : `--no-${option.flag}`);
    else args.push(`--${option.flag}`, Array.isArray(value) ? value.join(',') : String(value));
  }
  return commandLine(invocation.create, [...args, '--yes']);
}

export interface Summary {
  path: string;
  nextSteps: string[];
  reproduce: string;
}

const OS_LABEL: Record<Os, string> = { mac: 'macOS', linux: 'Linux', windows: 'Windows' };

/**
 * What to do next and how to do it again, as data (printed for people, or put in --json). The
 * steps name only what was written (`written`: the project's file paths), so another template
 * without go scripts or a task runner is not sent to the bundled one's; when this machine is not
 * one of the project's OSes, they are the first OS's, and say so.
 */
export function summarise(ctx: Pick<Context, 'answers' | 'target' | 'cwd' | 'invocation' | 'run' | 'template'>, written: readonly string[]): Summary {
  const answers = complete(ctx.answers);
  const has = new Set(written);
  const dir = relative(ctx.cwd, ctx.target) || '.';
  const host = hostOs();
  const os = answers.os.includes(host) ? host : (answers.os[0] as Os);
  const steps = [...(os === host ? [] : [`# on ${OS_LABEL[os]} (this machine is not one of the project's OSes)`]), `cd ${word(dir)}`];
  const first = steps.length;
  const goScript = GO_SCRIPT[os];
  if (has.has(goScript.replace(/^\.\//, '').replaceAll('\\', '/'))) {
    // A dry run installs nothing, so it says what the go script would have to do.
    const installed = ctx.run.install && !ctx.run.dryRun;
    steps.push(`${goScript}${installed ? '   # installs Docker and the rest; dependencies are already in .venv' : '   # installs the prerequisites and the locked dependencies'}`);
  }
  const runnerFile = answers.runner === 'batect' ? 'batect' : 'tasks';
  if (has.has(runnerFile)) {
    // PowerShell (Windows Terminal's default) runs nothing from the current folder by bare name.
    const runner = os === 'windows' ? `.\\${runnerFile}.cmd` : `./${runnerFile}`;
    steps.push(`${runner} setup`, `${runner} unit-test`);
    if (answers.training) steps.push(`${runner} train-model`);
    if (answers.api) steps.push(`${runner} start-api-locally`);
  }
  if (steps.length === first && has.has('README.md')) steps.push('# then follow README.md');
  return { path: ctx.target, nextSteps: steps, reproduce: reproduceCommand(answers, dir, ctx.invocation, ctx.template) };
}

export function printSummary(ctx: Pick<Context, 'ui' | 'warnings' | 'kept'>, summary: Summary, dir: string): void {
  for (const warning of ctx.warnings) ctx.ui.warn(warning);
  if (ctx.kept.length > 0) ctx.ui.warn(`kept your existing ${ctx.kept.join(', ')} (the template's version was not written)`);
  ctx.ui.note(summary.nextSteps.join('\n'), 'Next steps');
  ctx.ui.command('Make this project again without questions', summary.reproduce);
  // With --force the user's own README.md may have been kept: point at the template's only if written.
  ctx.ui.outro(
    ctx.kept.includes('README.md')
      ? "Done. Your README.md was kept, so the template's guide to the project was not written."
      : `Done. Read ${word(dir)}/README.md for the whole check-out-and-go story.`,
  );
}
