// The one colour decision (src/colour.ts) and clack's styleText replacement (src/lib/style-text.ts).

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { colourWanted, dumbTerminal } from '../../src/colour.js';
import { styleText, useColour } from '../../src/lib/style-text.js';

describe('colourWanted', () => {
  const cases: [string, readonly string[], NodeJS.ProcessEnv, boolean, boolean][] = [
    ['a terminal', [], {}, true, true],
    ['a pipe', [], {}, false, false],
    ['--no-color', ['--no-color'], {}, true, false],
    ['--json', ['--json'], { FORCE_COLOR: '1' }, true, false],
    ['NO_COLOR=1', [], { NO_COLOR: '1' }, true, false],
    ['NO_COLOR=yes (any non-empty value)', [], { NO_COLOR: 'yes' }, true, false],
    ['NO_COLOR empty is not set', [], { NO_COLOR: '' }, true, true],
    ['TERM=dumb', [], { TERM: 'dumb' }, true, false],
    ['FORCE_COLOR into a pipe', [], { FORCE_COLOR: '1' }, false, true],
    ['FORCE_COLOR on a dumb terminal', [], { FORCE_COLOR: '1', TERM: 'dumb' }, true, true],
    ['FORCE_COLOR=0', [], { FORCE_COLOR: '0' }, true, false],
    ['FORCE_COLOR=false', [], { FORCE_COLOR: 'false' }, true, false],
    ['NO_COLOR wins over FORCE_COLOR', [], { NO_COLOR: '1', FORCE_COLOR: '1' }, true, false],
    ['--no-color wins over FORCE_COLOR', ['--no-color'], { FORCE_COLOR: '3' }, false, false],
    ['--color into a pipe', ['--color'], {}, false, true],
    ['--color wins over NO_COLOR', ['--color'], { NO_COLOR: '1' }, true, true],
    ['the last of --color and --no-color', ['--color', '--no-color'], {}, true, false],
  ];
  for (const [name, argv, env, terminal, expected] of cases) {
    it(`${name}: ${expected ? 'colour' : 'none'}`, () => assert.equal(colourWanted(argv, env, terminal), expected));
  }
  it('knows a dumb terminal', () => {
    assert.equal(dumbTerminal({ TERM: 'dumb' }), true);
    assert.equal(dumbTerminal({ TERM: 'xterm-256color' }), false);
    assert.equal(dumbTerminal({}), false);
  });
});

describe("clack's styleText", () => {
  it('styles only when the run says colour', () => {
    useColour(false);
    assert.equal(styleText(['bold', 'cyan'], 'x'), 'x');
    useColour(true);
    assert.equal(styleText('cyan', 'x'), '\x1b[36mx\x1b[39m');
    assert.equal(styleText(['bold', 'cyan'], 'x'), '\x1b[1m\x1b[36mx\x1b[39m\x1b[22m');
    useColour(false);
  });
});
