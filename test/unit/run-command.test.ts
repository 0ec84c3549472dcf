// src/process.ts runCommand: a setup command's output reaches the spinner line by line as it
// comes (the person sees the installer's current step), and is still collected whole for the log.

import assert from 'node:assert/strict';
import { tmpdir } from 'node:os';
import { describe, it } from 'node:test';
import { runCommand } from '../../src/process.js';
import { runTasks } from '../../src/tasks.js';
import { captureUi } from '../helpers/scripted.js';

describe('setup command output', () => {
  it('hands each non-empty line to onLine as it comes, and keeps the whole output', async () => {
    const seen: string[] = [];
    const script = 'echo "Resolving dependencies"; sleep 0.2; echo; printf "Installing numpy\\r\\n"; sleep 0.2; echo "Installed 42 packages"';
    const result = await runCommand('sh', ['-c', script], { cwd: tmpdir(), onLine: (line) => seen.push(line) });
    assert.equal(result.ok, true);
    assert.deepEqual(seen, ['Resolving dependencies', 'Installing numpy', 'Installed 42 packages']);
    assert.match(result.output, /Resolving dependencies[\s\S]*Installed 42 packages/);
  });

  it('a task shows what it reports on its spinner', async () => {
    const ui = captureUi();
    const tasks = [{ title: 'Installing', done: 'Installed', run: async (_signal: AbortSignal, detail: (t: string) => void) => detail('Installing numpy') }];
    await runTasks({ tasks, ui }, new AbortController().signal);
    assert.deepEqual(ui.lines, ['Installing', '· Installing numpy', 'Installed']);
  });
});
