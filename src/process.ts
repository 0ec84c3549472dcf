// The one way this tool runs another program, through execa (loaded only when a program actually
// runs), never through a shell unless asked:
//
// - runCommand: a setup step (git, the project's setup script) with its output captured, so a
//   failure can show the command, the tail of its log and where the whole log is; in its own
//   process group, which a cancel stops whole.
// - runProgram: a short question to a program (doctor's checks, npm pack), with stdout and stderr
//   apart and a result instead of a throw, also when the program is not installed.

import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { onEmergency } from './emergency.js';
import { CancelError } from './errors.js';

export interface CommandResult {
  ok: boolean;
  output: string;
  command: string;
}

/** Process groups of commands still running: a second Ctrl+C (bin.ts) kills them on its way out. */
const running = new Set<number>();

/** SIGKILL to every process group this run started and that may still be alive (synchronous). */
export function killAllGroups(): void {
  for (const pid of running) signalGroup(pid, 'SIGKILL');
}
onEmergency(killAllGroups);

function signalGroup(pid: number, sig: NodeJS.Signals | 0): boolean {
  try {
    process.kill(-pid, sig);
    return true;
  } catch {
    return false; // the group is gone
  }
}

/** Some process of the group still runs (on Linux a zombie waiting to be reaped does not count). */
function groupAlive(pgid: number): boolean {
  if (!signalGroup(pgid, 0)) return false;
  if (process.platform !== 'linux') return true;
  try {
    for (const entry of readdirSync('/proc')) {
      if (!/^\d+$/.test(entry)) continue;
      let stat;
      try {
        stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      } catch {
        continue;
      }
      // pid (comm) state ppid pgrp …; comm may hold spaces and parentheses: read after the last ')'.
      const [state, , pgrp] = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      if (Number(pgrp) === pgid && state !== 'Z' && state !== 'X') return true;
    }
    return false;
  } catch {
    return true;
  }
}

/** SIGTERM to the whole group, SIGKILL to whatever of it is left after `graceMs`; resolves once it is empty. */
async function stopGroup(pid: number, graceMs = 300): Promise<void> {
  signalGroup(pid, 'SIGTERM');
  const end = Date.now() + graceMs;
  while (groupAlive(pid) && Date.now() < end) await new Promise((r) => setTimeout(r, 20));
  if (groupAlive(pid)) {
    signalGroup(pid, 'SIGKILL');
    const last = Date.now() + 500;
    while (groupAlive(pid) && Date.now() < last) await new Promise((r) => setTimeout(r, 10));
  }
}

/**
 * Runs a command to the end. Cancelled (the signal aborted, before or while it runs): its whole
 * process group is stopped (SIGTERM, then SIGKILL) before this throws CancelError, so nothing it
 * started writes on into a folder being removed.
 */
export async function runCommand(file: string, args: readonly string[], options: { cwd: string; signal?: AbortSignal; env?: NodeJS.ProcessEnv; onLine?: (line: string) => void }): Promise<CommandResult> {
  if (options.signal?.aborted) throw new CancelError();
  const { execa } = await import('execa');
  if (options.signal?.aborted) throw new CancelError();
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
  const pid = child.pid;
  if (group && pid) running.add(pid);
  // Each non-empty line as it comes (the whole output is still collected for the log).
  if (options.onLine && child.all) {
    let partial = '';
    child.all.on('data', (chunk: Buffer) => {
      const lines = (partial + chunk.toString('utf8')).split(/\r?\n|\r/);
      partial = lines.pop() ?? '';
      const last = lines.filter((l) => l.trim() !== '').at(-1);
      if (last !== undefined) options.onLine?.(last);
    });
  }
  let stopped: Promise<void> | undefined;
  let onAbort = () => undefined as void;
  const aborted = new Promise<'aborted'>((resolve) => {
    onAbort = () => {
      stopped ??= group && pid ? stopGroup(pid) : Promise.resolve(void child.kill('SIGKILL'));
      void stopped.then(() => resolve('aborted'));
    };
  });
  options.signal?.addEventListener('abort', onAbort, { once: true });
  try {
    // Not the child alone: a grandchild that escaped the group could hold its output open for ever.
    const result = await Promise.race([child, aborted]);
    if (result === 'aborted' || options.signal?.aborted) {
      onAbort();
      await stopped;
      child.all?.destroy();
      child.catch(() => undefined);
      throw new CancelError();
    }
    const command = [file, ...args].join(' ');
    return { ok: result.exitCode === 0, output: result.all ?? '', command };
  } finally {
    options.signal?.removeEventListener('abort', onAbort);
    if (pid) running.delete(pid);
  }
}

export interface ProgramResult {
  /** The program was not found (not on PATH, or no such file). */
  missing: boolean;
  /** The exit code; null when it did not exit by itself (killed, timed out, cancelled, not started). */
  code: number | null;
  stdout: string;
  stderr: string;
}

export interface ProgramOptions {
  /** The program's whole environment (nothing is added from this process's). */
  env: NodeJS.ProcessEnv;
  cwd?: string;
  /** Stopped after this long (a hung `docker version` must not hang the doctor). */
  timeoutMs?: number;
  signal?: AbortSignal;
  /** Only for a program that only a shell runs (npm.cmd on Windows); its arguments must be safe. */
  shell?: boolean;
}

/** Runs a program to its end, with no input, and returns what it said; never throws for the program's sake. */
export async function runProgram(file: string, args: readonly string[], options: ProgramOptions): Promise<ProgramResult> {
  const { execa } = await import('execa');
  const result = await execa(file, args, {
    env: options.env,
    extendEnv: false,
    reject: false,
    stdin: 'ignore',
    ...(options.cwd ? { cwd: options.cwd } : {}),
    ...(options.timeoutMs ? { timeout: options.timeoutMs } : {}),
    ...(options.signal ? { cancelSignal: options.signal } : {}),
    ...(options.shell ? { shell: true } : {}),
  });
  const missing = (result as { code?: string }).code === 'ENOENT';
  return { missing, code: typeof result.exitCode === 'number' ? result.exitCode : null, stdout: String(result.stdout ?? ''), stderr: String(result.stderr ?? '') };
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
