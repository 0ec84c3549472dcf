// Writes the rendered project into a staging folder next to the target, then moves it into place.
// A fresh target is one rename; an existing (empty, or --force) target gets file by file moves
// that never replace a file the user already has.

import { chmodSync, lstatSync, mkdirSync, mkdtempSync, readdirSync, renameSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { CliError, ExitCode } from '../errors.js';
import { writeFiles, type RenderedFile } from '../template/render.js';
import type { Rollback } from './rollback.js';

/** Entries that do not make a folder "not empty" (a fresh `git init`, OS litter). */
export const HARMLESS = new Set(['.git', '.DS_Store', 'Thumbs.db', 'desktop.ini']);

export type TargetState = { kind: 'missing' } | { kind: 'empty' } | { kind: 'non-empty'; entries: string[] };

export async function inspectTarget(target: string): Promise<TargetState> {
  let stat;
  try {
    stat = lstatSync(target);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return { kind: 'missing' };
    throw error;
  }
  if (!stat.isDirectory()) {
    throw new CliError(`${target} exists and is not a folder; pick another project folder`, ExitCode.targetNotEmpty);
  }
  const entries = readdirSync(target).filter((e) => !HARMLESS.has(e)).sort();
  return entries.length === 0 ? { kind: 'empty' } : { kind: 'non-empty', entries };
}

export async function exists(path: string): Promise<boolean> {
  try {
    lstatSync(path);
    return true;
  } catch {
    return false;
  }
}

/** Creates `dir` and any missing parents, recording the top-most one it created. */
async function makeDirs(dir: string, rollback: Rollback, asRoot: boolean): Promise<void> {
  const missing: string[] = [];
  for (let d = dir; !(await exists(d)); d = dirname(d)) missing.unshift(d);
  if (missing.length === 0) return;
  mkdirSync(dir, { recursive: true });
  const top = missing[0] as string;
  if (asRoot) rollback.createdRoot(top);
  else rollback.added(top, true);
}

/** Places `files` at `target`; returns the paths not written because the user already had them. */
export async function placeProject(target: string, files: readonly RenderedFile[], rollback: Rollback): Promise<string[]> {
  const parent = dirname(target);
  await makeDirs(parent, rollback, true);
  const staging = mkdtempSync(join(parent, `.${basename(target)}.staging-`));
  rollback.scratch(staging);
  // mkdtemp makes a private (0700) folder; the project gets the mode any new folder would get.
  chmodSync(staging, 0o777 & ~process.umask());
  await writeFiles(staging, files);

  if (!(await exists(target))) {
    renameSync(staging, target);
    rollback.moved(staging);
    rollback.createdRoot(target);
    return [];
  }

  const kept: string[] = [];
  for (const file of files) {
    const dest = join(target, ...file.path.split('/'));
    if (await exists(dest)) {
      kept.push(file.path);
      continue;
    }
    await makeDirs(dirname(dest), rollback, false);
    renameSync(join(staging, ...file.path.split('/')), dest);
    rollback.added(dest);
  }
  await rollback.cleanScratch();
  return kept;
}
