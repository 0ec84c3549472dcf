// A placement's lock beside the target: one file, `.<name>.create-ml-project.lock`, created only if
// it does not exist (O_EXCL) and naming the run that holds it. The run takes it before it makes its
// staging folder (`.<name>.staging-<pid>-…`), so the lock says whose that folder is: the next run
// can tell a live run's folders from what a killed one left. (Until 2026-12 the lock was a folder
// renamed into place and each staging folder held a mark file: four files made and three removed
// per run, where each new file costs up to a millisecond and removing a folder two on a busy ext4
// without a journal; bench/README.md. Leftovers of that layout are still recognised and removed.)

import { closeSync, openSync, readdirSync, readFileSync, rmSync, unlinkSync, writeSync } from 'node:fs';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { CliError, ExitCode } from '../errors.js';
import type { Rollback } from './rollback.js';

/** The mark file inside a staging or lock folder of the layout before 2026-12. */
const OLD_MARK = '.create-ml-project-staging';

interface Mark {
  tool: 'create-ml-project';
  pid: number;
  host: string;
}

/** The mark in the lock file `path`, or in the folder `path` (a leftover of the old layout), when it is ours. */
function readMark(path: string): Mark | undefined {
  for (const file of [path, join(path, OLD_MARK)]) {
    try {
      const mark = JSON.parse(readFileSync(file, 'utf8')) as Partial<Mark>;
      return mark.tool === 'create-ml-project' && typeof mark.pid === 'number' && typeof mark.host === 'string' ? (mark as Mark) : undefined;
    } catch {
      // Not a file (the old layout's folder), not there, or not written yet: try the next.
    }
  }
  return undefined;
}

function running(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** The run that made a marked file or folder has ended (on this machine): what it left is litter. */
function abandoned(mark: Mark): boolean {
  return mark.host === hostname() && mark.pid !== process.pid && !running(mark.pid);
}

const escapeRe = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

const lockPath = (parent: string, name: string) => join(parent, `.${name}.create-ml-project.lock`);

/** The prefix of this run's staging folders for `name` (place.ts adds a random end). */
export const stagingPrefix = (name: string, pid = process.pid) => `.${name}.staging-${pid}-`;

/**
 * Removes what a killed run (SIGKILL, power cut) left beside `target`: its lock and the staging
 * folders named after its process, and the old layout's marked folders. Only what carries this
 * tool's mark, of a run that no longer runs on this machine.
 */
export function removeLeftovers(parent: string, name: string): void {
  let entries: string[];
  try {
    entries = readdirSync(parent);
  } catch {
    return;
  }
  const staging = new RegExp(`^\\.${escapeRe(name)}\\.staging-(\\d+)-`);
  const lock = lockPath(parent, name);
  const lockMark = entries.includes(lock.slice(parent.length + 1)) ? readMark(lock) : undefined;
  const dead = lockMark && abandoned(lockMark) ? lockMark.pid : undefined;
  for (const entry of entries) {
    const pid = staging.exec(entry)?.[1];
    if (pid === undefined) continue;
    const dir = join(parent, entry);
    const mark = readMark(dir);
    if (Number(pid) === dead || (mark && abandoned(mark))) rmSync(dir, { recursive: true, force: true });
  }
  if (dead !== undefined) rmSync(lock, { recursive: true, force: true });
}

/**
 * Takes the lock on `target` for placement. Held by a live run: exit 3. Returns the function that
 * releases it.
 */
export function lockTarget(parent: string, name: string, target: string, rollback: Rollback): () => void {
  const lock = lockPath(parent, name);
  const mark: Mark = { tool: 'create-ml-project', pid: process.pid, host: hostname() };
  for (let attempt = 0; ; attempt++) {
    let fd: number;
    try {
      fd = openSync(lock, 'wx');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      // Another run's: live, or left by a run that was killed.
      const held = readMark(lock);
      if (attempt === 0 && held && abandoned(held)) {
        rmSync(lock, { recursive: true, force: true });
        continue;
      }
      throw new CliError(
        `another create-ml-project run${held ? ` (process ${held.pid})` : ''} is writing ${target} right now; wait for it to end, or pick another project folder`,
        ExitCode.targetNotEmpty,
      );
    }
    // Ours from here: a failure to write the mark still removes it with the run's scratch space.
    rollback.scratch(lock);
    try {
      writeSync(fd, JSON.stringify(mark));
    } finally {
      closeSync(fd);
    }
    return () => {
      try {
        unlinkSync(lock);
      } catch {
        // Already removed with the run's scratch space.
      }
      rollback.moved(lock);
    };
  }
}
