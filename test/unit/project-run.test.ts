// The end-to-end tests' runner for generated projects (test/helpers/project-run.ts): a command run
// by sh() sees projectEnv()'s environment and nothing of the test process's own, so an outer venv
// or tracking server in the shell that runs the suite cannot leak into a project's scripts.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { tmpdir } from 'node:os';
import { projectEnv, sh, TOOLS_BIN } from '../helpers/project-run.js';

const SHOW = 'echo "${VIRTUAL_ENV-unset} ${MLFLOW_TRACKING_URI-unset} ${PATH%%:*}"';

test('sh(): the keys projectEnv() removes stay removed, the ones given stay given', async (t) => {
  const saved = { VIRTUAL_ENV: process.env.VIRTUAL_ENV, MLFLOW_TRACKING_URI: process.env.MLFLOW_TRACKING_URI };
  process.env.VIRTUAL_ENV = '/outer/venv';
  process.env.MLFLOW_TRACKING_URI = 'http://outer.invalid';
  try {
    assert.equal((await sh(t, tmpdir(), 'sh', ['-c', SHOW])).trim(), `unset unset ${TOOLS_BIN}`);
    const given = await sh(t, tmpdir(), 'sh', ['-c', SHOW], { env: projectEnv({ MLFLOW_TRACKING_URI: 'http://127.0.0.1:5000' }) });
    assert.equal(given.trim(), `unset http://127.0.0.1:5000 ${TOOLS_BIN}`);
  } finally {
    for (const [key, value] of Object.entries(saved)) {
      if (value === undefined) delete process.env[key];
      else process.env[key] = value;
    }
  }
});
