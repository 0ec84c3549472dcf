// End-to-end proof of experiment tracking (--tracking mlflow, the default): a real MLflow tracking
// server on loopback, a generated project's real training run logged to it, the model registered
// by the script CI runs on main, read back through MLflow's own client, promoted as the approved
// production deploy job does, and the project's API reporting that run and version at /health.
//
//   node --import tsx --test test/e2e/mlflow-tracking.test.ts
//
// Needs network access to PyPI. Installs its tools with .ci/tools.d/20-python-tools.sh (poetry,
// uv) and .ci/tools.d/47-mlflow-server.sh (the full mlflow, with its server,
// in .tools/mlflow-venv). The server keeps its runs in SQLite and serves
// the artifacts itself, both in a temporary folder. Nothing is mocked.
//
// Environment: E2E_KEEP=1 keeps the project and the server's store (their paths are printed).

import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { execa } from 'execa';
import { freePort } from '../helpers/api.js';
import { projectEnv, REPO, sh, startServer, waitForHealth, withBytecodeCache } from '../helpers/project-run.js';
import { renderTo } from '../helpers/render.js';

const KEEP = process.env.E2E_KEEP === '1';
const MLFLOW = join(REPO, '.tools', 'mlflow-venv', 'bin');
const NAME = 'e2e-tracked';

let work = '';
let dir = '';
let uri = '';
let server: ReturnType<typeof startServer> | undefined;

interface TrackingFile {
  run_id: string;
  experiment_id: string;
  files: Record<string, string>;
  registered_model: string | null;
  model_version: string | null;
}

const trackingFile = async (): Promise<TrackingFile> => JSON.parse(await readFile(join(dir, 'artifacts', 'tracking.json'), 'utf8')) as TrackingFile;
const sha256 = async (path: string) => createHash('sha256').update(await readFile(path)).digest('hex');

// Reads the registry and the run back with MLflow's own client (the server's venv, not the
// project's): prints one JSON object.
const READ_BACK = `
import json, os, sys, tempfile
from mlflow import MlflowClient
client = MlflowClient(os.environ["MLFLOW_TRACKING_URI"])
name = sys.argv[1]
aliases = {}
for alias in ("staging", "production"):
    try:
        version = client.get_model_version_by_alias(name, alias)
        aliases[alias] = {"version": version.version, "run_id": version.run_id, "source": version.source}
    except Exception as error:
        aliases[alias] = {"error": type(error).__name__}
run = client.get_run(aliases["staging"]["run_id"])
copy = client.download_artifacts(run.info.run_id, "model/model.onnx", tempfile.mkdtemp())
print(json.dumps({
    "aliases": aliases,
    "versions": sorted(v.version for v in client.search_model_versions(f"name = '{name}'")),
    "status": run.info.status,
    "params": run.data.params,
    "metrics": run.data.metrics,
    "artifacts": sorted(a.path for a in client.list_artifacts(run.info.run_id, "model")),
    "downloaded": copy,
}))
`;

async function readBack(t: import('node:test').TestContext) {
  const out = await sh(t, dir, join(MLFLOW, 'python'), ['-c', READ_BACK, NAME], { env: withBytecodeCache({ ...process.env, MLFLOW_TRACKING_URI: uri, MLFLOW_DISABLE_TELEMETRY: 'true' }) });
  return JSON.parse(out.trim().split('\n').at(-1) ?? '{}') as {
    aliases: Record<string, { version?: string; run_id?: string; source?: string; error?: string }>;
    versions: string[];
    status: string;
    params: Record<string, string>;
    metrics: Record<string, number>;
    artifacts: string[];
    downloaded: string;
  };
}

before(async () => {
  work = await mkdtemp(join(tmpdir(), 'e2e-mlflow-'));
  for (const script of ['20-python-tools.sh', '47-mlflow-server.sh']) await execa('bash', [join(REPO, '.ci/tools.d', script)], { stdio: 'inherit' });
  const port = await freePort();
  uri = `http://127.0.0.1:${port}`;
  server = startServer(work, join(MLFLOW, 'mlflow'), ['server', '--host', '127.0.0.1', '--port', String(port), '--workers', '1', '--backend-store-uri', `sqlite:///${join(work, 'mlflow.db')}`, '--artifacts-destination', join(work, 'mlflow-artifacts')], withBytecodeCache({
    ...process.env,
    MLFLOW_DISABLE_TELEMETRY: 'true',
  }));
  await waitForHealth(`${uri}/health`, server.child, 120, server.log);
});

after(async () => {
  await server?.stop();
  if (KEEP) console.log(`kept the project and the MLflow store in ${work}`);
  else if (work) await rm(work, { recursive: true, force: true });
});

