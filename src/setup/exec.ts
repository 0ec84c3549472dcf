// Runs a setup command with its output captured, so a failure can show the command, the tail of
// its log and where the whole log is. execa is loaded only when a command actually runs.

import { writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface CommandResult {
  ok: boolean;
  output: string;
  command: string;
}

export async function runCommand(file: string, args: readonly string[], options: { cwd: string; signal?: AbortSignal; env?: NodeJS.ProcessEnv }): Promise<CommandResult> {
  const { execa } = await import('execa');
  // On POSIX the command gets its own process group, so a cancel stops the installers it started
  // too (a package manager's workers would otherwise keep writing into a folder being removed).
  const group = process.platform !== 'win32';
  const child = execa(file, args, {
    cwd: options.cwd,
    all: true,
    reject: false,
    stdin: 'ignore',
    detached: group,
    env: { ...options.env, PYTHONUNBUFFERED: '1' },
    extendEnv: true,
  });
  const stop = () => {
    if (group && child.pid) {
      try {
        process.kill(-child.pid, 'SIGTERM');
      } catch {
        // already gone
      }
    } else child.kill('SIGTERM');
  };
  if (options.signal?.aborted) stop();
  options.signal?.addEventListener('abort', stop, { once: true });
  const result = await child;
  options.signal?.removeEventListener('abort', stop);
  const command = [file, ...args].join(' ');
  return { ok: result.exitCode === 0 && !options.signal?.aborted, output: result.all ?? '', command };
}

/** The last `lines` lines of a log, indented for display. */
export function tail(output: string, lines = 15): string[] {
  return output.trimEnd().split(/\r?\n/).slice(-lines).map((l) => `  │ ${l}`);
}

export async function saveLog(name: string, output: string): Promise<string> {
  const path = join(tmpdir(), `create-ml-project-${name}-${process.pid}.log`);
  writeFileSync(path, output);
  return path;
}
