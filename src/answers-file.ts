// The answers file every project carries (.create-ml-project.json): generator version, template
// source and content hash, and every answer. `--answers <file>` replays it, and `update` reads it
// to regenerate the project as it was. Its JSON schema is made from the option table.

import { closeSync, fstatSync, openSync, readSync } from 'node:fs';
import { parseValue } from './args.js';
import { UsageError, show } from './errors.js';
import { schemaProblem } from './schema-check.js';
import { ANSWER_OPTIONS, type Answers } from './options.js';
import { NAME_MAX, NAME_PATTERN } from './validate.js';

export const ANSWERS_FILE = '.create-ml-project.json';

export interface TemplateRecord {
  /** "bundled", a remote source (gh:…, https://…), or a local folder as given. */
  source: string;
  name: string;
  version: string;
  hash: string;
}

export interface AnswersRecord {
  $schema: string;
  generator: { name: string; version: string };
  template: TemplateRecord;
  answers: Answers;
}

export function schemaUrl(version: string): string {
  return `https://unpkg.com/create-ml-project@${version}/schema/answers.schema.json`;
}

export function answersRecord(answers: Answers, version: string, template: TemplateRecord): AnswersRecord {
  // Keys in the option table's order, so the file is byte-stable for equal answers.
  const ordered = Object.fromEntries(ANSWER_OPTIONS.map((o) => [o.key, (answers as unknown as Record<string, unknown>)[o.key]])) as unknown as Answers;
  return { $schema: schemaUrl(version), generator: { name: 'create-ml-project', version }, template, answers: ordered };
}

export function serialise(record: AnswersRecord): string {
  return `${JSON.stringify(record, null, 2)}\n`;
}

/**
 * Reads an answers file into flag values, checking each answer like the flag it stands for. `named`
 * is how a message names the file: `--answers <file>` for a replay, the path for a project's own.
 */
export async function readAnswersFile(path: string, named = `--answers ${show(path)}`): Promise<{ given: Record<string, string | boolean | string[]>; record: AnswersRecord }> {
  let raw: unknown;
  try {
    // A UTF-8 byte order mark (some Windows editors write one) is not part of the JSON.
    raw = JSON.parse(readCapped(path).replace(/^\ufeff/, ''));
  } catch (error) {
    const reason = (error as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : (error as Error).message.split('\n')[0];
    throw new UsageError(`${named} cannot be read: ${reason}`);
  }
  // The published schema itself decides what a valid answers file is (schema-check.ts).
  const problem = schemaProblem(answersSchema(), raw);
  if (problem) throw new UsageError(`${named} does not match the answers schema: ${problem}`);
  const answers = (raw as { answers?: unknown })?.answers;
  if (typeof answers !== 'object' || answers === null || Array.isArray(answers)) {
    throw new UsageError(`${named} has no "answers" object; is it a ${ANSWERS_FILE}?`);
  }
  const given: Record<string, string | boolean | string[]> = {};
  for (const [key, value] of Object.entries(answers)) {
    const option = ANSWER_OPTIONS.find((o) => o.key === key);
    if (!option) throw new UsageError(`${named}: unknown answer ${show(key)}; known: ${ANSWER_OPTIONS.map((o) => o.key).join(', ')}`);
    const text = Array.isArray(value) ? value.join(',') : typeof value === 'string' || typeof value === 'boolean' ? String(value) : undefined;
    if (text === undefined) throw new UsageError(`${named}: answer ${key} has the wrong type`);
    try {
      // A cloud the bundled template lacks may be the project's template's: the run that renders
      // checks it against that template (steps/cloud.ts); the schema has checked its shape.
      given[key] = parseValue(option, text, undefined, true);
    } catch (error) {
      throw new UsageError(`${named}: ${(error as Error).message}`);
    }
  }
  return { given, record: raw as AnswersRecord };
}

/** An answers file is a few hundred bytes: one of more than this is refused before it is read. */
export const ANSWERS_MAX_BYTES = 1024 * 1024;

/** `--answers -`: the answers from standard input (a pipe, a redirected file), as many tools take `-`. */
export const STANDARD_INPUT = '-';

/**
 * The file as text, refused (before reading) when larger than ANSWERS_MAX_BYTES. A pipe is read
 * too (`--answers /dev/stdin`, a shell's `<(…)`), up to the same limit; STANDARD_INPUT reads the
 * process's own, which may also be a socket (a parent process's pipe) or a file.
 */
function readCapped(path: string): string {
  const stdin = path === STANDARD_INPUT;
  const fd = stdin ? 0 : openSync(path, 'r');
  try {
    const stats = fstatSync(fd);
    // (node:tty's isatty would load Node's network modules into every run: a terminal is a device.)
    if (stdin && stats.isCharacterDevice()) throw new Error('standard input is a terminal or a device: pipe the file in, or name it');
    if (!stats.isFile() && !stats.isFIFO() && !(stdin && stats.isSocket())) throw new Error('not a regular file or a pipe');
    if (stats.size > ANSWERS_MAX_BYTES) throw new Error(`${stats.size} bytes, more than the ${ANSWERS_MAX_BYTES} an answers file may have`);
    // Read at most one byte past the cap: a file that grows while read is refused too.
    const buffer = Buffer.alloc(ANSWERS_MAX_BYTES + 1);
    let length = 0;
    for (let n; length < buffer.length && (n = readWaiting(fd, buffer, length)) > 0; ) length += n;
    if (length > ANSWERS_MAX_BYTES) throw new Error(`more than the ${ANSWERS_MAX_BYTES} bytes an answers file may have`);
    return buffer.subarray(0, length).toString('utf8');
  } finally {
    if (!stdin) closeSync(fd);
  }
}

/** readSync, waiting a moment whenever a non-blocking pipe has nothing yet (EAGAIN). */
function readWaiting(fd: number, buffer: Buffer, at: number): number {
  for (;;) {
    try {
      return readSync(fd, buffer, at, buffer.length - at, null);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EAGAIN') throw error;
      Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 10);
    }
  }
}

