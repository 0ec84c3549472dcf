// Faults the kernel reports, injected into the real system calls of a real run with strace
// (`-e inject=SYSCALL:error=ERRNO`, root only): an input/output error (EIO) while writing a project
// file, the answers file and git's repository; a folder that cannot be renamed into place (EXDEV);
// a reader that closed stdout (EPIPE) during --dry-run and a normal run. Each ends as documented:
// exit 3 with one line naming the file and nothing left, or the project finished and a quiet end.
// (faults.test.ts has the faults a real file system makes: a full disk, a file in the way.)

import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { ANSWERS_FILE } from '../../src/answers-file.js';
import { BIN, tempDir } from '../helpers/cli.js';

const canInject = process.getuid?.() === 0 && spawnSync('strace', ['-V']).status === 0;
const skip = canInject ? false : 'needs root and strace (.ci/tools.d/15-fault-tools.sh installs it) to inject faults into system calls';
const fast = ['--yes', '--no-install', '--no-git'];

// The same environment for every run, so two runs make the same system calls: no compile cache
// (its first run writes files), no colours, git without the machine's configuration.
function envFor(home: string): NodeJS.ProcessEnv {
  return { ...process.env, NO_COLOR: '1', NODE_DISABLE_COMPILE_CACHE: '1', CI: 'true', HOME: home, GIT_CONFIG_NOSYSTEM: '1', XDG_CONFIG_HOME: home };
}

interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** The bin under strace: `straceArgs` say what to trace and inject; the trace goes to `log` (or nowhere). */
function traced(straceArgs: readonly string[], args: readonly string[], cwd: string, log = '/dev/null'): Run {
  const r = spawnSync('strace', ['-f', '-qq', '-o', log, ...straceArgs, process.execPath, BIN, ...args], { cwd, env: envFor(cwd), encoding: 'utf8', timeout: 120_000 });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

function noStack(text: string): void {
  assert.doesNotMatch(text, /^\s+at .+:\d+:\d+\)?$/m, `no stack trace:\n${text}`);
  assert.doesNotMatch(text, /unexpected failure/, text);
}

/**
 * Which write(2) of the run's main thread first writes `file` (a path ending) in the staging
 * folder: counted in a traced run without faults, so the next run can fail exactly that call
 * (strace counts `when=` per thread).
 */
async function nthWriteTo(file: string, args: readonly string[], setup: (cwd: string) => void): Promise<number> {
  const cwd = await tempDir('cmlp-count-');
  setup(cwd);
  const log = join(await tempDir('cmlp-count-log-'), 'trace');
  const r = traced(['-y', '-e', 'trace=write'], args, cwd, log);
  assert.equal(r.code, 0, r.stderr);
  const lines = readFileSync(log, 'utf8').split('\n').filter(Boolean);
  const main = lines[0]?.split(' ')[0];
  const ours = lines.filter((l) => l.split(' ')[0] === main);
  const at = ours.findIndex((l) => new RegExp(`^\\d+\\s+write\\(\\d+<[^>]*\\.staging-[^>]*/${file.replace(/\./g, '\\.')}>`).test(l));
  assert.ok(at >= 0, `no write to ${file} in the trace:\n${ours.slice(0, 40).join('\n')}`);
  return at + 1;
}

/**
 * A run in a fresh folder whose first write(2) to `file` fails with EIO. The main thread's count
 * of writes before `file` can differ by one or two between runs (the event loop's wake-ups are
 * writes too, and how many come first depends on when V8 posts its tasks), so each run's trace says
 * which write failed. The project's files are written in code-point order of their paths: a file
 * after `file` means this run reached `file` sooner, and the next run fails one write earlier; a
 * file before it, one write later (up to eight runs).
 */
