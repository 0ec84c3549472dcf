// Carries out update's plan (update/plan.ts) in the project. Every file is written to a temporary name beside it and renamed into place,
// so an interrupted update never leaves a half-written file.

import { chmod, mkdir, readdir, rename, rmdir, unlink, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import type { FileStep } from '../update/plan.js';

export async function applyPlan(projectDir: string, steps: readonly FileStep[]): Promise<void> {
  for (const step of steps) {
    const abs = join(projectDir, ...step.path.split('/'));
    if (step.action === 'delete') {
      await unlink(abs);
      await pruneEmpty(projectDir, dirname(abs));
      continue;
    }
    if (step.content === undefined) continue;
    await mkdir(dirname(abs), { recursive: true });
    const temp = `${abs}.cmlp-update-${process.pid}`;
    const mode = step.mode ?? 0o644;
    await writeFile(temp, step.content, { mode });
    await chmod(temp, mode);
    await rename(temp, abs);
  }
}

/** Removes folders a delete left empty, up to (not including) the project root. */
async function pruneEmpty(root: string, dir: string): Promise<void> {
  while (dir.length > root.length && dir.startsWith(root)) {
    if ((await readdir(dir)).length > 0) return;
    await rmdir(dir);
    dir = dirname(dir);
  }
}
