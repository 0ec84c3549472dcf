// Queues the project's own fast checks after the first setup: ruff (lint and formatting) and the
// unit tests, run with .venv's Python, so a scaffold ends on a project known to be green.
//
// A red check does not fail the run: exit code 0, one red line per failed check, and a warning
// with the tail of its output, the full log and the command that reruns it. The project is
// written, committed and installed exactly as asked, so nothing is rolled back and a script that
// scaffolds goes on; a non-zero code would say the scaffold failed when what failed is a check
// the person can now rerun and read in their own project (`--json` lists the warning too).

import { existsSync } from 'node:fs';
import { join, relative } from 'node:path';
import type { Context, Task } from '../context.js';
import { shellWord } from '../invocation.js';
import { runCommand, saveLog, tail } from '../process.js';

interface Check {
  /** What it is called in the messages. */
  name: string;
  /** Arguments to .venv's Python. */
  args: string[];
  /** The project path that says the project has this check (another template may not). */
  needs: string;
}

// No caches (ruff's, pytest's, Python's bytecode): the project stays exactly the files written, so
// making it again from the printed command gives the same tree.
export const CHECKS: readonly Check[] = [
  { name: 'lint', args: ['-m', 'ruff', 'check', '--no-cache', '.'], needs: 'scripts/lint.sh' },
  { name: 'formatting', args: ['-m', 'ruff', 'format', '--no-cache', '--check', '.'], needs: 'scripts/lint.sh' },
  { name: 'unit tests', args: ['-B', '-m', 'pytest', 'tests/unit', '-q', '-p', 'no:cacheprovider'], needs: 'tests/unit' },
];

/** .venv's interpreter, as scripts/go/setup_host.py makes it. */
export function venvPython(project: string, platform: NodeJS.Platform = process.platform): string {
  return platform === 'win32' ? join(project, '.venv', 'Scripts', 'python.exe') : join(project, '.venv', 'bin', 'python');
}

type ChecksContext = Pick<Context, 'run' | 'target' | 'tasks' | 'cwd' | 'env' | 'warnings'>;

export function checks(ctx: ChecksContext): void {
  if (!ctx.run.install) return;
  const task: Task = {
    title: 'Checking the project: lint and unit tests',
    done: 'Checks passed',
    async run(signal, detail) {
      const python = venvPython(ctx.target);
      const due = CHECKS.filter((check) => existsSync(join(ctx.target, ...check.needs.split('/'))));
      if (due.length === 0 || !existsSync(python)) {
        task.done = 'No checks to run: the project has no lint script or unit tests';
        return;
      }
      const where = relative(ctx.cwd, ctx.target) || '.';
      const shownPython = relative(ctx.target, python);
      const passed: string[] = [];
      const red: string[] = [];
      for (const check of due) {
        detail(check.name);
        const result = await runCommand(python, check.args, { cwd: ctx.target, signal, env: ctx.env, onLine: detail });
        if (signal.aborted) return;
        if (result.ok) {
          const tests = /(\d+) passed/.exec(result.output.trim().split('\n').at(-1) ?? '')?.[1];
          passed.push(tests ? `${tests} ${check.name}` : check.name);
          continue;
        }
        red.push(check.name);
        const log = await saveLog(`check-${check.name.replace(/\s+/g, '-')}`, result.output);
        ctx.warnings.push(
          [
            `${check.name} failed in the new project (it is written and installed; nothing was undone):`,
            ...tail(result.output, 8),
            `Full log: ${log}`,
            `Rerun: cd ${shellWord(where)} && ${shownPython} ${check.args.join(' ')}`,
          ].join('\n'),
        );
      }
      if (red.length > 0) return { red: `Checks are red: ${red.join(', ')} failed${passed.length ? ` (${passed.join(', ')} passed)` : ''}; see the warnings below` };
      task.done = `Checks passed: ${passed.join(', ')}`;
    },
  };
  ctx.tasks.push(task);
}
