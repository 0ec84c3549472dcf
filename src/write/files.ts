// Writes rendered files into a folder (a staging folder, or a test's scratch folder). Every path
// is checked again here, at the last moment: whatever made the list, nothing lands outside `root`.

// Synchronous file calls on purpose: a scaffold is a few dozen small files, and awaiting each one
// through the thread pool made most of the run idle time (see bench/README.md).
import { chmodSync, mkdirSync, writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { cancelPoints } from '../cancel-point.js';
import { TemplateError } from '../template/pack.js';
import { below, isPlainRelative } from '../template/plain-path.js';
import type { RenderedFile } from '../template/render.js';

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
    if (!made.has(folder)) {
      mkdirSync(below(base, folder), { recursive: true });
      made.add(folder);
    }
    const abs = below(base, file.path);
    try {
      writeFileSync(abs, file.content, { mode: file.mode });
      if (file.mode & umask) chmodSync(abs, file.mode);
    } catch (error) {
      // A failed write(2) (EIO, ENOSPC) names no file: the message should.
      const e = error as NodeJS.ErrnoException;
      if (e && typeof e === 'object' && e.code && e.path === undefined) e.path = abs;
      throw error;
    }
  }
}
