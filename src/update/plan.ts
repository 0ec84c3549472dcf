// Decides, file by file, what an update does: from the old generation (base), the file on disk
// (ours) and the new generation (theirs). Pure apart from reading the project; nothing is written.

import { lstat, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { merge3 } from './merge3.js';
import { ownership } from './ownership.js';
import type { Generation } from './regenerate.js';

export type Action = 'add' | 'update' | 'merge' | 'conflict' | 'delete' | 'keep-user' | 'unchanged';

export interface FileStep {
  path: string;
  action: Action;
  /** Why, when the action alone does not say it (shown in the plan). */
  reason?: string;
  /** What to write, for add / update / merge / conflict. */
  content?: Buffer;
  mode?: number;
  /** Conflict blocks written into the file. */
  conflicts?: number;
}

interface OnDisk {
  content: Buffer;
  mode: number;
}

async function readOurs(projectDir: string, path: string): Promise<OnDisk | 'other' | undefined> {
  const abs = join(projectDir, ...path.split('/'));
  const stat = await lstat(abs).catch(() => undefined);
  if (!stat) return undefined;
  // A link or folder where the template has a file is the user's doing: never follow or replace it.
  if (!stat.isFile()) return 'other';
  return { content: await readFile(abs), mode: stat.mode & 0o111 ? 0o755 : 0o644 };
}

/** Text we may merge line by line: valid UTF-8 without NUL bytes. */
function asText(content: Buffer): string | undefined {
  if (content.includes(0)) return undefined;
  const text = content.toString('utf8');
  return Buffer.from(text, 'utf8').equals(content) ? text : undefined;
}

export async function planUpdate(projectDir: string, base: Generation, theirs: Generation): Promise<FileStep[]> {
  const paths = [...new Set([...base.keys(), ...theirs.keys()])].sort((a, b) => a.localeCompare(b));
  const steps: FileStep[] = [];
  for (const path of paths) {
    steps.push(decide(path, base.get(path), await readOurs(projectDir, path), theirs.get(path)));
  }
  return steps;
}

function decide(path: string, base: OnDisk | undefined, ours: OnDisk | 'other' | undefined, theirs: OnDisk | undefined): FileStep {
  const owner = ownership(path);
  if (ours === 'other') return { path, action: 'keep-user', reason: 'not a regular file on disk' };

  if (!theirs) {
    // The template no longer makes this file (a new version dropped it, or --set turned it off).
    if (!ours || !base) return { path, action: 'unchanged' };
    if (owner === 'user') return { path, action: 'keep-user', reason: 'dropped by the template; your code is never deleted' };
    if (!ours.content.equals(base.content)) return { path, action: 'keep-user', reason: 'dropped by the template, but you changed it' };
    return { path, action: 'delete' };
  }

  const write = (action: Action, content: Buffer, mode: number, extra: Partial<FileStep> = {}): FileStep => ({ path, action, content, mode, ...extra });
  if (!ours) {
    if (!base) return write('add', theirs.content, theirs.mode);
    if (owner === 'record') return write('add', theirs.content, theirs.mode);
    // The user deleted a file the template still makes: deleting was a decision, keep it.
    return { path, action: 'keep-user', reason: 'you deleted it' + (base.content.equals(theirs.content) ? '' : '; the template changed it') };
  }
  // The user's executable bit wins when they changed it; otherwise follow the template's.
  const mode = base && ours.mode !== base.mode ? ours.mode : theirs.mode;
  if (ours.content.equals(theirs.content)) {
    return ours.mode === mode ? { path, action: 'unchanged' } : write('update', theirs.content, mode, { reason: 'file mode' });
  }
  if (owner === 'record') return write('update', theirs.content, theirs.mode);
  if (base && theirs.content.equals(base.content)) return { path, action: 'unchanged' }; // only the user changed it
  if (owner === 'user') return { path, action: 'keep-user', reason: base ? 'the template changed it; your code is never overwritten' : 'the template now makes this file; yours is kept' };
  if (base && ours.content.equals(base.content)) return write('update', theirs.content, mode);
  if (owner === 'lock') return { path, action: 'keep-user', reason: 'you changed this lock file; re-lock to pick up the template\'s changes' };

  // Both changed it (or the user already had a file where the template now adds one: empty base).
  const [b, o, t] = [base ? asText(base.content) : '', asText(ours.content), asText(theirs.content)];
  if (b === undefined || o === undefined || t === undefined) {
    return { path, action: 'conflict', reason: 'binary file changed by you and by the template; yours is kept', conflicts: 1 };
  }
  const merged = merge3(b, o, t);
  if (merged.conflicts > 0) return write('conflict', Buffer.from(merged.text, 'utf8'), mode, { conflicts: merged.conflicts });
  return write('merge', Buffer.from(merged.text, 'utf8'), mode);
}
