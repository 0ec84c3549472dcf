// The project folder before anything is written: may it be used (missing and creatable, empty, or
// holding files the run must be told about)? Read by the target step before any question about
// the folder is asked, and again by placement (place.ts) under its lock.

import { accessSync, constants, lstatSync, readdirSync, statSync } from 'node:fs';
import { dirname } from 'node:path';
import { CliError, ExitCode } from '../errors.js';

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
    throw refused(target, error);
  }
  // A link to a folder (one on another disk) is that folder: placement writes through it.
  if (!stat.isDirectory() && !(stat.isSymbolicLink() && isFolder(target))) {
    throw new CliError(`${target} exists and is not a folder; pick another project folder`, ExitCode.targetNotEmpty);
  }
  let entries: string[];
  try {
    entries = readdirSync(target).filter((e) => !HARMLESS.has(e)).sort();
  } catch (error) {
    throw refused(target, error);
  }
  return entries.length === 0 ? { kind: 'empty' } : { kind: 'non-empty', entries };
}

function isFolder(path: string): boolean {
  try {
    return statSync(path).isDirectory();
  } catch {
    return false;
  }
}

/** Why the system refuses a path, in words (also place.ts's, for the folders it makes). */
export const REFUSALS: Record<string, string> = {
  EACCES: 'permission denied',
  EPERM: 'operation not permitted',
  EROFS: 'the file system is read-only',
  ELOOP: 'too many symbolic links (a link that leads back to itself?)',
  ENAMETOOLONG: 'a name in that path is too long for the file system',
};

/** The system refused to look at `target` (or a folder on its way): one line, exit 3; anything else as it is. */
function refused(target: string, error: unknown): unknown {
  const reason = REFUSALS[(error as NodeJS.ErrnoException).code ?? ''];
  return reason ? new CliError(`${target} cannot be a project folder: ${reason}; pick another project folder`, ExitCode.targetNotEmpty) : error;
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
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT' || dirname(parent) === parent) throw refused(target, error);
      parent = dirname(parent);
    }
  }
  try {
    accessSync(parent, constants.W_OK);
  } catch (error) {
    const why = (error as NodeJS.ErrnoException).code === 'EROFS' ? `${parent} is on a read-only file system` : `no permission to write in ${parent}`;
    throw new CliError(`cannot create ${target}: ${why}; pick another project folder`, ExitCode.targetNotEmpty);
  }
}

export async function exists(path: string): Promise<boolean> {
  try {
    lstatSync(path);
    return true;
  } catch {
    return false;
  }
}

