// Temporary folders for tests. Each one is made under the OS temporary folder (or a given parent)
// and recorded, and every recorded folder is removed once, when the test process ends: passed,
// failed, or stopped by SIGINT/SIGTERM (node --test runs each file in a process of its own).
// CMLP_KEEP_TEST_TMP=1 keeps them, for debugging.

import { chmodSync, lstatSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** Set when CMLP_KEEP_TEST_TMP=1: the folders stay after the process ends. */
export const KEEP_TEST_TMP = process.env.CMLP_KEEP_TEST_TMP === '1';

const made = new Set<string>();

/** A new folder `<parent>/<prefix>XXXXXX`, removed when the test process ends. */
export async function scratchDir(prefix: string, parent: string = tmpdir()): Promise<string> {
  return record(await mkdtemp(join(parent, prefix)));
}

/** scratchDir(), synchronous: for folders made while a test file loads. */
export function scratchDirSync(prefix: string, parent: string = tmpdir()): string {
  return record(mkdtempSync(join(parent, prefix)));
}

function record(dir: string): string {
  made.add(dir);
  return dir;
}

/** Removes every recorded folder (each once), whatever a test did to the modes inside. */
function removeScratch(): void {
  if (KEEP_TEST_TMP) return;
  for (const dir of made) {
    made.delete(dir);
    try {
      rmSync(dir, { recursive: true, force: true });
    } catch {
      // A folder a test made read-only (or without search permission) refuses its entries' removal
      // to anyone but root: give every folder below back to its owner, then try once more.
      try {
        writable(dir);
        rmSync(dir, { recursive: true, force: true });
      } catch (error) {
        process.stderr.write(`test/helpers/scratch.ts: could not remove ${dir}: ${(error as Error).message}\n`);
      }
    }
  }
}

/** chmod u+rwx on `dir` and every folder below it (symbolic links are not followed). */
function writable(dir: string): void {
  try {
    chmodSync(dir, 0o700);
    for (const entry of readdirSync(dir)) {
      const path = join(dir, entry);
      if (lstatSync(path).isDirectory()) writable(path);
    }
  } catch {
    // The rmSync after this reports what is still in the way.
  }
}

process.once('exit', removeScratch);
// A signal ends the process without 'exit': remove, then let the signal do what it would have done.
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => {
    removeScratch();
    process.kill(process.pid, signal);
  });
}
