// Interruption while a question waits, in a real terminal (tmux): at each kind of prompt (text,
// multiple choice, single choice, yes/no, and the consent question of a template that is not the
// bundled one), Ctrl+C, Esc and Ctrl+D cancel, and SIGINT, SIGTERM and SIGHUP sent to the process
// do too: exit 130, the cursor shown again, nothing written. (interrupt.test.ts covers the phases
// after the last answer.)

import assert from 'node:assert/strict';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { BIN, tempDir } from '../helpers/cli.js';
import { TerminalSession, tmuxAvailable } from '../helpers/tmux.js';

const skip = tmuxAvailable() ? false : 'tmux is not installed (apt-get install tmux): no pseudo-terminal to drive';

/** Each kind of prompt, and the keys that lead to it from the start of the wizard. */
const PROMPTS = [
  { kind: 'text (project name)', shows: /Project name/, before: [] as string[] },
  { kind: 'multiple choice (operating systems)', shows: /operating systems/, before: ['prompted'] },
  { kind: 'single choice (cloud)', shows: /Which cloud/, before: ['prompted', 'Enter'] },
  { kind: 'yes/no (API)', shows: /Serve the model over HTTP/, before: ['prompted', 'Enter', 'Enter'] },
];

/** The wizard in a fresh terminal: prints PID=<node's pid> first, CURSOR=<0|1> and EXIT=<code> at the end. */
function wizard(cwd: string, args = '--no-install --no-git'): TerminalSession {
  // exec: the pid printed is node's own. The cursor flag is read once the run has ended.
  return TerminalSession.start(`(sh -c 'echo PID=$$; NO_COLOR=1 exec node ${BIN} ${args}'); c=$?; printf 'CURSOR=%s\\n' "$(tmux display -p '#{cursor_flag}')"; (exit $c)`, cwd);
}

/** Answers up to the prompt: 'prompted' is typed as the name, anything else is a key. */
async function reach(term: TerminalSession, prompt: (typeof PROMPTS)[number]): Promise<void> {
  await term.waitFor(/Project name/);
  for (const step of prompt.before) {
    if (step === 'prompted') term.send(step, true);
    term.send('Enter');
    await new Promise((r) => setTimeout(r, 150));
  }
  await term.waitFor(prompt.shows);
}

async function cancelled(term: TerminalSession, cwd: string, what: string): Promise<void> {
  // EXIT= comes last (after CURSOR=): waiting for it, the screen holds both.
  const screen = await term.waitFor(/EXIT=\d+/, 10_000);
  assert.match(screen, /EXIT=130/, `${what}:\n${screen}`);
  assert.match(screen, /CURSOR=1/, `${what}: the cursor is visible again`);
  assert.deepEqual(await readdir(cwd), [], `${what}: nothing written`);
}

describe('interruption at a prompt, in a terminal', { skip }, () => {
  for (const prompt of PROMPTS) {
    for (const key of ['C-c', 'Escape', 'C-d'] as const) {
      it(`${key} at a ${prompt.kind} prompt is a cancel: exit 130, cursor shown, nothing written`, { timeout: 60_000 }, async () => {
        const cwd = await tempDir('cmlp-int-prompt-');
        const term = wizard(cwd);
        try {
          await reach(term, prompt);
          term.send(key);
          await cancelled(term, cwd, `${key} at ${prompt.kind}`);
        } finally {
          term.kill();
        }
      });
    }
  }

  for (const sig of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) {
    it(`${sig} sent while a question waits: exit 130, cursor shown, nothing written`, { timeout: 60_000 }, async () => {
      const cwd = await tempDir('cmlp-int-prompt-');
      const term = wizard(cwd);
      try {
        const prompt = PROMPTS[2] as (typeof PROMPTS)[number];
        await reach(term, prompt);
        const pid = Number(/PID=(\d+)/.exec(term.screen())?.[1]);
        assert.ok(pid > 0, term.screen());
        process.kill(pid, sig);
        await cancelled(term, cwd, sig);
      } finally {
        term.kill();
      }
    });
  }

  for (const key of ['C-c', 'Escape', 'C-d'] as const) {
    it(`${key} at the question whether to run a template's code: exit 130, its code never ran`, { timeout: 60_000 }, async () => {
      const cwd = await tempDir('cmlp-int-prompt-');
      const tpl = join(await tempDir('cmlp-int-tpl-'), 'tpl');
      mkdirSync(tpl);
      const marker = join(tpl, '..', 'MARKER');
      writeFileSync(join(tpl, 'template.json'), JSON.stringify({ name: 'marks', version: '1.0.0', files: [] }));
      writeFileSync(join(tpl, 'hook.txt.ejs'), `<% process.mainModule.require('fs').writeFileSync(${JSON.stringify(marker)}, 'ran') %>hook\n`);
      const term = wizard(cwd, `proj --yes --no-install --no-git --template ${tpl}`);
      try {
        await term.waitFor(/Run the code of template/);
        term.send(key);
        await cancelled(term, cwd, key);
        assert.equal(existsSync(marker), false, 'the template code did not run');
      } finally {
        term.kill();
      }
    });
  }
});
