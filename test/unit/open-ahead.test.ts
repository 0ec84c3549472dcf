// write/open-ahead.ts: files created before their content exists, then filled.

import assert from 'node:assert/strict';
import { mkdtemp, readdir, readFile, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { openAhead, writeFiles } from '../../src/write/open-ahead.js';

const file = (path: string, content: string, mode = 0o644) => ({ path, mode, content: Buffer.from(content) });
const folder = () => mkdtemp(join(tmpdir(), 'cmlp-ahead-'));
const listing = async (root: string) => (await readdir(root, { recursive: true })).sort();

describe('openAhead', () => {
  it('creates the folders at once and the files empty, then fills them with their content and mode', async () => {
    const root = await folder();
    const files = [file('a/b/c.txt', 'deep'), file('run.sh', '#!/bin/sh\n', 0o755), file('big.bin', 'x'.repeat(3 * 1024 * 1024))];
    const ahead = openAhead(root, files);
    // The folders exist as soon as openAhead returns: the files are being created on the thread pool.
    assert.ok((await stat(join(root, 'a/b'))).isDirectory());
    await ahead.fill(files);
    assert.deepEqual(await listing(root), ['a', 'a/b', 'a/b/c.txt', 'big.bin', 'run.sh']);
    assert.equal(await readFile(join(root, 'a/b/c.txt'), 'utf8'), 'deep');
    assert.equal((await readFile(join(root, 'big.bin'))).length, 3 * 1024 * 1024);
    assert.equal((await stat(join(root, 'run.sh'))).mode & 0o777, 0o755 & ~process.umask());
  });

  it('writes a file nobody planned, and removes a planned file nothing was rendered for', async () => {
    const root = await folder();
    const ahead = openAhead(root, [{ path: 'planned.txt', mode: 0o644 }, { path: 'x/kept.txt', mode: 0o644 }]);
    await ahead.fill([file('x/kept.txt', 'k'), file('y/unplanned.txt', 'u')]);
    assert.deepEqual(await listing(root), ['x', 'x/kept.txt', 'y', 'y/unplanned.txt']);
  });

  it('refuses a path outside the folder before creating anything', async () => {
    const root = await folder();
    assert.throws(() => openAhead(root, [{ path: 'ok.txt', mode: 0o644 }, { path: '../escape.txt', mode: 0o644 }]), /refusing to write "..\/escape.txt"/);
    assert.deepEqual(await readdir(root), []);
  });

  it('reports a file that could not be created when filling, and closes the rest', async () => {
    const root = await folder();
    await writeFile(join(root, 'taken.txt'), 'already here');
    const ahead = openAhead(root, [{ path: 'a.txt', mode: 0o644 }, { path: 'taken.txt', mode: 0o644 }]);
    await assert.rejects(ahead.fill([file('a.txt', 'a'), file('taken.txt', 't')]), /EEXIST/);
    assert.equal(await readFile(join(root, 'taken.txt'), 'utf8'), 'already here', 'never overwritten');
  });

  it('close() waits for the creations when nothing will be written', async () => {
    const root = await folder();
    const slots = Array.from({ length: 50 }, (_, i) => ({ path: `d${i % 5}/f${i}.txt`, mode: 0o644 }));
    await openAhead(root, slots).close();
    // Every creation has finished: the folder can be removed whole, and holds empty files only.
    const files = (await listing(root)).filter((p) => p.endsWith('.txt'));
    assert.equal(files.length, 50);
    for (const p of files) assert.equal((await stat(join(root, p))).size, 0);
  });
});

describe('writeFiles (openAhead and fill in one)', () => {
  it('refuses a path that is not plain and writes nothing for it', async () => {
    const root = await folder();
    for (const path of ['../escape.txt', '/abs.txt', 'a/../../b.txt', 'a\\..\\b.txt']) {
      await assert.rejects(writeFiles(root, [file(path, 'x')]), /refusing to write .*: not a plain relative path/);
    }
    assert.deepEqual(await readdir(root), []);
    const besides = await readdir(join(root, '..'));
    assert.ok(!besides.includes('escape.txt') && !besides.includes('b.txt'), 'nothing next to the folder');
    await writeFiles(root, [file('x/y/z.txt', 'z'), file('top.txt', 't')]);
    assert.deepEqual(await listing(root), ['top.txt', 'x', 'x/y', 'x/y/z.txt']);
  });
});
