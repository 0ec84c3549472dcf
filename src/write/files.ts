// Writes rendered files into a folder (a staging folder, or a test's scratch folder). Every path
// is checked again here, at the last moment: whatever made the list, nothing lands outside `root`.

// Synchronous file calls on purpose: a scaffold is a few dozen small files, and awaiting each one
// through the thread pool made most of the run idle time (see bench/README.md).
import { chmodSync, closeSync, mkdirSync, openSync, writeFileSync, writevSync } from 'node:fs';
import { resolve } from 'node:path';
import { cancelPoints } from '../cancel-point.js';
import { TemplateError } from '../template/pack.js';
import { below, isPlainRelative } from '../template/plain-path.js';
import type { RenderedFile } from '../template/render.js';

/**
 * Makes `folder` (below `base`) and any parent not made yet, parents first: one mkdir(2) each.
 * A recursive mkdir tries the deepest folder first, so a new `a/b` cost a failed mkdir of `a/b`,
 * and a parent it made on the way was not known to be made (the next file in it cost a failed
 * mkdir and a stat). A folder that is already there (a test's scratch folder) is left to the
 * recursive mkdir, which fails as before when something else holds its name.
 */
function makeFolder(base: string, folder: string, made: Set<string>): void {
  const slash = folder.lastIndexOf('/');
  const parent = slash === -1 ? '' : folder.slice(0, slash);
  if (!made.has(parent)) makeFolder(base, parent, made);
  const abs = below(base, folder);
  try {
    mkdirSync(abs);
  } catch (error) {
    if ((error as NodeJS.ErrnoException)?.code !== 'EEXIST') throw error;
    mkdirSync(abs, { recursive: true });
  }
  made.add(folder);
}

/** Writes `parts` one after the other into a new file `abs`, as they are (no joined copy): writev(2). */
function writeParts(abs: string, parts: readonly Buffer[], mode: number): void {
  const fd = openSync(abs, 'w', mode);
  try {
    let rest = parts.filter((part) => part.length > 0);
    while (rest.length > 0) {
      // A short write (never seen for a regular file, but allowed) goes on where it stopped.
      let written = writevSync(fd, rest as Buffer[]);
      if (written === 0) throw new Error(`writing ${abs}: the system wrote nothing`);
      let done = 0;
      while (done < rest.length && written >= (rest[done] as Buffer).length) written -= (rest[done++] as Buffer).length;
      rest = done < rest.length ? [(rest[done] as Buffer).subarray(written), ...rest.slice(done + 1)] : [];
    }
  } finally {
    closeSync(fd);
  }
}

/** Writes rendered files below `root`, which must exist. */
export async function writeFiles(root: string, files: readonly RenderedFile[], signal?: AbortSignal): Promise<void> {
  const base = resolve(root);
  const point = cancelPoints(signal);
  // Each system call counts when a scaffold is dozens of files: make each folder once, and fix a
  // file's mode only when the umask took bits away from it.
  const made = new Set<string>(['']);
  const umask = process.umask();
  for (const file of files) {
    await point();
    if (!isPlainRelative(file.path)) throw new TemplateError(`refusing to write ${JSON.stringify(file.path)}: not a plain relative path`);
    const slash = file.path.lastIndexOf('/');
    const folder = slash === -1 ? '' : file.path.slice(0, slash);
    if (!made.has(folder)) makeFolder(base, folder, made);
    const abs = below(base, file.path);
    try {
      if (file.parts) writeParts(abs, file.parts, file.mode);
      else writeFileSync(abs, file.content, { mode: file.mode });
      if (file.mode & umask) chmodSync(abs, file.mode);
    } catch (error) {
      // A failed write(2) (EIO, ENOSPC) names no file: the message should.
      const e = error as NodeJS.ErrnoException;
      if (e && typeof e === 'object' && e.code && e.path === undefined) e.path = abs;
      throw error;
    }
  }
}
