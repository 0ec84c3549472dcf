// A placement's lock and staging folders, beside the target: each carries a mark naming the run
// that made it, so the next run can tell a live run's folders from what a killed one left.

import { mkdtempSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { CliError, ExitCode } from '../errors.js';
import type { Rollback } from './rollback.js';

/** The file that marks a staging (or lock) folder as made by this tool, with the run that made it. */
export const STAGING_MARK = '.create-ml-project-staging';

interface Mark {
  tool: 'create-ml-project';
  pid: number;
  host: string;
}

export function writeMark(dir: string): void {
  const mark: Mark = { tool: 'create-ml-project', pid: process.pid, host: hostname() };
  writeFileSync(join(dir, STAGING_MARK), JSON.stringify(mark));
}

/** The mark in `dir`, when there is one and it is ours. */
function readMark(dir: string): Mark | undefined {
  try {
    const mark = JSON.parse(readFileSync(join(dir, STAGING_MARK), 'utf8')) as Partial<Mark>;
    return mark.tool === 'create-ml-project' && typeof mark.pid === 'number' && typeof mark.host === 'string' ? (mark as Mark) : undefined;
  } catch {
    return undefined;
  }
}

function running(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** The run that made a marked folder has ended (on this machine): what it left is litter. */
function abandoned(mark: Mark): boolean {
  return mark.host === hostname() && mark.pid !== process.pid && !running(mark.pid);
}

const escapeRe = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/**
 * Removes what a killed run (SIGKILL, power cut) left beside `target`: its staging folders and its
 * lock. Only folders carrying this tool's mark, of a run that no longer runs on this machine.
 */
export function removeLeftovers(parent: string, name: string): void {
  const ours = new RegExp(`^\\.${escapeRe(name)}\\.(staging-.+|create-ml-project\\.lock)$`);
  let entries: string[];
  try {
    entries = readdirSync(parent);
  } catch {
    return;
  }
  for (const entry of entries) {
    if (!ours.test(entry)) continue;
    const dir = join(parent, entry);
    const mark = readMark(dir);
    if (mark && abandoned(mark)) rmSync(dir, { recursive: true, force: true });
  }
}

/**
 * Takes the lock on `target` for placement: a marked folder renamed to `.<name>.create-ml-project.lock`
 * (rename is atomic and fails onto a folder that is not empty). Held by a live run: exit 3.
 * Returns the function that releases it.
 */
export function lockTarget(parent: string, name: string, target: string, rollback: Rollback): () => void {
  const lock = join(parent, `.${name}.create-ml-project.lock`);
  for (let attempt = 0; ; attempt++) {
    const tmp = mkdtempSync(join(parent, `.${name}.staging-${process.pid}-lock-`));
    writeMark(tmp);
    try {
      renameSync(tmp, lock);
      rollback.scratch(lock);
      return () => {
        rmSync(lock, { recursive: true, force: true });
        rollback.moved(lock);
      };
    } catch (error) {
      rmSync(tmp, { recursive: true, force: true });
      const code = (error as NodeJS.ErrnoException).code;
      if (code !== 'ENOTEMPTY' && code !== 'EEXIST') throw error;
      const mark = readMark(lock);
      if (attempt === 0 && mark && abandoned(mark)) {
        rmSync(lock, { recursive: true, force: true });
        continue;
      }
      throw new CliError(
        `another create-ml-project run${mark ? ` (process ${mark.pid})` : ''} is writing ${target} right now; wait for it to end, or pick another project folder`,
        ExitCode.targetNotEmpty,
      );
    }
  }
}

