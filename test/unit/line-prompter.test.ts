// Questions one line at a time (src/line-prompter.ts, for TERM=dumb): typed answers, numbers or
// values, defaults on Enter, a re-ask that says why, and the end of input as a cancel.

import assert from 'node:assert/strict';
import { PassThrough } from 'node:stream';
import { describe, it } from 'node:test';
import { CancelError } from '../../src/errors.js';
import { linePrompter } from '../../src/line-prompter.js';

const CHOICES = [
  { value: 'none', label: 'none', hint: 'GHCR only' },
  { value: 'aws', label: 'aws' },
  { value: 'gcp', label: 'gcp' },
];

function session() {
  const input = new PassThrough();
  let out = '';
  const prompter = linePrompter(undefined, input, (t) => void (out += t));
  // Types a line once the question has been written (as a person would).
  const type = (line: string) => setImmediate(() => input.write(`${line}\n`));
  return { prompter, input, type, output: () => out };
}

describe('linePrompter', () => {
  it('takes the default on Enter and re-asks with the reason', async () => {
    const s = session();
    s.type('My Project');
    const answer = s.prompter.text({ message: 'Project name', defaultValue: 'ml-project', validate: (v) => (/^[a-z-]+$/.test(v) ? undefined : 'use lowercase letters') });
    await new Promise((r) => setTimeout(r, 20));
    s.type('');
    assert.equal(await answer, 'ml-project');
    assert.equal(s.output(), 'Project name [ml-project]:   use lowercase letters\nProject name [ml-project]: ');
  });

  it('picks a choice by number or value, numbered in the list', async () => {
    const s = session();
    s.type('2');
    assert.equal(await s.prompter.select({ message: 'Which cloud?', options: CHOICES, initialValue: 'none' }), 'aws');
    assert.match(s.output(), /^Which cloud\?\n {2}1\) none - GHCR only\n {2}2\) aws\n {2}3\) gcp\nChoose 1-3 \[1\]: $/);
    s.type('gcp');
    assert.equal(await s.prompter.select({ message: 'Which cloud?', options: CHOICES, initialValue: 'none' }), 'gcp');
  });

  it('takes several, in the list order, and refuses an unknown one', async () => {
    const s = session();
    s.type('3, 9');
    const answer = s.prompter.multiselect({ message: 'Which?', options: CHOICES, initialValues: ['none'] });
    await new Promise((r) => setTimeout(r, 20));
    s.type('3,aws');
    assert.deepEqual(await answer, ['aws', 'gcp']);
    assert.match(s.output(), /Type numbers from 1 to 3/);
  });

  it('confirms with y/n and Enter for the default', async () => {
    const s = session();
    s.type('');
    assert.equal(await s.prompter.confirm({ message: 'Serve it?', initialValue: true }), true);
    s.type('n');
    assert.equal(await s.prompter.confirm({ message: 'Serve it?', initialValue: true }), false);
  });

  it('is cancelled by the end of input (Ctrl+D)', async () => {
    const s = session();
    setImmediate(() => s.input.end());
    await assert.rejects(s.prompter.confirm({ message: 'Serve it?', initialValue: true }), CancelError);
  });

  it('is cancelled by the run signal', async () => {
    const controller = new AbortController();
    const prompter = linePrompter(controller.signal, new PassThrough(), () => undefined);
    setImmediate(() => controller.abort());
    await assert.rejects(prompter.text({ message: 'Name', validate: () => undefined }), CancelError);
  });
});
