// Placing the project: across file systems (a target that is the root of a mounted volume, a
// folder linked to another disk), exclusively (two runs into one new folder: one wins, the other
// refuses with exit 3, never a mix), the answers file last, and leftovers of a killed run removed
// by the next run (only staging folders this tool marked as its own).

import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { describe, it } from 'node:test';
import { BIN, cli, cliAsync, TEST_COMPILE_CACHE, tempDir } from '../helpers/cli.js';

const root = process.getuid?.() === 0;
const canMount = root && spawnSync('mount', ['--version']).status === 0;
const noMount = canMount ? false : 'needs root to mount a tmpfs (mount -t tmpfs): run the suite as root to test placement across file systems';

async function withTmpfs<T>(dir: string, use: () => Promise<T>): Promise<T> {
  mkdirSync(dir, { recursive: true });
  const m = spawnSync('mount', ['-t', 'tmpfs', '-o', 'size=64m', 'tmpfs', dir], { encoding: 'utf8' });
  assert.equal(m.status, 0, m.stderr);
  try {
    return await use();
  } finally {
    spawnSync('umount', ['-l', dir]);
  }
}

const fast = ['--yes', '--no-git', '--no-install'];

describe('placement across file systems', { skip: noMount }, () => {
  it('a target that is the root of another file system (a mounted volume) gets the project', async () => {
    const cwd = await tempDir('cmlp-place-');
    const target = join(cwd, 'volume');
    await withTmpfs(target, async () => {
      const r = cli(['volume', ...fast], { cwd });
      assert.equal(r.code, 0, r.stdout + r.stderr);
      assert.ok(existsSync(join(target, 'pyproject.toml')));
      assert.ok(existsSync(join(target, '.create-ml-project.json')));
      assert.deepEqual((await readdir(cwd)).filter((e) => e.startsWith('.')), [], 'no staging left beside it');
    });
  });

  it('--force with a folder of the target linked to another file system writes through the link', async () => {
    const cwd = await tempDir('cmlp-place-');
    const disk = join(await tempDir('cmlp-disk-'), 'big');
    await withTmpfs(disk, async () => {
      const target = join(cwd, 'linked');
      mkdirSync(target);
      symlinkSync(disk, join(target, 'data'));
      const r = cli(['linked', ...fast, '--force'], { cwd });
      assert.equal(r.code, 0, r.stdout + r.stderr);
      assert.ok(existsSync(join(target, 'pyproject.toml')));
      assert.ok((await readdir(disk)).length > 0, 'the template files under data/ went to the linked disk');
    });
  });
});

describe('exclusive placement', () => {
  it('two runs into the same new folder: one writes it, the other refuses with exit 3 (never a mix)', { timeout: 180_000 }, async () => {
    for (let round = 0; round < 4; round++) {
      const cwd = await tempDir('cmlp-race-');
      const [a, b] = await Promise.all([
        cliAsync(['same', ...fast, '--cloud', 'aws'], cwd, {}),
        cliAsync(['same', ...fast, '--cloud', 'gcp'], cwd, {}),
      ]);
      const codes = [a.code, b.code].sort();
      assert.deepEqual(codes, [0, 3], `round ${round}:\n${a.stdout}${a.stderr}\n${b.stdout}${b.stderr}`);
      const winner = a.code === 0 ? 'aws' : 'gcp';
      const answers = JSON.parse(readFileSync(join(cwd, 'same/.create-ml-project.json'), 'utf8')) as { answers: { cloud: string } };
      assert.equal(answers.answers.cloud, winner);
      const deploy = existsSync(join(cwd, 'same/deploy')) ? await readdir(join(cwd, 'same/deploy'), { recursive: true }) : [];
      const other = winner === 'aws' ? /gcp|google/i : /aws|amazon/i;
      assert.deepEqual(deploy.filter((f) => other.test(String(f))), [], 'nothing of the other run');
      assert.deepEqual((await readdir(cwd)).sort(), ['same'], 'no staging or lock left');
    }
  });
});

