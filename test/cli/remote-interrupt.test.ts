// A slow download (a loopback server trickling the archive a few bytes at a time) interrupted by
// SIGINT or SIGTERM, without a terminal and in one (tmux): the run ends within about a second
// with exit 130, leaves no project and no temporary folder, and the good copy already in the
// download cache for that very source is untouched.

import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { readdir, readFile } from 'node:fs/promises';
import type { ServerResponse } from 'node:http';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { after, before, describe, it } from 'node:test';
import { BIN, cliAsync, TEST_COMPILE_CACHE } from '../helpers/cli.js';
import { downloadsDir, fixtureArchive, sandbox, serve, type Route, type Sandbox, type TestServer } from '../helpers/remote.js';
import { TerminalSession, tmuxAvailable } from '../helpers/tmux.js';
import { signalAndWait, watchBin } from '../helpers/watched.js';

const FLAGS = ['--yes', '--no-install', '--no-git', '--trust'];

describe('interrupting a slow download', () => {
  const routes = new Map<string, Route>();
  let server: TestServer;
  let good: Buffer;
  /** Bytes of the slow body sent so far, per path. */
  const trickled = new Map<string, number>();

  before(async () => {
    server = await serve(routes);
    good = await fixtureArchive();
  });
  after(() => server.close());

  /** A box whose cache already holds a good copy of `path`, which from now on trickles. */
  async function slowSource(path: string): Promise<{ box: Sandbox; source: string; entry: string; cached: Buffer }> {
    const box = await sandbox();
    const source = `${server.base}${path}`;
    routes.set(path, good);
    const first = await cliAsync(['first', ...FLAGS, '--template', source], box.cwd, box.env);
    assert.equal(first.code, 0, first.stdout + first.stderr);
    const entry = join(downloadsDir(box), `${createHash('sha256').update(source).digest('hex')}.tar.gz`);
    const cached = await readFile(entry);
    routes.set(path, (_req, res: ServerResponse) => {
      res.writeHead(200, { 'content-type': 'application/gzip', 'content-length': good.length });
      void (async () => {
        for (let at = 0; at < good.length && !res.destroyed; at += 4) {
          res.write(good.subarray(at, at + 4));
          trickled.set(path, at + 4);
          await sleep(50);
        }
      })();
    });
    return { box, source, entry, cached };
  }

  async function downloading(path: string): Promise<void> {
    const end = Date.now() + 30_000;
    while ((trickled.get(path) ?? 0) < 16) {
      if (Date.now() > end) throw new Error(`the download of ${path} never started`);
      await sleep(20);
    }
  }

  /** Nothing of the interrupted run is left, and the cached copy is byte for byte what it was. */
  async function untouched(box: Sandbox, entry: string, cached: Buffer): Promise<void> {
    assert.deepEqual(await readdir(box.cwd), ['first'], 'no project of the interrupted run');
    assert.deepEqual(await readdir(box.tmp), [], 'no temporary folder');
    assert.deepEqual(await readFile(entry), cached, 'the cached copy is untouched');
    assert.deepEqual(await readdir(downloadsDir(box)), [entry.slice(downloadsDir(box).length + 1)], 'nothing beside it');
  }

  for (const sig of ['SIGINT', 'SIGTERM'] as const) {
    it(`${sig} without a terminal: exit 130 within a second`, { timeout: 60_000 }, async () => {
      const path = `/slow-${sig}.tar.gz`;
      const { box, source, entry, cached } = await slowSource(path);
      const run = watchBin(['second', ...FLAGS, '--template', source], {
        cwd: box.cwd,
        env: { ...process.env, NO_COLOR: '1', NODE_COMPILE_CACHE: TEST_COMPILE_CACHE, ...box.env },
      });
      await downloading(path);
      const { code, took } = await signalAndWait(run, sig);
      const out = run.output();
      assert.equal(code, 130, out);
      assert.ok(took < 1500, `ended ${took} ms after ${sig}`);
      assert.doesNotMatch(out, /unexpected failure/);
      await untouched(box, entry, cached);
    });
  }

  const skip = tmuxAvailable() ? false : 'tmux is not installed (apt-get install tmux): no pseudo-terminal to drive';
  for (const how of ['C-c', 'SIGTERM'] as const) {
    it(`${how} in a terminal: exit 130 within a second`, { skip, timeout: 60_000 }, async () => {
      const path = `/slow-tty-${how}.tar.gz`;
      const { box, source, entry, cached } = await slowSource(path);
      const env = Object.entries({ NO_COLOR: '1', NODE_COMPILE_CACHE: TEST_COMPILE_CACHE, ...box.env }).map(([k, v]) => `${k}='${v}'`);
      // The shell prints its pid, then becomes the bin (exec): the pid SIGTERM goes to.
      const term = TerminalSession.start(`env ${env.join(' ')} sh -c 'echo PID=$$; exec "$@"' sh node ${BIN} second ${FLAGS.join(' ')} --template ${source}`, box.cwd);
      try {
        const pid = Number(/PID=(\d+)/.exec(await term.waitFor(/PID=\d+/))?.[1]);
        await downloading(path);
        const sent = Date.now();
        if (how === 'C-c') term.send('C-c');
        else process.kill(pid, 'SIGTERM');
        const screen = await term.waitFor(/EXIT=\d+/, 10_000);
        const took = Date.now() - sent;
        assert.match(screen, /EXIT=130/, screen);
        assert.ok(took < 1500, `ended ${took} ms after ${how}`);
        await untouched(box, entry, cached);
      } finally {
        term.kill();
      }
    });
  }
});
