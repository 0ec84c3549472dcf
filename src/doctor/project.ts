// What a generated project needs of this machine, from the project itself: its answers
// (project/record.ts) for the choices (runner, package manager, OSes) and pyproject.toml for the
// versions it pins. The project may have been made by another version of create-ml-project, so
// nothing comes from this one's template.

import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { ProjectRecord } from '../project/record.js';
import type { ProjectNeeds } from './types.js';

/** What the project read by project/record.ts needs of this machine. */
export async function projectNeeds({ dir, answers }: ProjectRecord): Promise<ProjectNeeds> {
  const pyproject = await readFile(join(dir, 'pyproject.toml'), 'utf8').catch(() => '');
  return {
    dir,
    answers,
    minPython: minPython(pyproject),
    packageManagerVersion: pinnedVersion(pyproject, answers.packageManager) ?? (await setupScriptPin(dir)),
  };
}

/** `requires-python = ">=3.11"` → [3, 11]; the generator's floor when the project says nothing. */
function minPython(pyproject: string): number[] {
  const spec = /^requires-python\s*=\s*"([^"]*)"/m.exec(pyproject)?.[1] ?? '';
  const floor = />=\s*(\d+)\.(\d+)/.exec(spec);
  return floor ? [Number(floor[1]), Number(floor[2])] : [3, 11];
}

/** The exact version the package manager itself enforces: requires-poetry / [tool.uv] required-version. */
function pinnedVersion(pyproject: string, pm: string): string | undefined {
  const key = pm === 'poetry' ? 'requires-poetry' : 'required-version';
  return new RegExp(`^${key}\\s*=\\s*"==\\s*([\\w.]+)"`, 'm').exec(pyproject)?.[1];
}

/** Fallback: the version scripts/go/setup_host.py installs. */
async function setupScriptPin(dir: string): Promise<string | undefined> {
  const script = await readFile(join(dir, 'scripts/go/setup_host.py'), 'utf8').catch(() => '');
  return /^PACKAGE_MANAGER_VERSION\s*=\s*"([\w.]+)"/m.exec(script)?.[1];
}
