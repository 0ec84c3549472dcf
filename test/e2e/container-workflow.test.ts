// The container workflow of generated projects, run for real against a Docker engine
// (test/helpers/docker.ts starts a private dockerd; .ci/tools.d/60-docker-engine.sh installs it):
//   - dev, builder and prod images built with BuildKit from the Dockerfile as generated, each
//     image's size reported (printed, and written to bench/results/container-images.json), the
//     serving image held to its size budget, app layers and total (test/helpers/image-budget.ts);
//   - the dev container runs setup, the unit tests and training as the task runner does
//     (./tasks for Compose; batect's own container settings, via docker run, for batect),
//     writes no bytecode into the project and finds what the tasks import compiled ahead;
//   - the prod image runs as its own non-root user with a read-only root filesystem, turns
//     healthy by its HEALTHCHECK, answers /health and /predict on a published loopback port and
//     stops on SIGTERM within the grace period;
//   - the training-only image runs exactly the `docker run` line its README gives, as a non-root
//     host user, and writes the model into the mounted host folder;
//   - each cloud's train image runs the command its training job's dry run prints, as SageMaker,
//     Vertex AI and Azure ML would (test/helpers/training-jobs.ts), without network, and writes
//     the model where the platform uploads it.
//
//   node --import tsx --test test/e2e/container-workflow.test.ts
//
// Needs root (dockerd), PyPI and the Debian mirror (from containers, through the host's
// network). No registry is reachable: the base image is a local stand-in (see the helper).
// Not root outside CI: skipped with the reason. As root or in CI: an engine that cannot start
// fails the tests with the reason.
// Time on a 2-core machine: about 12 minutes with the tools cached.

