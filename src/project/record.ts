// What a generated project recorded about itself (.create-ml-project.json: the generator version,
// the template and every answer), read one way for every command that works on a project made
// earlier (update, check-update, doctor): the folder must be a folder and hold the file, and the
// file must match the answers schema with each answer valid for its flag (answers-file.ts, the
// same check --answers gets).

import { stat } from 'node:fs/promises';
import { isAbsolute, join, relative, sep } from 'node:path';
import { ANSWERS_FILE, readAnswersFile, type AnswersRecord } from '../answers-file.js';
import { UsageError, show } from '../errors.js';
import type { Answers } from '../options.js';

export interface ProjectRecord {
  /** The project's folder, absolute. */
  dir: string;
  record: AnswersRecord;
  /** The recorded answers, each checked like its flag. */
  answers: Answers;
}

const kind = (path: string) => stat(path).then((s) => (s.isDirectory() ? 'folder' : s.isFile() ? 'file' : 'other'), () => 'missing');

/** `path` for a message: relative to `cwd` below it, else absolute (never a climb of ../). */
function shown(path: string, cwd: string): string {
  const below = relative(cwd, path);
  return below === '..' || below.startsWith(`..${sep}`) || isAbsolute(below) ? path : below;
}

/** The record of the project in `dir` (absolute); messages name paths below `cwd` relative to it. */
export async function readProjectRecord(dir: string, cwd: string): Promise<ProjectRecord> {
  const shownDir = shown(dir, cwd) || '.';
  if ((await kind(dir)) !== 'folder') throw new UsageError(`${show(shownDir)} is not a folder: give the folder of a project made by create-ml-project`);
  const file = join(dir, ANSWERS_FILE);
  if ((await kind(file)) !== 'file') {
    const where = shownDir === '.' ? 'the current folder' : show(shownDir);
    throw new UsageError(`${where} has no ${ANSWERS_FILE}: is it a project made by create-ml-project? (give the project's root folder)`);
  }
  const { record, given } = await readAnswersFile(file, show(shown(file, cwd)));
  // The schema requires every answer, so `given` holds them all.
  return { dir, record, answers: given as unknown as Answers };
}