describe('order and leftovers', () => {
  it('with --force the answers file is the last file moved into place', { skip: spawnSync('strace', ['-V']).status === 0 ? false : 'strace is not installed' }, async () => {
    const cwd = await tempDir('cmlp-order-');
    mkdirSync(join(cwd, 'forced'));
    writeFileSync(join(cwd, 'forced/notes.txt'), 'mine\n');
    const log = join(await tempDir('cmlp-order-log-'), 'strace.log');
    const r = spawnSync('strace', ['-f', '-qq', '-e', 'trace=rename,renameat,renameat2', '-o', log, process.execPath, BIN, 'forced', ...fast, '--force'], {
      cwd,
      env: { ...process.env, NO_COLOR: '1', NODE_COMPILE_CACHE: TEST_COMPILE_CACHE },
      encoding: 'utf8',
    });
    assert.equal(r.status, 0, r.stderr);
    const moves = readFileSync(log, 'utf8').split('\n').filter((l) => /rename/.test(l) && /forced\//.test(l) && !/= -1/.test(l));
    assert.ok(moves.length > 10, moves.join('\n'));
    assert.match(moves.at(-1) ?? '', /forced\/\.create-ml-project\.json"/, 'the answers file goes last');
  });

  it('a run killed while writing leaves a marked staging folder; the next run removes it, and only it', { timeout: 120_000 }, async () => {
    const cwd = await tempDir('cmlp-killed-');
    // A slow write: a template with thousands of files.
    const tpl = join(await tempDir('cmlp-killed-tpl-'), 'tpl');
    mkdirSync(tpl);
    writeFileSync(join(tpl, 'template.json'), JSON.stringify({ name: 'many', version: '1.0.0', files: [] }));
    const body = Buffer.alloc(16 * 1024, 'x');
    for (let d = 0; d < 40; d++) {
      mkdirSync(join(tpl, `d${d}`));
      for (let i = 0; i < 400; i++) writeFileSync(join(tpl, `d${d}`, `f${i}.txt`), body);
    }
    // Not ours: a folder the user named like a staging folder.
    mkdirSync(join(cwd, '.proj.staging-mine'));
    const child = spawn(process.execPath, [BIN, 'proj', ...fast, '--trust', '--template', tpl], {
      cwd,
      env: { ...process.env, NO_COLOR: '1', NODE_COMPILE_CACHE: TEST_COMPILE_CACHE },
      stdio: 'ignore',
    });
    const exited = new Promise((resolve) => child.on('exit', resolve));
    const end = Date.now() + 60_000;
    while (!(await readdir(cwd)).some((e) => e.startsWith('.proj.staging-') && e !== '.proj.staging-mine')) {
      assert.ok(Date.now() < end, 'the run never started writing');
      await sleep(10);
    }
    await sleep(100);
    child.kill('SIGKILL');
    await exited;
    const left = (await readdir(cwd)).filter((e) => e.startsWith('.proj.'));
    assert.ok(left.length >= 2, `a killed run leaves its staging: ${left}`);

    const r = cli(['proj', ...fast], { cwd });
    assert.equal(r.code, 0, r.stdout + r.stderr);
    assert.deepEqual((await readdir(cwd)).sort(), ['.proj.staging-mine', 'proj'], 'the leftover is gone, the user folder stays');
  });
});

describe('exclusive placement, in one process', () => {
  it('two placements into one new folder at once: one places, the other refuses with exit 3', async () => {
    const { placeProject } = await import('../../src/write/place.js');
    const { Rollback } = await import('../../src/write/rollback.js');
    const { CliError } = await import('../../src/errors.js');
    const cwd = await tempDir('cmlp-lock-');
    const target = join(cwd, 'one');
    const file = (cloud: string) => [
      { path: 'deploy.txt', mode: 0o644, content: Buffer.from(cloud) },
      { path: '.create-ml-project.json', mode: 0o644, content: Buffer.from(`{"cloud":"${cloud}"}`) },
    ];
    const [a, b] = await Promise.allSettled([placeProject(target, file('aws'), new Rollback()), placeProject(target, file('gcp'), new Rollback())]);
    const outcomes = [a.status, b.status].sort();
    assert.deepEqual(outcomes, ['fulfilled', 'rejected']);
    const refused = (a.status === 'rejected' ? a.reason : (b as PromiseRejectedResult).reason) as InstanceType<typeof CliError>;
    assert.ok(refused instanceof CliError, String(refused));
    assert.equal(refused.exitCode, 3);
    const winner = a.status === 'fulfilled' ? 'aws' : 'gcp';
    assert.equal(readFileSync(join(target, 'deploy.txt'), 'utf8'), winner);
    assert.equal(readFileSync(join(target, '.create-ml-project.json'), 'utf8'), `{"cloud":"${winner}"}`);
  });
});
