// Writes the rendered project into a staging folder next to the target, then moves it into place.
// A fresh target is one rename; an existing (empty, or --force) target gets file by file moves
// that never replace a file the user already has.

import { accessSync, chmodSync, constants, lstatSync, mkdirSync, mkdtempSync, readdirSync, renameSync, statSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { CancelError, CliError, ExitCode } from '../errors.js';
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
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') {
      checkCreatable(target);
      return { kind: 'missing' };
    }
    if (code === 'ENOTDIR') throw notAFolder(target);
    throw error;
  }
  if (!stat.isDirectory()) {
    throw new CliError(`${target} exists and is not a folder; pick another project folder`, ExitCode.targetNotEmpty);
  }
  const entries = readdirSync(target).filter((e) => !HARMLESS.has(e)).sort();
  return entries.length === 0 ? { kind: 'empty' } : { kind: 'non-empty', entries };
}

const notAFolder = (target: string) =>
  new CliError(`${target} cannot be a project folder: part of that path is a file; pick another project folder`, ExitCode.targetNotEmpty);

/** Fails early, before any question, when a missing target could not be created. */
function checkCreatable(target: string): void {
  let parent = dirname(target);
  for (;;) {
    try {
      // stat, not lstat: a parent reached through a symlink (macOS /tmp, a linked home) is fine.
      if (!statSync(parent).isDirectory()) throw notAFolder(target);
      break;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT' || dirname(parent) === parent) throw error;
      parent = dirname(parent);
    }
  }
  try {
    accessSync(parent, constants.W_OK);
  } catch {
    throw new CliError(`cannot create ${target}: no permission to write in ${parent}; pick another project folder`, ExitCode.targetNotEmpty);
  }
}

/** What the system refused when the project's folders were being made, as one line. */
function cannotCreate(target: string, error: unknown): unknown {
  const code = (error as NodeJS.ErrnoException).code;
  const why: Record<string, string> = {
    EACCES: 'permission denied',
    EPERM: 'operation not permitted',
    EROFS: 'the file system is read-only',
    ENOSPC: 'no space left on the device',
    ENOENT: 'that location does not accept new folders',
    ENOTDIR: 'part of that path is a file',
  };
  const reason = code ? why[code] : undefined;
  return reason ? new CliError(`cannot create ${target}: ${reason}; pick another project folder`, ExitCode.targetNotEmpty) : error;
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
export async function placeProject(target: string, files: readonly RenderedFile[], rollback: Rollback, signal?: AbortSignal): Promise<string[]> {
  const parent = dirname(target);
  let staging;
  try {
    await makeDirs(parent, rollback, true);
    staging = mkdtempSync(join(parent, `.${basename(target)}.staging-`));
  } catch (error) {
    throw cannotCreate(target, error);
  }
  rollback.scratch(staging);
  // mkdtemp makes a private (0700) folder; the project gets the mode any new folder would get.
  chmodSync(staging, 0o777 & ~process.umask());
  await writeFiles(staging, files, signal);
  if (signal?.aborted) throw new CancelError();

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
