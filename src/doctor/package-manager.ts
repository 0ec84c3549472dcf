// The package manager at the version the project pins. Not blocking: scripts/go/setup_host.py
// installs exactly that version into a private tool folder when it is missing, so this only says
// whether that will happen.

import { homedir } from 'node:os';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { versionIn } from './version.js';
import { FIXES } from './fixes.js';
import type { Os } from '../options.js';
import type { CheckResult, Host, ProjectNeeds } from './types.js';

/** Where setup_host.py keeps its tool venvs (its tools_dir(); same per-OS data folder rules). */
function toolsDir(os: Os, env: NodeJS.ProcessEnv): string {
  if (env.SETUP_HOST_TOOLS_DIR) return env.SETUP_HOST_TOOLS_DIR;
  const data =
    os === 'windows'
      ? (env.LOCALAPPDATA ?? join(homedir(), 'AppData', 'Local'))
      : os === 'mac'
        ? join(homedir(), 'Library', 'Application Support')
        : (env.XDG_DATA_HOME ?? join(homedir(), '.local', 'share'));
  return join(data, 'create-ml-project', 'tools');
}

export async function checkPackageManager(host: Host, project: ProjectNeeds): Promise<CheckResult> {
  const pm = project.answers.packageManager;
  const name = `${pm}`;
  const pinned = project.packageManagerVersion;
  const r = await host.run(pm, ['--version']);
  const version = r.missing || r.code !== 0 ? undefined : versionIn(r.stdout)?.join('.');
  if (!pinned) {
    return version
      ? { name, status: 'ok', detail: `${pm} ${version} (the project pins no version)` }
      : { name, status: 'warn', detail: `${pm} not on PATH`, fix: FIXES.packageManager(pm, 'latest')[host.os] };
  }
  if (version === pinned) return { name, status: 'ok', detail: `${pm} ${version} on PATH, as the project pins` };
  const venv = join(toolsDir(host.os, host.env), `${pm}-${pinned}`);
  const exe = join(venv, host.os === 'windows' ? 'Scripts' : 'bin', host.os === 'windows' ? `${pm}.exe` : pm);
  if (existsSync(exe)) return { name, status: 'ok', detail: `${pm} ${pinned} installed by setup_host.py in ${venv}` };
  const onPath = version ? `${pm} ${version} on PATH is not` : `${pm} is not on PATH, nor is`;
  return { name, status: 'warn', detail: `${onPath} the pinned ${pinned}; the first setup installs it`, fix: FIXES.packageManager(pm, pinned)[host.os] };
}
