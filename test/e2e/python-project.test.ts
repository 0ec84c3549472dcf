// End-to-end proof of the Python project in template/: scaffold real projects, install their
// locked dependencies, lint, test, train and serve on the host.
//
//   node --import tsx --test test/e2e/python-project.test.ts
//
// Needs network access to PyPI. Installs its tools with .ci/tools.d/20-python-tools.sh (poetry,
// uv, hadolint into .tools/venv); shellcheck comes from .ci/tools.d/30-shellcheck.sh. Nothing is
// mocked: every install, request and build is real. A step that cannot run on this machine is
// skipped with the reason.
//
// The images (dev, builder, prod) are built and run with a real Docker engine in
// test/e2e/container-workflow.test.ts.
//
// Time on a 2-core machine: about 5 minutes.
// Environment: E2E_KEEP=1 keeps the scaffolded projects (their paths are printed).

import { after, before, describe, test, type TestContext } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm, readdir } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { execa, type Options } from 'execa';
import type { Answers } from '../../src/options.js';
import { freePort, requestApi } from '../helpers/api.js';
import { renderTo } from '../helpers/render.js';
import { NAME_PATTERN, validateProjectName } from '../../src/validate.js';

const REPO = fileURLToPath(new URL('../..', import.meta.url));
const TOOLS_BIN = join(REPO, '.tools', 'venv', 'bin');
const KEEP = process.env.E2E_KEEP === '1';

let work = '';
/** The ONNX model trained by the default project, served by the API-only project (via fetch-model.sh). */
let trainedModel: { path: string; sha256: string } | undefined;

/** Environment for commands in a generated project: pinned tools first on PATH, no outer venv. */
function projectEnv(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env, PATH: `${TOOLS_BIN}:${process.env.PATH ?? ''}`, ...extra };
  for (const key of ['VIRTUAL_ENV', 'VENV_PATH', 'UV_PROJECT_ENVIRONMENT', 'POETRY_ACTIVE', 'API_URL', 'MODEL_PATH']) {
    if (!(key in extra)) delete env[key];
  }
  return env;
}

async function sh(t: TestContext, cwd: string, command: string, args: string[] = [], options: Options = {}) {
  const started = Date.now();
  const result = await execa(command, args, { cwd, env: projectEnv(), all: true, reject: false, timeout: 600_000, ...options });
  t.diagnostic(`${command} ${args.join(' ')} -> exit ${result.exitCode} in ${((Date.now() - started) / 1000).toFixed(1)}s`);
  if (result.exitCode !== 0) {
    assert.fail(`${command} ${args.join(' ')} failed in ${cwd} (exit ${result.exitCode}):\n${String(result.all ?? '').slice(-4000)}`);
  }
  return String(result.all ?? '');
}

/** Polls url until it answers 200 or the process exits or the time is up. */
async function waitForHealth(url: string, child: ChildProcess, seconds: number, log: () => string): Promise<void> {
  const deadline = Date.now() + seconds * 1000;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) assert.fail(`server exited with ${child.exitCode}:\n${log()}`);
    try {
      const response = await fetch(url, { signal: AbortSignal.timeout(2000) });
      if (response.status === 200) return;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 500));
  }
  assert.fail(`no 200 from ${url} within ${seconds}s:\n${log()}`);
}

