// A folder as { relative path: sha256 } so two trees compare in one assertion.

import { createHash } from 'node:crypto';
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';

export async function tree(dir: string, skip: readonly string[] = ['.git', '.venv']): Promise<Record<string, string>> {
  const out: Record<string, string> = {};
  async function walk(rel: string): Promise<void> {
    for (const entry of await readdir(join(dir, rel), { withFileTypes: true })) {
      const path = rel ? `${rel}/${entry.name}` : entry.name;
      if (skip.includes(path)) continue;
      if (entry.isDirectory()) await walk(path);
      else out[path] = createHash('sha256').update(await readFile(join(dir, path))).digest('hex');
    }
  }
  await walk('');
  return Object.fromEntries(Object.entries(out).sort(([a], [b]) => a.localeCompare(b)));
}
