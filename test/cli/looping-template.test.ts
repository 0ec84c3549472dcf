// A template whose code never returns (`<% while (true) {} %>`) must not hold the run hostage. Any
// template but the bundled one renders in a worker thread (src/template/render-isolated.ts):
// Ctrl+C, SIGINT or SIGTERM while its code loops ends the run within about a second with exit 130,
// with or without a terminal, for a local and a downloaded template, for create and update. Left
// alone, the time limit (RENDER_LIMIT_SECONDS per file) ends it with one line and exit 4. Either
// way nothing of the run is left.

import assert from 'node:assert/strict';
import { spawnSync, type ChildProcess } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { readdir } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { after, before, describe, it } from 'node:test';
import { RENDER_LIMIT_SECONDS } from '../../src/template/render-isolated.js';
import { BIN, cli, TEST_COMPILE_CACHE, tempDir } from '../helpers/cli.js';
import { TerminalSession, tmuxAvailable } from '../helpers/tmux.js';
import { watchBin } from '../helpers/watched.js';

const LOOP = '<% while (true) {} %>never\n';
const FLAGS = ['--trust', '--yes', '--no-install', '--no-git'];

/** A template folder (`name/` below a fresh folder) whose loop.txt.ejs never ends rendering. */
async function loopingTemplate(): Promise<string> {
  const dir = join(await tempDir('cmlp-loop-'), 'template');
  mkdirSync(dir);
  writeFileSync(join(dir, 'template.json'), JSON.stringify({ name: 'loop', version: '1.0.0', files: [] }));
  writeFileSync(join(dir, 'a.txt'), 'fine\n');
  writeFileSync(join(dir, 'loop.txt.ejs'), LOOP);
  return dir;
}

// A run that is not stopped would spin forever: whatever is still running at the end is killed.
const children = new Set<ChildProcess>();
const sessions = new Set<TerminalSession>();
let server: Server | undefined;
let base = '';