/** Starts a long-running command in its own process group; stop() ends that group only. */
function startServer(cwd: string, command: string, args: string[], env: NodeJS.ProcessEnv) {
  let output = '';
  const child = spawn(command, args, { cwd, env, detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
  child.stdout?.on('data', (d) => (output += String(d)));
  child.stderr?.on('data', (d) => (output += String(d)));
  const stop = async () => {
    if (child.exitCode !== null || child.pid === undefined) return;
    const exited = new Promise((r) => child.once('exit', r));
    process.kill(-child.pid, 'SIGTERM');
    const timer = setTimeout(() => child.pid && child.exitCode === null && process.kill(-child.pid, 'SIGKILL'), 10_000);
    await exited;
    clearTimeout(timer);
  };
  return { child, stop, log: () => output.slice(-4000) };
}

// Prints (JSON) the names of the installed distributions and of the top-level modules they
// install, read from each distribution's file list.
const INSTALLED_NAMES = `
import importlib.metadata as md, json
names = set()
for dist in md.distributions():
    names.add(dist.metadata["Name"])
    for file in dist.files or []:
        top = file.parts[0]
        if top.endswith((".dist-info", ".data")) or top in ("..", "__pycache__"):
            continue
        stem = top.split(".")[0]
        if stem.isidentifier():
            names.add(stem)
print(json.dumps(sorted(names)))
`;

async function have(command: string): Promise<boolean> {
  return (await execa('sh', ['-c', `command -v ${command}`], { reject: false })).exitCode === 0;
}

before(async () => {
  work = await mkdtemp(join(tmpdir(), 'e2e-python-'));
  // Pinned poetry + uv; idempotent (a second run only checks versions).
  await execa('bash', [join(REPO, '.ci/tools.d/20-python-tools.sh')], { stdio: 'inherit' });
});

after(async () => {
  if (KEEP) console.log(`kept scaffolded projects in ${work}`);
  else if (work) await rm(work, { recursive: true, force: true });
});

describe('shipped lock files', () => {
  const variants: Array<{ pm: 'poetry' | 'uv'; api: boolean }> = [
    { pm: 'poetry', api: true },
    { pm: 'poetry', api: false },
    { pm: 'uv', api: true },
    { pm: 'uv', api: false },
  ];
  for (const { pm, api } of variants) {
    test(`${pm} lock for api=${api} is written and fresh for the rendered pyproject.toml`, async (t) => {
      const dir = join(work, `lock-${pm}-${api}`);
      // The lock is an ordinary template file, so it is there whether or not anything is installed.
      await renderTo(dir, { name: 'lock-check', packageManager: pm, api });
      const lock = pm === 'poetry' ? 'poetry.lock' : 'uv.lock';
      assert.ok(existsSync(join(dir, lock)), `${lock} missing`);
      if (pm === 'poetry') await sh(t, dir, join(TOOLS_BIN, 'poetry'), ['check', '--lock', '--no-interaction']);
      else {
        await sh(t, dir, join(TOOLS_BIN, 'uv'), ['lock', '--check']);
        assert.match(await readFile(join(dir, lock), 'utf8'), /^name = "lock-check"$/m);
      }
    });
  }
});

interface Variant {
  label: string;
  answers: Partial<Answers>;
  /** Project name; by default derived from the label. */
  name?: string;
}

const VARIANTS: Variant[] = [
  { label: 'default answers', answers: {} },
  // Every value of every option that shapes the project is in at least one variant (the cloud
  // changes only automation here, but the project must still lint, test and train with it).
  { label: 'packageManager=uv, runner=compose, cloud=gcp', answers: { packageManager: 'uv', runner: 'compose', cloud: 'gcp' } },
  { label: 'api=false, cloud=azure', answers: { api: false, cloud: 'azure' } },
  // The longest name allowed (50): long imports and docstrings must still pass ruff.
  { label: 'training=false, python=3.14, longest name', answers: { training: false, python: '3.14' }, name: `e2e-${'x'.repeat(45)}n` },
  { label: 'python=3.12, cloud=aws', answers: { python: '3.12', cloud: 'aws' } },
];

for (const variant of VARIANTS) {
  describe(`scaffolded project: ${variant.label}`, () => {
    const api = variant.answers.api ?? true;
    const training = variant.answers.training ?? true;
    const pm = variant.answers.packageManager ?? 'poetry';
    let dir = '';
    let pkg = '';
    let ready = false;

    test('renders and installs the locked dependencies into .venv', async (t) => {
      const name = variant.name ?? `e2e-${variant.label.replace(/[^a-z0-9]+/gi, '-').replace(/-+$/, '').toLowerCase()}`;
      pkg = name.replaceAll('-', '_');
      dir = join(work, name);
      await renderTo(dir, { ...variant.answers, name });
      t.diagnostic(`project in ${dir}`);

      const setupHost = join(dir, 'scripts', 'go', 'setup_host.py');
      if (existsSync(setupHost)) {
        // The product's own host setup; it finds the pinned tool first on PATH.
        await sh(t, dir, 'python3', [setupHost], { env: projectEnv({ SETUP_HOST_TOOLS_DIR: join(work, 'setup-host-tools') }) });
      } else {
        t.diagnostic('scripts/go/setup_host.py not in the template yet: installing with the pinned package manager');
        await sh(t, dir, 'bash', ['scripts/setup.sh']);
      }
      assert.ok(existsSync(join(dir, '.venv', 'bin', 'python')));
      // The setup task on the host afterwards: a no-op that keeps .venv's interpreter.
      const version = async () => sh(t, dir, '.venv/bin/python', ['-c', 'import sys; print(sys.version)']);
      const before = await version();
      await sh(t, dir, 'bash', ['scripts/setup.sh']);
      assert.equal(await version(), before, 'scripts/setup.sh replaced the .venv interpreter');
      const groups = await sh(t, dir, '.venv/bin/python', ['-c', 'import importlib.util as u; print(bool(u.find_spec("jupyterlab")), bool(u.find_spec("pytest")), bool(u.find_spec("fastapi")))']);
      assert.equal(groups.trim(), `False True ${api ? 'True' : 'False'}`, 'dev group in, notebook group out, fastapi only with the API');
      ready = true;
    });

    test('has only the code its answers ask for', () => {
      assert.ok(ready);
      assert.equal(existsSync(join(dir, 'src', pkg, 'api')), api);
      assert.equal(existsSync(join(dir, 'src', pkg, 'training')), training);
      assert.equal(existsSync(join(dir, 'scripts', 'fetch-model.sh')), !training);
      assert.equal(existsSync(join(dir, pm === 'poetry' ? 'poetry.lock' : 'uv.lock')), true);
    });

    test('no distribution or module in .venv could be taken as a project name', async (t) => {
      assert.ok(ready, 'setup failed');
      // Every installed distribution's name and every top-level module it installs (packages,
      // single-file modules, extension modules), in the form a project name would take.
      const listed = await sh(t, dir, '.venv/bin/python', ['-c', INSTALLED_NAMES]);
      const own = new Set([pkg.replaceAll('_', '-')]);
      const names = (JSON.parse(listed) as string[]).map((n) => n.toLowerCase().replace(/[-_.]+/g, '-')).filter((n) => !own.has(n) && NAME_PATTERN.test(n));
      assert.ok(names.includes('sklearn') && names.includes('numpy'), `module listing looks wrong: ${names.slice(0, 20).join(' ')}`);
      const accepted = names.filter((n) => validateProjectName(n) === undefined);
      assert.deepEqual(accepted, [], 'project names that would shadow an installed distribution or module (add to src/validate.ts)');
    });

    test('lint.sh passes (ruff check + format) and the shell scripts are shellcheck-clean', async (t) => {
      assert.ok(ready, 'setup failed');
      await sh(t, dir, 'bash', ['scripts/lint.sh']);
      if (!(await have('shellcheck'))) return t.skip('shellcheck not installed (.ci/tools.d/30-shellcheck.sh installs it)');
      // The task scripts of this area (go/ and deploy/ scripts are tested by their own suites).
      const scripts = (await readdir(join(dir, 'scripts'), { recursive: true }))
        .map(String)
        .filter((f) => f.endsWith('.sh') && !/^(go|deploy)\//.test(f) && f !== 'configure-github.sh')
        .map((f) => join('scripts', f));
      await sh(t, dir, 'shellcheck', ['-x', ...scripts]);
    });

    test('Dockerfile passes hadolint (apt version pins excepted, see its comment)', async (t) => {
      assert.ok(ready, 'setup failed');
      const hadolint = join(TOOLS_BIN, 'hadolint');
      if (!existsSync(hadolint)) return t.skip('hadolint not in .tools (run .ci/tools.d/20-python-tools.sh)');
      await sh(t, dir, hadolint, ['--failure-threshold', 'info', 'Dockerfile']);
    });

    test('unit tests pass', async (t) => {
      assert.ok(ready, 'setup failed');
      await sh(t, dir, 'bash', ['scripts/tests/unit-test.sh']);
    });

    if (training) {
      test('training: smoke test leaves artifacts/ alone; two trainings give identical metrics and model bytes; metrics test passes', async (t) => {
        assert.ok(ready, 'setup failed');
        await sh(t, dir, 'bash', ['scripts/tests/smoke-test-model-training.sh']);
        assert.ok(!existsSync(join(dir, 'artifacts')), 'the smoke test wrote into artifacts/');

        await sh(t, dir, 'bash', ['scripts/train-model.sh']);
        const first = await readFile(join(dir, 'artifacts', 'metrics.json'), 'utf8');
        // The fitted pipeline, and with an API its ONNX export, the file the API serves.
        const models = api ? ['model.skops', 'model.onnx'] : ['model.skops'];
        assert.equal(existsSync(join(dir, 'artifacts', 'model.onnx')), api, 'model.onnx is written exactly when the project has an API');
        const firstBytes = new Map<string, Buffer>();
        for (const model of models) {
          for (const file of [model, `${model}.sha256`]) firstBytes.set(file, await readFile(join(dir, 'artifacts', file)));
        }
        await sh(t, dir, 'bash', ['scripts/train-model.sh']);
        assert.equal(await readFile(join(dir, 'artifacts', 'metrics.json'), 'utf8'), first, 'training is not reproducible');
        // The model files too, byte for byte: the sha256 served at /health stays the same.
        for (const [file, bytes] of firstBytes) assert.ok(bytes.equals(await readFile(join(dir, 'artifacts', file))), `two trainings wrote different ${file} bytes`);
        const metrics = JSON.parse(first) as { held_out: { roc_auc: number; accuracy: number; baseline_accuracy: number } };
        t.diagnostic(`held-out metrics: ${JSON.stringify(metrics.held_out)}`);
        assert.ok(metrics.held_out.roc_auc > 0.7, 'model should clearly beat chance');

        await sh(t, dir, 'bash', ['scripts/tests/model-metrics-test.sh']);
        if (api && !trainedModel) {
          const sha = (await readFile(join(dir, 'artifacts', 'model.onnx.sha256'), 'utf8')).split(/\s+/)[0] ?? '';
          trainedModel = { path: join(dir, 'artifacts', 'model.onnx'), sha256: sha };
        }
      });
    } else {
      test('fetch-model.sh installs a verified model and refuses a wrong checksum', async (t) => {
        assert.ok(ready, 'setup failed');
        if (!trainedModel) return t.skip('no model trained by an earlier project in this run');
        const url = `file://${trainedModel.path}`;
        await assert.rejects(
          execa('bash', ['scripts/fetch-model.sh'], { cwd: dir, env: projectEnv({ MODEL_URL: url, MODEL_SHA256: '0'.repeat(64) }) }),
          /SHA-256/,
        );
        assert.ok(!existsSync(join(dir, 'artifacts', 'model.onnx')));
        await sh(t, dir, 'bash', ['scripts/fetch-model.sh'], { env: projectEnv({ MODEL_URL: url, MODEL_SHA256: trainedModel.sha256 }) });
        assert.ok(existsSync(join(dir, 'artifacts', 'model.onnx.sha256')));
      });
    }

    if (api) {
      test('api tests pass; the API serves real requests on a loopback port', async (t) => {
        assert.ok(ready, 'setup failed');
        await sh(t, dir, 'bash', ['scripts/tests/api-test.sh']);
        const skipped = await sh(t, dir, 'bash', ['scripts/tests/post-deployment-test.sh']);
        assert.match(skipped, /API_URL is not set/);

        if (!existsSync(join(dir, 'artifacts', 'model.onnx'))) return t.skip('no model in artifacts/ to serve');
        const port = await freePort();
        const server = startServer(dir, 'bash', ['scripts/start-api-locally.sh'], projectEnv({ PORT: String(port), RELOAD: '0' }));
        try {
          await waitForHealth(`http://127.0.0.1:${port}/health`, server.child, 60, server.log);
          const body = await requestApi(`http://127.0.0.1:${port}`, dir);
          t.diagnostic(`local API answered ${JSON.stringify(body)}`);
          const sample = await sh(t, dir, 'bash', ['scripts/request-local-api.sh'], { env: projectEnv({ PORT: String(port) }) });
          assert.match(sample, /"prediction":[01]/);
          // The post-deployment tests, pointed at the running server, pass for real.
          await sh(t, dir, 'bash', ['scripts/tests/post-deployment-test.sh'], { env: projectEnv({ API_URL: `http://127.0.0.1:${port}` }) });
        } finally {
          await server.stop();
        }
      });
    }

  });
}
