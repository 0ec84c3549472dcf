// The placement lock and what a killed run leaves beside a target (src/write/lock.ts): the lock is
// one file naming its run; a staging folder is claimed by the process id in its name; what a run
// that no longer runs left is removed, a live run's and the user's own folders never are, and
// leftovers of the layout before 2026-12 (marked folders) are still recognised.

import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { CliError } from '../../src/errors.js';
import { lockTarget, removeLeftovers } from '../../src/write/lock.js';
import { Rollback } from '../../src/write/rollback.js';
import { tempDir } from '../helpers/cli.js';

/** The id of a process that has ended. */
function deadPid(): number {
  const child = spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))'], { encoding: 'utf8' });
  return Number(child.stdout);
}

const mark = (pid: number) => JSON.stringify({ tool: 'create-ml-project', pid, host: hostname() });
const entries = (dir: string) => readdirSync(dir).sort();

describe('placement lock', () => {
  it('is one file naming this run, refused to a second taker while held, gone when released', async () => {
    const parent = await tempDir('cmlp-lock-');
    const rollback = new Rollback();
    const release = lockTarget(parent, 'proj', join(parent, 'proj'), rollback);
    assert.deepEqual(entries(parent), ['.proj.create-ml-project.lock']);
    assert.equal(JSON.parse(readFileSync(join(parent, '.proj.create-ml-project.lock'), 'utf8')).pid, process.pid);
    assert.throws(() => lockTarget(parent, 'proj', join(parent, 'proj'), new Rollback()), (error: unknown) => error instanceof CliError && error.exitCode === 3 && /another create-ml-project run \(process \d+\) is writing/.test(error.message));
    release();
    assert.deepEqual(entries(parent), []);
  });

  it("replaces a lock whose run no longer runs, in either layout", async () => {
    for (const layout of ['file', 'folder'] as const) {
      const parent = await tempDir('cmlp-lock-');
      const lock = join(parent, '.proj.create-ml-project.lock');
      if (layout === 'file') writeFileSync(lock, mark(deadPid()));
      else {
        mkdirSync(lock);
        writeFileSync(join(lock, '.create-ml-project-staging'), mark(deadPid()));
      }
      const release = lockTarget(parent, 'proj', join(parent, 'proj'), new Rollback());
      assert.equal(JSON.parse(readFileSync(lock, 'utf8')).pid, process.pid, layout);
      release();
    }
  });
});

describe("a killed run's leftovers", () => {
  it("are removed: its lock and the staging folders named after it; a live run's and the user's stay", async () => {
    const parent = await tempDir('cmlp-leftovers-');
    const dead = deadPid();
    writeFileSync(join(parent, '.proj.create-ml-project.lock'), mark(dead));
    mkdirSync(join(parent, `.proj.staging-${dead}-abc123`));
    writeFileSync(join(parent, `.proj.staging-${dead}-abc123/README.md`), 'half written');
    // A live run's (this process's parent) and the user's own.
    mkdirSync(join(parent, `.proj.staging-${process.ppid}-def456`));
    mkdirSync(join(parent, '.proj.staging-mine'));
    // The old layout: a marked staging folder of a run that ended.
    mkdirSync(join(parent, `.proj.staging-${dead}-lock-xyz`));
    writeFileSync(join(parent, `.proj.staging-${dead}-lock-xyz/.create-ml-project-staging`), mark(dead));
    removeLeftovers(parent, 'proj');
    assert.deepEqual(entries(parent), [`.proj.staging-${process.ppid}-def456`, '.proj.staging-mine']);
  });

  it("are kept while the run that made them still holds its lock", async () => {
    const parent = await tempDir('cmlp-leftovers-');
    writeFileSync(join(parent, '.proj.create-ml-project.lock'), mark(process.ppid));
    mkdirSync(join(parent, `.proj.staging-${process.ppid}-abc123`));
    removeLeftovers(parent, 'proj');
    assert.deepEqual(entries(parent), ['.proj.create-ml-project.lock', `.proj.staging-${process.ppid}-abc123`]);
  });
});
