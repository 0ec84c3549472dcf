// The first setup (scripts/go/setup_host.py) and .python-version: .venv is built with the pinned
// Python when the machine has it, otherwise with the Python running the setup, and then one
// warning line names both versions. The package managers are stand-ins (shell scripts reporting
// the pinned version, making .venv/bin/python a link to the interpreter they are given), so
// this runs in a second, without the network; the real installs are test/cli/setup.test.ts.

import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { chmod, mkdir, readFile, realpath, symlink, writeFile } from 'node:fs/promises';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { cli, ROOT, tempDir } from '../helpers/cli.js';

const pins = JSON.parse(readFileSync(join(ROOT, 'template/pins.json'), 'utf8')) as { python: { poetry: string; uv: string } };

/** The real interpreter behind `command` (not a pyenv shim), and its X.Y version. */
function probe(command: string): { exe: string; version: string } | undefined {
  const r = spawnSync(command, ['-c', 'import sys; print(sys.executable); print("%d.%d" % sys.version_info[:2])'], { encoding: 'utf8', cwd: ROOT });
  const [exe, version] = (r.stdout ?? '').trim().split('\n');
  return r.status === 0 && exe && version ? { exe, version } : undefined;
}

/** Another interpreter than python3, of a version the template offers (python3.X on PATH, or a
 * pyenv installation). */
function secondPython(): { exe: string; version: string } | undefined {
  const pyenv = join(homedir(), '.pyenv', 'versions');
  for (const version of ['3.13', '3.12', '3.14'].filter((v) => v !== host?.version)) {
    const candidates = [`python${version}`];
    if (existsSync(pyenv)) for (const dir of readdirSync(pyenv)) if (dir.startsWith(`${version}.`)) candidates.push(join(pyenv, dir, 'bin', `python${version}`));
    for (const candidate of candidates) {
      const found = probe(candidate);
      if (found?.version === version) return found;
    }
  }
  return undefined;
}

const FAKE_POETRY = `#!/bin/sh
case "$1" in
  --version) echo "Poetry (version ${pins.python.poetry})" ;;
  env) mkdir -p .venv/bin && ln -sf "$3" .venv/bin/python ;;
  sync) exit 0 ;;
esac
`;
// \`uv venv --python X\` fails as it does without the network; \`uv sync ... --python P\` links P.
const FAKE_UV = `#!/bin/sh
case "$1" in
  --version) echo "uv ${pins.python.uv}" ;;
  venv) echo "error: no interpreter found for Python $3 (downloads are off)" >&2; exit 2 ;;
  sync) for last; do :; done; mkdir -p .venv/bin && ln -sf "$last" .venv/bin/python ;;
esac
`;

async function scaffold(pm: 'poetry' | 'uv', pin: string, pythons: Record<string, string>) {
  const cwd = await tempDir('cmlp-pyver-');
  const r = cli(['pv-demo', '--yes', '--no-git', '--no-install', '--package-manager', pm, '--python', pin], { cwd });
  assert.equal(r.code, 0, r.stdout + r.stderr);
  const project = join(cwd, 'pv-demo');
  assert.equal((await readFile(join(project, '.python-version'), 'utf8')).trim(), pin);
  // PATH holds only the stand-in package manager and the interpreters named here.
  const bin = join(cwd, 'bin');
  await mkdir(bin);
  await writeFile(join(bin, pm), pm === 'poetry' ? FAKE_POETRY : FAKE_UV);
  await chmod(join(bin, pm), 0o755);
  for (const [name, exe] of Object.entries(pythons)) await symlink(exe, join(bin, name));
  return { project, env: { PATH: `${bin}:/usr/bin:/bin`, HOME: cwd, SETUP_HOST_TOOLS_DIR: join(cwd, 'tools') } };
}

function setup(project: string, env: NodeJS.ProcessEnv, python: string) {
  return spawnSync(python, ['scripts/go/setup_host.py'], { cwd: project, env, encoding: 'utf8', timeout: 60_000 });
}

const host = process.platform === 'win32' ? undefined : probe('python3');
const skip = host ? false : 'needs a POSIX python3';
/** A pin among the template's choices that differs from the machine's python3. */
const otherPin = ['3.13', '3.12', '3.14'].find((v) => v !== host?.version) ?? '3.13';

describe('first setup and .python-version', { skip }, () => {
  for (const pm of ['poetry', 'uv'] as const) {
    it(`${pm}: python3 ${host?.version} with .python-version ${otherPin}: .venv uses it and one warning names both versions`, async () => {
      const { project, env } = await scaffold(pm, otherPin, { python3: host!.exe });
      const r = setup(project, env, host!.exe);
      assert.equal(r.status, 0, r.stdout + r.stderr);
      const warnings = r.stderr.split('\n').filter((line) => line.includes('warning'));
      assert.equal(warnings.length, 1, r.stderr);
      assert.match(warnings[0]!, new RegExp(`^setup_host: warning: \\.python-version pins Python ${otherPin.replace('.', '\\.')}, but \\.venv runs Python ${host!.version.replace('.', '\\.')}\\.\\d+;`));
      assert.equal(await realpath(join(project, '.venv/bin/python')), await realpath(host!.exe));
      if (pm === 'uv') assert.match(r.stdout, new RegExp(`asking uv for Python ${otherPin.replace('.', '\\.')}`));
    });
  }

  it('a create run passes that warning on: the setup ran behind a spinner, its output unseen', async () => {
    const cwd = await tempDir('cmlp-pyver-');
    const bin = join(cwd, 'bin');
    await mkdir(bin);
    await writeFile(join(bin, 'poetry'), FAKE_POETRY);
    await chmod(join(bin, 'poetry'), 0o755);
    await symlink(host!.exe, join(bin, 'python3'));
    // TMPDIR of its own: the checks' logs (create-ml-project-check-*.log) go with the test's folders.
    const env = { PATH: `${bin}:/usr/bin:/bin`, HOME: cwd, SETUP_HOST_TOOLS_DIR: join(cwd, 'tools'), TMPDIR: await tempDir('cmlp-pyver-tmp-') };
    const r = cli(['pv-demo', '--yes', '--no-git', '--python', otherPin, '--json'], { cwd, env });
    assert.equal(r.code, 0, r.stdout + r.stderr);
    const { warnings } = JSON.parse(r.stdout) as { warnings: string[] };
    assert.ok(warnings.some((w) => w.startsWith(`.python-version pins Python ${otherPin}, but .venv runs Python ${host!.version}.`)), r.stdout);
  });

  const second = secondPython();
  it('poetry: the pinned Python on PATH (python3.X) builds .venv, though the setup runs on another, and nothing is said', { skip: second ? false : 'no second Python version on this machine' }, async () => {
    const { project, env } = await scaffold('poetry', second!.version, { python3: host!.exe, [`python${second!.version}`]: second!.exe });
    const r = setup(project, env, host!.exe);
    assert.equal(r.status, 0, r.stdout + r.stderr);
    assert.doesNotMatch(r.stderr, /warning/);
    assert.equal(await realpath(join(project, '.venv/bin/python')), await realpath(second!.exe));
  });
});
