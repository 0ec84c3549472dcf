// Text for a terminal of a given width: broken at spaces, never inside a word (a flag, a path or a
// URL stays whole and copyable even when it is longer than the line). Widths count what the
// terminal shows: colour escapes take no column.

import { stripVTControlCharacters } from 'node:util';

/** Columns `text` takes on screen (escape sequences take none). */
export function visibleWidth(text: string): number {
  return stripVTControlCharacters(text).length;
}

/**
 * `text` as lines of at most `width` columns: the first starts at column `first`, after `lead`
 * (a label such as a flag, padded to that column), the rest at `rest` (a hanging indent). A word
 * longer than the room stays whole, on a line of its own.
 */
export function wrap(text: string, width: number, first = 0, rest = first, lead = ''): string[] {
  const lines: string[] = [];
  let line = lead === '' || visibleWidth(lead) < first ? lead + ' '.repeat(first - visibleWidth(lead)) : `${lead} `;
  let used = visibleWidth(line);
  let empty = true;
  for (const word of text.split(' ').filter(Boolean)) {
    const size = visibleWidth(word);
    if (!empty && used + 1 + size > width) {
      lines.push(line);
      line = ' '.repeat(rest);
      used = rest;
      empty = true;
    }
    line += empty ? word : ` ${word}`;
    used += empty ? size : size + 1;
    empty = false;
  }
  lines.push(line);
  return lines;
}

/**
 * Every line of `text` wrapped to `width`: a line keeps its own leading spaces, and what it wraps
 * onto is indented as far, plus `hang`. Empty lines stay.
 */
export function wrapLines(text: string, width: number, hang = 0): string[] {
  return text.split('\n').flatMap((line) => {
    if (line.trim() === '') return [''];
    const indent = line.length - line.trimStart().length;
    return wrap(line.trimStart(), width, indent, indent + hang);
  });
}
