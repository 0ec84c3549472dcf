// The option table is the single source for parser, prompts, help and answers: check that each
// entry is complete and that the other three really follow it.

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parseArgs, parseValue } from '../../src/args.js';
import { helpText } from '../../src/help.js';
import { ANSWER_OPTIONS, OPTIONS, defaultAnswers } from '../../src/options.js';
import { colors } from '../../src/ui.js';

describe('option table', () => {
  it('has unique keys, flags and short flags', () => {
    for (const field of ['key', 'flag', 'short'] as const) {
      const values = OPTIONS.map((o) => o[field]).filter(Boolean);
      assert.equal(new Set(values).size, values.length, field);
    }
  });

  it('asks a question for every answer, and only for answers', () => {
    for (const o of OPTIONS) assert.equal(Boolean(o.prompt), o.answer, o.key);
  });

  it('has defaults the parser itself accepts', () => {
    for (const o of ANSWER_OPTIONS) {
      if (o.kind === 'choice') assert.equal(parseValue(o, o.default), o.default);
      if (o.kind === 'list') assert.deepEqual(parseValue(o, o.default.join(',')), [...o.default]);
    }
  });

  it('documents every flag and value in --help', () => {
    const help = helpText('1.2.3', colors(false), { kind: 'global', run: ['create-ml-project'], create: ['create-ml-project'] });
    for (const o of OPTIONS) {
      assert.ok(help.includes(`--${o.flag}`), o.flag);
      if (o.kind === 'choice' || o.kind === 'list') for (const c of o.choices) assert.ok(help.includes(c.value), `${o.flag} ${c.value}`);
    }
    for (const code of ['0', '2', '3', '4', '5', '130']) assert.match(help, new RegExp(`^\\s+${code}  \\w+`, 'm'));
  });

  it('wraps --help to the terminal at word boundaries, with exit codes in words', () => {
    const global = { kind: 'global', run: ['create-ml-project'], create: ['create-ml-project'] } as const;
    const words = (text: string) => text.split(/\s+/).filter(Boolean);
    const unwrapped = words(helpText('1.2.3', colors(false), global, 10_000));
    for (const columns of [40, 60, 80, 100, 160]) {
      const help = helpText('1.2.3', colors(false), global, columns);
      const width = Math.min(columns, 100);
      for (const line of help.split('\n')) {
        // Only a single word longer than the room may pass the edge (it is never broken).
        if (line.length > width) assert.equal(words(line).length, 1, `${columns} columns: ${JSON.stringify(line)}`);
      }
      // Wrapping moves words to other lines and never splits or drops one.
      assert.deepEqual(words(help), unwrapped, `${columns} columns`);
    }
    const help = helpText('1.2.3', colors(false), global, 80);
    assert.doesNotMatch(help, /targetNotEmpty|templateFetch|setupFailed|updateAvailable/, 'exit codes are described, not named');
    assert.match(help, /^ {4}3 {2}the target folder is not empty/m);
    assert.match(help, /^ {2}130 {2}cancelled/m);
    assert.match(help, /create-ml-project help \[command\]/);
    // A long path in the usage stays whole, on a line of its own when it must.
    const checkout = { kind: 'checkout', run: ['node', `/${'very-long-folder/'.repeat(4)}dist/index.cjs`], create: ['node', `/${'very-long-folder/'.repeat(4)}dist/index.cjs`] } as const;
    assert.ok(helpText('1.2.3', colors(false), checkout, 40).includes(`/${'very-long-folder/'.repeat(4)}dist/index.cjs`));
  });

  it("--help's exit codes name every cause README's table gives them", () => {
    const global = { kind: 'global', run: ['create-ml-project'], create: ['create-ml-project'] } as const;
    // Each meaning on one line (--help wraps them at 100 columns, indented by 7).
    const help = helpText('1.2.3', colors(false), global, 100).replace(/\n {7}(?=\S)/g, ' ');
    // A broken --template ends with 4, a disk error while writing with 3, SIGTERM with 130.
    assert.match(help, /^ {4}3 {2}.*another run is writing it.*cannot be created or written/m);
    assert.match(help, /^ {4}4 {2}the template could not be fetched, or a template other than the bundled one is broken/m);
    assert.match(help, /^ {2}130 {2}cancelled \(Ctrl\+C, Esc, SIGINT, SIGTERM, SIGHUP\)/m);
  });

  it('parses every flag the table declares', () => {
    for (const o of OPTIONS) {
      const argv = o.kind === 'boolean' ? [`--${o.flag}`] : o.kind === 'text' ? [`--${o.flag}`, o.placeholder ?? 'valid-name'] : [`--${o.flag}`, o.choices[0]!.value];
      assert.ok(o.key in parseArgs(argv).given, o.flag);
    }
  });

  it('has a default answer for everything but the name', () => {
    const answers = defaultAnswers('demo') as unknown as Record<string, unknown>;
    for (const o of ANSWER_OPTIONS) assert.notEqual(answers[o.key], undefined, o.key);
    assert.deepEqual(answers, {
      name: 'demo', os: ['mac', 'linux', 'windows'], cloud: 'none', api: true, training: true, tracking: 'mlflow',
      runner: 'batect', python: '3.13', packageManager: 'poetry', automerge: 'patch',
    });
  });
});