async function eioWriting(file: string, args: readonly string[], setup: (cwd: string) => void): Promise<{ cwd: string; r: Run }> {
  const hits: string[] = [];
  let n = await nthWriteTo(file, args, setup);
  for (let attempt = 0; attempt < 8; attempt++) {
    const cwd = await tempDir('cmlp-eio-');
    setup(cwd);
    const log = join(await tempDir('cmlp-eio-log-'), 'trace');
    const r = traced(['-y', '-e', 'trace=write', '-e', `inject=write:error=EIO:when=${n}`], args, cwd, log);
    const hit = /write\(\d+<([^>]*)>.*= -1 EIO .*\(INJECTED\)/.exec(readFileSync(log, 'utf8'))?.[1] ?? '(none)';
    const staged = /\.staging-[^/]*\/(.+)$/.exec(hit)?.[1];
    if (staged === file) return { cwd, r };
    hits.push(`${n}: ${hit}`);
    // Not a project file (a wake-up, the progress line): no direction to go, try the same write again.
    if (staged !== undefined) n += staged > file ? -1 : 1;
  }
  throw new Error(`the injected EIO never hit ${file}: ${hits.join(', ')}`);
}

describe('injected faults', { skip }, () => {
  for (const file of ['pyproject.toml', ANSWERS_FILE]) {
    it(`EIO writing ${file}: exit 3, one line naming it and the cause, nothing left`, { timeout: 300_000 }, async () => {
      const { cwd, r } = await eioWriting(file, ['proj', ...fast], () => {});
      assert.equal(r.code, 3, r.stdout + r.stderr);
      assert.equal(r.stderr.split('\n').filter((l) => l.startsWith('error:')).length, 1, r.stderr);
      assert.ok(r.stderr.includes(`cannot write ${join(cwd, 'proj', file)}: an input/output error`), r.stderr);
      noStack(r.stderr);
      assert.deepEqual(await readdir(cwd), [], 'nothing this run created is left');
    });
  }

  it('EIO writing the answers file with --force: the user files untouched, none of ours left', { timeout: 300_000 }, async () => {
    const args = ['proj', ...fast, '--force'];
    const mine = (cwd: string) => {
      mkdirSync(join(cwd, 'proj'));
      writeFileSync(join(cwd, 'proj/notes.txt'), 'mine\n');
    };
    const { cwd, r } = await eioWriting(ANSWERS_FILE, args, mine);
    assert.equal(r.code, 3, r.stdout + r.stderr);
    assert.ok(r.stderr.includes(`cannot write ${join(cwd, 'proj', ANSWERS_FILE)}: an input/output error`), r.stderr);
    noStack(r.stderr);
    assert.deepEqual(await readdir(cwd), ['proj']);
    assert.deepEqual(await readdir(join(cwd, 'proj')), ['notes.txt']);
    assert.equal(readFileSync(join(cwd, 'proj/notes.txt'), 'utf8'), 'mine\n');
  });

  it('EIO moving the answers file into place (--force: the last move): every file moved before it is removed again, the user files untouched', { timeout: 300_000 }, async () => {
    const args = ['proj', ...fast, '--force'];
    const mine = (cwd: string) => {
      mkdirSync(join(cwd, 'proj'));
      writeFileSync(join(cwd, 'proj/notes.txt'), 'mine\n');
    };
    // Renames are counted exactly (no event-loop wake-ups among them): the lock's, then one per file.
    const countCwd = await tempDir('cmlp-count-');
    mine(countCwd);
    const countLog = join(await tempDir('cmlp-count-log-'), 'trace');
    assert.equal(traced(['-e', 'trace=rename,renameat,renameat2'], args, countCwd, countLog).code, 0);
    const renames = readFileSync(countLog, 'utf8').split('\n').filter((l) => /^\d+\s+rename/.test(l));
    const n = renames.findIndex((l) => l.includes(`/proj/${ANSWERS_FILE}"`)) + 1;
    assert.ok(n > 10, renames.join('\n'));
    const cwd = await tempDir('cmlp-eio-move-');
    mine(cwd);
    const log = join(await tempDir('cmlp-eio-log-'), 'trace');
    const r = traced(['-e', 'trace=rename,renameat,renameat2', '-e', `inject=rename,renameat,renameat2:error=EIO:when=${n}`], args, cwd, log);
    assert.match(readFileSync(log, 'utf8'), new RegExp(`/proj/${ANSWERS_FILE.replace('.', '\\.')}"\\) = -1 EIO .*\\(INJECTED\\)`), 'the fault hit the answers file');
    assert.equal(r.code, 3, r.stdout + r.stderr);
    assert.ok(r.stderr.includes(`cannot write ${join(cwd, 'proj', ANSWERS_FILE)}: an input/output error`), r.stderr);
    noStack(r.stderr);
    assert.deepEqual(await readdir(join(cwd, 'proj')), ['notes.txt'], 'the files moved before the fault are gone');
    assert.equal(readFileSync(join(cwd, 'proj/notes.txt'), 'utf8'), 'mine\n');
    assert.deepEqual(await readdir(cwd), ['proj'], 'no staging or lock left');
  });

  it("EIO in git's first commit: the project is kept whole without a half-made repository, a warning says how to finish", { timeout: 300_000 }, async () => {
    const cwd = await tempDir('cmlp-eio-git-');
    // Every write to the ref the first commit creates fails (git writes it through a lock file).
    const ref = join(cwd, 'proj/.git/refs/heads/main.lock');
    const r = traced(['-P', ref, '-e', 'trace=write', '-e', 'inject=write:error=EIO'], ['proj', '--yes', '--no-install'], cwd);
    assert.equal(r.code, 0, r.stdout + r.stderr);
    noStack(r.stdout + r.stderr);
    assert.match(r.stdout + r.stderr, /git commit failed \(.*\): the project has no repository; once that is fixed, run: git init && git add --all && git commit/);
    assert.ok(existsSync(join(cwd, 'proj', ANSWERS_FILE)) && existsSync(join(cwd, 'proj/pyproject.toml')), 'the project is complete');
    assert.equal(existsSync(join(cwd, 'proj/.git')), false, 'no repository without its first commit');
    assert.deepEqual(await readdir(cwd), ['proj']);
  });

  it('EXDEV renaming the staging folder into place: the project is moved file by file and is complete', { timeout: 120_000 }, async () => {
    const cwd = await tempDir('cmlp-exdev-');
    const log = join(await tempDir('cmlp-exdev-log-'), 'trace');
    // The run's first rename is the staging folder's into place (the lock is a file made in place).
    const r = traced(['-e', 'trace=rename,renameat,renameat2', '-e', 'inject=rename,renameat,renameat2:error=EXDEV:when=1'], ['proj', ...fast], cwd, log);
    assert.match(readFileSync(log, 'utf8'), new RegExp(`rename\\("[^"]*\\.proj\\.staging-[^"]*", "${cwd}/proj"\\) = -1 EXDEV .*\\(INJECTED\\)`), 'the fault was injected');
    assert.equal(r.code, 0, r.stdout + r.stderr);
    assert.ok(existsSync(join(cwd, 'proj', ANSWERS_FILE)) && existsSync(join(cwd, 'proj/pyproject.toml')));
    assert.deepEqual(await readdir(cwd), ['proj'], 'no staging left beside it');
  });
});

/**
 * The bin with its stdout on a FIFO that `head -1` reads, every write to it after the first
 * failing with EPIPE (as when the reader has gone), under strace; returns the run and what the
 * reader got.
 */
async function intoClosedReader(args: readonly string[], cwd: string): Promise<Run & { read: string }> {
  const fifo = join(await tempDir('cmlp-fifo-'), 'out');
  assert.equal(spawnSync('mkfifo', [fifo]).status, 0);
  const strace = ['strace', '-f', '-qq', '-o', '/dev/null', '-P', fifo, '-e', 'trace=write,writev', '-e', 'inject=write,writev:error=EPIPE:when=2+', process.execPath, BIN, ...args];
  const script = `head -1 < "$1" > "$1.read" & reader=$!; shift; "$@" > "$FIFO"; code=$?; wait $reader; exit $code`;
  const r = spawnSync('bash', ['-c', script, 'bash', fifo, ...strace], { cwd, env: { ...envFor(cwd), FIFO: fifo }, encoding: 'utf8', timeout: 120_000 });
  return { code: r.status, stdout: '', stderr: r.stderr, read: readFileSync(`${fifo}.read`, 'utf8') };
}

/** A real shell pipeline: the bin's stdout into `head -1`; the bin's exit code and stderr. */
function pipedToHead(args: readonly string[], cwd: string): Run {
  const script = 'set -o pipefail; "$@" | head -1 > /dev/null';
  const r = spawnSync('bash', ['-c', script, 'bash', process.execPath, BIN, ...args], { cwd, env: envFor(cwd), encoding: 'utf8', timeout: 120_000 });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

describe('a reader that closes stdout early (EPIPE)', () => {
  it('--dry-run | head -1: exit 0, nothing on stderr, nothing written', async () => {
    const cwd = await tempDir('cmlp-epipe-');
    const r = pipedToHead(['proj', '--yes', '--dry-run'], cwd);
    assert.equal(r.code, 0, r.stderr);
    assert.equal(r.stderr, '');
    assert.deepEqual(await readdir(cwd), []);
  });

  it('a run | head -1: exit 0, quiet, the project and its repository complete', { timeout: 120_000 }, async () => {
    const cwd = await tempDir('cmlp-epipe-');
    const r = pipedToHead(['proj', '--yes', '--no-install'], cwd);
    assert.equal(r.code, 0, r.stderr);
    assert.equal(r.stderr, '');
    assert.equal(spawnSync('git', ['-C', join(cwd, 'proj'), 'status', '--porcelain'], { encoding: 'utf8' }).stdout, '', 'everything committed');
  });

  it('--dry-run with EPIPE on every write after the first (strace): exit 0, quiet, nothing written', { skip, timeout: 120_000 }, async () => {
    const cwd = await tempDir('cmlp-epipe-');
    const r = await intoClosedReader(['proj', '--yes', '--dry-run'], cwd);
    assert.equal(r.code, 0, r.stderr);
    assert.equal(r.stderr, '');
    assert.ok(r.read.length > 0, 'the reader got its first line');
    assert.deepEqual((await readdir(cwd)).sort(), []);
  });

  it('a run with EPIPE on every write after the first (strace): exit 0, quiet, the project and its first commit complete', { skip, timeout: 120_000 }, async () => {
    const cwd = await tempDir('cmlp-epipe-');
    const r = await intoClosedReader(['proj', '--yes', '--no-install'], cwd);
    assert.equal(r.code, 0, r.stderr);
    assert.equal(r.stderr, '');
    assert.ok(existsSync(join(cwd, 'proj', ANSWERS_FILE)));
    const log = spawnSync('git', ['-C', join(cwd, 'proj'), 'log', '--oneline'], { encoding: 'utf8' });
    assert.match(log.stdout, /Initial commit from create-ml-project/);
    assert.equal(spawnSync('git', ['-C', join(cwd, 'proj'), 'status', '--porcelain'], { encoding: 'utf8' }).stdout, '', 'everything committed');
  });
});
