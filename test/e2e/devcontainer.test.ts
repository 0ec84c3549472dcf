// The generated dev container, brought up for real with the Dev Containers CLI (@devcontainers/cli,
// installed at a pinned version into .tools/ by .ci/tools.d/70-devcontainer-cli.sh) against the
// private test engine (test/helpers/docker.ts), as a developer (uid 1000, not root) would:
//   - `devcontainer read-configuration` accepts .devcontainer/devcontainer.json;
//   - `devcontainer up` builds the Dockerfile's dev stage and starts the container with no
//     registry reachable (no Dev Container features: nothing comes from ghcr.io), runs the
//     postCreateCommand (scripts/setup.sh) as the remoteUser `dev`;
//   - `devcontainer exec … scripts/tests/unit-test.sh` (the README's unit tests) exits 0, in
//     /code, as `dev`, with the dependencies in the /opt/venv volume;
//   - the container and its volume are removed afterwards.
//
//   node --import tsx --test test/e2e/devcontainer.test.ts
//
// Needs root (dockerd) and PyPI and the Debian mirror from containers; skipped otherwise outside CI.
// About 3 minutes on a 2-core machine with the tools cached.

import { after, before, describe, test, type TestContext } from 'node:test';
import assert from 'node:assert/strict';
import { chmod, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { execa } from 'execa';
import { renderTo } from '../helpers/render.js';
import { DEV_UID, developerAccount, engineUnavailable, startEngine, type Engine } from '../helpers/docker.js';

const REPO = fileURLToPath(new URL('../..', import.meta.url));
const CLI = join(REPO, '.tools', 'devcontainer-cli', 'node_modules', '.bin', 'devcontainer');
const KEEP = process.env.E2E_KEEP === '1';
/** A developer's uid on the host (not root). */
const NAME = 'ctr-devcontainer';

const unavailable = engineUnavailable();
let engine: Engine | undefined;
let work = '';
let devHome = '';
let dockerGid = '';

before(async () => {
  if (unavailable) return;
  const tools = await execa('bash', [join(REPO, '.ci/tools.d/70-devcontainer-cli.sh')], { reject: false, all: true });
  assert.equal(tools.exitCode, 0, `.ci/tools.d/70-devcontainer-cli.sh failed:\n${tools.all}`);
  work = await mkdtemp(join(tmpdir(), 'e2e-devcontainer-'));
  await chmod(work, 0o755);
  engine = await startEngine();
  ({ home: devHome, dockerGid } = await developerAccount(engine, work));
});

after(async () => {
  if (engine) await engine.stop();
  if (KEEP) console.log(`kept the project in ${work}`);
  else if (work) await rm(work, { recursive: true, force: true });
});

/** The Dev Containers CLI run by the developer (uid 1000, in the engine socket's group). */
async function devcontainer(t: TestContext, args: string[], timeout = 900_000) {
  const t0 = Date.now();
  const env = { ...engine!.env, HOME: devHome, DOCKER_CONFIG: join(devHome, '.docker'), USER: 'dev' };
  const result = await execa('setpriv', ['--reuid', String(DEV_UID), '--regid', String(DEV_UID), '--groups', dockerGid, '--', CLI, args[0]!, '--docker-path', 'docker', ...args.slice(1)], {
    env,
    cwd: work,
    all: true,
    reject: false,
    timeout,
  });
  t.diagnostic(`devcontainer ${args.slice(0, 3).join(' ')} -> exit ${result.exitCode} in ${((Date.now() - t0) / 1000).toFixed(1)}s`);
  return { ...result, stdout: String(result.stdout), all: String(result.all ?? '') };
}

describe('dev container: devcontainer up and exec with the Dev Containers CLI', { skip: unavailable }, () => {
  const dir = () => join(work, NAME);
  let containerId = '';

  after(async () => {
    if (!engine) return;
    const ids = String((await engine.docker(['ps', '-aq', '--filter', `label=devcontainer.local_folder=${dir()}`])).stdout).trim();
    if (ids) await engine.docker(['rm', '-f', ...ids.split('\n')]);
    await engine.docker(['volume', 'rm', '-f', `${NAME}-devcontainer-venv`]);
    const left = String((await engine.docker(['ps', '-aq', '--filter', `label=devcontainer.local_folder=${dir()}`])).stdout).trim();
    assert.equal(left, '', 'dev container left behind');
  });

  test('devcontainer.json is accepted, needs no feature, and the container comes up offline', async (t) => {
    await renderTo(dir(), { name: NAME, runner: 'compose', packageManager: 'uv', api: true, training: true, cloud: 'none', os: ['linux'] });
    await execa('chown', ['-R', `${DEV_UID}:${DEV_UID}`, dir()]);

    const read = await devcontainer(t, ['read-configuration', '--workspace-folder', dir()], 120_000);
    assert.equal(read.exitCode, 0, read.all);
    const config = JSON.parse(read.stdout).configuration as Record<string, unknown>;
    assert.equal(config.remoteUser, 'dev');
    assert.ok(!('features' in config), 'a Dev Container feature needs its registry at `devcontainer up`');

    const up = await devcontainer(t, ['up', '--workspace-folder', dir(), '--log-format', 'text']);
    const outcome = JSON.parse(up.stdout.trim().split('\n').at(-1) ?? '{}') as { outcome?: string; containerId?: string; remoteUser?: string; remoteWorkspaceFolder?: string };
    assert.equal(outcome.outcome, 'success', up.all.slice(-5000));
    assert.doesNotMatch(up.all, /ghcr\.io|mcr\.microsoft\.com/, 'devcontainer up reached for a registry');
    // postCreateCommand: scripts/setup.sh, which ends with this line.
    assert.match(up.all, /Running the postCreateCommand/, 'postCreateCommand did not run');
    assert.match(up.all, /dependencies installed into \/opt\/venv/, 'scripts/setup.sh did not finish');
    containerId = outcome.containerId ?? '';
    assert.ok(containerId);
    assert.equal(outcome.remoteUser, 'dev');
    assert.equal(outcome.remoteWorkspaceFolder, '/code');
  });

  test("devcontainer exec runs the README's unit tests as `dev` in /code", async (t) => {
    assert.ok(containerId, 'the dev container did not come up');
    const who = await devcontainer(t, ['exec', '--workspace-folder', dir(), 'sh', '-c', 'id -un; id -u; pwd; command -v python'], 120_000);
    assert.equal(who.exitCode, 0, who.all);
    assert.deepEqual(who.stdout.trim().split('\n').slice(-4), ['dev', String(DEV_UID), '/code', '/opt/venv/bin/python']);

    const unit = await devcontainer(t, ['exec', '--workspace-folder', dir(), 'scripts/tests/unit-test.sh', '-q']);
    t.diagnostic(unit.all.trim().split('\n').at(-1) ?? '');
    assert.equal(unit.exitCode, 0, unit.all.slice(-5000));
    assert.match(unit.all, /\d+ passed/);
  });
});
