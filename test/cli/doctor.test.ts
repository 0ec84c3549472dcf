// `create-ml-project doctor`: run against real generated projects, with the host's own tools and
// with a stand-in `docker` first on PATH that answers like a real client talking to an engine.

import assert from 'node:assert/strict';
import { chmod, mkdir, readFile, writeFile } from 'node:fs/promises';
import { delimiter, join } from 'node:path';
import { before, describe, it } from 'node:test';
import { cli, tempDir } from '../helpers/cli.js';

interface Check {
  name: string;
  status: 'ok' | 'warn' | 'fail';
  detail: string;
  fix?: string;
}

/** A `docker` that answers `docker version --format '{{json .}}'` and `docker compose version` as Docker Engine 29 does. */
async function standInDocker(minApi: string): Promise<string> {
  const bin = await tempDir('cmlp-fake-docker-');
  const version = {
    Client: { Version: '29.0.1', ApiVersion: '1.52', DefaultAPIVersion: '1.52', GitCommit: 'eedd969', GoVersion: 'go1.25.4', Os: 'linux', Arch: 'amd64', BuildTime: 'Fri Nov 14 16:18:07 2025', Context: 'default' },
    Server: {
      Platform: { Name: 'Docker Engine - Community' },
      Components: [{ Name: 'Engine', Version: '29.0.1', Details: { ApiVersion: '1.52', Arch: 'amd64', BuildTime: 'Fri Nov 14 16:18:07 2025', GitCommit: '198b5e3', GoVersion: 'go1.25.4', KernelVersion: '6.8.0-87-generic', MinAPIVersion: minApi, Os: 'linux' } }],
      Version: '29.0.1',
      ApiVersion: '1.52',
      MinAPIVersion: minApi,
      GitCommit: '198b5e3',
      GoVersion: 'go1.25.4',
      Os: 'linux',
      Arch: 'amd64',
      KernelVersion: '6.8.0-87-generic',
      BuildTime: '2025-11-14T16:18:07.000000000+00:00',
    },
  };
  const script = [
    '#!/bin/sh',
    'case "$1" in',
    `  version) printf '%s\\n' '${JSON.stringify(version)}' ;;`,
    "  compose) echo 'Docker Compose version v2.40.3' ;;",
    '  *) echo "stand-in docker: unexpected $*" >&2; exit 1 ;;',
    'esac',
    '',
  ].join('\n');
  await writeFile(join(bin, 'docker'), script);
  await chmod(join(bin, 'docker'), 0o755);
  return bin;
}

function doctor(args: readonly string[], cwd: string, env: NodeJS.ProcessEnv = {}) {
  return cli(['doctor', ...args], { cwd, env });
}

function checks(stdout: string): Map<string, Check> {
  const out = JSON.parse(stdout) as { ok: boolean; exitCode: number; checks: Check[] };
  assert.equal(typeof out.ok, 'boolean');
  for (const c of out.checks) {
    assert.ok(['ok', 'warn', 'fail'].includes(c.status), `status of ${c.name}`);
    assert.equal(typeof c.detail, 'string');
    if (c.status !== 'ok') assert.equal(typeof c.fix, 'string', `${c.name} has a fix`);
  }
  return new Map(out.checks.map((c) => [c.name, c]));
}

