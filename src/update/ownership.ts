// Who owns a path of a generated project, which decides how `update` may touch it.
//
// - user: the project's own code and data. The template only seeds these; from then on they are
//   the team's, so update never overwrites or deletes them (it only adds files that are missing).
// - lock: dependency lock files. A line merge of two lock files can look clean and still be
//   invalid (content hashes), so they are replaced only when the user never changed them.
// - record: the answers file, which belongs to the generator and is always rewritten.
// - template: everything else (CI, Dockerfile, go scripts, README...): three-way merged.

import { ANSWERS_FILE } from '../answers-file.js';

export type Ownership = 'user' | 'lock' | 'record' | 'template';

/** Folders holding the project's own code, tests, data and experiments. */
export const USER_DIRS: readonly string[] = ['src/', 'tests/', 'data/', 'notebooks/', 'artifacts/', 'models/'];

const LOCK_FILES = new Set(['poetry.lock', 'uv.lock']);

export function ownership(path: string): Ownership {
  if (path === ANSWERS_FILE) return 'record';
  if (USER_DIRS.some((dir) => path.startsWith(dir))) return 'user';
  // Notebooks are experiments wherever they live, and JSON-in-lines does not merge sensibly.
  if (path.endsWith('.ipynb')) return 'user';
  if (LOCK_FILES.has(path.split('/').pop() ?? '')) return 'lock';
  return 'template';
}
