// Runs a host program for a check: no shell (nothing from the project reaches a command line),
// a timeout (a hung `docker version` must not hang the doctor), and a result instead of a throw.

import { execFile } from 'node:child_process';
import type { RunResult } from './types.js';

const TIMEOUT_MS = 20_000;

export function runProgram(env: NodeJS.ProcessEnv) {
  return (command: string, args: readonly string[]): Promise<RunResult> =>
    new Promise((resolve) => {
      execFile(command, [...args], { env, timeout: TIMEOUT_MS, windowsHide: true, encoding: 'utf8', maxBuffer: 4 * 1024 * 1024 }, (error, stdout, stderr) => {
        const code = error ? (typeof error.code === 'number' ? error.code : null) : 0;
        const missing = error?.code === 'ENOENT';
        resolve({ missing, code, stdout: String(stdout ?? ''), stderr: String(stderr ?? '') });
      });
    });
}

/** First dotted version in a program's output: "Poetry (version 2.5.1)" → [2, 5, 1]. */
export function versionIn(text: string): number[] | undefined {
  const match = /(\d+)\.(\d+)(?:\.(\d+))?/.exec(text);
  return match ? match.slice(1).filter((p) => p !== undefined).map(Number) : undefined;
}

/** a >= b, comparing as many parts as b has. */
export function atLeast(a: readonly number[], b: readonly number[]): boolean {
  for (let i = 0; i < b.length; i++) {
    const x = a[i] ?? 0;
    const y = b[i] ?? 0;
    if (x !== y) return x > y;
  }
  return true;
}
