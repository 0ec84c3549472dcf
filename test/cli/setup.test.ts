// The default first setup, for real: the locked dependencies are downloaded and installed into the
// project's .venv by the project's own setup script, exactly at the lock file's versions.

import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { BIN, cli, ROOT, tempDir } from '../helpers/cli.js';

// The pinned package managers from .ci/tools.d/20-python-tools.sh come first on PATH, as
// `npm start` puts them: setup_host.py uses a Poetry/uv already on PATH at the pinned version.
// (On this sandbox that Poetry carries a shim for a PyPI proxy without per-release JSON; see
// README.md, "What is proven here".)
const PATH = `${join(ROOT, '.tools/venv/bin')}:${process.env.PATH ?? ''}`;

/** name → versions of every [[package]] in a poetry.lock (one name may be locked twice, with
 * Python-version markers, e.g. scipy for 3.11 and for 3.12+). */
function lockedVersions(lock: string): Map<string, Set<string>> {
  const out = new Map<string, Set<string>>();
  for (const block of lock.split('[[package]]').slice(1)) {
    const name = /^name = "([^"]+)"/m.exec(block)?.[1];
    const version = /^version = "([^"]+)"/m.exec(block)?.[1];
    if (!name || !version) continue;
    const key = name.toLowerCase().replace(/[-_.]+/g, '-');
    out.set(key, (out.get(key) ?? new Set()).add(version));
  }
  return out;
}

describe('first setup', () => {
  it('installs exactly the locked versions into .venv (default options, real install)', { timeout: 20 * 60_000 }, async () => {
    const cwd = await tempDir('cmlp-setup-');
    const r = cli(['loan-demo', '--yes'], { cwd, timeout: 20 * 60_000, env: { PATH } });
    assert.equal(r.code, 0, `${r.stdout}\n${r.stderr}`);
    assert.match(r.stdout, /Installed the locked dependencies into \.venv \(\d+\.\ds\)/);
    // Then the project's own checks, for real: a scaffold ends on a green project.
    assert.match(r.stdout, /Checks passed: lint, formatting, \d+ unit tests/);
    const project = join(cwd, 'loan-demo');
    const python = join(project, '.venv/bin/python');
    assert.ok(existsSync(python), '.venv was created');

    const probe = spawnSync(python, ['-c', [
      'import json, importlib.metadata as m',
      'import loan_demo, sklearn, fastapi, skops, onnxruntime, skl2onnx',
      'print(json.dumps({d.metadata["Name"]: d.version for d in m.distributions()}))',
    ].join('; ')], { cwd: project, encoding: 'utf8' });
    assert.equal(probe.status, 0, probe.stderr);
    const installed = JSON.parse(probe.stdout) as Record<string, string>;
    const locked = lockedVersions(await readFile(join(project, 'poetry.lock'), 'utf8'));
    const normal = (n: string) => n.toLowerCase().replace(/[-_.]+/g, '-');
    const unlocked = Object.entries(installed).filter(([n]) => !['loan-demo', 'pip', 'setuptools', 'wheel'].includes(normal(n)) && !locked.has(normal(n)));
    assert.deepEqual(unlocked, [], 'everything installed comes from the lock');
    const drift = Object.entries(installed).filter(([n, v]) => locked.has(normal(n)) && !locked.get(normal(n))?.has(v));
    assert.deepEqual(drift, [], 'installed versions equal the locked ones');
    for (const must of ['scikit-learn', 'skl2onnx', 'onnxruntime', 'fastapi', 'pytest', 'ruff']) assert.ok(installed[must] ?? Object.keys(installed).some((n) => normal(n) === must), must);

    const status = spawnSync('git', ['status', '--porcelain'], { cwd: project, encoding: 'utf8' });
    assert.equal(status.stdout, '', 'setup leaves the working tree clean (.venv is ignored)');
  });

  it('a failing install keeps the project and its repository, shows the log tail and a retry (exit 5)', { timeout: 5 * 60_000 }, async () => {
    const cwd = await tempDir('cmlp-setup-');
    // A real failure of the real tool: uv may not use the network and its cache is empty.
    const cache = await tempDir('cmlp-empty-cache-');
    // TMPDIR of its own: the saved log and uv's lock file go with the test's folders.
    const tmp = await tempDir('cmlp-setup-tmp-');
    const r = cli(['offline-demo', '--package-manager', 'uv', '--yes'], { cwd, timeout: 5 * 60_000, env: { PATH, UV_OFFLINE: '1', UV_CACHE_DIR: cache, TMPDIR: tmp } });
    assert.equal(r.code, 5, r.stdout + r.stderr);
    assert.match(r.stderr, /^error: setup failed: python3 scripts\/go\/setup_host\.py exited with an error$/m);
    assert.match(r.stderr, /^ {2}│ .+/m, 'the tail of the log is shown');
    const log = /^Full log: (.+)$/m.exec(r.stderr)?.[1];
    assert.ok(log && existsSync(log), 'the whole log is saved');
    assert.match(r.stderr, /^ {2}cd offline-demo && python3 scripts\/go\/setup_host\.py$/m);
    const project = join(cwd, 'offline-demo');
    assert.ok(existsSync(join(project, 'uv.lock')), 'the project is kept');
    const head = spawnSync('git', ['log', '--oneline'], { cwd: project, encoding: 'utf8' });
    assert.equal(head.stdout.trim().split('\n').length, 1, 'the repository and its first commit are kept');
  });

  it('Ctrl+C during setup removes the project and exits 130', { timeout: 5 * 60_000 }, async () => {
    const cwd = await tempDir('cmlp-setup-');
    // A fresh, empty package cache makes the install slow enough to interrupt part-way.
    const cache = await tempDir('cmlp-cache-');
    const child = spawn(process.execPath, [BIN, 'interrupted', '--yes'], {
      cwd,
      env: { ...process.env, PATH, NO_COLOR: '1', POETRY_CACHE_DIR: cache, PIP_CACHE_DIR: cache, UV_CACHE_DIR: cache },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    const code = await new Promise<number | null>((resolve) => {
      child.stdout.on('data', (d: Buffer) => {
        out += d.toString();
        if (out.includes('Installing the locked dependencies')) setTimeout(() => child.kill('SIGINT'), 1500);
      });
      child.on('exit', (c) => resolve(c));
    });
    assert.equal(code, 130, out);
    assert.deepEqual(await readdir(cwd), [], 'nothing this run created is left');
  });
});
