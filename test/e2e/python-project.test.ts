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
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm, readdir } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execa } from 'execa';
import type { Answers } from '../../src/options.js';
import { freePort, requestApi } from '../helpers/api.js';
import { projectEnv, REPO, sh, startServer, TOOLS_BIN, waitForHealth } from '../helpers/project-run.js';
import { renderTo } from '../helpers/render.js';
import { CLOUDS } from '../helpers/clouds.js';
import { jobContainer, onHost, runStore, stageJob } from '../helpers/training-jobs.js';
import { NAME_PATTERN, validateProjectName } from '../../src/validate.js';

const KEEP = process.env.E2E_KEEP === '1';

let work = '';
/** The ONNX model trained by the default project, served by the API-only project (via fetch-model.sh). */
let trainedModel: { path: string; sha256: string } | undefined;

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
  // Each lock template renders one lock per --tracking value and per cloud with a training job
  // (tools/merge-lock-variants.py): every combination is checked against its pyproject.toml.
  const clouds = ['none', ...CLOUDS.filter((c) => c.training).map((c) => c.name)];
  for (const pm of ['poetry', 'uv'] as const) {
    for (const api of [true, false]) {
      for (const [tracking, cloud] of (['mlflow', 'none'] as const).flatMap((tr) => clouds.map((c) => [tr, c] as const))) {
        test(`${pm} lock for api=${api}, tracking=${tracking}, cloud=${cloud} is written and fresh for the rendered pyproject.toml`, async (t) => {
          const dir = join(work, `lock-${pm}-${api}-${tracking}-${cloud}`);
          // The lock is an ordinary template file, so it is there whether or not anything is installed.
          await renderTo(dir, { name: 'lock-check', packageManager: pm, api, tracking, cloud });
          const lock = pm === 'poetry' ? 'poetry.lock' : 'uv.lock';
          assert.ok(existsSync(join(dir, lock)), `${lock} missing`);
          if (pm === 'poetry') await sh(t, dir, join(TOOLS_BIN, 'poetry'), ['check', '--lock', '--no-interaction']);
          else {
            await sh(t, dir, join(TOOLS_BIN, 'uv'), ['lock', '--check']);
            assert.match(await readFile(join(dir, lock), 'utf8'), /^name = "lock-check"$/m);
          }
          const text = await readFile(join(dir, lock), 'utf8');
          assert.equal(/^name = "mlflow-skinny"$/m.test(text), tracking === 'mlflow', `mlflow-skinny in the lock exactly with tracking=mlflow`);
          if (pm === 'uv' && api && tracking === 'mlflow') {
            // What the production image installs (no groups): the API's dependencies, no MLflow, no cloud SDK.
            const prod = await sh(t, dir, join(TOOLS_BIN, 'uv'), ['export', '--locked', '--no-default-groups', '--no-hashes', '--format', 'requirements-txt']);
            assert.match(prod, /^onnxruntime==/m);
            assert.doesNotMatch(prod, /mlflow|databricks|sqlalchemy|botocore|google-api|azure/i, 'the production image would install MLflow or a cloud SDK');
          }
        });
      }
    }
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
  { label: 'packageManager=uv, runner=compose, cloud=gcp, tracking=none', answers: { packageManager: 'uv', runner: 'compose', cloud: 'gcp', tracking: 'none' }, name: 'e2e-uv-compose-gcp-untracked' },
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
    const tracks = training && (variant.answers.tracking ?? 'mlflow') === 'mlflow';
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
      // fastapi: the API's, and MLflow's client needs it too.
      assert.equal(groups.trim(), `False True ${api || tracks ? 'True' : 'False'}`, 'dev group in, notebook group out, fastapi only with the API or MLflow');
      ready = true;
    });

    test('has only the code its answers ask for', () => {
      assert.ok(ready);
      assert.equal(existsSync(join(dir, 'src', pkg, 'api')), api);
      assert.equal(existsSync(join(dir, 'src', pkg, 'training')), training);
      assert.equal(existsSync(join(dir, 'scripts', 'fetch-model.sh')), !training);
      assert.equal(existsSync(join(dir, 'src', pkg, 'training', 'tracking.py')), tracks);
      assert.equal(existsSync(join(dir, 'scripts', 'register-model.sh')), tracks);
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
        // With tracking, the run went to the project's own store (no MLFLOW_TRACKING_URI here).
        assert.equal(existsSync(join(dir, 'mlruns')), tracks, 'mlruns/ exactly when training is tracked');
        assert.equal(existsSync(join(dir, 'artifacts', 'tracking.json')), tracks);
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
          execa('bash', ['scripts/fetch-model.sh'], { cwd: dir, env: projectEnv({ MODEL_URL: url, MODEL_SHA256: '0'.repeat(64) }), extendEnv: false }),
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
        // A home of its own: ONNX Runtime would leave its telemetry device id and event cache there.
        const home = await mkdtemp(join(work, 'home-'));
        const server = startServer(dir, 'bash', ['scripts/start-api-locally.sh'], projectEnv({ PORT: String(port), RELOAD: '0', HOME: home }));
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
        assert.ok(!existsSync(join(home, '.cache', 'Microsoft')), 'ONNX Runtime kept telemetry in the home folder (~/.cache/Microsoft)');
      });
    }

    const job = training ? CLOUDS.find((c) => c.name === variant.answers.cloud)?.training : undefined;
    if (job) {
      test(`the ${job.platform} ${job.job} request passes its SDK's own validation (tests/cloud, the "cloud" group)`, async (t) => {
        assert.ok(ready, 'setup failed');
        // Last test of the project: the "cloud" group stays installed.
        // The default install has no SDK: the test is skipped, saying how to install it. (The
        // project's conftest.py is not needed here and only costs time: --noconftest.)
        // (pytest's exit 5: the module skipped itself, so nothing was collected.)
        const skipped = await execa('.venv/bin/python', ['-m', 'pytest', 'tests/cloud', '-rs', '--noconftest'], { cwd: dir, env: projectEnv(), extendEnv: false, all: true, reject: false });
        assert.equal(skipped.exitCode, 5, String(skipped.all));
        assert.match(String(skipped.all), /SKIPPED .*INSTALL_CLOUD_SDK=1 scripts\/setup\.sh/);
        const started = Date.now();
        await sh(t, dir, 'bash', ['scripts/setup.sh'], { env: projectEnv({ INSTALL_CLOUD_SDK: '1' }) });
        const passed = await sh(t, dir, '.venv/bin/python', ['-m', 'pytest', 'tests/cloud', '-rs', '--noconftest']);
        t.diagnostic(`cloud group installed and tests/cloud run in ${((Date.now() - started) / 1000).toFixed(1)}s`);
        assert.match(passed, / \d+ passed/);
        assert.doesNotMatch(passed, /skipped/);
        // The job's own command on this machine, as its platform would run it in the container
        // (test/helpers/training-jobs.ts; the container run is in container-workflow.test.ts):
        // every folder the platform provides placed under a folder of its own here, the project's
        // .venv first on PATH for the image's python.
        const job = jobContainer(JSON.parse(await sh(t, dir, '.venv/bin/python', ['scripts/train_in_cloud.py', '--dry-run'])));
        const root = join(work, `${pkg}-job`);
        const host = await stageJob(job, root, dir, await readFile(join(dir, 'data', 'manifest.sha256'), 'utf8'));
        const { argv, env, cwd } = onHost(job, root);
        assert.ok(argv.join(' ').includes(`--output-dir ${host(job.model)}`), `the job writes its model where ${job.platform} uploads from: ${argv.join(' ')}`);
        const [command, ...args] = argv;
        await sh(t, cwd, command!, args, { env: projectEnv({ ...env, PATH: `${join(dir, '.venv', 'bin')}:${process.env.PATH ?? ''}` }) });
        assert.ok(existsSync(join(host(job.model), 'model.skops')), 'the job command writes the model where the platform uploads from');
        const store = runStore(job);
        assert.equal(store !== undefined, tracks, 'a run store exactly when training is tracked');
        if (store) assert.ok(existsSync(host(store)), `the job logged no run to ${store}`);
      });
    }
  });
}
