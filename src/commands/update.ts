// `create-ml-project update [dir]`: regenerate the project as it was (recorded answers, recorded
// template) and as it would be now (current template, answers with --set changes), and merge the
// difference into the user's files three ways. See src/update/ for the pieces.

import { relative, resolve } from 'node:path';
import { clean, ExitCode } from '../errors.js';
import type { Answers } from '../options.js';
import { readProjectRecord } from '../project/record.js';
import { applyPlan } from '../write/update-plan.js';
import { baseTemplate, targetTemplate } from '../update/locate.js';
import { type Action, type FileStep, planUpdate } from '../update/plan.js';
import { applySets, checkSetsFor, parseSets } from '../update/sets.js';
import { generate } from '../update/regenerate.js';
import { consent, shortHash } from '../update/report.js';
import { frame, type Invoked } from './frame.js';
import type { Command, CommandIO } from './index.js';

const help = (run: string): string => `Usage: ${run} update [dir] [options]

Brings a project (default: the current folder) up to date with the current template. The project
is rendered twice from its recorded answers: with the template it was made from and with the
current one; the difference is merged into your files:
  add        the template has a new file
  update     you never changed the file: it takes the new version
  merge      you and the template changed different lines: both kept
  conflict   you and the template changed the same lines: <<<<<<< yours / ======= / >>>>>>> template
  delete     the template dropped a file you never changed
  keep-user  your code (src/, tests/, data/, notebooks/, artifacts/, models/, lock files you
             changed, files you deleted) is never overwritten or deleted

Options:
  --set key=value     change one answer, checked like its flag (e.g. --set cloud=gcp); repeatable
  --template <folder> update to this template folder instead of the recorded one
  --dry-run           print the plan; write nothing (still renders the templates)
  --trust             let a template other than the bundled one run its code (the one the
                      answers file names, or --template); at a terminal you are asked instead
  --json              print one JSON object with the plan and the outcome
  -h, --help          show this help

Exit codes: 0 done, 2 usage (also: a template needs --trust), 4 a template cannot be fetched or the original cannot be rebuilt,
6 conflicts left to resolve (with --dry-run: the plan has conflicts).
`;

export const update: Command = {
  name: 'update',
  run: (io) => frame(io, 'update', help, (invoked) => updateProject(io, invoked)),
};

const SHOWN: readonly Action[] = ['add', 'update', 'merge', 'conflict', 'delete', 'keep-user'];

async function updateProject(io: CommandIO, { args, json, version, invocation, scratch }: Invoked): Promise<number> {
  // Every --set is checked before anything is read or fetched, but a cloud the template may
  // define itself: that one once the template updated to is located.
  const sets = parseSets(args.sets);
  const projectDir = resolve(io.cwd, args.dir ?? '.');
  const { record, answers } = await readProjectRecord(projectDir, io.cwd);
  const next = applySets(answers, sets);
  await consent(io, json, args.trust, [record.template.source, args.template ?? record.template.source]);
  const locate = { cwd: io.cwd, projectDir, env: io.env, version, signal: io.signal, scratch };
  const base = await baseTemplate(record, locate);
  const target = await targetTemplate(args.template, record, locate);
  checkSetsFor(target, sets);
  // Both generations as this run would make them: the README's commands depend on whether the
  // tool came from the registry, which the project does not record, so a project made another
  // way keeps its own wording of them (those lines count as the user's change).
  const before = await generate(base, answers, record.generator.version, invocation, io.signal);
  const after = await generate(target, next, version, invocation, io.signal);
  const steps = await planUpdate(projectDir, before, after);
  if (io.signal.aborted) return ExitCode.cancelled;
  if (!args.dryRun) await applyPlan(projectDir, steps);

  const conflicts = steps.filter((s) => s.action === 'conflict');
  const exitCode = conflicts.length > 0 ? ExitCode.updateConflicts : ExitCode.ok;
  const { manifest } = target;
  const shown = steps.filter((s) => s.action !== 'unchanged');
  if (json) {
    io.stdout(
      `${JSON.stringify({
        ok: exitCode === ExitCode.ok,
        exitCode,
        dryRun: args.dryRun,
        path: projectDir,
        from: { ...record.template, generator: record.generator.version },
        to: { source: target.source, name: manifest.name, version: manifest.version, hash: target.hash, generator: version },
        changed: changedAnswers(answers, next),
        answers: next,
        files: shown.map(({ path, action, reason, conflicts: blocks }) => ({ path, action, ...(reason ? { reason } : {}), ...(blocks ? { conflicts: blocks } : {}) })),
        conflicts: conflicts.map((s) => s.path),
      })}\n`,
    );
    return exitCode;
  }
  const where = clean(relative(io.cwd, projectDir) || '.');
  const from = clean(`${record.template.name} ${record.template.version} (${shortHash(record.template.hash)})`);
  const to = clean(`${manifest.name} ${manifest.version} (${shortHash(target.hash)})`);
  io.stdout(`${args.dryRun ? 'Dry run: update' : 'Update'} ${where}: template ${from} → ${to}\n`);
  const width = Math.max(...SHOWN.map((a) => a.length));
  for (const step of shown) io.stdout(`  ${step.action.padEnd(width)}  ${clean(step.path)}${step.reason ? ` (${clean(step.reason)})` : ''}\n`);
  io.stdout(`${summary(shown, args.dryRun)}\n`);
  if (conflicts.length > 0) {
    io.stdout(
      args.dryRun
        ? `${conflicts.length} file(s) would get conflict markers.\n`
        : `${conflicts.length} file(s) have conflicts: resolve the <<<<<<< yours / >>>>>>> template blocks, then commit.\n`,
    );
  }
  return exitCode;
}

function summary(shown: readonly FileStep[], dryRun: boolean): string {
  if (shown.length === 0) return 'Already up to date: nothing to change.';
  const counts = SHOWN.map((a) => [a, shown.filter((s) => s.action === a).length] as const).filter(([, n]) => n > 0);
  const text = counts.map(([a, n]) => `${n} ${a}`).join(', ');
  return dryRun ? `Dry run: ${text}; nothing was written.` : `Done: ${text}.`;
}

function changedAnswers(before: Answers, after: Answers): Record<string, { from: unknown; to: unknown }> {
  const out: Record<string, { from: unknown; to: unknown }> = {};
  for (const key of Object.keys(after) as Array<keyof Answers>) {
    if (JSON.stringify(before[key]) !== JSON.stringify(after[key])) out[key] = { from: before[key], to: after[key] };
  }
  return out;
}
