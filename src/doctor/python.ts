// Python on PATH, new enough for the project: the go scripts and setup_host.py run with it.

import { atLeast, versionIn } from './version.js';
import { FIXES } from './fixes.js';
import type { CheckResult, Host, ProjectNeeds } from './types.js';

/** The commands the project's own docs and go scripts use on each OS. */
function candidates(host: Host): [string, string[]][] {
  return host.os === 'windows' ? [['py', ['-3', '--version']], ['python', ['--version']]] : [['python3', ['--version']]];
}

export async function checkPython(host: Host, project: ProjectNeeds): Promise<CheckResult> {
  const need = project.minPython.join('.');
  const fix = FIXES.python(project.answers.python)[host.os];
  const seen: string[] = [];
  for (const [command, args] of candidates(host)) {
    const r = await host.run(command, args);
    if (r.missing || r.code !== 0) continue;
    const version = versionIn(r.stdout + r.stderr);
    if (!version) continue;
    if (atLeast(version, project.minPython)) return { name: 'python', status: 'ok', detail: `${command}: Python ${version.join('.')} (the project needs ≥ ${need})` };
    seen.push(`${command} is Python ${version.join('.')}`);
  }
  const found = seen.length > 0 ? seen.join(', ') : `no ${candidates(host).map(([c]) => c).join(' or ')} on PATH`;
  return { name: 'python', status: 'fail', detail: `${found}; the project needs Python ≥ ${need}`, fix };
}
