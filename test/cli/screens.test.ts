// The wizard as a person sees it: the built CLI in a real terminal (tmux), at 100 and 40 columns,
// with and without colour, each screen compared whole with a snapshot in __screens__/ (a review
// shows exactly what a change does to what people see). Volatile values are normalised: the path
// of the bin, the temporary folder, the version, timings; colours are kept as escape codes (␛).
//
// Besides the snapshots, every screen is held to rules: without colour it holds no escape code;
// each line fits the terminal, except a command printed bare to be copied whole (the terminal may
// wrap those, and they carry no frame character). Each run also goes through script(1), whose log
// holds every byte the CLI wrote: without colour, not one colour escape in it.
//
// Update: UPDATE_SNAPSHOTS=1 node --import tsx --test test/cli/screens.test.ts (after npm run build)

import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, it } from 'node:test';
import { stripVTControlCharacters } from 'node:util';
import { packageVersion } from '../../src/paths.js';
import { BIN, cli, ROOT, tempDir, TEST_COMPILE_CACHE } from '../helpers/cli.js';
import { TerminalSession, tmuxAvailable } from '../helpers/tmux.js';
import { colourEscapes, normaliseScreen, overlongLines, settled } from '../helpers/screen.js';
import { scratchDir } from '../helpers/scratch.js';

const SNAPSHOTS = fileURLToPath(new URL('./__screens__/', import.meta.url));
const UPDATE = process.env.UPDATE_SNAPSHOTS === '1';
const VERSION = packageVersion();
const skip = !tmuxAvailable()
  ? 'tmux is not installed (apt-get install tmux): no terminal to show the wizard in'
  : spawnSync('script', ['--version']).status !== 0
    ? "script(1) is not installed (apt-get install bsdutils): nothing records the bytes the CLI writes"
    : false;

interface Run {
  term: TerminalSession;
  cwd: string;
  /** Compares the screen now with its snapshot and holds it to the rules; returns it (plain text). */
  shot(label: string): Promise<string>;
}

interface Scenario {
  name: string;
  args: string;
  prepare?: (cwd: string) => Promise<void>;
  drive: (run: Run) => Promise<void>;
  exitCode: number;
}

async function answer(term: TerminalSession, question: RegExp, ...keys: string[]): Promise<void> {
  await term.waitFor(question);
  for (const key of keys) term.send(key);
}

const SCENARIOS: Scenario[] = [
  {
    name: 'wizard',
    args: '--no-install --no-git',
    exitCode: 0,
    async drive({ term, shot }) {
      await term.waitFor(/Project name/);
      term.send('tty-demo', true);
      term.send('Enter');
      // The focus moved to the second system: it must show without colour too.
      await answer(term, /operating/, 'Down');
      await shot('systems');
      term.send('Enter');
      await answer(term, /Which cloud/, 'Down', 'Enter');
      await answer(term, /Serve the/, 'Enter');
      await answer(term, /Train the/, 'Enter');
      await answer(term, /Track training runs/, 'Enter');
      await answer(term, /task runner/, 'Enter');
      await answer(term, /Which Python/, 'Enter');
      await answer(term, /package/, 'Enter');
      await answer(term, /Dependabot/, 'Enter');
      await term.waitFor(/EXIT=\d+/, 30_000);
      await shot('done');
    },
  },
  {
    name: 'bad-name',
    // A folder that gives no valid name: asked, with one made from it filled in.
    args: "'My Project' --no-install --no-git",
    exitCode: 130,
    async drive({ term, shot }) {
      await term.waitFor(/Project name/);
      await shot('suggested');
      term.send('import', true);
      term.send('Enter');
      await term.waitFor(/keyword/);
      await shot('re-prompt');
      term.send('C-c');
    },
  },
  {
    name: 'existing-folder',
    args: 'existing --no-install --no-git',
    exitCode: 130,
    async prepare(cwd) {
      await mkdir(join(cwd, 'existing'));
      await writeFile(join(cwd, 'existing', 'notes.txt'), 'mine\n');
    },
    async drive({ term, shot }) {
      await term.waitFor(/What now/);
      await shot('question');
      term.send('Down');
      term.send('Down');
      term.send('Enter');
    },
  },
  {
    name: 'summary',
    args: 'churn-prediction-service --cloud gcp --runner compose --yes --no-install --no-git',
    exitCode: 0,
    async drive({ term, shot }) {
      await term.waitFor(/EXIT=\d+/, 30_000);
      await shot('done');
    },
  },
];

const SIZES = [
  { columns: 100, rows: 40 },
  { columns: 40, rows: 40 },
];
const MODES = [
  { name: 'colour', env: '' },
  { name: 'no-colour', env: 'NO_COLOR=1' },
];

function compare(file: string, actual: string): void {
  const path = join(SNAPSHOTS, file);
  if (UPDATE || !existsSync(path)) {
    mkdirSync(SNAPSHOTS, { recursive: true });
    writeFileSync(path, actual);
    if (!UPDATE) assert.fail(`${file} had no snapshot; written now: check it, then run again`);
    return;
  }
  assert.equal(actual, readFileSync(path, 'utf8'), `${file} differs from its snapshot (UPDATE_SNAPSHOTS=1 rewrites it)`);
}

/**
 * Runs the CLI in a terminal of `size` through script(1), with `extraEnv` (shell words), drives
 * it, checks the exit code and returns every byte it wrote. `snapshot` names the screens' files.
 */
