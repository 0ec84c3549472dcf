// The wizard as a person meets it: real prompts in a pseudo-terminal, answered with keystrokes.

import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { BIN, tempDir } from '../helpers/cli.js';
import { TerminalSession, tmuxAvailable } from '../helpers/tmux.js';

const skip = tmuxAvailable() ? false : 'tmux is not installed (apt-get install tmux): no pseudo-terminal to drive the prompts';

async function answer(term: TerminalSession, question: RegExp, ...keys: string[]): Promise<void> {
  await term.waitFor(question);
  for (const key of keys) term.send(key);
}

describe('interactive wizard in a terminal', { skip }, () => {
  it('runs a full session with keystrokes', async () => {
    const cwd = await tempDir('cmlp-tty-');
    const term = TerminalSession.start(`NO_COLOR=1 node ${BIN} --no-install --no-git`, cwd);
    try {
      await term.waitFor(/Project name/);
      term.send('tty-demo', true);
      term.send('Enter');
      await answer(term, /operating systems/, 'Enter');
      await answer(term, /Which cloud/, 'Down', 'Enter'); // none → aws
      await answer(term, /Serve the model/, 'Enter');
      await answer(term, /Train the model/, 'Enter');
      await answer(term, /Track training runs/, 'Enter');
      await answer(term, /task runner/, 'Down', 'Enter'); // batect → compose
      await answer(term, /Python version/, 'Enter');
      await answer(term, /package manager/, 'Down', 'Enter'); // poetry → uv
      await answer(term, /Dependabot/, 'Enter');
      const screen = await term.waitFor(/EXIT=\d+/, 30_000);
      assert.match(screen, /EXIT=0/, screen);
      // The reproduce command stands on a line of its own, outside the frame: copyable as shown.
      assert.match(screen, /^node \S+ tty-demo --os mac,linux,windows --cloud aws --api --training --tracking mlflow --runner compose --python 3\.13 --package-manager uv --automerge patch --yes$/m);
      const project = join(cwd, 'tty-demo');
      assert.match(await readFile(join(project, 'pyproject.toml'), 'utf8'), /name = "tty-demo"/);
      assert.ok(existsSync(join(project, 'uv.lock')) || existsSync(join(project, 'scripts')), 'uv project written');
    } finally {
      term.kill();
    }
  });

  it('at 40 columns, prints the reproduce command whole, with no frame in it to copy', async () => {
    const cwd = await tempDir('cmlp-tty-');
    const term = TerminalSession.start(`NO_COLOR=1 node ${BIN} narrow --cloud gcp --yes --no-install --no-git`, cwd, { columns: 40, rows: 50 });
    try {
      const screen = await term.waitFor(/EXIT=\d+/, 30_000);
      assert.match(screen, /EXIT=0/, screen);
      // capture-pane -J joins what the terminal wrapped: the command is one line, no │ inside.
      const line = screen.split('\n').find((l) => l.includes('narrow --os'));
      assert.ok(line, screen);
      assert.doesNotMatch(line, /│/);
      assert.match(line, /^node \S+ narrow --os mac,linux,windows --cloud gcp .* --yes$/);
    } finally {
      term.kill();
    }
  });

  it('echoes answers given as flags instead of asking them', async () => {
    const cwd = await tempDir('cmlp-tty-');
    const term = TerminalSession.start(`NO_COLOR=1 node ${BIN} flagged --cloud gcp --no-install --no-git`, cwd);
    try {
      await answer(term, /operating systems/, 'Enter');
      const screen = await term.waitFor(/Serve the model/);
      assert.match(screen, /Project name \(.*\) flagged/, 'the folder answered the name');
      assert.match(screen, /Which cloud does it deploy to\? gcp/);
      assert.doesNotMatch(screen, /◆ {2}Which cloud/, 'the cloud was not asked');
    } finally {
      term.kill();
    }
  });

  it('Ctrl+C mid-way writes nothing and exits 130', async () => {
    const cwd = await tempDir('cmlp-tty-');
    const term = TerminalSession.start(`NO_COLOR=1 node ${BIN} --no-install --no-git`, cwd);
    try {
      await term.waitFor(/Project name/);
      term.send('half-done', true);
      term.send('Enter');
      await answer(term, /operating systems/, 'Enter');
      await answer(term, /Which cloud/, 'C-c');
      const screen = await term.waitFor(/EXIT=\d+/);
      assert.match(screen, /EXIT=130/, screen);
      assert.deepEqual(await readdir(cwd), []);
    } finally {
      term.kill();
    }
  });
});
