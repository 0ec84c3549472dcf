// git: the project is a repository, and the go scripts and CI assume it.

import { versionIn } from './version.js';
import { FIXES } from './fixes.js';
import type { CheckResult, Host } from './types.js';

export async function checkGit(host: Host): Promise<CheckResult> {
  const r = await host.run('git', ['--version']);
  if (r.missing || r.code !== 0) return { name: 'git', status: 'fail', detail: 'git not on PATH', fix: FIXES.git[host.os] };
  return { name: 'git', status: 'ok', detail: `git ${versionIn(r.stdout)?.join('.') ?? r.stdout.trim()}` };
}