async function runInTerminal(scenario: Scenario, size: { columns: number; rows: number }, extraEnv: string, snapshot: { mode: string; colour: boolean }): Promise<string> {
  // A temporary folder whose path has the same length on every Linux machine: the text around
  // it wraps the same way everywhere.
  const cwd = await scratchDir('cmlp-scr-', '/tmp');
  await scenario.prepare?.(cwd);
  const log = join(cwd, 'terminal.log');
  // The same environment whoever runs the suite: colour decided by this test alone, clack's
  // Unicode symbols (any TERM but linux), not CI, no package manager's user agent.
  const env = `env -u NO_COLOR -u FORCE_COLOR -u CI -u npm_config_user_agent TERM=xterm-256color NODE_COMPILE_CACHE=${TEST_COMPILE_CACHE} ${extraEnv}`;
  const command = `script -qfec "${env} node ${BIN} ${scenario.args.replaceAll('"', '\\"')}" ${log}`;
  const term = TerminalSession.start(command, cwd, size);
  const replacements = { bin: BIN, root: ROOT, cwd, version: VERSION };
  try {
    await scenario.drive({
      term,
      cwd,
      async shot(label) {
        const screen = await settled(() => term.screen({ escapes: snapshot.colour }));
        const plain = stripVTControlCharacters(screen);
        if (!snapshot.colour) assert.doesNotMatch(screen, /\x1b/, `${label}: an escape code without colour`);
        else assert.match(screen, /\x1b\[/, `${label}: no colour`);
        assert.deepEqual(overlongLines(plain, size.columns), [], `${label}: lines wider than the terminal`);
        compare(`${scenario.name}-${label}-${size.columns}-${snapshot.mode}.txt`, normaliseScreen(screen, replacements));
        return plain;
      },
    });
    const screen = await term.waitFor(/EXIT=\d+/, 30_000);
    assert.match(screen, new RegExp(`EXIT=${scenario.exitCode}\\b`), screen);
    return readFileSync(log, 'latin1');
  } finally {
    term.kill();
  }
}

describe('the wizard, screen by screen', { skip }, () => {
  for (const scenario of SCENARIOS) {
    for (const size of SIZES) {
      for (const mode of MODES) {
        it(`${scenario.name} at ${size.columns} columns, ${mode.name}`, async () => {
          const written = await runInTerminal(scenario, size, mode.env, { mode: mode.name, colour: mode.name === 'colour' });
          if (mode.name === 'no-colour') assert.deepEqual(colourEscapes(written), [], 'colour escapes written with NO_COLOR');
          else assert.notDeepEqual(colourEscapes(written), [], 'no colour at a terminal');
        });
      }
    }
  }
});

describe('the colour switches, end to end', { skip }, () => {
  const summary = SCENARIOS.find((s) => s.name === 'summary') as Scenario;
  for (const [name, env, args] of [
    ['--no-color', '', ' --no-color'],
    ['NO_COLOR=yes (any non-empty value)', 'NO_COLOR=yes', ''],
  ] as const) {
    it(`${name}: not one colour escape at a terminal`, async () => {
      const scenario = { ...summary, args: `${summary.args}${args}`, drive: async ({ term }: Run) => void (await term.waitFor(/EXIT=\d+/, 30_000)) };
      const written = await runInTerminal(scenario, SIZES[0] as { columns: number; rows: number }, env, { mode: 'unused', colour: false });
      assert.deepEqual(colourEscapes(written), []);
      assert.match(written, /Make this project again/);
    });
  }

  it('FORCE_COLOR=1 colours even into a pipe; a pipe alone gets none', async () => {
    const cwd = await tempDir();
    const forced = cli(['forced', '--yes', '--no-install', '--no-git'], { cwd, env: { NO_COLOR: undefined, FORCE_COLOR: '1', TERM: 'xterm-256color' } });
    assert.equal(forced.code, 0, forced.stderr);
    assert.notDeepEqual(colourEscapes(forced.stdout), []);
    const piped = cli(['piped', '--yes', '--no-install', '--no-git'], { cwd, env: { NO_COLOR: undefined, FORCE_COLOR: undefined, TERM: 'xterm-256color' } });
    assert.equal(piped.code, 0, piped.stderr);
    assert.deepEqual(colourEscapes(piped.stdout + piped.stderr), []);
  });

  it('TERM=dumb: no escape code of any kind, questions asked one line at a time', async () => {
    const dumb: Scenario = {
      name: 'dumb',
      args: '--no-install --no-git',
      exitCode: 0,
      async drive({ term, shot }) {
        const typed = async (question: RegExp, line: string) => {
          await term.waitFor(question);
          term.send(line, true);
          term.send('Enter');
        };
        await typed(/Project name.*: ?$/m, 'dumb-demo');
        await typed(/Choose one or more.*: ?$/m, '2');
        await typed(/Which cloud[\s\S]*Choose 1-4.*: ?$/m, 'gcp');
        await typed(/FastAPI.*: ?$/m, '');
        await typed(/Train the model.*: ?$/m, '');
        await typed(/Track training runs[\s\S]*Choose.*: ?$/m, '');
        await typed(/task runner[\s\S]*Choose.*: ?$/m, '2');
        await typed(/Python version[\s\S]*Choose.*: ?$/m, '');
        await typed(/package manager[\s\S]*Choose.*: ?$/m, '');
        await typed(/Dependabot[\s\S]*Choose.*: ?$/m, '');
        await term.waitFor(/EXIT=\d+/, 30_000);
        await shot('done');
      },
    };
    const written = await runInTerminal(dumb, { columns: 100, rows: 40 }, 'TERM=dumb', { mode: 'term-dumb', colour: false });
    assert.doesNotMatch(written, /\x1b/, 'an escape code on a dumb terminal');
    assert.match(written, /--os linux --cloud gcp .*--runner compose/);
  });
});
