// Queues `git init` and the first commit. Skipped inside an existing repository (the user's
// monorepo keeps its own history); a missing git or a refused commit is a warning, not a failure.

import { join } from 'node:path';
import type { Context } from '../context.js';
import { runCommand } from '../process.js';
import { exists } from '../write/target.js';

type GitContext = Pick<Context, 'run' | 'target' | 'tasks' | 'warnings' | 'version' | 'rollback' | 'env'>;

export function git(ctx: GitContext): void {
  if (!ctx.run.git) return;
  let done = 'Created a git repository with the first commit';
  ctx.tasks.push({
    title: 'Initialising git',
    get done() {
      return done;
    },
    async run(signal) {
      const opts = { cwd: ctx.target, signal, env: ctx.env };
      if (!(await runCommand('git', ['--version'], opts)).ok) {
        ctx.warnings.push('git was not found: no repository was created (install git, then run `git init`)');
        done = 'Skipped git: not installed';
        return;
      }
      const inside = await runCommand('git', ['rev-parse', '--show-toplevel'], opts);
      if (inside.ok) {
        done = `Skipped git init: already inside the repository ${inside.output.trim()}`;
        return;
      }
      const hadGit = await exists(join(ctx.target, '.git'));
      const branch = (await runCommand('git', ['config', '--get', 'init.defaultBranch'], opts)).ok ? [] : ['--initial-branch=main'];
      const init = await runCommand('git', ['init', '--quiet', ...branch], opts);
      if (!init.ok) {
        ctx.warnings.push(`git init failed: ${init.output.trim().split('\n').pop() ?? ''}`);
        done = 'Skipped git: git init failed';
        return;
      }
      if (!hadGit) ctx.rollback.added(join(ctx.target, '.git'), true);
      const add = await runCommand('git', ['add', '--all'], opts);
      // Only when the user has no identity: a commit must not fail on a fresh machine.
      const identity = (await runCommand('git', ['config', '--get', 'user.email'], opts)).ok
        ? []
        : ['-c', 'user.name=create-ml-project', '-c', 'user.email=create-ml-project@users.noreply.github.com'];
      const commit = add.ok ? await runCommand('git', [...identity, 'commit', '--quiet', '--no-verify', '-m', `Initial commit from create-ml-project ${ctx.version}`], opts) : add;
      if (!commit.ok) {
        // A repository without its first commit (a disk error, a signing key that is missing) is
        // half made: the one this run created goes, and the project is kept without one.
        const cause = commit.output.trim().split('\n').pop() ?? '';
        if (!hadGit) await (await import('node:fs/promises')).rm(join(ctx.target, '.git'), { recursive: true, force: true });
        ctx.warnings.push(`git ${add.ok ? 'commit' : 'add'} failed (${cause}): ${hadGit ? 'the repository has no commit of the project' : 'the project has no repository'}; once that is fixed, run: git init && git add --all && git commit`);
        done = hadGit ? 'Skipped the first commit: git failed' : 'Skipped git: the first commit failed';
      }
    },
  });
}
