// Faults of the container workflow: each gives one line naming the fix and a non-zero exit, in
// the generated ./tasks, the Linux go script and `doctor` alike. Where each case is proven:
//
//   fault               ./tasks                       go script             doctor
//   engine not running  container-workflow (stopped)  here (no socket)      container-workflow (stopped)
//   engine too old      here (stand-in)               here (stand-in)       here (stand-in)
//   Compose missing     here                          here                  here
//   port in use         here                          starts no server      here
//   a task failing      container-workflow            here (its setup)      runs no task
//
// The real docker client runs every case. "Engine too old" cannot use a real old engine (none
// can be installed here): test/helpers/old-docker-engine.ts answers /_ping and /version on a
// unix socket as Docker Engine 17.06 (API 1.30) does. "Compose missing" is the real client with
// a Docker config folder that has no cli-plugins. The go script runs as root (it apt-gets what it
// misses, as CI does); not root outside CI: those cases are skipped.
//
//   node --import tsx --test test/e2e/docker-faults.test.ts   (npm run build first: doctor is dist/)

import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdir, mkdtemp, readFile, rm, symlink, writeFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { execa } from 'execa';
import { cli, cliAsync } from '../helpers/cli.js';
import { freePort } from '../helpers/api.js';
import { startOldEngine, type OldEngine } from '../helpers/old-docker-engine.js';
import { FIXES } from '../../src/doctor/fixes.js';

const REPO = fileURLToPath(new URL('../..', import.meta.url));
const hasDocker = (await execa('docker', ['--version'], { reject: false })).exitCode === 0;
const noDocker = process.platform !== 'linux' ? 'Linux only' : hasDocker ? undefined : 'no docker client (.ci/tools.d/60-docker-engine.sh installs it)';
const notRoot = process.getuid?.() !== 0 && process.env.CI !== 'true' ? 'the go script apt-gets what it misses: root only (runs in CI as root)' : undefined;

let work = '';
let old: OldEngine;
let withPlugins = '';
let withoutPlugins = '';
const project = () => join(work, 'faults-demo');
const deadSocket = () => `unix://${join(work, 'nobody-listens.sock')}`;

before(async () => {
  if (noDocker) return;
  work = await mkdtemp(join(tmpdir(), 'cmlp-docker-faults-'));
  // The Compose plugin as CI builds it (idempotent: a second run only checks).
  const tools = await execa('bash', [join(REPO, '.ci/tools.d/60-docker-engine.sh')], { reject: false, all: true });
  assert.equal(tools.exitCode, 0, String(tools.all).slice(-2000));
  withPlugins = join(work, 'docker-config');
  withoutPlugins = join(work, 'docker-config-no-plugins');
  await mkdir(withPlugins);
  await mkdir(withoutPlugins);
  await symlink((await readFile(join(REPO, '.tools/docker/plugins-dir'), 'utf8')).trim(), join(withPlugins, 'cli-plugins'));
  old = await startOldEngine(work);
  // Made by the CLI, as a user's project is (doctor reads its answers file).
  const made = cli(['faults-demo', '--runner', 'compose', '--package-manager', 'uv', '--os', 'linux', '--yes', '--no-install', '--no-git'], { cwd: work });
  assert.equal(made.code, 0, made.stderr);
});

after(async () => {
  await old?.close();
  if (work) await rm(work, { recursive: true, force: true });
});

/** The environment of a machine whose docker reaches `host` with the given Docker config folder. */
function machine(host: string, config: string): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env, DOCKER_HOST: host, DOCKER_CONFIG: config };
  for (const key of ['DOCKER_CONTEXT', 'DOCKER_TLS_VERIFY', 'DOCKER_CERT_PATH', 'DOCKER_API_VERSION']) delete env[key];
  return env;
}

async function tasks(env: NodeJS.ProcessEnv, task: string) {
  const r = await execa('./tasks', [task], { cwd: project(), env, reject: false, timeout: 60_000 });
  return { code: r.exitCode, stderr: String(r.stderr), stdout: String(r.stdout) };
}