import { after, before, describe, test, type TestContext } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { chmod, mkdtemp, readdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { execa, type Options } from 'execa';
import { parse as parseYaml } from 'yaml';
import type { Answers } from '../../src/options.js';
import { freePort, requestApi } from '../helpers/api.js';
import { renderTo } from '../helpers/render.js';
import { DEV_UID, developerAccount, engineUnavailable, imageSize, startEngine, type Engine } from '../helpers/docker.js';
import { assertProdBudget } from '../helpers/image-budget.js';
import { cli } from '../helpers/cli.js';
import { CLOUDS } from '../helpers/clouds.js';
import { dockerRunArgs, jobContainer, runStore, stageJob } from '../helpers/training-jobs.js';
import { FIXES } from '../../src/doctor/fixes.js';

const REPO = fileURLToPath(new URL('../..', import.meta.url));
const KEEP = process.env.E2E_KEEP === '1';
/** The Dockerfile's default base, the stand-in that startEngine() loads under its official name. */
const BASE_IMAGE = 'python:3.13-slim-trixie';

const unavailable = engineUnavailable();
let engine: Engine | undefined;
let work = '';
let devHome = '';
let dockerGid = '';
const sizes: Record<string, Record<string, number>> = {};
const started = Date.now();

/** Runs a docker (or other) command with the engine's environment; fails the test with its output. */
async function run(t: TestContext, cwd: string, command: string, args: string[], options: Options = {}): Promise<string> {
  assert.ok(engine, 'engine not started');
  const t0 = Date.now();
  const result = await execa(command, args, { cwd, env: engine.env, all: true, reject: false, timeout: 900_000, ...options });
  t.diagnostic(`${command} ${args.join(' ').slice(0, 160)} -> exit ${result.exitCode} in ${((Date.now() - t0) / 1000).toFixed(1)}s`);
  if (result.exitCode !== 0) assert.fail(`${command} ${args.join(' ')} failed in ${cwd} (exit ${result.exitCode}):\n${String(result.all ?? '').slice(-5000)}`);
  return String(result.all ?? '');
}

async function build(t: TestContext, dir: string, target: string, tag: string, project: string): Promise<void> {
  const t0 = Date.now();
  await run(t, dir, 'docker', ['build', '--target', target, '-t', tag, '.']);
  const bytes = await imageSize(engine!, tag);
  (sizes[project] ??= {})[target] = bytes;
  t.diagnostic(`image ${tag} (${target}): ${(bytes / 1e6).toFixed(0)} MB, built in ${((Date.now() - t0) / 1000).toFixed(0)}s`);
}

async function inspect<T>(what: string, format: string): Promise<T> {
  const r = await engine!.docker(['inspect', '--format', `{{json ${format}}}`, what]);
  assert.equal(r.exitCode, 0, String(r.all));
  return JSON.parse(String(r.stdout)) as T;
}

before(async () => {
  if (unavailable) return;
  work = await mkdtemp(join(tmpdir(), 'e2e-containers-'));
  await chmod(work, 0o755);
  engine = await startEngine();
  console.log(`docker engine: API ${engine.apiVersion}, folder ${engine.dir}`);
  // A developer's account: not root, in the group of the engine's socket (as Debian's docker
  // group grants), with a Docker config of its own.
  ({ home: devHome, dockerGid } = await developerAccount(engine, work));
});

/** A command line run by the developer (uid 1000) instead of root. */
function asDeveloper(command: string, args: string[]): [string, string[], Options] {
  return [
    'setpriv',
    ['--reuid', String(DEV_UID), '--regid', String(DEV_UID), '--groups', dockerGid, '--', command, ...args],
    { env: { ...engine!.env, HOME: devHome, DOCKER_CONFIG: join(devHome, '.docker'), USER: 'dev' } },
  ];
}

after(async () => {
  if (engine) {
    // Every container and volume of this run goes with the daemon's folder.
    await engine.stop();
  }
  if (Object.keys(sizes).length > 0) console.log(`container image sizes: ${JSON.stringify(sizes)}`);
  // The tracked figures: only from a run of every project (not a filtered one).
  if (Object.keys(sizes).length === API_PROJECTS.length + JOB_PROJECTS.length + 1) {
    const record = { date: new Date().toISOString(), note: 'docker image inspect .Size (bytes); stand-in base image, see test/helpers/docker.ts', images: sizes };
    await writeFile(join(REPO, 'bench/results/container-images.json'), `${JSON.stringify(record, null, 2)}\n`).catch(() => undefined);
  }
  console.log(`container workflow tests took ${((Date.now() - started) / 1000).toFixed(0)}s`);
  if (KEEP) console.log(`kept projects in ${work}`);
  else if (work) await rm(work, { recursive: true, force: true });
});

/**
 * Imports the modules named as arguments, then prints (JSON) the Python files of every module
 * loaded, outside the project's own /code, that have no bytecode for this interpreter's cache tag:
 * the dev image writes none at run time, so Python would compile those again at every task.
 */
const UNCOMPILED = `import importlib, importlib.util, json, os, sys
for name in sys.argv[1:]: importlib.import_module(name)
files = [m.__spec__.origin for m in list(sys.modules.values()) if getattr(m, "__spec__", None) and m.__spec__.origin]
files = [f for f in files if f.endswith(".py") and not f.startswith("/code/")]
print(json.dumps({"tag": sys.implementation.cache_tag, "modules": len(files), "uncompiled": [f for f in files if not os.path.exists(importlib.util.cache_from_source(f))]}))`;

/** Which modules the prod image can import (printed as JSON). */
const PROD_MODULES = 'import importlib.util as u, json; print(json.dumps({m: u.find_spec(m) is not None for m in ["onnxruntime", "sklearn", "pandas", "scipy", "skops", "skl2onnx", "onnx", "mlflow"]}))';

interface Project {
  label: string;
  name: string;
  answers: Partial<Answers>;
}

const API_PROJECTS: Project[] = [
  { label: 'batect, poetry, api+training, aws', name: 'ctr-batect-poetry', answers: { runner: 'batect', packageManager: 'poetry', api: true, training: true, cloud: 'aws', os: ['linux'] } },
  { label: 'compose, uv, api+training, gcp', name: 'ctr-compose-uv', answers: { runner: 'compose', packageManager: 'uv', api: true, training: true, cloud: 'gcp', os: ['linux'] } },
];

for (const project of API_PROJECTS) {
  describe(`containers: ${project.label}`, { skip: unavailable }, () => {
    const dir = () => join(work, project.name);
    const devTag = `${project.name}-dev:local`;
    const prodTag = `${project.name}:latest`;
    let trained = false;

    test('dev image builds with BuildKit from the generated Dockerfile', async (t) => {
      await renderTo(dir(), { ...project.answers, name: project.name });
      await build(t, dir(), 'dev', devTag, project.name);
      // BuildKit, not the classic builder: the same path as docker/build-push-action.
      const version = await run(t, dir(), 'docker', ['buildx', 'version']);
      t.diagnostic(version.trim());
    });

    test('in the dev container: setup, unit tests and training, as the task runner runs them', async (t) => {
      let venv = `${project.name}_venv:/opt/venv`;
      if (project.answers.runner === 'compose') {
        // As a developer runs them: a checkout owned by a non-root user (./tasks maps that user
        // into the container; Jupyter, later, refuses root).
        await execa('chown', ['-R', `${DEV_UID}:${DEV_UID}`, dir()]);
        await run(t, dir(), ...asDeveloper('./tasks', ['unit-test']));
        await run(t, dir(), ...asDeveloper('./tasks', ['train-model']));
      } else {
        // batect cannot run here (its JAR is only on GitHub releases): the task container as
        // batect.yml defines it (image stage, mounts, working directory, current user).
        const config = parseYaml(await readFile(join(dir(), 'batect.yml'), 'utf8'));
        const dev = config.containers.dev;
        assert.equal(dev.build_target, 'dev');
        const mounts: string[] = [];
        for (const v of dev.volumes) {
          if (v.type === 'cache') mounts.push('-v', (venv = `${v.name}:${v.container}`));
          else mounts.push('-v', `${join(dir(), v.local === '.' ? '' : v.local)}:${v.container}`);
        }
        const user = `${process.getuid?.() ?? 0}:${process.getgid?.() ?? 0}`;
        const docker = (command: string) => ['run', '--rm', '--init', ...mounts, '-w', dev.working_directory, '--user', user, '-e', `HOME=/tmp`, devTag, 'bash', '-c', command];
        for (const task of ['setup', 'unit-test', 'train-model']) {
          const command = config.tasks[task].run.command as string;
          await run(t, dir(), 'docker', docker(command));
        }
      }
      for (const file of ['model.skops', 'model.onnx', 'model.onnx.sha256', 'metrics.json']) assert.ok(existsSync(join(dir(), 'artifacts', file)), file);
      trained = true;
      // Bytecode: none written into the bind-mounted project (it would be owned by the container's
      // user), and what the tasks import compiled ahead (the image's standard library, the
      // dependencies by setup), so no task compiles it again. -B: this check writes none either.
      const written = await run(t, dir(), 'find', ['.', '-name', '__pycache__']);
      assert.equal(written.trim(), '', 'bytecode written into the project folder');
      const modules = ['pytest', 'numpy', 'pandas', 'sklearn.pipeline', 'onnxruntime', 'fastapi', 'mlflow'].filter((m) => m !== 'mlflow' || project.answers.tracking !== 'none');
      const report = JSON.parse((await run(t, dir(), 'docker', ['run', '--rm', '-v', venv, devTag, 'python', '-B', '-c', UNCOMPILED, ...modules])).trim().split('\n').at(-1) ?? '{}') as { tag: string; modules: number; uncompiled: string[] };
      t.diagnostic(`${report.modules} Python modules loaded by ${modules.join(', ')}; without ${report.tag} bytecode: ${report.uncompiled.length}`);
      assert.ok(report.modules > 500, `only ${report.modules} modules loaded`);
      assert.deepEqual(report.uncompiled.slice(0, 20), [], `${report.uncompiled.length} modules without bytecode`);
    });

    test('builder and prod images build with BuildKit', async (t) => {
      assert.ok(trained, 'no model trained');
      await build(t, dir(), 'builder', `${project.name}:builder`, project.name);
      await build(t, dir(), 'prod', prodTag, project.name);
      t.diagnostic(`sizes: ${JSON.stringify(sizes[project.name])}`);
      // The serving image's budget: app layers and total (test/helpers/image-budget.ts).
      const figures = await assertProdBudget(engine!, prodTag, BASE_IMAGE, project.answers.packageManager as 'poetry' | 'uv', (line) => t.diagnostic(line));
      sizes[project.name]!.base = figures.base;
    });

    test('prod image: own non-root user, read-only root, healthy, answers from the host, stops on SIGTERM in time', async (t) => {
      assert.ok(engine);
      const config = await inspect<{ User: string; Cmd: string[]; ExposedPorts: Record<string, unknown>; Healthcheck?: { Test: string[] } }>(prodTag, '.Config');
      assert.equal(config.User, '10001:10001');
      assert.ok('8000/tcp' in config.ExposedPorts);
      assert.ok(config.Healthcheck?.Test.join(' ').includes('urllib.request'), 'stdlib HEALTHCHECK');

      const port = await freePort();
      const name = `${project.name}-prod`;
      // The image's own HEALTHCHECK (command, timeout, retries, start period), probed every second:
      // at its 30 s interval the first probe comes 30 s after the start, a wait that proves nothing.
      await run(t, dir(), 'docker', ['run', '-d', '--name', name, '--read-only', '--tmpfs', '/tmp', '--health-interval', '1s', '-p', `127.0.0.1:${port}:8000`, prodTag]);
      try {
        const probe = await inspect<{ Test: string[]; Interval: number }>(name, '.Config.Healthcheck');
        assert.deepEqual(probe.Test, config.Healthcheck?.Test, "the container probes with the image's HEALTHCHECK command");
        assert.equal(probe.Interval, 1e9);
        const t0 = Date.now();
        let health = '';
        while (Date.now() - t0 < 150_000) {
          const state = await inspect<{ Status: string; Health?: { Status: string } }>(name, '.State');
          health = state.Health?.Status ?? 'none';
          if (health === 'healthy' || state.Status !== 'running') break;
          await new Promise((r) => setTimeout(r, 1000));
        }
        const logs = async () => String((await engine!.docker(['logs', name])).all).slice(-3000);
        assert.equal(health, 'healthy', `health ${health}:\n${await logs()}`);
        t.diagnostic(`healthy after ${((Date.now() - t0) / 1000).toFixed(0)}s`);

        const ids = await run(t, dir(), 'docker', ['exec', name, 'sh', '-c', 'id -u; awk \'/^Uid:/{print $2}\' /proc/1/status']);
        assert.deepEqual(ids.trim().split(/\s+/), ['10001', '10001'], 'the server (PID 1) runs as uid 10001');
        const readOnly = await engine.docker(['exec', name, 'sh', '-c', 'touch /app/x']);
        assert.notEqual(readOnly.exitCode, 0, 'the root filesystem is writable');
        assert.match(String(readOnly.all), /Read-only file system/);

        const body = await requestApi(`http://127.0.0.1:${port}`, dir());
        t.diagnostic(`prod container answered ${JSON.stringify(body)}`);
        // It scores with ONNX Runtime alone: nothing of training (nor MLflow's client) is in the image.
        const modules = await run(t, dir(), 'docker', ['exec', name, 'python', '-c', PROD_MODULES]);
        assert.deepEqual(JSON.parse(modules.trim().split('\n').at(-1) ?? '{}'), { onnxruntime: true, sklearn: false, pandas: false, scipy: false, skops: false, skl2onnx: false, onnx: false, mlflow: false });

        const grace = 10;
        const s0 = Date.now();
        await run(t, dir(), 'docker', ['stop', '-t', String(grace), name]);
        const stopped = (Date.now() - s0) / 1000;
        const state = await inspect<{ ExitCode: number; OOMKilled: boolean; Status: string }>(name, '.State');
        t.diagnostic(`docker stop took ${stopped.toFixed(1)}s; exit code ${state.ExitCode}`);
        assert.equal(state.Status, 'exited');
        // 0: the server handled SIGTERM itself; 137 would mean the grace period ran out (SIGKILL).
        assert.equal(state.ExitCode, 0, await logs());
        assert.ok(stopped < grace, `SIGTERM took ${stopped}s (grace ${grace}s)`);
        assert.match(await logs(), /Finished server process|Shutting down/);
      } finally {
        await engine.docker(['rm', '-f', name]);
      }
    });

    // The image a cloud training job runs (the Dockerfile's train stage), run as its platform
    // runs it (test/helpers/training-jobs.ts).
    const job = CLOUDS.find((c) => c.name === project.answers.cloud)?.training;
    if (job) {
      test(`train image: the ${job.platform} ${job.job}'s own command, as the image's non-root user, without network`, async (t) => {
        await runTrainingJob(t, dir(), project);
      });
    }

    if (project.answers.runner === 'compose') {
      test('compose runner: every ./tasks task the README lists runs against the engine', async (t) => {
        assert.ok(trained, 'no model trained');
        const tasks = async (...args: string[]) => run(t, dir(), ...asDeveloper('./tasks', args));
        // Already run above: setup (as a prerequisite), unit-test, train-model. Every task runs
        // even when one fails, so one failure does not hide another.
        const failed: string[] = [];
        for (const task of ['lint', 'smoke-test-model-training', 'model-metrics-test', 'api-test']) {
          await tasks(task).catch((error: Error) => failed.push(`./tasks ${task}: ${error.message.slice(-2500)}`));
        }

        // A task failing: its own output, then one line naming it and the way back, with its exit
        // code (pytest's 5: no test matched).
        const [command, args, options] = asDeveloper('./tasks', ['unit-test', '-k', 'no_test_has_this_name']);
        const failing = await execa(command, args, { ...options, cwd: dir(), reject: false });
        t.diagnostic(`a failing task: exit ${failing.exitCode}: ${String(failing.stderr).trim().split('\n').at(-1)}`);
        assert.equal(failing.exitCode, 5, String(failing.stdout) + String(failing.stderr));
        assert.equal(String(failing.stderr).trim().split('\n').at(-1), 'tasks: unit-test failed (exit 5); fix what its output above shows, then run ./tasks unit-test again');

        // A second setup: dependencies are kept in the volume, so it is quick and changes nothing.
        const venvState = async () =>
          run(t, dir(), 'docker', ['run', '--rm', '-v', `${project.name}_venv:/opt/venv`, devTag, 'sh', '-c', "find /opt/venv -printf '%p %s %T@\\n' | sort | sha256sum"]);
        const treeState = async () => run(t, dir(), 'sh', ['-c', "find . -path ./.git -prune -o -printf '%p %s %T@\\n' | sort | sha256sum"]);
        const [venvBefore, treeBefore] = [await venvState(), await treeState()];
        const s0 = Date.now();
        await tasks('setup');
        const seconds = (Date.now() - s0) / 1000;
        t.diagnostic(`second ./tasks setup: ${seconds.toFixed(1)}s`);
        assert.equal(await venvState(), venvBefore, 'the second setup changed /opt/venv');
        assert.equal(await treeState(), treeBefore, 'the second setup changed the project folder');
        assert.ok(seconds < 60, `second setup took ${seconds}s`);

        await serveAndStop(t, dir(), project.name, 'start-api-locally', 8000, async (base) => {
          const body = await requestApi(base, dir());
          t.diagnostic(`API in the dev container answered ${JSON.stringify(body)}`);
        });
        await serveAndStop(t, dir(), project.name, 'start-jupyter', 8888, async (base, output) => {
          // JupyterLab answers, and only with its login token.
          const denied = await fetch(`${base}/api/contents`);
          assert.equal(denied.status, 403, 'JupyterLab answered without its token');
          const token = /[?&]token=([0-9a-f]+)/.exec(output())?.[1];
          assert.ok(token, `no token in the output:\n${output()}`);
          const allowed = await fetch(`${base}/api/contents?token=${token}`);
          assert.equal(allowed.status, 200);
        });
        assert.deepEqual(failed, [], failed.join('\n\n'));
      });
    }
  });
}

// A project whose only container test is its training job's (the other clouds' jobs run in the
// API projects above). uv, as ctr-compose-uv: the dev stage comes from the build cache.
const JOB_PROJECTS: Project[] = [
  { label: 'compose, uv, api+training, azure', name: 'ctr-azure-job', answers: { runner: 'compose', packageManager: 'uv', api: true, training: true, cloud: 'azure', os: ['linux'] } },
];

for (const project of JOB_PROJECTS) {
  const job = CLOUDS.find((c) => c.name === project.answers.cloud)!.training!;
  describe(`containers: ${project.label}`, { skip: unavailable }, () => {
    test(`train image: the ${job.platform} ${job.job}'s own command, as the image's non-root user, without network`, async (t) => {
      const dir = join(work, project.name);
      await renderTo(dir, { ...project.answers, name: project.name });
      await runTrainingJob(t, dir, project);
    });
  });
}

/**
 * Builds the project's train image and runs the job its dry run prints as the platform would
 * (test/helpers/training-jobs.ts): the committed data where the request says the platform puts
 * it, the platform's folders mounted from the host, no network (with MLflow and no server named,
 * the run must be logged inside the job). The model must land in the folder the platform uploads,
 * and the run store in a folder it keeps.
 */
async function runTrainingJob(t: TestContext, dir: string, project: Project): Promise<void> {
  const tag = `${project.name}:train`;
  const t0 = Date.now();
  await build(t, dir, 'train', tag, project.name);
  assert.equal((await inspect<{ User: string }>(tag, '.Config')).User, '10001:10001');
  // Names valid in every cloud's store for the variables the data's location is built from.
  const cloud = CLOUDS.find((c) => c.name === project.answers.cloud)!;
  const vars = Object.fromEntries(cloud.data!.variables.map((name) => [name, 'exampledata']));
  const dryRun = async (env: Record<string, string>) => run(t, dir, 'python3', ['scripts/train_in_cloud.py', '--dry-run'], { env: { ...engine!.env, ...vars, ...env } });
  let printed = await dryRun({});
  // A platform whose jobs keep no local file needs the team's MLflow server, which cannot be
  // reached offline (and the job has no network): a SQLite store in a folder of its own, mounted
  // into the container, stands in for it.
  const server = printed.includes('<MLFLOW_TRACKING_URI>') ? '/tracking-server' : undefined;
  if (server) printed = await dryRun({ MLFLOW_TRACKING_URI: `sqlite:///${server}/mlflow.db` });
  const spec = jobContainer(JSON.parse(printed));
  if (server) spec.mounts.push(server);
  const root = join(work, `${project.name}-job`);
  const host = await stageJob(spec, root, dir, await readFile(join(dir, 'data', 'manifest.sha256'), 'utf8'));
  await run(t, dir, 'docker', dockerRunArgs(spec, root, tag));
  const written = (await readdir(host(spec.model))).sort();
  t.diagnostic(`the ${spec.platform} job wrote ${written.join(', ')} to ${spec.model}; build and run took ${((Date.now() - t0) / 1000).toFixed(0)}s`);
  const tracks = project.answers.tracking !== 'none';
  for (const file of ['model.skops', 'model.onnx', 'model.onnx.sha256', 'metrics.json', ...(tracks ? ['tracking.json'] : [])]) {
    assert.ok(written.includes(file), `${file} is not in ${spec.model}, the folder ${spec.platform} uploads`);
  }
  const store = runStore(spec);
  if (!tracks) return assert.equal(store, undefined, 'a run store without tracking');
  assert.ok(store, `no SQLite run store named by the job's MLFLOW_TRACKING_URI: ${spec.env.MLFLOW_TRACKING_URI}`);
  assert.ok(existsSync(host(store)), `the job logged no run to ${store}`);
  const keeps = server ? [server] : [spec.model, ...spec.kept];
  assert.ok(keeps.some((folder) => store.startsWith(`${folder}/`)), `${store} is not in a folder ${spec.platform} keeps (${keeps.join(', ')})`);
}

/**
 * Runs a serving ./tasks task as the developer, waits for its published port on the host, calls
 * check, then stops it: without a terminal as an IDE or CI would (SIGINT to its process group),
 * or, with `terminal`, as Ctrl-C at a terminal does (^C typed into a pseudo-terminal made by
 * script(1)). Either way no container of the project may be left running.
 */
async function serveAndStop(
  t: TestContext,
  dir: string,
  project: string,
  task: string,
  port: number,
  check: (base: string, output: () => string) => Promise<void>,
  { terminal = false }: { terminal?: boolean } = {},
): Promise<void> {
  const [command, args, options] = terminal ? asDeveloper('script', ['-qfec', `./tasks ${task}`, '/dev/null']) : asDeveloper('./tasks', [task]);
  const busy = await fetch(`http://127.0.0.1:${port}/`, { signal: AbortSignal.timeout(2000) }).then(() => true, () => false);
  assert.ok(!busy, `port ${port} on this machine is already in use: compose.yaml publishes it for ${task}`);
  let output = '';
  const child = execa(command, args, { ...options, cwd: dir, detached: true, reject: false, all: true, buffer: false, stdin: 'pipe' });
  child.all?.on('data', (d: Buffer) => (output += String(d)));
  const base = `http://127.0.0.1:${port}`;
  const t0 = Date.now();
  let stopped = false;
  let left = '';
  try {
    let up = false;
    while (!up && Date.now() - t0 < 180_000) {
      if (child.exitCode !== null) assert.fail(`./tasks ${task} exited with ${child.exitCode}:\n${output.slice(-4000)}`);
      up = await fetch(`${base}/`, { signal: AbortSignal.timeout(2000) }).then(() => true, () => false);
      if (!up) await new Promise((r) => setTimeout(r, 1000));
    }
    assert.ok(up, `${base} did not answer within 180s:\n${output.slice(-4000)}`);
    t.diagnostic(`./tasks ${task}${terminal ? ' (in a terminal)' : ''}: ${base} answered after ${((Date.now() - t0) / 1000).toFixed(0)}s`);
    await check(base, () => output);
  } finally {
    if (child.pid && child.exitCode === null) {
      if (terminal) child.stdin?.write('\x03');
      else process.kill(-child.pid, 'SIGINT');
    }
    stopped = await Promise.race([child.then(() => true), new Promise<boolean>((r) => setTimeout(() => r(false), 30_000))]);
    if (!stopped && child.pid) process.kill(-child.pid, 'SIGKILL');
    left = String((await engine!.docker(['ps', '-q', '--filter', `label=com.docker.compose.project=${project}`])).stdout).trim();
    if (left) await engine!.docker(['rm', '-f', ...left.split('\n')]);
  }
  const how = terminal ? 'Ctrl-C at a terminal' : 'SIGINT without a terminal';
  assert.ok(stopped, `./tasks ${task} did not stop within 30s of ${how}:\n${output.slice(-3000)}`);
  t.diagnostic(`./tasks ${task} stopped by ${how} (exit ${child.exitCode ?? child.signalCode})`);
  // Without a terminal, `docker compose run` exits on SIGINT and leaves its container running:
  // ./tasks stops and removes the containers it started (the tasks.run label).
  assert.equal(left, '', `${left.split('\n').length} container(s) still running after ./tasks ${task} got ${how}:\n${output.slice(-3000)}`);
}

describe('containers: ./tasks stopped by SIGINT or Ctrl-C leaves no container', { skip: unavailable }, () => {
  const name = 'ctr-signals';
  const dir = () => join(work, name);

  test('start-api-locally and start-jupyter, without a terminal and at one', async (t) => {
    assert.ok(engine);
    await renderTo(dir(), { name, runner: 'compose', packageManager: 'uv', api: true, training: true, cloud: 'none', os: ['linux'] });
    await execa('chown', ['-R', `${DEV_UID}:${DEV_UID}`, dir()]);
    await run(t, dir(), ...asDeveloper('./tasks', ['train-model']));
    const api = async (base: string) => {
      await requestApi(base, dir());
    };
    await serveAndStop(t, dir(), name, 'start-api-locally', 8000, api);
    await serveAndStop(t, dir(), name, 'start-api-locally', 8000, api, { terminal: true });
    await serveAndStop(t, dir(), name, 'start-jupyter', 8888, async (base) => {
      assert.equal((await fetch(`${base}/api/contents`)).status, 403);
    });
  });
});

describe('containers: training-only image (--no-api)', { skip: unavailable }, () => {
  const name = 'ctr-training';
  const dir = () => join(work, name);

  test("the README's docker build and docker run lines, run as a non-root host user, write the model into the host folder", async (t) => {
    assert.ok(engine);
    await renderTo(dir(), { name, runner: 'compose', packageManager: 'poetry', api: false, training: true, cloud: 'none', os: ['linux'] });
    const readme = await readFile(join(dir(), 'README.md'), 'utf8');
    const section = readme.slice(readme.indexOf('### Container image'));
    const block = /```sh\n([\s\S]*?)```/.exec(section)?.[1] ?? '';
    const lines = block.split('\n').filter((l) => l.trim() !== '');
    assert.ok(lines.some((l) => l.startsWith('docker run ')), `no docker run line in:\n${block}`);
    t.diagnostic(`README lines:\n${lines.join('\n')}`);

    // A developer's checkout, owned by a non-root user who can use the engine.
    await execa('chown', ['-R', `${DEV_UID}:${DEV_UID}`, dir()]);
    const t0 = Date.now();
    await run(t, dir(), ...asDeveloper('sh', ['-ec', lines.join('\n')]));
    t.diagnostic(`README lines ran in ${((Date.now() - t0) / 1000).toFixed(0)}s`);

    for (const file of ['model.skops', 'model.skops.sha256', 'metrics.json']) {
      const info = await stat(join(dir(), 'artifacts', file));
      assert.equal(info.uid, DEV_UID, `${file} is owned by uid ${info.uid}, not the developer`);
    }
    const tag = /docker build .*-t (\S+)/.exec(block)?.[1] ?? '';
    const config = await inspect<{ User: string }>(tag, '.Config');
    assert.equal(config.User, '10001:10001', 'the image stays non-root by default');
    (sizes[name] ??= {}).prod = await imageSize(engine, tag);
    // Any uid, no folder mounted (a cluster's random user): the image's own artifacts/ is writable.
    await run(t, dir(), 'docker', ['run', '--rm', '--user', '12345:12345', tag]);
    // The image's own user with a volume (not a host folder): also writes.
    await run(t, dir(), 'docker', ['run', '--rm', '-v', `${name}-artifacts:/app/artifacts`, tag]);
  });
});

// Last: it stops the engine.
describe('doctor against the engine', { skip: unavailable }, () => {
  interface Check {
    name: string;
    status: 'ok' | 'warn' | 'fail';
    detail: string;
    fix?: string;
  }
  const doctor = (project: string) => {
    const r = cli(['doctor', project, '--json'], { cwd: work, env: engine!.env });
    const checks = new Map((JSON.parse(r.stdout) as { checks: Check[] }).checks.map((c) => [c.name, c]));
    return { code: r.code, checks, text: r.stdout };
  };

  test('reports the running engine, its real API version, batect compatibility and the Compose plugin', async (t) => {
    assert.ok(engine);
    for (const [name, flags] of [['doc-batect', ['--runner', 'batect']], ['doc-compose', ['--runner', 'compose', '--package-manager', 'uv']]] as const) {
      const r = cli([name, ...flags, '--yes', '--no-install', '--no-git'], { cwd: work });
      assert.equal(r.code, 0, r.stderr);
    }
    const version = JSON.parse(String((await engine.docker(['version', '--format', '{{json .Server}}'])).stdout)) as { Version: string; ApiVersion: string; MinAPIVersion: string };

    const batect = doctor('doc-batect');
    const engineCheck = batect.checks.get('docker engine');
    t.diagnostic(`doctor: ${JSON.stringify(engineCheck)} / ${JSON.stringify(batect.checks.get('batect ↔ docker API'))}`);
    assert.equal(engineCheck?.status, 'ok', batect.text);
    assert.match(engineCheck.detail, new RegExp(`^Docker Engine ${version.Version.replace(/[.+]/g, '\\$&')}, API ${version.ApiVersion.replace('.', '\\.')},`));
    assert.ok(engineCheck.detail.includes(`accepts API ≥ ${version.MinAPIVersion}`), engineCheck.detail);
    // Docker 20.10 accepts API 1.12 and newer: batect's 1.43 client is fine.
    assert.equal(batect.checks.get('batect ↔ docker API')?.status, 'ok', batect.text);

    const compose = doctor('doc-compose');
    const composeCheck = compose.checks.get('docker compose');
    t.diagnostic(`doctor: ${JSON.stringify(composeCheck)}`);
    assert.equal(composeCheck?.status, 'ok', compose.text);
    const plugin = String((await engine.docker(['compose', 'version', '--short'])).stdout).trim().replace(/^v/, '');
    assert.equal(composeCheck.detail, `Compose ${plugin}`);
  });

  test('with the engine stopped: the engine check fails with the documented fix, exit 1', async (t) => {
    assert.ok(engine);
    const env = engine.env;
    await engine.stop();
    const r = cli(['doctor', 'doc-compose', '--json'], { cwd: work, env });
    assert.equal(r.code, 1, r.stdout + r.stderr);
    const check = (JSON.parse(r.stdout) as { checks: Check[] }).checks.find((c) => c.name === 'docker engine');
    t.diagnostic(`doctor: ${JSON.stringify(check)}`);
    assert.equal(check?.status, 'fail');
    assert.match(check.detail, /^not reachable: /);
    assert.equal(check.fix, FIXES.dockerEngine.linux);
    const human = cli(['doctor', 'doc-compose'], { cwd: work, env });
    assert.match(human.stdout, /^✖ docker engine +not reachable: .+$/m);
    assert.ok(human.stdout.includes(FIXES.dockerEngine.linux), human.stdout);

    // ./tasks says the same in one line, and exits non-zero.
    const compose = join(work, 'ctr-compose-uv');
    if (existsSync(join(compose, 'tasks'))) {
      const [command, args, options] = asDeveloper('./tasks', ['setup']);
      const tasks = await execa(command, args, { ...options, env: { ...(options.env ?? {}), DOCKER_HOST: env.DOCKER_HOST }, cwd: compose, reject: false });
      t.diagnostic(`./tasks setup with the engine stopped: exit ${tasks.exitCode}: ${String(tasks.stderr)}`);
      assert.equal(tasks.exitCode, 1);
      assert.match(String(tasks.stderr), /^tasks: the Docker engine is not running or not reachable; start it \(Linux: sudo systemctl start docker;[^\n]*$/);
    }
  });
});
