// Writes the project into a staging folder next to the target, then moves it into place. A fresh
// target is one rename; an existing (empty, or --force) target gets file by file moves that never
// replace a file the user already has. Staging starts before the content is rendered: the files
// are created while it is (open-ahead.ts).

import { chmodSync, lstatSync, mkdirSync, mkdtempSync, readdirSync, renameSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { CliError, ExitCode } from '../errors.js';
import type { RenderedFile } from '../template/render.js';
import { openAhead, type FileSlot } from './open-ahead.js';
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

/** A project being written: staged next to its target, its files created ahead (open-ahead.ts). */
export interface StagedProject {
  /** Writes the rendered files into the staging folder and moves them into place; returns the paths kept because the user already had them. */
  place(files: readonly RenderedFile[]): Promise<string[]>;
  /** Nothing will be placed (rendering failed): lets the file creations finish; the rollback removes the staging folder. */
  abandon(): Promise<void>;
}

/** Starts writing a project at `target` whose files will be `slots`, before their content exists. */
export async function stageProject(target: string, slots: readonly FileSlot[], rollback: Rollback): Promise<StagedProject> {
  const parent = dirname(target);
  await makeDirs(parent, rollback, true);
  const staging = mkdtempSync(join(parent, `.${basename(target)}.staging-`));
  rollback.scratch(staging);
  // mkdtemp makes a private (0700) folder; the project gets the mode any new folder would get.
  chmodSync(staging, 0o777 & ~process.umask());
  const ahead = openAhead(staging, slots);
  return {
    abandon: () => ahead.close(),
    place: async (files) => {
      await ahead.fill(files);
      return moveIntoPlace(staging, target, files, rollback);
    },
  };
}

/** A fresh target is one rename; an existing one gets file by file moves that never replace a user's file. */
async function moveIntoPlace(staging: string, target: string, files: readonly RenderedFile[], rollback: Rollback): Promise<string[]> {
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
