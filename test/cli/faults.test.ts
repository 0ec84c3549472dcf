// Faults from outside the tool end with a documented exit code and one line naming the path and
// the cause, never exit 1 with a stack trace: a full disk, a file where a folder must go, a
// closed stdout (which ends quietly), a path the system refuses, a malformed template.json or pins.json.

import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, symlinkSync, writeFileSync, cpSync } from 'node:fs';
import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { BIN, cli, ROOT, TEST_COMPILE_CACHE, tempDir } from '../helpers/cli.js';

const canMount = process.getuid?.() === 0 && spawnSync('mount', ['--version']).status === 0;
const noMount = canMount ? false : 'needs root to mount a small tmpfs (mount -t tmpfs -o size=64k)';
const fast = ['--yes', '--no-git', '--no-install'];

function noStack(text: string): void {
  assert.doesNotMatch(text, /^\s+at .+:\d+:\d+\)?$/m, `no stack trace:\n${text}`);
  assert.doesNotMatch(text, /unexpected failure/, text);
}

/** Runs the bin with its stdout closed by the reader before anything is written. */
function closedStdout(args: readonly string[], cwd: string): Promise<{ code: number | null; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [BIN, ...args], { cwd, env: { ...process.env, NO_COLOR: '1', NODE_COMPILE_CACHE: TEST_COMPILE_CACHE }, stdio: ['ignore', 'pipe', 'pipe'] });
    child.stdout.destroy();
    let stderr = '';
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('close', (code) => resolve({ code, stderr }));
  });
}

describe('faults', () => {
  it('a full disk: exit 3, one line naming the path and "no space left", nothing left', { skip: noMount }, async () => {
    const cwd = await tempDir('cmlp-full-');
    const disk = join(cwd, 'small');
    mkdirSync(disk);
    assert.equal(spawnSync('mount', ['-t', 'tmpfs', '-o', 'size=64k', 'tmpfs', disk]).status, 0);
    try {
      const r = cli(['proj', ...fast], { cwd: disk });
      assert.equal(r.code, 3, r.stdout + r.stderr);
      assert.match(r.stderr, /proj.*no space left on the device/);
      noStack(r.stderr);
      assert.deepEqual(await readdir(disk), []);
    } finally {
      spawnSync('umount', ['-l', disk]);
    }
  });

  it('a file where a folder must go (--force): exit 3 naming the path, the user files untouched', async () => {
    const cwd = await tempDir('cmlp-file-');
    mkdirSync(join(cwd, 'proj'));
    writeFileSync(join(cwd, 'proj/data'), 'a file, not a folder\n');
    const r = cli(['proj', ...fast, '--force'], { cwd });
    assert.equal(r.code, 3, r.stdout + r.stderr);
    assert.match(r.stderr, /proj\/data.*(is a file|not a folder)/);
    noStack(r.stderr);
    assert.deepEqual(await readdir(join(cwd, 'proj')), ['data']);
  });

  it('a path the system refuses (a link loop, a name too long): exit 3, one line naming the path, nothing left', async () => {
    const cwd = await tempDir('cmlp-path-');
    symlinkSync('loop', join(cwd, 'loop'));
    const loop = cli(['loop/proj', ...fast], { cwd });
    assert.equal(loop.code, 3, loop.stdout + loop.stderr);
    assert.match(loop.stderr, /^error: \S*loop\/proj cannot be a project folder: too many symbolic links/m);
    noStack(loop.stderr);
    // A missing parent is made before the folder whose name is too long fails: it goes too.
    const long = cli([`new/${'a'.repeat(300)}/proj`, ...fast], { cwd });
    assert.equal(long.code, 3, long.stdout + long.stderr);
    assert.match(long.stderr, /^error: cannot create \S+\/proj: a name in that path is too long/m);
    noStack(long.stderr);
    assert.deepEqual(await readdir(cwd), ['loop']);
  });

  it('a current folder that was deleted: one line and the documented code (3 to create, 2 for a command), no stack', async () => {
    const cwd = await tempDir('cmlp-gone-');
    for (const [args, code] of [[['proj', ...fast], 3], [['doctor'], 2]] as const) {
      // The shell stands in the folder while it is removed, as after `rm -rf` of the project one is in.
      const r = spawnSync('sh', ['-c', 'mkdir gone && cd gone && rmdir "$PWD" && exec "$0" "$@"', process.execPath, BIN, ...args], { cwd, encoding: 'utf8', env: { ...process.env, NO_COLOR: '1' } });
      assert.equal(r.status, code, r.stderr);
      assert.match(r.stderr, /^error: the current folder no longer exists \(deleted or moved\): cd to one that exists, then run again$/m);
      noStack(r.stderr);
    }
  });

  it('--dry-run with stdout closed early ends quietly with exit 0', async () => {
    const cwd = await tempDir('cmlp-pipe-');
    const r = await closedStdout(['proj', '--yes', '--dry-run'], cwd);
    assert.equal(r.code, 0, r.stderr);
    assert.equal(r.stderr, '');
  });

  it('a run with stdout closed early still makes the whole project, git repository included', async () => {
    const cwd = await tempDir('cmlp-pipe-');
    const r = await closedStdout(['proj', '--yes', '--no-install'], cwd);
    assert.equal(r.code, 0, r.stderr);
    noStack(r.stderr);
    assert.ok(existsSync(join(cwd, 'proj/.git/HEAD')), 'the git repository is there');
  });

  for (const [file, text] of [
    ['template.json', '{ "name": "broken", '],
    ['template.json', '{ "name": "x", "version": "1", "files": [ { "path": 3 } ] }'],
    ['pins.json', '[1, 2'],
  ] as const) {
    it(`a malformed ${file} in a template: exit 4, one line naming the file`, async () => {
      const cwd = await tempDir('cmlp-badtpl-');
      const tpl = join(cwd, 'tpl');
      cpSync(join(ROOT, 'test/fixtures/mini-template'), tpl, { recursive: true });
      writeFileSync(join(tpl, file), text);
      const r = cli(['proj', ...fast, '--trust', '--template', tpl], { cwd });
      assert.equal(r.code, 4, r.stdout + r.stderr);
      assert.match(r.stderr, new RegExp(file.replace('.', '\\.')));
      noStack(r.stderr);
      assert.deepEqual((await readdir(cwd)).sort(), ['tpl']);
    });
  }
});
