// Spawns the built bin (dist/index.cjs) the way a user or CI would: no terminal, real files.
// `npm test` builds first; run `npm run build` before running these files alone.

import { spawn, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { scratchDir } from './scratch.js';

export const ROOT = fileURLToPath(new URL('../../', import.meta.url));
export const BIN = join(ROOT, 'dist/index.cjs');

/**
 * Where the bin's compile cache (src/compile-cache.ts) goes in tests: one folder for the whole
 * suite, so a test that gives the bin its own TMPDIR sees only what the run itself left there.
 * Tests of the cache give their own NODE_COMPILE_CACHE.
 */
export const TEST_COMPILE_CACHE = join(tmpdir(), 'cmlp-test-compile-cache');

export interface CliResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

export function cli(args: readonly string[], options: { cwd: string; env?: NodeJS.ProcessEnv; timeout?: number }): CliResult {
  if (!existsSync(BIN)) throw new Error(`${BIN} is missing: run npm run build first`);
  const result = spawnSync(process.execPath, [BIN, ...args], {
    cwd: options.cwd,
    env: { ...process.env, NO_COLOR: '1', NODE_COMPILE_CACHE: TEST_COMPILE_CACHE, ...options.env },
    encoding: 'utf8',
    timeout: options.timeout ?? 60_000,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

/** The built bin, spawned without blocking: for runs that talk to a server in the test's process. */
export function cliAsync(args: readonly string[], cwd: string, env: NodeJS.ProcessEnv): Promise<CliResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [BIN, ...args], { cwd, env: { ...process.env, NO_COLOR: '1', NODE_COMPILE_CACHE: TEST_COMPILE_CACHE, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    const timer = setTimeout(() => child.kill('SIGKILL'), 60_000);
    child.on('error', reject);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
  });
}

/** A new temporary folder, removed when the test process ends (test/helpers/scratch.ts). */
export function tempDir(prefix = 'cmlp-cli-'): Promise<string> {
  return scratchDir(prefix);
}
