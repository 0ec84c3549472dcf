// --set key=value: the answers update regenerates the project with are the recorded ones
// (project/record.ts) with these changes, each checked like its flag.

import { parseValue } from '../args.js';
import { UsageError, show } from '../errors.js';
import { ANSWER_OPTIONS, type Answers } from '../options.js';

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