/** JSON schema of the answers file, from the option table (published as schema/answers.schema.json). */
export function answersSchema(): Record<string, unknown> {
  const properties: Record<string, unknown> = {};
  for (const o of ANSWER_OPTIONS) {
    const description = o.help;
    if (o.kind === 'text') properties[o.key] = { type: 'string', description, pattern: NAME_PATTERN.source, maxLength: NAME_MAX };
    if (o.kind === 'boolean') properties[o.key] = { type: 'boolean', description };
    // A value a template may add (--cloud): the bundled values stay listed, so an editor still
    // offers them, and any name shaped like a template's record is allowed too, so a project made
    // from a --template with its own clouds matches the schema (update and doctor read it).
    if (o.kind === 'choice') {
      const values = { enum: o.choices.map((c) => c.value) };
      properties[o.key] = o.fromTemplate ? { description, anyOf: [values, { type: 'string', pattern: o.fromTemplate.source }] } : { ...values, description };
    }
    if (o.kind === 'list') {
      properties[o.key] = { type: 'array', description, items: { enum: o.choices.map((c) => c.value) }, minItems: 1, uniqueItems: true };
    }
  }
  return {
    $schema: 'http://json-schema.org/draft-07/schema#',
    $id: 'https://unpkg.com/create-ml-project/schema/answers.schema.json',
    title: 'create-ml-project answers file',
    type: 'object',
    required: ['generator', 'template', 'answers'],
    properties: {
      $schema: { type: 'string' },
      generator: {
        type: 'object',
        required: ['name', 'version'],
        properties: { name: { const: 'create-ml-project' }, version: { type: 'string' } },
        additionalProperties: false,
      },
      template: {
        type: 'object',
        required: ['source', 'name', 'version', 'hash'],
        properties: {
          source: { type: 'string' },
          name: { type: 'string' },
          version: { type: 'string' },
          hash: { type: 'string', pattern: '^sha256:[0-9a-f]{64}$' },
        },
        additionalProperties: false,
      },
      answers: {
        type: 'object',
        required: ANSWER_OPTIONS.map((o) => o.key),
        properties,
        additionalProperties: false,
        not: { properties: { api: { const: false }, training: { const: false } }, required: ['api', 'training'] },
      },
    },
    additionalProperties: false,
  };
}