/** The one line on stderr (and nothing else). */
function oneLine(stderr: string): string {
  const lines = stderr.trim().split('\n');
  assert.equal(lines.length, 1, `expected one line:\n${stderr}`);
  return lines[0]!;
}

interface Check {
  name: string;
  status: string;
  detail: string;
  fix?: string;
}
async function doctor(env: NodeJS.ProcessEnv): Promise<{ code: number | null; checks: Map<string, Check> }> {
  const r = await cliAsync(['doctor', project(), '--json'], work, env);
  const checks = (JSON.parse(r.stdout) as { checks: Check[] }).checks;
  return { code: r.code, checks: new Map(checks.map((c) => [c.name, c])) };
}

/** Holds 127.0.0.1:port (or finds it already held by someone else: in use either way). */
async function hold(port: number): Promise<Server | undefined> {
  const server = createServer();
  return new Promise((resolve, reject) => {
    server.once('error', (error: NodeJS.ErrnoException) => (error.code === 'EADDRINUSE' ? resolve(undefined) : reject(error)));
    server.listen(port, '127.0.0.1', () => resolve(server));
  });
}

describe('an engine too old (stand-in for Docker Engine 17.06, API 1.30)', { skip: noDocker }, () => {
  test('./tasks: one line naming the upgrade, exit 1, before any container work', async () => {
    const r = await tasks(machine(old.host, withPlugins), 'unit-test');
    assert.equal(r.code, 1, r.stderr);
    assert.match(oneLine(r.stderr), /^tasks: the Docker engine (speaks API 1\.30, older|is older) than Docker Engine 19\.03 \(API 1\.40\), which compose\.yaml needs; upgrade it \(Linux: sudo apt-get install --only-upgrade docker\.io/);
    assert.ok(old.requests.some((r) => r.endsWith('/version')), `the client asked the stand-in: ${old.requests.join(', ')}`);
  });

  test('doctor: the engine check fails with the upgrade fix, exit 1', async () => {
    const r = await doctor(machine(old.host, withPlugins));
    const engine = r.checks.get('docker engine');
    assert.equal(r.code, 1);
    assert.equal(engine?.status, 'fail', JSON.stringify(engine));
    assert.match(engine.detail, /older than Docker Engine 19\.03 \(API 1\.40\), which the project needs/);
    assert.equal(engine.fix, FIXES.dockerUpgrade.linux);
  });
});

describe('the Compose plugin missing (the real client, no cli-plugins)', { skip: noDocker }, () => {
  test('./tasks: one line naming where Compose comes from, exit 1', async () => {
    const r = await tasks(machine(deadSocket(), withoutPlugins), 'unit-test');
    assert.equal(r.code, 1, r.stderr);
    assert.match(oneLine(r.stderr), /^tasks: Docker Compose v2 \('docker compose'\) is missing; install it \(Linux: docker-compose-plugin from Docker's apt repository/);
  });

  test('doctor: the Compose check fails with its fix, exit 1', async () => {
    const r = await doctor(machine(old.host, withoutPlugins));
    assert.equal(r.code, 1);
    const compose = r.checks.get('docker compose');
    assert.equal(compose?.status, 'fail', JSON.stringify(compose));
    assert.equal(compose.fix, FIXES.compose.linux);
  });
});

describe('a port the tasks publish already in use', { skip: noDocker }, () => {
  test('./tasks start-api-locally and start-jupyter: one line naming the port, exit 1, before the prerequisites', async () => {
    // Held for about a second each (in CI the suite runs one file at a time).
    for (const [task, port] of [['start-api-locally', 8000], ['start-jupyter', 8888]] as const) {
      const server = await hold(port);
      try {
        const r = await tasks(machine(old.host, withPlugins), task);
        assert.equal(r.code, 1, r.stderr);
        assert.equal(oneLine(r.stderr), `tasks: port ${port} on this machine is already in use (another server, or an earlier ./tasks ${task} still running); stop it, then run ./tasks ${task} again`);
      } finally {
        server?.close();
      }
    }
  });

  test('doctor: the ports the project publishes (read from compose.yaml), free and in use', async () => {
    // A free port of this machine in place of 8000, so no other program's port decides the result.
    const port = await freePort();
    const compose = join(project(), 'compose.yaml');
    const original = await readFile(compose, 'utf8');
    await writeFile(compose, original.replace('"127.0.0.1:8000:8000"', `"127.0.0.1:${port}:8000"`).replace('"127.0.0.1:8888:8888"', `"127.0.0.1:${port}:8888"`));
    try {
      const free = (await doctor(machine(old.host, withPlugins))).checks.get('ports');
      assert.deepEqual(free, { name: 'ports', status: 'ok', detail: `${port} free on 127.0.0.1` });
      const server = await hold(port);
      assert.ok(server, `port ${port} was taken meanwhile`);
      try {
        const r = await doctor(machine(old.host, withPlugins));
        assert.equal(r.code, 1);
        const ports = r.checks.get('ports');
        assert.equal(ports?.status, 'fail', JSON.stringify(ports));
        assert.equal(ports.detail, `port ${port} already in use on this machine; the project's tasks publish it`);
        assert.equal(ports.fix, FIXES.portInUse(port).linux);
      } finally {
        server.close();
      }
    } finally {
      await writeFile(compose, original);
    }
  });
});

describe('go-linux-ubuntu.sh: every fault is one `go: error:` line at the end and exit 1; .venv is made all the same', { skip: noDocker ?? notRoot }, () => {
  const go = async (env: NodeJS.ProcessEnv) => {
    const r = await execa('bash', ['scripts/go/go-linux-ubuntu.sh'], { cwd: project(), env: { ...env, SETUP_HOST_TOOLS_DIR: join(work, 'tools'), DEBIAN_FRONTEND: 'noninteractive' }, reject: false, all: true, timeout: 600_000 });
    const errors = String(r.stderr).split('\n').filter((l) => l.startsWith('go: error: '));
    return { code: r.exitCode, errors, all: String(r.all) };
  };

  test('no engine answers', async () => {
    const r = await go(machine(deadSocket(), withPlugins));
    assert.equal(r.code, 1, r.all);
    assert.deepEqual(r.errors, ["go: error: no Docker engine answers: start it with 'sudo systemctl enable --now docker', then run this script again"], r.all);
    assert.match(r.all, /setup_host: done\. IDE interpreter: /);
  });

  test('an engine too old (the stand-in)', async () => {
    const r = await go(machine(old.host, withPlugins));
    assert.equal(r.code, 1, r.all);
    assert.equal(r.errors.length, 1, r.all);
    assert.match(r.errors[0]!, /^go: error: the Docker engine (speaks API 1\.30, older|is older) than Docker Engine 19\.03 \(API 1\.40\): upgrade it \(sudo apt-get install --only-upgrade docker\.io/);
  });

  test('Compose missing (apt has no package for it here)', async () => {
    const r = await go(machine(old.host, withoutPlugins));
    assert.equal(r.code, 1, r.all);
    assert.ok(r.errors.includes("go: error: Docker Compose v2 ('docker compose') is missing: install docker-compose-plugin from Docker's apt repository (see the README), then run ./tasks"), r.all);
  });

  test('its own setup failing (no package index): the setup line, exit 1', async () => {
    // A new tool folder and no uv on PATH: setup_host.py must pip-install uv, from an index that refuses.
    const env = { ...machine(old.host, withPlugins), PATH: '/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin', PIP_INDEX_URL: 'http://127.0.0.1:9/simple', PIP_RETRIES: '0', PIP_TIMEOUT: '5' };
    const r = await execa('bash', ['scripts/go/go-linux-ubuntu.sh'], { cwd: project(), env: { ...env, SETUP_HOST_TOOLS_DIR: join(work, 'tools-empty') }, reject: false, all: true, timeout: 300_000 });
    assert.equal(r.exitCode, 1, String(r.all));
    assert.match(String(r.stderr), /^setup_host: error: pip could not install uv [\d.]+ from the package index \(exit code \d+\)$/m);
  });
});
