// Paths inside a template or a project, checked and joined without path.normalize/resolve.
// A scaffold handles ~60 output paths and ~40 template files; normalising each one, several times,
// was enough work for V8 to spend a (background) optimising compile on Node's normaliser alone.

import { sep } from 'node:path';

/**
 * An empty, `.` or `..` segment anywhere (a leading or trailing slash makes an empty one). Tested
 * without splitting the path: a scaffold checks a few hundred paths, and no arrays are made for it.
 */
const NOT_A_NAME = /(?:^|\/)\.{0,2}(?:\/|$)/;

/**
 * A relative path made only of names: no leading slash, no empty, `.` or `..` segment, no backslash
 * (a separator on Windows). Joined to any folder, such a path stays below it.
 */
export function isPlainRelative(path: string): boolean {
  return path !== '' && !path.includes('\\') && !NOT_A_NAME.test(path);
}

/** `base` joined with a plain relative path (or `''`), in the platform's separators. */
export function below(base: string, relative: string): string {
  if (relative === '') return base;
  return (base.endsWith(sep) ? base : base + sep) + (sep === '/' ? relative : relative.replaceAll('/', sep));
}

// Names Windows cannot hold, checked on every output path so a template can never make a project
// that cannot be checked out there: device names (with any extension), characters its file
// systems refuse, and a trailing dot or space (Windows drops it, and the name then means another).
// The superscript digits (¹²³) as escapes: a bundle with one non-ASCII byte is read into a string
// of two bytes a character, which cost every run ~2 M instructions (test/cli/pack.test.ts).
const WINDOWS_DEVICE = /^(?:con|prn|aux|nul|com[0-9\u00b9\u00b2\u00b3]|lpt[0-9\u00b9\u00b2\u00b3]|conin\$|conout\$)(?:\.[^.]*)*$/i;
const WINDOWS_FORBIDDEN = /[<>:"|?*\u0000-\u001f]/;

/** Why a plain relative path cannot be checked out on Windows, or undefined when it can. */
export function unportable(path: string): string | undefined {
  for (const part of path.split('/')) {
    if (WINDOWS_FORBIDDEN.test(part)) return `${JSON.stringify(part)} holds a character Windows does not allow in a name (< > : " | ? * or a control character)`;
    if (WINDOWS_DEVICE.test(part)) return `${JSON.stringify(part)} is a Windows device name`;
    if (/[. ]$/.test(part)) return `${JSON.stringify(part)} ends with a dot or a space, which Windows drops`;
  }
  return undefined;
}

/**
 * The key under which two paths are the same file on Windows and macOS (case-insensitive, and
 * macOS compares Unicode names in decomposed form).
 */
export function foldedPath(path: string): string {
  return path.normalize('NFD').toLowerCase();
}