describe('create-ml-project doctor', () => {
  let cwd = '';
  before(async () => {
    cwd = await tempDir('cmlp-doctor-');
    for (const [name, flags] of [['with-batect', ['--runner', 'batect']], ['with-compose', ['--runner', 'compose', '--package-manager', 'uv']]] as const) {
      const r = cli([name, ...flags, '--yes', '--no-install', '--no-git'], { cwd });
      assert.equal(r.code, 0, r.stderr);
    }
  });

  it('reports an unreachable engine with its fix and exits 1', () => {
    // A socket nobody listens on: unreachable on any machine, with or without a local engine.
    const r = doctor(['with-batect'], cwd, { DOCKER_HOST: 'unix:///nonexistent/docker.sock' });
    assert.equal(r.code, 1, r.stdout + r.stderr);
    assert.match(r.stdout, /^doctor: with-batect \(batect, poetry\) on (linux|mac|windows)$/m);
    assert.match(r.stdout, /^✖ docker engine +(not reachable: .+|not checked: no docker client)$/m);
    assert.match(r.stdout, /✖ docker engine[^\n]*\n +fix: \S/);
    assert.match(r.stdout, /blocking problem/);
    const j = doctor(['with-batect', '--json'], cwd, { DOCKER_HOST: 'unix:///nonexistent/docker.sock' });
    assert.equal(j.code, 1);
    const engine = checks(j.stdout).get('docker engine');
    assert.equal(engine?.status, 'fail');
    assert.equal(JSON.parse(j.stdout).ok, false);
  });

  it('reads the pinned package manager version from the project', async () => {
    const pinned = /^requires-poetry = "==([\d.]+)"/m.exec(await readFile(join(cwd, 'with-batect/pyproject.toml'), 'utf8'))?.[1];
    assert.ok(pinned, 'the generated pyproject.toml pins poetry');
    // An empty tool folder: whatever this machine has, the check must name the project's pin.
    const tools = await tempDir('cmlp-tools-');
    const r = doctor(['with-batect', '--json'], cwd, { DOCKER_HOST: 'unix:///nonexistent/docker.sock', SETUP_HOST_TOOLS_DIR: tools });
    const pm = checks(r.stdout).get('poetry');
    assert.ok(pm, 'a poetry check');
    assert.ok(pm.detail.includes(pinned), pm.detail);
    if (pm.status === 'warn') assert.match(pm.fix ?? '', new RegExp(`setup_host\\.py \\(installs poetry ${pinned.replaceAll('.', '\\.')}`));
  });

  it('passes the engine check with an engine that answers, and the batect API check below 1.44', async () => {
    const bin = await standInDocker('1.24');
    const r = doctor(['--json'], join(cwd, 'with-batect'), { PATH: `${bin}${delimiter}${process.env.PATH}` });
    const all = checks(r.stdout);
    assert.equal(all.get('docker client')?.status, 'ok');
    assert.equal(all.get('docker engine')?.status, 'ok');
    assert.match(all.get('docker engine')?.detail ?? '', /Docker Engine - Community 29\.0\.1, API 1\.52, accepts API ≥ 1\.24/);
    assert.equal(all.get('batect ↔ docker API')?.status, 'ok');
    assert.ok(all.has('java'), 'batect projects check Java');
    assert.ok(!all.has('docker compose'), 'batect projects do not check Compose');
    const blocking = [...all.values()].filter((c) => c.status === 'fail');
    assert.equal(r.code, blocking.length === 0 ? 0 : 1, 'exit code follows the blocking checks');
  });

  it('flags the batect incompatibility when the engine requires API 1.44', async () => {
    const bin = await standInDocker('1.44');
    const r = doctor(['with-batect'], cwd, { PATH: `${bin}${delimiter}${process.env.PATH}` });
    assert.equal(r.code, 1, r.stdout + r.stderr);
    assert.match(r.stdout, /^✖ batect ↔ docker API +the engine \(29\.0\.1\) refuses API versions below 1\.44; batect speaks at most 1\.43/m);
    assert.match(r.stdout, /fix: .*"min-api-version": "1\.43"/);
    const compose = doctor(['with-compose', '--json'], cwd, { PATH: `${bin}${delimiter}${process.env.PATH}` });
    const all = checks(compose.stdout);
    assert.ok(!all.has('batect ↔ docker API'), 'only batect projects care');
    assert.ok(!all.has('java'), 'compose projects need no Java');
    assert.equal(all.get('docker compose')?.status, 'ok');
    assert.ok(all.has('uv'));
  });

  it('refuses a missing or foreign folder and bad arguments with exit 2 and one line', async () => {
    const missing = doctor(['no-such-dir'], cwd);
    assert.equal(missing.code, 2);
    assert.equal(missing.stderr, 'error: doctor: no-such-dir is not a folder: give the folder of a project made by create-ml-project\n');
    await mkdir(join(cwd, 'plain'), { recursive: true });
    const foreign = doctor(['plain'], cwd);
    assert.equal(foreign.code, 2);
    assert.match(foreign.stderr, /^error: doctor: plain has no \.create-ml-project\.json: is it a project made by create-ml-project\?/);
    await mkdir(join(cwd, 'broken'), { recursive: true });
    await writeFile(join(cwd, 'broken/.create-ml-project.json'), '{"answers": {"runner": "make"}}');
    assert.match(doctor(['broken'], cwd).stderr, /^error: doctor: broken\/\.create-ml-project\.json does not match the answers schema: /);
    const j = doctor(['no-such-dir', '--json'], cwd);
    assert.equal(j.code, 2);
    assert.equal(JSON.parse(j.stdout).exitCode, 2);
    assert.equal(j.stderr, '');
    const bad = doctor(['--frobnicate'], cwd);
    assert.equal(bad.code, 2);
    assert.equal(bad.stderr.trim().split('\n').length, 1);
    assert.equal(doctor(['a', 'b'], cwd).code, 2);
  });

  it('documents its checks and exit codes in doctor --help', async () => {
    const r = doctor(['--help'], cwd);
    assert.equal(r.code, 0);
    // Usage as this checkout's bin runs it (test/cli/invocation.test.ts).
    assert.match(r.stdout, /^node \S+\/dist\/index\.cjs doctor \[dir\]/);
    assert.match(r.stdout, /0 +nothing blocking/);
    assert.match(r.stdout, /1 +at least one blocking problem/);
    assert.match(r.stdout, /2 +bad arguments/);
    assert.ok((await readFile(join(cwd, 'with-batect/.create-ml-project.json'), 'utf8')).includes('"runner": "batect"'));
  });
});