before(async () => {
  // The looping template as a download: a tarball on a loopback HTTP server, as giget fetches one.
  const tpl = await loopingTemplate();
  const archive = join(tpl, '..', 'loop.tar.gz');
  assert.equal(spawnSync('tar', ['-czf', archive, '-C', join(tpl, '..'), 'template']).status, 0);
  const body = readFileSync(archive);
  server = createServer((req, res) => {
    if (req.url !== '/loop.tar.gz') return void res.writeHead(404).end();
    res.writeHead(200, { 'content-type': 'application/gzip', 'content-length': body.length }).end(body);
  });
  await new Promise<void>((ok) => server?.listen(0, '127.0.0.1', ok));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

after(async () => {
  for (const child of children) child.kill('SIGKILL');
  for (const session of sessions) session.kill();
  await new Promise<void>((ok) => (server ? server.close(() => ok()) : ok()));
});

interface Outcome {
  code: number | null;
  out: string;
  /** ms from the signal to the exit (0 when none was sent). */
  afterSignal: number;
}

/** Runs the bin without a terminal; sends `sig` once the run has been in the loop for a moment. */
async function run(args: readonly string[], cwd: string, env: NodeJS.ProcessEnv, sig?: NodeJS.Signals): Promise<Outcome> {
  const run = watchBin(args, { cwd, env: { ...process.env, NO_COLOR: '1', NODE_COMPILE_CACHE: TEST_COMPILE_CACHE, ...env } });
  children.add(run.child);
  let sent = 0;
  if (sig) {
    await inTheLoop(run.output, args[0] !== 'update');
    sent = Date.now();
    run.child.kill(sig);
  }
  const code = await run.exited;
  children.delete(run.child);
  return { code, out: run.output(), afterSignal: sent ? Date.now() - sent : 0 };
}

/**
 * The run has shown that it renders, and had a second inside the template's loop. (update prints
 * nothing until it is done: it gets three seconds, ample for reading a project of two files.)
 */
async function inTheLoop(output: () => string, shows = true): Promise<void> {
  if (!shows) return void (await sleep(3000));
  const end = Date.now() + 60_000;
  while (!/Writing the project/.test(output())) {
    if (Date.now() > end) throw new Error(`the render never started:\n${output()}`);
    await sleep(20);
  }
  await sleep(1000);
}

async function offlineSandbox(): Promise<{ cwd: string; env: NodeJS.ProcessEnv }> {
  const root = await tempDir('cmlp-loop-run-');
  const cwd = join(root, 'work');
  for (const dir of ['work', 'cache', 'tmp']) mkdirSync(join(root, dir));
  return { cwd, env: { XDG_CACHE_HOME: join(root, 'cache'), TMPDIR: join(root, 'tmp'), HTTPS_PROXY: '', HTTP_PROXY: '', https_proxy: '', http_proxy: '' } };
}

describe('a template whose code never returns', () => {
  for (const sig of ['SIGINT', 'SIGTERM'] as const) {
    it(`${sig} inside the loop, without a terminal: exit 130 within a second, nothing left`, { timeout: 60_000 }, async () => {
      const cwd = await tempDir('cmlp-loop-run-');
      const r = await run(['demo', '--template', await loopingTemplate(), ...FLAGS], cwd, {}, sig);
      assert.equal(r.code, 130, r.out);
      assert.ok(r.afterSignal < 1500, `ended ${r.afterSignal} ms after ${sig}`);
      assert.deepEqual(await readdir(cwd), [], 'nothing of the run is left');
      assert.doesNotMatch(r.out, /unexpected failure|\n\s+at /);
    });
  }

  it('SIGINT inside the loop of a downloaded template: exit 130 within a second, nothing left (the download folder included)', { timeout: 60_000 }, async () => {
    const box = await offlineSandbox();
    const r = await run(['demo', '--template', `${base}/loop.tar.gz`, ...FLAGS], box.cwd, box.env, 'SIGINT');
    assert.equal(r.code, 130, r.out);
    assert.ok(r.afterSignal < 1500, `ended ${r.afterSignal} ms after SIGINT`);
    assert.deepEqual(await readdir(box.cwd), []);
    assert.deepEqual(await readdir(String(box.env.TMPDIR)), [], 'the unpacked template is removed');
  });

  it('SIGINT while update renders a looping template: exit 130 within a second, the project untouched', { timeout: 60_000 }, async () => {
    const cwd = await tempDir('cmlp-loop-run-');
    const tpl = join(cwd, 'tpl');
    mkdirSync(tpl);
    writeFileSync(join(tpl, 'template.json'), JSON.stringify({ name: 'loop', version: '1.0.0', files: [] }));
    writeFileSync(join(tpl, 'a.txt'), 'fine\n');
    const made = cli(['demo', '--template', 'tpl', ...FLAGS], { cwd });
    assert.equal(made.code, 0, made.stdout + made.stderr);
    const before = readFileSync(join(cwd, 'demo/.create-ml-project.json'));
    // The next version of the template loops: update renders it.
    const next = join(cwd, 'tpl-next');
    mkdirSync(next);
    writeFileSync(join(next, 'template.json'), JSON.stringify({ name: 'loop', version: '2.0.0', files: [] }));
    writeFileSync(join(next, 'loop.txt.ejs'), LOOP);
    const r = await run(['update', 'demo', '--trust', '--template', 'tpl-next'], cwd, {}, 'SIGINT');
    assert.equal(r.code, 130, r.out);
    assert.ok(r.afterSignal < 1500, `ended ${r.afterSignal} ms after SIGINT`);
    assert.deepEqual((await readdir(join(cwd, 'demo'))).sort(), ['.create-ml-project.json', 'a.txt']);
    assert.deepEqual(readFileSync(join(cwd, 'demo/.create-ml-project.json')), before);
  });

  it(`is stopped after ${RENDER_LIMIT_SECONDS} s with one line naming the file (exit 4)`, { timeout: (RENDER_LIMIT_SECONDS + 30) * 1000 }, async () => {
    const cwd = await tempDir('cmlp-loop-run-');
    const r = await run(['demo', '--template', await loopingTemplate(), ...FLAGS], cwd, {});
    assert.equal(r.code, 4, r.out);
    assert.match(r.out, new RegExp(`loop\\.txt\\.ejs did not finish rendering within ${RENDER_LIMIT_SECONDS} s`));
    assert.doesNotMatch(r.out, /\n\s+at /, 'no stack trace');
    assert.deepEqual(await readdir(cwd), []);
  });

  it('code that ends its own thread (process.exit) is a broken template: exit 4, one line', { timeout: 60_000 }, async () => {
    const cwd = await tempDir('cmlp-loop-run-');
    const tpl = await loopingTemplate();
    writeFileSync(join(tpl, 'loop.txt.ejs'), '<% process.exit(7) %>never\n');
    const r = await run(['demo', '--template', tpl, ...FLAGS], cwd, {});
    assert.equal(r.code, 4, r.out);
    assert.match(r.out, /loop\.txt\.ejs ended the render \(exit code 7\)/);
    assert.deepEqual(await readdir(cwd), []);
  });
});

const noTmux = tmuxAvailable() ? false : 'tmux is not installed (apt-get install tmux): no pseudo-terminal to drive';

describe('a template whose code never returns, in a terminal', { skip: noTmux }, () => {
  it('Ctrl+C inside the loop: exit 130 within a second, nothing left', { timeout: 60_000 }, async () => {
    const cwd = await tempDir('cmlp-loop-tty-');
    const tpl = await loopingTemplate();
    const term = TerminalSession.start(`NO_COLOR=1 node ${BIN} demo --template ${tpl} ${FLAGS.join(' ')}`, cwd);
    sessions.add(term);
    try {
      await inTheLoop(() => term.screen());
      const sent = Date.now();
      term.send('C-c');
      const screen = await term.waitFor(/EXIT=\d+/, 10_000);
      const took = Date.now() - sent;
      assert.match(screen, /EXIT=130/, screen);
      assert.ok(took < 1500, `ended ${took} ms after Ctrl+C`);
      assert.deepEqual(await readdir(cwd), []);
    } finally {
      term.kill();
      sessions.delete(term);
    }
  });
});
