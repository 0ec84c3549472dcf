// --set key=value: the answers update regenerates the project with are the recorded ones
// (project/record.ts) with these changes, each checked like its flag. A cloud may be one the
// template defines itself (clouds/<name>/cloud.json): it is checked against the template the
// project is updated to, once that is located (checkSetsFor); everything else at once.

import { parseValue } from '../args.js';
import { UsageError, show } from '../errors.js';
import { ANSWER_OPTIONS, type Answers } from '../options.js';
import { cloudOption } from '../template/cloud-option.js';
import type { TemplateSource } from '../template/source.js';

export interface AnswerSet {
  key: keyof Answers;
  value: Answers[keyof Answers];
  /** How the messages name it: `--set "cloud=gcp"`. */
  given: string;
}

/** `key=value` from --set, with key an answer key or its flag name, value checked like the flag. */
export function parseSet(pair: string): AnswerSet {
  const eq = pair.indexOf('=');
  const key = eq === -1 ? pair : pair.slice(0, eq);
  const option = ANSWER_OPTIONS.find((o) => o.key === key || o.flag === key);
  if (eq === -1 || !option) {
    const known = ANSWER_OPTIONS.filter((o) => o.key !== 'name').map((o) => o.flag).join(', ');
    throw new UsageError(`--set ${show(pair)}: expected key=value with key one of ${known}`);
  }
  // Renaming would move src/<package>/, which belongs to the user; that is a refactoring, not an update.
  if (option.key === 'name') throw new UsageError('--set name: update cannot rename a project');
  const raw = pair.slice(eq + 1);
  const given = `--set ${show(pair)}`;
  // A value shaped like a name a template may add waits for the template (checkSetsFor).
  const later = option.kind === 'choice' && option.fromTemplate !== undefined && option.fromTemplate.test(raw);
  return { key: option.key as keyof Answers, value: parseValue(option, raw, given, later) as Answers[keyof Answers], given };
}

/**
 * Every --set, each checked by parseSet. Two values for one answer are refused, as create refuses
 * `--cloud aws --cloud gcp` (args.ts): a script that says both has a bug either reading could hide.
 */
export function parseSets(pairs: readonly string[]): AnswerSet[] {
  const sets = pairs.map(parseSet);
  const first = new Map<keyof Answers, AnswerSet>();
  for (const set of sets) {
    const before = first.get(set.key);
    if (before && JSON.stringify(before.value) !== JSON.stringify(set.value)) {
      const flag = ANSWER_OPTIONS.find((o) => o.key === set.key)?.flag ?? set.key;
      throw new UsageError(`${before.given} and ${set.given} contradict each other: give --set ${flag}=… once`);
    }
    first.set(set.key, before ?? set);
  }
  return sets;
}

/** The sets a template may have values of (a cloud), checked against the clouds of `template`. */
export function checkSetsFor(template: TemplateSource, sets: readonly AnswerSet[]): void {
  for (const set of sets) if (set.key === 'cloud') parseValue(cloudOption(template), String(set.value), set.given);
}

export function applySets(answers: Answers, sets: readonly AnswerSet[]): Answers {
  const next = { ...answers } as Record<string, unknown>;
  for (const { key, value } of sets) next[key] = value;
  const out = next as unknown as Answers;
  if (!out.api && !out.training) throw new UsageError('--set: api=false together with training=false leaves nothing to generate');
  return out;
}
