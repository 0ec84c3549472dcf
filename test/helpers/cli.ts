// Spawns the built bin (dist/index.mjs) the way a user or CI would: no terminal, real files.
// `npm test` builds first; run `npm run build` before running these files alone.

import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const ROOT = fileURLToPath(new URL('../../', import.meta.url));
export const BIN = join(ROOT, 'dist/index.mjs');

export interface CliResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

export function cli(args: readonly string[], options: { cwd: string; env?: NodeJS.ProcessEnv; timeout?: number }): CliResult {
  if (!existsSync(BIN)) throw new Error(`${BIN} is missing: run npm run build first`);
  const result = spawnSync(process.execPath, [BIN, ...args], {
    cwd: options.cwd,
    env: { ...process.env, NO_COLOR: '1', ...options.env },
    encoding: 'utf8',
    timeout: options.timeout ?? 60_000,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

export function tempDir(prefix = 'cmlp-cli-'): Promise<string> {
  return mkdtemp(join(tmpdir(), prefix));
}