describe('experiment tracking against a real MLflow server', () => {
  let ready = false;

  test('a generated project installs with the MLflow client (not the server) in its train group', async (t) => {
    dir = join(work, NAME);
    await renderTo(dir, { name: NAME });
    await sh(t, dir, 'python3', ['scripts/go/setup_host.py'], { env: projectEnv({ SETUP_HOST_TOOLS_DIR: join(work, 'setup-host-tools') }) });
    const found = await sh(t, dir, '.venv/bin/python', ['-c', 'import importlib.util as u; print(bool(u.find_spec("mlflow")), bool(u.find_spec("flask")))']);
    assert.equal(found.trim(), 'True False', 'mlflow-skinny: the client, without the server');
    ready = true;
  });

  test('training logs its run to the server: params, held-out metrics, data hashes, model files', async (t) => {
    assert.ok(ready, 'setup failed');
    await sh(t, dir, 'bash', ['scripts/train-model.sh'], { env: projectEnv({ MLFLOW_TRACKING_URI: uri }) });
    assert.ok(!existsSync(join(dir, 'mlruns')), 'with a server set, nothing goes to the local store');
    // The quality gate CI runs before it registers anything.
    await sh(t, dir, 'bash', ['scripts/tests/model-metrics-test.sh']);
    const tracked = await trackingFile();
    assert.match(tracked.run_id, /^[0-9a-f]{32}$/);
    assert.equal(tracked.model_version, null);
    assert.equal(tracked.files['model.onnx'], (await readFile(join(dir, 'artifacts', 'model.onnx.sha256'), 'utf8')).split(/\s+/)[0]);
  });

  test('register-model.sh (CI, main) makes version 1 with the alias staging, read back by MLflow\'s client', async (t) => {
    assert.ok(ready, 'setup failed');
    const said = await sh(t, dir, 'bash', ['scripts/register-model.sh', '--alias', 'staging'], { env: projectEnv({ MLFLOW_TRACKING_URI: uri }) });
    assert.match(said, new RegExp(`${NAME} version 1 \\(run [0-9a-f]{32}\\) now has the alias staging`));
    const tracked = await trackingFile();
    assert.equal(tracked.registered_model, NAME);
    assert.equal(tracked.model_version, '1');

    const back = await readBack(t);
    t.diagnostic(`read back: ${JSON.stringify({ ...back, params: undefined })}`);
    assert.deepEqual(back.aliases.staging && { version: back.aliases.staging.version, run_id: back.aliases.staging.run_id }, { version: '1', run_id: tracked.run_id });
    assert.equal(back.aliases.production?.error, 'RestException', 'no production alias before the approved deploy');
    assert.equal(back.status, 'FINISHED');
    const metrics = JSON.parse(await readFile(join(dir, 'artifacts', 'metrics.json'), 'utf8')) as { held_out: Record<string, number> };
    for (const [name, value] of Object.entries(metrics.held_out)) assert.equal(back.metrics[`held_out.${name}`], value, name);
    assert.equal(back.params.train_data_sha256, await sha256(join(dir, 'data', 'train.csv.gz')));
    assert.equal(back.params.test_data_sha256, await sha256(join(dir, 'data', 'test.csv.gz')));
    assert.deepEqual(back.artifacts, ['metrics.json', 'model.onnx', 'model.onnx.sha256', 'model.skops', 'model.skops.sha256'].map((f) => `model/${f}`));
    // The server stored the very bytes that passed the gate.
    assert.equal(await sha256(back.downloaded), tracked.files['model.onnx']);
  });

  test('--promote production (the approved deploy job) moves production to that version only', async (t) => {
    assert.ok(ready, 'setup failed');
    await sh(t, dir, 'bash', ['scripts/register-model.sh', '--promote', 'production'], { env: projectEnv({ MLFLOW_TRACKING_URI: uri }) });
    const back = await readBack(t);
    assert.equal(back.aliases.production?.version, '1');
    assert.deepEqual(back.versions, ['1']);
  });

  test('the API reports the registered version and the run at /health', async (t) => {
    assert.ok(ready, 'setup failed');
    const tracked = await trackingFile();
    const port = await freePort();
    // No MLFLOW_TRACKING_URI: the API reads tracking.json, never MLflow.
    const api = startServer(dir, 'bash', ['scripts/start-api-locally.sh'], projectEnv({ PORT: String(port), RELOAD: '0' }));
    try {
      await waitForHealth(`http://127.0.0.1:${port}/health`, api.child, 60, api.log);
      const health = (await (await fetch(`http://127.0.0.1:${port}/health`)).json()) as Record<string, unknown>;
      assert.deepEqual(health, { status: 'ok', model_sha256: tracked.files['model.onnx'], run_id: tracked.run_id, model_version: '1' });
    } finally {
      await api.stop();
    }
  });
});
