// The built bin started without a terminal, its output gathered, and a signal timed to its exit:
// what the interruption tests (interrupt, remote-interrupt, looping-template) each did by hand.

import { spawn, type ChildProcess, type SpawnOptions } from 'node:child_process';
import { setTimeout as sleep } from 'node:timers/promises';
import { BIN } from './cli.js';

export interface Watched {
  child: ChildProcess;
  /** stdout and stderr so far, interleaved as they came. */
  output(): string;
  exited: Promise<number | null>;
  /** The signal that ended it, once it has ended by one (null otherwise). */
  signal(): NodeJS.Signals | null;
}

/** Runs the bin with `args`, stdin closed, both outputs gathered. */
export function watchBin(args: readonly string[], options: Pick<SpawnOptions, 'cwd' | 'env'>): Watched {
  const child = spawn(process.execPath, [BIN, ...args], { ...options, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  child.stdout?.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr?.on('data', (d: Buffer) => (out += d.toString()));
  let ending: NodeJS.Signals | null = null;
  const exited = new Promise<number | null>((resolve) =>
    child.on('exit', (code, signal) => {
      ending = signal;
      resolve(code);
    }),
  );
  return { child, output: () => out, exited, signal: () => ending };
}

/**
 * Sends `sig` and waits up to 10 s for the exit: the exit code ('hung' after a SIGKILL when it
 * did not come), the signal that ended it if one did, and the milliseconds it took.
 */
export async function signalAndWait(run: Watched, sig: NodeJS.Signals): Promise<{ code: number | null | 'hung'; signal: NodeJS.Signals | null; took: number }> {
  const sent = Date.now();
  run.child.kill(sig);
  const code = await Promise.race([run.exited, sleep(10_000).then(() => 'hung' as const)]);
  const took = Date.now() - sent;
  if (code === 'hung') run.child.kill('SIGKILL');
  return { code, signal: code === 'hung' ? null : run.signal(), took };
}
