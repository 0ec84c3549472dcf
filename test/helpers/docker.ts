// A real, private Docker engine for the container tests: Debian's dockerd started by the test
// run with its own data-root, exec-root, socket, pid file and log in a temporary folder, the
// Compose v2 and buildx plugins built by .ci/tools.d/60-docker-engine.sh (DOCKER_CONFIG points at
// a folder of the engine's own, so nothing is written to ~/.docker), and the stand-in base image
// loaded under the official name. stop() ends the daemon by its pid and removes the folder.
//
// No registry is reachable here, so `python:3.13-slim-trixie` is Debian minbase + python3 from
// debootstrap, slimmed by the official images' own rules (test/e2e/make-base-rootfs.sh), with
// the sandbox adaptations in a layer of its own: this machine's CA bundle and the variables pip,
// requests (Poetry) and uv read (HTTPS goes through an intercepting proxy whose CA only the host
// trusts), and, when .tools has it, the Poetry PyPI shim (see
// .ci/tools.d/python-tools/poetry_pypi_shim.py). Generated Dockerfiles are built unchanged.
//
// One engine per machine at a time: two dockerd in one network namespace fight over docker0 and
// the DOCKER iptables chains, so startEngine() waits for a lock (flock on a file in the temp
// folder), which a crashed run releases when its process ends.

