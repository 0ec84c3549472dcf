// Running commands and servers in a generated project on the host, for the end-to-end tests that
// install one for real (test/e2e/python-project.test.ts, test/e2e/mlflow-tracking.test.ts).

import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { TestContext } from 'node:test';
import { execa, type Options } from 'execa';

export const REPO = fileURLToPath(new URL('../..', import.meta.url));
/** The pinned poetry, uv and hadolint (.ci/tools.d/20-python-tools.sh). */
export const TOOLS_BIN = join(REPO, '.tools', 'venv', 'bin');

/**
 * Where Python keeps the bytecode of what the projects import, outside the projects so their trees
 * stay exactly as a run without it leaves them. A shell that sets PYTHONDONTWRITEBYTECODE=1 (this
 * machine's does) makes every test script compile scikit-learn, SciPy, pandas and MLflow again:
 * about 30 s of CPU each time, with nothing more proved. One folder per test process, removed at exit.
 */
const PYCACHE = join(tmpdir(), `cmlp-test-pycache-${process.pid}`);
process.once('exit', () => rmSync(PYCACHE, { recursive: true, force: true }));

/** env with Python writing its bytecode to PYCACHE, whatever the shell said (empty is unset for Python). */
export function withBytecodeCache(env: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  return { ...env, PYTHONDONTWRITEBYTECODE: '', PYTHONPYCACHEPREFIX: PYCACHE };
}

/**
 * Environment for commands in a generated project: pinned tools first on PATH, no outer venv.
 * Complete: pass it with `extendEnv: false` (as sh() does), or execa adds the deleted keys back.
 */
export function projectEnv(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  const env = withBytecodeCache({ ...process.env, PATH: `${TOOLS_BIN}:${process.env.PATH ?? ''}`, ...extra });
  for (const key of ['VIRTUAL_ENV', 'VENV_PATH', 'UV_PROJECT_ENVIRONMENT', 'POETRY_ACTIVE', 'API_URL', 'MODEL_PATH', 'MLFLOW_TRACKING_URI']) {
    if (!(key in extra)) delete env[key];
  }
  return env;
}

/**
 * Runs a command to completion in exactly options.env (default projectEnv()), never the test's own
 * environment; fails the test with the end of its output when it fails.
 */
export async function sh(t: TestContext, cwd: string, command: string, args: string[] = [], options: Options = {}) {
  const started = Date.now();
  const result = await execa(command, args, { cwd, env: projectEnv(), extendEnv: false, all: true, reject: false, timeout: 600_000, ...options });
  t.diagnostic(`${command} ${args.join(' ')} -> exit ${result.exitCode} in ${((Date.now() - started) / 1000).toFixed(1)}s`);
  if (result.exitCode !== 0) {
    assert.fail(`${command} ${args.join(' ')} failed in ${cwd} (exit ${result.exitCode}):\n${String(result.all ?? '').slice(-4000)}`);
  }
  return String(result.all ?? '');
}

/** Polls url until it answers 200 or the process exits or the time is up. */
export async function waitForHealth(url: string, child: ChildProcess, seconds: number, log: () => string): Promise<void> {
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
export function startServer(cwd: string, command: string, args: string[], env: NodeJS.ProcessEnv) {
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
