// Interruption at every phase of a run after the last answer, with and without a terminal: Ctrl+C,
// Esc, SIGINT, SIGTERM and SIGHUP end the run within about a second with exit 130, stop every
// process the run started (their whole group, even one that ignores SIGTERM) and leave the folder
// exactly as it was; a second interrupt does the same at once. (Prompts: interrupt-prompts.test.ts;
// a template whose code never returns: looping-template.test.ts.)
// Slow phases are made slow on purpose: a template with many slow-rendering or many files, and a
// fake `git` / `python3` first on PATH that sleeps (with a grandchild) and ignores SIGTERM.

import assert from 'node:assert/strict';
import { chmodSync, existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { after, before, describe, it } from 'node:test';
import { BIN, TEST_COMPILE_CACHE, tempDir } from '../helpers/cli.js';
import { TerminalSession, tmuxAvailable } from '../helpers/tmux.js';
import { signalAndWait, watchBin } from '../helpers/watched.js';

let fixtures = '';
let fakeBin = '';
let renderSlow = '';
let writeSlow = '';

/** A program that records its pid and its grandchild's, ignores SIGTERM/SIGINT and sleeps. */
const SLEEPER = `#!/bin/sh
case "$*" in *"sys.version_info"*) exit 0 ;; esac
trap '' TERM INT HUP
echo $$ >> "$CMLP_PIDS"
sleep 300 &
echo $! >> "$CMLP_PIDS"
wait
`;

before(async () => {
  fixtures = await tempDir('cmlp-interrupt-fixtures-');
  fakeBin = join(fixtures, 'bin');
  mkdirSync(fakeBin);
  for (const name of ['git', 'python3', 'python']) {
    writeFileSync(join(fakeBin, name), SLEEPER);
    chmodSync(join(fakeBin, name), 0o755);
  }
  // Rendering takes seconds: every file busy-waits in its EJS code.
  renderSlow = join(fixtures, 'render-slow');
  mkdirSync(renderSlow);
  writeFileSync(join(renderSlow, 'template.json'), JSON.stringify({ name: 'render-slow', version: '1.0.0', files: [] }));
  for (let i = 0; i < 1500; i++) writeFileSync(join(renderSlow, `f${i}.txt.ejs`), '<% const end = Date.now() + 4; while (Date.now() < end) {} %>x\n');
  // Writing takes seconds: many files.
  writeSlow = join(fixtures, 'write-slow');
  mkdirSync(writeSlow);
  writeFileSync(join(writeSlow, 'template.json'), JSON.stringify({ name: 'write-slow', version: '1.0.0', files: [] }));
  const body = Buffer.alloc(24 * 1024, 'x');
  for (let d = 0; d < 60; d++) {
    mkdirSync(join(writeSlow, `d${d}`));
    for (let i = 0; i < 500; i++) writeFileSync(join(writeSlow, `d${d}`, `f${i}.txt`), body);
  }
});

after(() => {
  // The write-phase fixture is ~700 MB: a suite run must not leave it behind (it once filled a
  // shared machine's disk).
  rmSync(fixtures, { recursive: true, force: true });
});

type Phase = 'render' | 'write' | 'git' | 'install';

function argsFor(phase: Phase, name: string): string[] {
  const base = [name, '--yes'];
  if (phase === 'render') return [...base, '--trust', '--template', renderSlow, '--no-git', '--no-install'];
  if (phase === 'write') return [...base, '--trust', '--template', writeSlow, '--no-git', '--no-install'];
  if (phase === 'git') return [...base, '--no-install'];
  return [...base, '--no-git'];
}

function envFor(pids: string): NodeJS.ProcessEnv {
  return { ...process.env, PATH: `${fakeBin}:${process.env.PATH ?? ''}`, CMLP_PIDS: pids, NO_COLOR: '1', NODE_COMPILE_CACHE: TEST_COMPILE_CACHE };
}

/** The phase has begun: what the run shows or leaves on disk at that point. */
async function phaseStarted(phase: Phase, cwd: string, name: string, pids: string, output: () => string): Promise<void> {
  const end = Date.now() + 60_000;
  for (;;) {
    if (phase === 'render' && /Writing the project/.test(output())) return;
    if (phase === 'write' && (await readdir(cwd)).some((e) => e.startsWith(`.${name}.staging-`) || e === name)) {
      // The staging folder exists and files are being written into it.
      await sleep(150);
      return;
    }
    if ((phase === 'git' || phase === 'install') && existsSync(pids) && readFileSync(pids, 'utf8').trim().split('\n').length >= 2) return;
    if (Date.now() > end) throw new Error(`phase ${phase} never started:\n${output()}`);
    await sleep(20);
  }
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch {
    return false;
  }
  try {
    // A zombie waiting for its parent counts as gone.
    return !/^\d+ \(.*\) Z/.test(readFileSync(`/proc/${pid}/stat`, 'utf8'));
  } catch {
    return false;
  }
}

async function survivors(pids: string): Promise<number[]> {
  if (!existsSync(pids)) return [];
  const list = readFileSync(pids, 'utf8').trim().split('\n').filter(Boolean).map(Number);
  await sleep(100);
  const left = list.filter(alive);
  for (const pid of left) process.kill(pid, 'SIGKILL');
  return left;
}

describe('interruption without a terminal', () => {
  for (const phase of ['render', 'write', 'git', 'install'] as const) {
    for (const sig of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) {
      it(`${sig} while ${phase === 'render' ? 'rendering' : phase === 'write' ? 'writing' : phase === 'git' ? 'committing' : 'installing'}: exit 130 within a second, no process left, nothing left`, { timeout: 120_000 }, async () => {
        const cwd = await tempDir('cmlp-int-');
        const pids = join(await tempDir('cmlp-int-pids-'), 'pids');
        const name = `int-${phase}`;
        const run = watchBin(argsFor(phase, name), { cwd, env: envFor(pids) });
        await phaseStarted(phase, cwd, name, pids, run.output);
        const { code, took } = await signalAndWait(run, sig);
        const out = run.output();
        assert.equal(code, 130, out);
        assert.ok(took < 1500, `ended ${took} ms after ${sig}`);
        assert.deepEqual(await survivors(pids), [], 'every process of the run is gone');
        assert.deepEqual(await readdir(cwd), [], 'nothing this run created is left');
        assert.doesNotMatch(out, /unexpected failure/);
      });
    }
  }
});

describe('a second interrupt', () => {
  for (const phase of ['write', 'install'] as const) {
    it(`two SIGINTs in a row while ${phase === 'write' ? 'writing' : 'installing'}: exit 130 at once, no process left, nothing left`, { timeout: 120_000 }, async () => {
      const cwd = await tempDir('cmlp-int-');
      const pids = join(await tempDir('cmlp-int-pids-'), 'pids');
      const name = `twice-${phase}`;
      const run = watchBin(argsFor(phase, name), { cwd, env: envFor(pids) });
      await phaseStarted(phase, cwd, name, pids, run.output);
      // The second comes before the first's clean-up can finish (the installer ignores SIGTERM
      // for 300 ms): the emergency path kills the groups and removes what the run made, then exits.
      run.child.kill('SIGINT');
      await sleep(30);
      const { code, signal, took } = await signalAndWait(run, 'SIGINT');
      const out = run.output();
      // When the first's clean-up is already done, the second can land while Node is tearing the
      // process down, after it has handed SIGINT back to the system: the process then ends by
      // SIGINT itself, which a shell reports as 130 all the same (128 + 2). Anything else fails.
      assert.ok(code === 130 || (code === null && signal === 'SIGINT'), `exit ${code}, signal ${signal}\n${out}`);
      assert.ok(took < 1500, `ended ${took} ms after the second SIGINT`);
      assert.deepEqual(await survivors(pids), [], 'every process of the run is gone');
      assert.deepEqual(await readdir(cwd), [], 'nothing this run created is left');
    });
  }
});

const skip = tmuxAvailable() ? false : 'tmux is not installed (apt-get install tmux): no pseudo-terminal to drive';

describe('interruption in a terminal', { skip }, () => {
  const cases: { phase: Phase; key: 'C-c' | 'Escape' }[] = [
    { phase: 'render', key: 'C-c' },
    { phase: 'render', key: 'Escape' },
    { phase: 'write', key: 'C-c' },
    { phase: 'write', key: 'Escape' },
    { phase: 'git', key: 'C-c' },
    { phase: 'git', key: 'Escape' },
    { phase: 'install', key: 'C-c' },
    { phase: 'install', key: 'Escape' },
  ];
  for (const { phase, key } of cases) {
    it(`${key} while ${phase}: exit 130 within a second, no process left, nothing left`, { timeout: 120_000 }, async () => {
      const cwd = await tempDir('cmlp-int-tty-');
      const pids = join(await tempDir('cmlp-int-pids-'), 'pids');
      const name = `tty-${phase}`;
      const term = TerminalSession.start(`NO_COLOR=1 PATH=${fakeBin}:"$PATH" CMLP_PIDS=${pids} node ${BIN} ${argsFor(phase, name).join(' ')}`, cwd);
      try {
        await phaseStarted(phase, cwd, name, pids, () => term.screen());
        const sent = Date.now();
        term.send(key);
        const screen = await term.waitFor(/EXIT=\d+/, 10_000);
        const took = Date.now() - sent;
        assert.match(screen, /EXIT=130/, screen);
        assert.ok(took < 1500, `ended ${took} ms after ${key}`);
        assert.deepEqual(await survivors(pids), [], 'every process of the run is gone');
        assert.deepEqual(await readdir(cwd), [], 'nothing this run created is left');
      } finally {
        term.kill();
      }
    });
  }
});