import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { chmod, copyFile, mkdir, mkdtemp, readFile, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { execa, type Options, type Result } from 'execa';

const REPO = fileURLToPath(new URL('../..', import.meta.url));
const TOOLS = join(REPO, '.tools', 'docker');
const SHIM = join(REPO, '.ci', 'tools.d', 'python-tools', 'poetry_pypi_shim.py');
/** A daemon this checkout started and did not stop (the run was killed): pid and folder. */
const LAST = join(TOOLS, 'dockerd.last');

export interface Engine {
  /** Environment for docker commands: DOCKER_HOST, DOCKER_CONFIG, DOCKER_BUILDKIT. */
  env: NodeJS.ProcessEnv;
  dir: string;
  /** DOCKER_CONFIG folder (cli-plugins inside). */
  config: string;
  /** The Compose and buildx plugins' folder (under .tools/, outlives the engine). */
  plugins: string;
  apiVersion: string;
  docker(args: string[], options?: Options): Promise<Result>;
  log(): Promise<string>;
  stop(): Promise<void>;
}

/** Why the engine cannot run here, or undefined when it should (root, or CI where it must). */
export function engineUnavailable(): string | undefined {
  if (process.platform !== 'linux') return 'the test engine runs on Linux only';
  if (process.getuid?.() !== 0 && process.env.CI !== 'true') return 'starting dockerd needs root (runs in CI as root)';
  return undefined;
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

async function waitExit(pid: number, ms: number): Promise<boolean> {
  const deadline = Date.now() + ms;
  while (Date.now() < deadline) {
    if (!alive(pid)) return true;
    await new Promise((r) => setTimeout(r, 200));
  }
  return !alive(pid);
}

/** Holds a machine-wide lock until release() (or this process's end). */
async function lock(file: string, seconds: number): Promise<{ release: () => void; holder: ChildProcess }> {
  const holder = spawn('flock', ['-w', String(seconds), file, 'sh', '-c', 'echo locked; read _'], { stdio: ['pipe', 'pipe', 'pipe'] });
  let err = '';
  holder.stderr?.on('data', (d) => (err += String(d)));
  await new Promise<void>((resolve, reject) => {
    holder.stdout?.on('data', (d) => String(d).includes('locked') && resolve());
    holder.once('exit', (code) => reject(new Error(`could not take the engine lock ${file} within ${seconds}s (exit ${code}): ${err}`)));
    holder.once('error', reject);
  });
  return { holder, release: () => holder.stdin?.end() };
}

/** Stops a daemon an earlier, killed run of this checkout left behind (by its pid). */
async function stopLeftover(): Promise<void> {
  if (!existsSync(LAST)) return;
  const [pidText = '', dir = ''] = (await readFile(LAST, 'utf8')).trim().split('\n');
  const pid = Number(pidText);
  if (pid > 0 && alive(pid)) {
    const cmdline = await readFile(`/proc/${pid}/cmdline`, 'utf8').catch(() => '');
    if (cmdline.startsWith('dockerd') && dir && cmdline.includes(dir)) {
      process.kill(pid, 'SIGTERM');
      if (!(await waitExit(pid, 30_000))) process.kill(pid, 'SIGKILL');
    }
  }
  if (dir.startsWith(tmpdir())) await rm(dir, { recursive: true, force: true }).catch(() => undefined);
  await rm(LAST, { force: true });
}

/**
 * Installs what is missing (.ci/tools.d/60-docker-engine.sh, idempotent), starts a private
 * dockerd and loads the stand-in base images. Throws with the reason when anything fails.
 */
export async function startEngine(baseImages: Array<{ image: string; suite: string }> = [{ image: 'python:3.13-slim-trixie', suite: 'trixie' }]): Promise<Engine> {
  const tools = await execa('bash', [join(REPO, '.ci/tools.d/60-docker-engine.sh')], { reject: false, all: true });
  if (tools.exitCode !== 0) throw new Error(`.ci/tools.d/60-docker-engine.sh failed:\n${String(tools.all).slice(-3000)}`);
  const plugins = (await readFile(join(TOOLS, 'plugins-dir'), 'utf8')).trim();

  await mkdir(TOOLS, { recursive: true });
  const held = await lock(join(tmpdir(), 'create-ml-project-test-dockerd.lock'), 1800);
  let pid = 0;
  // Short path: a unix socket path must stay under 108 bytes.
  const dir = await mkdtemp(join(tmpdir(), 'cmlp-docker-'));
  const logFile = join(dir, 'dockerd.log');
  const pidFile = join(dir, 'docker.pid');
  const config = join(dir, 'config');
  // A test run ended by a signal takes its daemon with it (a SIGKILLed one leaves it to the next
  // run's stopLeftover()).
  const onSignal = (signal: NodeJS.Signals) => {
    if (pid > 0 && alive(pid)) process.kill(pid, 'SIGTERM');
    process.kill(process.pid, signal);
  };
  process.once('SIGTERM', onSignal).once('SIGINT', onSignal);
  // Set once the daemon answers: removes its containers and networks before it stops. A network's
  // bridge (br-…) outlives the daemon and its folder; left behind, each compose project's took a
  // /16 or /20 from Docker's default address pools until no network could be created any more.
  let clear: (() => Promise<void>) | undefined;
  const stop = async () => {
    process.off('SIGTERM', onSignal).off('SIGINT', onSignal);
    if (pid > 0 && alive(pid)) {
      await clear?.().catch(() => undefined);
      process.kill(pid, 'SIGTERM');
      if (!(await waitExit(pid, 30_000))) process.kill(pid, 'SIGKILL');
      await waitExit(pid, 5_000);
    }
    await rm(LAST, { force: true });
    await rm(dir, { recursive: true, force: true }).catch(() => undefined);
    held.release();
  };
  try {
    await stopLeftover();
    await mkdir(config);
    await symlink(plugins, join(config, 'cli-plugins'));
    // Traversable by other users: the training-image test runs the README's commands as a
    // non-root user (the socket itself is root:docker 660, as with Debian's own service).
    await chmod(dir, 0o711);
    const env: NodeJS.ProcessEnv = { ...process.env, DOCKER_HOST: `unix://${join(dir, 'docker.sock')}`, DOCKER_CONFIG: config, DOCKER_BUILDKIT: '1' };
    for (const key of ['DOCKER_CONTEXT', 'DOCKER_TLS_VERIFY', 'DOCKER_CERT_PATH']) delete env[key];
    const daemon = spawn(
      'sh',
      ['-c', 'exec dockerd "$@" >"$LOG" 2>&1', 'dockerd', '--storage-driver=overlay2', '--data-root', join(dir, 'root'), '--exec-root', join(dir, 'exec'), '-H', env.DOCKER_HOST!, '-p', pidFile, '--group', 'docker'],
      { env: { ...process.env, LOG: logFile }, detached: true, stdio: 'ignore' },
    );
    daemon.unref();
    pid = daemon.pid ?? 0;
    await writeFile(LAST, `${pid}\n${dir}\n`);
    const log = async () => (await readFile(logFile, 'utf8').catch(() => '')).slice(-4000);
    const docker = (args: string[], options: Options = {}) => execa('docker', args, { env, all: true, reject: false, ...options }) as Promise<Result>;

    let apiVersion = '';
    const deadline = Date.now() + 60_000;
    while (Date.now() < deadline) {
      if (!alive(pid)) throw new Error(`dockerd exited at start:\n${await log()}`);
      const v = await docker(['version', '--format', '{{.Server.APIVersion}}'], { timeout: 10_000 });
      if (v.exitCode === 0) {
        apiVersion = String(v.stdout).trim();
        break;
      }
      await new Promise((r) => setTimeout(r, 500));
    }
    if (!apiVersion) throw new Error(`dockerd did not answer within 60s:\n${await log()}`);
    clear = async () => {
      const ids = String((await docker(['ps', '-aq'], { timeout: 30_000 })).stdout).split('\n').filter(Boolean);
      if (ids.length > 0) await docker(['rm', '-f', ...ids], { timeout: 60_000 });
      await docker(['network', 'prune', '-f'], { timeout: 60_000 });
    };
    for (const plugin of ['compose', 'buildx']) {
      const v = await docker([plugin, 'version']);
      if (v.exitCode !== 0) throw new Error(`docker ${plugin} plugin not usable from ${plugins}:\n${v.all}`);
    }

    for (const { image, suite } of baseImages) await loadBaseImage(docker, image, suite, dir);
    return { env, dir, config, plugins, apiVersion, docker, log, stop };
  } catch (error) {
    const tail = await readFile(logFile, 'utf8').catch(() => '');
    await stop();
    if (tail && error instanceof Error && !error.message.includes(tail.slice(-200))) error.message += `\n--- dockerd.log\n${tail.slice(-3000)}`;
    throw error;
  }
}

async function loadBaseImage(docker: Engine['docker'], image: string, suite: string, dir: string): Promise<void> {
  const made = await execa('bash', [join(REPO, 'test/e2e/make-base-rootfs.sh'), suite], { reject: false });
  if (made.exitCode !== 0) throw new Error(`make-base-rootfs.sh ${suite} failed:\n${made.stderr}`);
  const tarball = made.stdout.trim().split('\n').at(-1) ?? '';
  const raw = `cmlp-standin-rootfs:${suite}`;
  const imported = await docker(['import', tarball, raw]);
  if (imported.exitCode !== 0) throw new Error(`docker import ${tarball} failed:\n${imported.all}`);

  // The official image's configuration, then the sandbox adaptations in a layer of their own.
  const context = join(dir, `base-${suite}`);
  await mkdir(context);
  await copyFile('/etc/ssl/certs/ca-certificates.crt', join(context, 'sandbox-ca-bundle.crt'));
  const shim = await poetryNeedsShim();
  if (shim) await copyFile(SHIM, join(context, 'poetry_pypi_shim.py'));
  const lines = [
    `FROM ${raw}`,
    'ENV PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin LANG=C.UTF-8',
    'COPY sandbox-ca-bundle.crt /etc/ssl/certs/sandbox-ca-bundle.crt',
    'ENV PIP_CERT=/etc/ssl/certs/sandbox-ca-bundle.crt REQUESTS_CA_BUNDLE=/etc/ssl/certs/sandbox-ca-bundle.crt SSL_CERT_FILE=/etc/ssl/certs/sandbox-ca-bundle.crt',
  ];
  if (shim) {
    lines.push(
      'COPY poetry_pypi_shim.py /tmp/poetry_pypi_shim.py',
      `RUN stdlib=$(python3 -c 'import sysconfig; print(sysconfig.get_paths()["stdlib"])') && mv /tmp/poetry_pypi_shim.py "$stdlib/" && echo 'import poetry_pypi_shim' >> "$stdlib/sitecustomize.py"`,
    );
  }
  lines.push(`LABEL org.example.sandbox-standin="debootstrap ${suite}; CA bundle${shim ? '; Poetry PyPI shim' : ''}"`, 'CMD ["python3"]');
  await writeFile(join(context, 'Dockerfile'), `${lines.join('\n')}\n`);
  const built = await docker(['build', '-q', '-t', image, context], { timeout: 300_000 });
  if (built.exitCode !== 0) throw new Error(`building the stand-in ${image} failed:\n${built.all}`);
  await docker(['rmi', raw]);
}

/**
 * The same test as .ci/tools.d/20-python-tools.sh: the shim only where PyPI's per-project JSON
 * answers and its per-release JSON does not (this sandbox's proxy). Real PyPI serves both.
 */
async function poetryNeedsShim(): Promise<boolean> {
  const status = async (url: string) => {
    try {
      return (await fetch(url, { signal: AbortSignal.timeout(30_000) })).status;
    } catch {
      return 0;
    }
  };
  return (await status('https://pypi.org/pypi/pip/json')) === 200 && (await status('https://pypi.org/pypi/pip/24.0/json')) === 404;
}

/** Image size in bytes as Docker counts it (docker image inspect .Size). */
export async function imageSize(engine: Engine, image: string): Promise<number> {
  const r = await engine.docker(['image', 'inspect', '--format', '{{.Size}}', image]);
  if (r.exitCode !== 0) throw new Error(`docker image inspect ${image}: ${r.all}`);
  return Number(String(r.stdout).trim());
}

/** The user id the tests run docker as when they act as a developer: not root. */
export const DEV_UID = 1000;

/**
 * A developer's account for `setpriv`: uid DEV_UID in the group of the engine's socket (as
 * Debian's docker group grants), with a home and a Docker config of its own under `work`.
 */
export async function developerAccount(engine: Engine, work: string): Promise<{ home: string; dockerGid: string }> {
  const home = join(work, 'dev-home');
  await mkdir(join(home, '.docker'), { recursive: true });
  await symlink(engine.plugins, join(home, '.docker', 'cli-plugins'));
  await execa('chown', ['-R', `${DEV_UID}:${DEV_UID}`, home]);
  const dockerGid = (await execa('getent', ['group', 'docker'])).stdout.split(':')[2] ?? '';
  if (!dockerGid) throw new Error('no docker group: the engine package makes it');
  return { home, dockerGid };
}
