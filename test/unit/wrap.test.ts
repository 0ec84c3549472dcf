// src/wrap.ts: breaks at spaces only, counts what the terminal shows.

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { visibleWidth, wrap, wrapLines } from '../../src/wrap.js';

describe('wrap', () => {
  it('breaks at spaces, never inside a word', () => {
    assert.deepEqual(wrap('the folder is not empty', 10), ['the folder', 'is not', 'empty']);
  });
  it('keeps a word longer than the line whole, on a line of its own', () => {
    assert.deepEqual(wrap('run /a/very/long/path/to/somewhere now', 12), ['run', '/a/very/long/path/to/somewhere', 'now']);
  });
  it('does not count colour escapes as columns', () => {
    const bold = '\x1b[1mbold\x1b[22m';
    assert.equal(visibleWidth(bold), 4);
    assert.deepEqual(wrap(`${bold} text here`, 9), [`${bold} text`, 'here']);
  });
  it('hangs continuation lines and keeps a lead', () => {
    assert.deepEqual(wrap('one two three', 12, 6, 6, '--flag'), ['--flag one', '      two', '      three']);
  });
});

describe('wrapLines', () => {
  it('wraps each line, keeping its indent and empty lines', () => {
    assert.deepEqual(wrapLines('first line here\n\n  missing: --os', 10), ['first line', 'here', '', '  missing:', '  --os']);
  });
  it('indents what a line wraps onto by the hang', () => {
    assert.deepEqual(wrapLines('aaa bbb ccc', 7, 2), ['aaa bbb', '  ccc']);
  });
});
