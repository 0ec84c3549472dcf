// Writes the rendered project into a staging folder next to the target, then moves it into place.
// A fresh target is one rename; an existing (empty, or --force) target gets file by file moves
// that never replace a file the user already has.

import { chmodSync, constants, copyFileSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, renameSync, statSync, unlinkSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { ANSWERS_FILE } from '../answers-file.js';
import { CancelError, CliError, ExitCode } from '../errors.js';
import type { RenderedFile } from '../template/render.js';
import { writeFiles } from './files.js';
import { lockTarget, removeLeftovers, stagingPrefix } from './lock.js';
import type { Rollback } from './rollback.js';
import { exists, HARMLESS, REFUSALS } from './target.js';

/** What the system refused when the project's folders were being made, as one line. */
function cannotCreate(target: string, error: unknown): unknown {
  const code = (error as NodeJS.ErrnoException).code;
  const why: Record<string, string> = {
    ...REFUSALS,
    ENOSPC: 'no space left on the device',
    ENOENT: 'that location does not accept new folders',
    ENOTDIR: 'part of that path is a file',
  };
  const reason = code ? why[code] : undefined;
  return reason ? new CliError(`cannot create ${target}: ${reason}; pick another project folder`, ExitCode.targetNotEmpty) : error;
}

/** Creates `dir` and any missing parents, recording the top-most one it created. */
async function makeDirs(dir: string, rollback: Rollback, asRoot: boolean): Promise<void> {
  const missing: string[] = [];
  for (let d = dir; !(await exists(d)); d = dirname(d)) missing.unshift(d);
  if (missing.length === 0) return;
  // The top-most first, recorded at once: when a folder below it fails (a name too long), the
  // rollback still removes what this run made.
  const top = missing[0] as string;
  if (mkdirSync(top, { recursive: true }) !== undefined) {
    if (asRoot) rollback.createdRoot(top);
    else rollback.added(top, true);
  }
  mkdirSync(dir, { recursive: true });
}

/** Under the lock: the target is still what the questions were asked about (no run wrote it meanwhile). */
function recheckTarget(target: string, force: boolean): void {
  let entries: string[];
  try {
    entries = readdirSync(target).filter((e) => !HARMLESS.has(e));
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return;
    throw error;
  }
  if (entries.includes(ANSWERS_FILE)) {
    throw new CliError(`${target} now holds a project another run wrote while this one was working; nothing was written`, ExitCode.targetNotEmpty);
  }
  if (entries.length > 0 && !force) {
    throw new CliError(`${target} is not empty any more (files appeared while this run was working); nothing was written`, ExitCode.targetNotEmpty);
  }
}

/** rename, or on another file system (EXDEV) copy, check the copy byte for byte, then remove the source. */
function moveFile(from: string, to: string): void {
  try {
    renameSync(from, to);
    return;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EXDEV') throw error;
  }
  copyFileSync(from, to, constants.COPYFILE_EXCL);
  const mode = statSync(from).mode & 0o7777;
  if (!readFileSync(from).equals(readFileSync(to))) {
    unlinkSync(to);
    throw new CliError(`cannot write ${to}: the copy from ${from} differs from the original`, ExitCode.unexpected);
  }
  chmodSync(to, mode);
  unlinkSync(from);
}

const WRITE_FAULTS: Record<string, string> = {
  ENOSPC: 'no space left on the device',
  EDQUOT: 'the disk quota is used up',
  EIO: 'an input/output error (the disk or the network file system failed)',
  ENOTDIR: 'part of that path is a file, not a folder',
  EEXIST: 'a file is where a folder must go',
  EISDIR: 'a folder is where a file must go',
  EACCES: 'permission denied',
  EPERM: 'operation not permitted',
  EROFS: 'the file system is read-only',
  ENAMETOOLONG: 'the name is too long for the file system',
  EMFILE: 'too many open files',
};

/** A file-system refusal while writing the project, as one line naming the project path (exit 3). */
function writeFault(error: unknown, staging: string, target: string): unknown {
  const e = error as NodeJS.ErrnoException & { dest?: string };
  const reason = e?.code ? WRITE_FAULTS[e.code] : undefined;
  if (!reason) return error;
  // Name the path in the project, not in the staging folder the user never sees.
  const raw = e.dest ?? e.path ?? target;
  const path = raw.startsWith(staging) ? target + raw.slice(staging.length) : raw;
  return new CliError(`cannot write ${path}: ${reason}; nothing this run created was left behind`, ExitCode.targetNotEmpty);
}

export interface PlaceOptions {
  /** --force: the target may hold the user's files (never the project of another run). */
  force?: boolean;
}

/** Places `files` at `target`; returns the paths not written because the user already had them. */
export async function placeProject(target: string, files: readonly RenderedFile[], rollback: Rollback, signal?: AbortSignal, options: PlaceOptions = {}): Promise<string[]> {
  const parent = dirname(target);
  const name = basename(target);
  let release;
  let staging;
  try {
    await makeDirs(parent, rollback, true);
    removeLeftovers(parent, name);
    // The lock first: it names this run, and so the staging folder named after this run's process.
    release = lockTarget(parent, name, target, rollback);
    staging = mkdtempSync(join(parent, stagingPrefix(name)));
  } catch (error) {
    release?.();
    throw error instanceof CliError ? error : cannotCreate(target, error);
  }
  rollback.scratch(staging);
  try {
    return await placeStaged(target, staging, files, rollback, signal, options);
  } catch (error) {
    throw writeFault(error, staging, target);
  } finally {
    // The staging folder goes before the lock that says whose it is (a failure's rollback would
    // remove it later; a run killed in between would leave a folder nobody claims).
    await rollback.cleanScratch();
    release();
  }
}

async function placeStaged(target: string, staging: string, files: readonly RenderedFile[], rollback: Rollback, signal: AbortSignal | undefined, options: PlaceOptions): Promise<string[]> {
  // mkdtemp makes a private (0700) folder; the project gets the mode any new folder would get.
  chmodSync(staging, 0o777 & ~process.umask());
  await writeFiles(staging, files, signal);
  if (signal?.aborted) throw new CancelError();

  recheckTarget(target, options.force ?? false);
  if (!(await exists(target))) {
    try {
      renameSync(staging, target);
      rollback.moved(staging);
      rollback.createdRoot(target);
      return [];
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      // Created by someone else between the check and the rename.
      if (code === 'ENOTEMPTY' || code === 'EEXIST') throw new CliError(`${target} appeared while this run was working; nothing was written`, ExitCode.targetNotEmpty);
      // A folder that cannot be renamed there (another file system below the parent, an
      // overlay file system's lower layer): the target is made here and filled file by file.
      if (code !== 'EXDEV') throw error;
      mkdirSync(target);
      rollback.createdRoot(target);
    }
  }

  const kept: string[] = [];
  // The answers file last: a project with it is complete, and a rerun stops at it.
  const ordered = [...files.filter((f) => f.path !== ANSWERS_FILE), ...files.filter((f) => f.path === ANSWERS_FILE)];
  for (const file of ordered) {
    const dest = join(target, ...file.path.split('/'));
    if (await exists(dest)) {
      kept.push(file.path);
      continue;
    }
    await makeDirs(dirname(dest), rollback, false);
    moveFile(join(staging, ...file.path.split('/')), dest);
    rollback.added(dest);
  }
  return kept.sort();
}
