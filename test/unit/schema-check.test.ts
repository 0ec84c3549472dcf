// The answers file is checked by the published schema itself (src/schema-check.ts reads
// answersSchema()); this proves that small validator agrees with ajv on a corpus of good and bad
// files, and that readAnswersFile accepts a BOM and refuses values the schema rejects and big files.

import assert from 'node:assert/strict';
import { truncate, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { Ajv } from 'ajv';
import { ANSWERS_MAX_BYTES, answersSchema, readAnswersFile } from '../../src/answers-file.js';
import { UsageError } from '../../src/errors.js';
import { schemaProblem } from '../../src/schema-check.js';
import { scratchDir } from '../helpers/scratch.js';

const good = {
  $schema: 'https://unpkg.com/create-ml-project@1.0.0/schema/answers.schema.json',
  generator: { name: 'create-ml-project', version: '1.0.0' },
  template: { source: 'bundled', name: 'default', version: '0.1.0', hash: `sha256:${'a'.repeat(64)}` },
  answers: { name: 'demo', os: ['mac', 'linux'], cloud: 'aws', api: true, training: false, tracking: 'none', runner: 'compose', python: '3.13', packageManager: 'uv', automerge: 'patch' },
};
type Rec = typeof good;
const edit = (f: (r: Rec & Record<string, unknown>) => void): unknown => {
  const r = structuredClone(good) as Rec & Record<string, unknown>;
  f(r);
  return r;
};
const a = (r: Rec) => r.answers as Record<string, unknown>;

const CORPUS: Array<[string, unknown]> = [
  ['good', good],
  ['no $schema', edit((r) => delete (r as Record<string, unknown>).$schema)],
  ['api and training on', edit((r) => (a(r).training = true))],
  ['one os', edit((r) => (a(r).os = ['windows']))],
  ['os a string', edit((r) => (a(r).os = 'linux'))],
  ['api a string', edit((r) => (a(r).api = 'false'))],
  ['api and training off', edit((r) => ((a(r).api = false), (a(r).training = false)))],
  // A template may bring its own clouds: any record-shaped name matches, anything else does not.
  ['a template\'s cloud', edit((r) => (a(r).cloud = 'mars'))],
  ['cloud not a record name', edit((r) => (a(r).cloud = 'Mars!'))],
  ['cloud a number', edit((r) => (a(r).cloud = 7))],
  ['empty os', edit((r) => (a(r).os = []))],
  ['duplicate os', edit((r) => (a(r).os = ['mac', 'mac']))],
  ['unknown os', edit((r) => (a(r).os = ['beos']))],
  ['bad name', edit((r) => (a(r).name = 'Bad Name'))],
  ['long name', edit((r) => (a(r).name = `a${'b'.repeat(60)}`))],
  ['name a number', edit((r) => (a(r).name = 7))],
  ['missing answer', edit((r) => delete a(r).runner)],
  ['unknown answer', edit((r) => (a(r).colour = 'blue'))],
  ['python a number', edit((r) => (a(r).python = 3.13))],
  ['answers an array', edit((r) => ((r as Record<string, unknown>).answers = []))],
  ['answers null', edit((r) => ((r as Record<string, unknown>).answers = null))],
  ['no answers', edit((r) => delete (r as Record<string, unknown>).answers)],
  ['other generator', edit((r) => (r.generator.name = 'cookiecutter'))],
  ['generator extra key', edit((r) => ((r.generator as Record<string, unknown>).x = 1))],
  ['bad hash', edit((r) => (r.template.hash = 'sha256:XYZ'))],
  ['hash upper case', edit((r) => (r.template.hash = `sha256:${'A'.repeat(64)}`))],
  ['template missing name', edit((r) => delete (r.template as Record<string, unknown>).name)],
  ['template version a number', edit((r) => ((r.template as Record<string, unknown>).version = 1))],
  ['top-level extra', edit((r) => (r.extra = true))],
  ['$schema a number', edit((r) => ((r as Record<string, unknown>).$schema = 1))],
  ['a string', 'answers'],
  ['an array', [good]],
  ['null', null],
  ['a number', 42],
];

describe('schema-check: the published answers schema, without a dependency', () => {
  it(`agrees with ajv on ${CORPUS.length} good and bad files`, () => {
    const ajv = new Ajv({ strict: false }).compile(answersSchema());
    let bad = 0;
    for (const [what, value] of CORPUS) {
      const expected = ajv(value);
      const problem = schemaProblem(answersSchema(), value);
      assert.equal(problem === undefined, expected, `${what}: ajv says ${expected}, schema-check says ${problem ?? 'valid'}`);
      if (!expected) bad++;
    }
    assert.ok(bad >= 25, 'the corpus is mostly bad files');
  });

  it('refuses a keyword it does not implement instead of skipping it', () => {
    assert.throws(() => schemaProblem({ minimum: 3 }, 1), /not supported/);
  });
});

describe('readAnswersFile', () => {
  const file = async (content: string | Buffer) => {
    const path = join(await scratchDir('cmlp-answers-'), 'a.json');
    await writeFile(path, content);
    return path;
  };
  it('refuses what the schema refuses ("os":"linux", "api":"false"), one line naming the file', async () => {
    for (const value of [edit((r) => (a(r).os = 'linux')), edit((r) => (a(r).api = 'false'))]) {
      const path = await file(JSON.stringify(value));
      await assert.rejects(readAnswersFile(path), (e: Error) => e instanceof UsageError && e.message.includes(path) && !e.message.includes('\n'));
    }
  });
  it('accepts a UTF-8 byte order mark', async () => {
    const { given } = await readAnswersFile(await file(`\ufeff${JSON.stringify(good)}`));
    assert.equal(given.cloud, 'aws');
  });
  it(`refuses a file over ${ANSWERS_MAX_BYTES} bytes without reading it`, async () => {
    const path = await file('{}');
    await truncate(path, 200 * 1024 * 1024); // sparse: 200 MB that take no disk
    const started = process.memoryUsage().rss;
    await assert.rejects(readAnswersFile(path), (e: Error) => e instanceof UsageError && e.message.includes(path) && /more than the 1048576/.test(e.message));
    assert.ok(process.memoryUsage().rss - started < 50 * 1024 * 1024, 'not read whole');
  });
});
