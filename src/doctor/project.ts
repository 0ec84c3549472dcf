// Reads what a generated project needs from the project itself: its answers file for the choices
// (runner, package manager, OSes) and pyproject.toml for the versions it pins. The project may be
// older or newer than this create-ml-project, so nothing comes from the generator's own template.

import { readFile, stat } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { ANSWERS_FILE } from '../answers-file.js';
import { UsageError, show } from '../errors.js';
import { OS_VALUES, PM_VALUES, PYTHON_VALUES, RUNNER_VALUES, type Answers } from '../options.js';
import type { ProjectNeeds } from './types.js';

function oneOf<T extends string>(value: unknown, allowed: readonly T[]): value is T {
  return typeof value === 'string' && (allowed as readonly string[]).includes(value);
}

export async function readProject(dirArg: string, cwd: string): Promise<ProjectNeeds> {
  const dir = resolve(cwd, dirArg);
  const isDir = await stat(dir).then((s) => s.isDirectory(), () => false);
  if (!isDir) throw new UsageError(`${show(dirArg)} is not a folder: give the folder of a project made by create-ml-project`);
  let raw: string;
  try {
    raw = await readFile(join(dir, ANSWERS_FILE), 'utf8');
  } catch {
    throw new UsageError(`${show(dirArg)} has no ${ANSWERS_FILE}: is it a project made by create-ml-project? (run doctor in its root folder)`);
  }
  let answers: Partial<Answers> | undefined;
  try {
    answers = (JSON.parse(raw) as { answers?: Partial<Answers> }).answers;
  } catch (error) {
    throw new UsageError(`${join(dirArg, ANSWERS_FILE)} is not valid JSON: ${(error as Error).message}`);
  }
  if (
    !answers ||
    !oneOf(answers.runner, RUNNER_VALUES) ||
    !oneOf(answers.packageManager, PM_VALUES) ||
    !oneOf(answers.python, PYTHON_VALUES) ||
    !Array.isArray(answers.os) ||
    !answers.os.every((o) => oneOf(o, OS_VALUES))
  ) {
    throw new UsageError(`${join(dirArg, ANSWERS_FILE)} lacks valid answers (runner, packageManager, python, os)`);
  }
  const pyproject = await readFile(join(dir, 'pyproject.toml'), 'utf8').catch(() => '');
  return {
    dir,
    answers: answers as Answers,
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
