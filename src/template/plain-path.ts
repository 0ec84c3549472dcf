// Paths inside a template or a project, checked and joined without path.normalize/resolve.
// A scaffold handles ~60 output paths and ~40 template files; normalising each one, several times,
// was enough work for V8 to spend a (background) optimising compile on Node's normaliser alone.

import { sep } from 'node:path';

/**
 * A relative path made only of names: no leading slash, no empty, `.` or `..` segment, no backslash
 * (a separator on Windows). Joined to any folder, such a path stays below it.
 */
export function isPlainRelative(path: string): boolean {
  if (path === '' || path.includes('\\')) return false;
  for (const part of path.split('/')) if (part === '' || part === '.' || part === '..') return false;
  return true;
}

/** `base` joined with a plain relative path (or `''`), in the platform's separators. */
export function below(base: string, relative: string): string {
  if (relative === '') return base;
  return (base.endsWith(sep) ? base : base + sep) + (sep === '/' ? relative : relative.replaceAll('/', sep));
}
