// Queues the first setup: the generated project's own host setup script (the same one every go
// script runs), which installs the pinned package manager if needed, creates .venv and installs
// the locked dependencies. A failure keeps the project and prints a one-line retry.

import { join, relative } from 'node:path';
import type { Context } from '../context.js';
import { CliError, ExitCode } from '../errors.js';
import { shellWord } from '../invocation.js';
import { runCommand, saveLog, tail } from '../process.js';
import { findPython } from '../setup/python.js';

export const SETUP_SCRIPT = 'scripts/go/setup_host.py';

type InstallContext = Pick<Context, 'run' | 'target' | 'tasks' | 'cwd' | 'env' | 'rollback' | 'answers' | 'warnings'>;

export function install(ctx: InstallContext): void {
  if (!ctx.run.install) return;
  ctx.tasks.push({
    title: `Installing the locked dependencies with ${ctx.answers.packageManager ?? 'the package manager'}`,
    done: 'Installed the locked dependencies into .venv',
    async run(signal, detail) {
      ctx.rollback.keepOnFailure();
      const where = relative(ctx.cwd, ctx.target) || '.';
      const python = await findPython(ctx.env);
      const retry = `cd ${shellWord(where)} && ${python ? python.display : 'python3'} ${SETUP_SCRIPT}`;
      if (!python) {
        throw new CliError('setup needs Python 3.11 or newer on PATH, and none was found', ExitCode.setupFailed, [
          'The project is written. Install Python 3.11+ (or run the go script for your OS), then retry:',
          `  ${retry}`,
        ]);
      }
      const result = await runCommand(python.file, [...python.args, join(...SETUP_SCRIPT.split('/'))], { cwd: ctx.target, signal, env: ctx.env, onLine: detail });
      if (signal.aborted) return;
      if (!result.ok) {
        const log = await saveLog('setup', result.output);
        throw new CliError(`setup failed: ${python.display} ${SETUP_SCRIPT} exited with an error`, ExitCode.setupFailed, [
          ...tail(result.output),
          `Full log: ${log}`,
          `The project${ctx.run.git ? ' and its git repository are' : ' is'} kept. Fix the cause above, then retry:`,
          `  ${retry}`,
        ]);
      }
      // Its output ran behind the spinner: what it warns about (.venv on another Python than the
      // image's) is said again with the run's other warnings.
      const warning = 'setup_host: warning: ';
      for (const line of result.output.split('\n')) if (line.startsWith(warning)) ctx.warnings.push(line.slice(warning.length).trim());
    },
  });
}
