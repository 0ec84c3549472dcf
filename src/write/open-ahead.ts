// Writes a project's files, creating them before their content exists.
//
// Creating a file (a new inode and a folder entry) is most of what writing a small file costs
// the kernel, and a scaffold creates some 60 files in 20-odd folders. openAhead creates them all,
// empty, on Node's thread pool (the second core) while the main thread is still rendering their
// content; fill() then only writes bytes into files that exist. The folders are made first and
// synchronously: a file cannot be created before its folder, and a thread-pool callback saying a
// folder is ready would wait for the main thread, which is busy rendering.

import { closeSync, fchmodSync, mkdirSync, open, openSync, unlinkSync, writeSync } from 'node:fs';
import { resolve } from 'node:path';
import { TemplateError } from '../template/pack.js';
import { below, isPlainRelative } from '../template/plain-path.js';
import type { RenderedFile } from '../template/render.js';

export interface FileSlot {
  /** Path relative to the project root, with forward slashes. */
  path: string;
  mode: number;
}

export interface OpenedAhead {
  /** Writes each file's content (into its file created ahead, or a new one) and closes them all. */
  fill(files: readonly RenderedFile[]): Promise<void>;
  /** Waits for every creation and closes what was opened; for when nothing will be written. */
  close(): Promise<void>;
}

/** Creates the folders of `slots` below `root` (which must exist) now, and the files on the thread pool. */
export function openAhead(root: string, slots: readonly FileSlot[]): OpenedAhead {
  const base = resolve(root);
  for (const { path } of slots) {
    if (!isPlainRelative(path)) throw new TemplateError(`refusing to write ${JSON.stringify(path)}: not a plain relative path`);
  }
  const folders = new Set<string>(['']);
  const makeFolderOf = (path: string): void => {
    const folder = path.slice(0, Math.max(0, path.lastIndexOf('/')));
    if (folders.has(folder)) return;
    mkdirSync(below(base, folder), { recursive: true });
    folders.add(folder);
  };
  for (const { path } of slots) makeFolderOf(path);

  // 'wx': the folder is new, so a file already there means something else is writing into it.
  const opening = new Map<string, Promise<number>>();
  for (const { path, mode } of slots) {
    const fd = new Promise<number>((done, fail) => open(below(base, path), 'wx', mode, (error, opened) => (error ? fail(error) : done(opened))));
    // Handled when fill() or close() awaits it; until then a failure must not count as unhandled.
    fd.catch(() => undefined);
    opening.set(path, fd);
  }

  const close = async (): Promise<void> => {
    for (const result of await Promise.allSettled(opening.values())) {
      if (result.status === 'fulfilled') closeSync(result.value);
    }
    opening.clear();
  };

  const fill = async (files: readonly RenderedFile[]): Promise<void> => {
    const umask = process.umask();
    try {
      for (const file of files) {
        let fd = await opening.get(file.path);
        opening.delete(file.path);
        if (fd === undefined) {
          if (!isPlainRelative(file.path)) throw new TemplateError(`refusing to write ${JSON.stringify(file.path)}: not a plain relative path`);
          makeFolderOf(file.path);
          fd = openSync(below(base, file.path), 'wx', file.mode);
        }
        try {
          for (let done = 0; done < file.content.length; ) done += writeSync(fd, file.content, done);
          // The mode was given at creation; fix it only when the umask took bits away.
          if (file.mode & umask) fchmodSync(fd, file.mode);
        } finally {
          closeSync(fd);
        }
      }
      // A file created ahead that nothing was rendered for (the plan and the render disagree):
      // not part of the project.
      const extra = [...opening.keys()];
      await close();
      for (const path of extra) unlinkSync(below(base, path));
    } finally {
      await close();
    }
  };

  return { fill, close };
}

/** Writes rendered files below `root`, which must exist. */
export async function writeFiles(root: string, files: readonly RenderedFile[]): Promise<void> {
  await openAhead(root, files).fill(files);
}
