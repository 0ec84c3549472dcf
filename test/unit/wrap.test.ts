// src/wrap.ts: breaks at spaces only, counts what the terminal shows; a spinner's line fits one row.

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { spinnerLine } from '../../src/ui.js';
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

describe('spinnerLine', () => {
  const width = ([title, rest]: [string, string]) => 3 + title.length + 1 + rest.length;
  it('shows title, time and step when they fit', () => {
    assert.deepEqual(spinnerLine('Writing the project', '2s', 'copying', 100), ['Writing the project', '2s · copying']);
  });
  it('cuts the step, then the title, to one line of a narrow terminal', () => {
    const title = 'Installing the locked dependencies with poetry';
    for (const columns of [20, 40, 60, 80]) {
      const line = spinnerLine(title, '12s', 'Installing scikit-learn (1.7.2): Downloading 45%', columns);
      assert.ok(width(line) < columns, `${columns}: ${line.join(' ')}`);
    }
    assert.deepEqual(spinnerLine(title, '12s', 'step', 40), ['Installing the locked dependenc…', '12s']);
  });
});
