// Reads what a generated project recorded about itself (.create-ml-project.json) and works out the
// answers to regenerate it with: the recorded ones, each checked like its flag, plus --set changes.

import { stat } from 'node:fs/promises';
import { join, relative } from 'node:path';
import { ANSWERS_FILE, readAnswersFile, type AnswersRecord } from '../answers-file.js';
import { parseValue } from '../args.js';
import { CliError, UsageError, show } from '../errors.js';
import { ANSWER_OPTIONS, defaultAnswers, type Answers } from '../options.js';

export interface ProjectRecord {
  record: AnswersRecord;
  answers: Answers;
}

export async function readProject(projectDir: string, cwd: string): Promise<ProjectRecord> {
  const file = join(projectDir, ANSWERS_FILE);
  const shown = relative(cwd, file) || file;
  if (!(await stat(file).then((s) => s.isFile(), () => false))) {
    throw new UsageError(`${show(shown)} not found: ${show(relative(cwd, projectDir) || '.')} is not a project made by create-ml-project`);
  }
  let parsed: Awaited<ReturnType<typeof readAnswersFile>>;
  try {
    parsed = await readAnswersFile(file, shown);
  } catch (error) {
    // readAnswersFile words its errors for --answers; here the file is the project's own.
    if (error instanceof CliError) throw new UsageError(error.message.replace(/^--answers /, ''), error.details);
    throw error;
  }
  const { record, given } = parsed;
  const strings = (value: unknown, keys: string[]) =>
    typeof value === 'object' && value !== null && keys.every((k) => typeof (value as Record<string, unknown>)[k] === 'string');
  if (!strings(record.generator, ['version']) || !strings(record.template, ['source', 'name', 'version', 'hash'])) {
    throw new UsageError(`${show(shown)} lacks the generator version or the template source, name, version and hash that update needs`);
  }
  if (typeof given.name !== 'string') throw new UsageError(`${show(shown)} records no project name`);
  // Answers a newer generator added after this project was made take their defaults.
  const answers = { ...defaultAnswers(given.name), ...given } as unknown as Answers;
  return { record, answers };
}

/** `key=value` from --set, with key an answer key or its flag name, value checked like the flag. */
export function parseSet(pair: string): [keyof Answers, Answers[keyof Answers]] {
  const eq = pair.indexOf('=');
  const key = eq === -1 ? pair : pair.slice(0, eq);
  const option = ANSWER_OPTIONS.find((o) => o.key === key || o.flag === key);
  if (eq === -1 || !option) {
    const known = ANSWER_OPTIONS.filter((o) => o.key !== 'name').map((o) => o.flag).join(', ');
    throw new UsageError(`--set ${show(pair)}: expected key=value with key one of ${known}`);
  }
  // Renaming would move src/<package>/, which belongs to the user; that is a refactoring, not an update.
  if (option.key === 'name') throw new UsageError('--set name: update cannot rename a project');
  return [option.key as keyof Answers, parseValue(option, pair.slice(eq + 1), `--set ${show(pair)}`) as Answers[keyof Answers]];
}

export function applySets(answers: Answers, sets: ReadonlyArray<readonly [keyof Answers, Answers[keyof Answers]]>): Answers {
  const next = { ...answers } as Record<string, unknown>;
  for (const [key, value] of sets) next[key] = value;
  const out = next as unknown as Answers;
  if (!out.api && !out.training) throw new UsageError('--set: api=false together with training=false leaves nothing to generate');
  return out;
}
