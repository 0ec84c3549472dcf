// The first setup ends with the project's own checks (ruff, then the unit tests) run with .venv's
// Python. Green is proven by the real install (test/cli/setup.test.ts). Red here: a stand-in
// Poetry makes .venv a fresh, empty virtualenv (no ruff, no pytest), so every check really fails; the run still exits 0 with the project kept, one red line, and a
// warning per check with its output, its log and the command that reruns it.

import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { chmod, mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { cli, ROOT, tempDir } from '../helpers/cli.js';

const pins = JSON.parse(readFileSync(join(ROOT, 'template/pins.json'), 'utf8')) as { python: { poetry: string } };

const FAKE_POETRY = `#!/bin/sh
case "$1" in
  --version) echo "Poetry (version ${pins.python.poetry})" ;;
  env) "$3" -m venv --without-pip .venv ;;
  sync) exit 0 ;;
esac
`;

/** The python3 on PATH, resolved (the test's PATH holds only a link to it). */
function hostPython(): string | undefined {
  const r = spawnSync('python3', ['-c', 'import sys; print(sys.executable)'], { encoding: 'utf8' });
  return r.status === 0 ? r.stdout.trim() || undefined : undefined;
}

const python = process.platform === 'win32' ? undefined : hostPython();

describe('first setup: the project checks', { skip: python ? false : 'needs a POSIX python3' }, () => {
  it('red checks: exit 0, the project kept, a red line naming them, and a rerun command for each', async () => {
    const cwd = await tempDir('cmlp-checks-');
    const bin = join(cwd, 'bin');
    await mkdir(bin);
    await writeFile(join(bin, 'poetry'), FAKE_POETRY);
    await chmod(join(bin, 'poetry'), 0o755);
    await writeFile(join(bin, 'python3'), `#!/bin/sh\nexec ${python} "$@"\n`);
    await chmod(join(bin, 'python3'), 0o755);
    // TMPDIR of its own: the checks' logs (create-ml-project-check-*.log) go with the test's folders.
    const env = { PATH: `${bin}:/usr/bin:/bin`, HOME: cwd, SETUP_HOST_TOOLS_DIR: join(cwd, 'tools'), TMPDIR: await tempDir('cmlp-checks-tmp-') };
    const r = cli(['chk-demo', '--yes', '--no-git', '--package-manager', 'poetry'], { cwd, env });
    const output = r.stdout + r.stderr;
    assert.equal(r.code, 0, output);
    assert.ok(existsSync(join(cwd, 'chk-demo', 'pyproject.toml')), 'the project is kept');
    assert.match(output, /Checks are red: lint, formatting, unit tests failed; see the warnings below/);
    for (const [check, command] of [
      ['lint', '-m ruff check --no-cache .'],
      ['formatting', '-m ruff format --no-cache --check .'],
      ['unit tests', '-B -m pytest tests/unit -q -p no:cacheprovider'],
    ]) {
      assert.match(output, new RegExp(`${check} failed in the new project`), check);
      assert.ok(output.includes(`Rerun: cd chk-demo && .venv/bin/python ${command}`), `${check}: rerun command in\n${output}`);
    }
    // Each warning shows why, from the check's own output.
    assert.match(output, /No module named ruff/);
    assert.match(output, /No module named pytest/);
  });
});
