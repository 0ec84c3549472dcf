// Text for a terminal of a given width: broken at spaces, never inside a word (a flag, a path or a
// URL stays whole and copyable even when it is longer than the line).

/**
 * `text` as lines of at most `width` columns: the first starts at column `first`, after `lead`
 * (a label such as a flag, padded to that column), the rest at `rest` (a hanging indent). A word
 * longer than the room stays whole, on a line of its own.
 */
export function wrap(text: string, width: number, first = 0, rest = first, lead = ''): string[] {
  const lines: string[] = [];
  let line = lead === '' || lead.length < first ? lead.padEnd(first) : `${lead} `;
  let empty = true;
  for (const word of text.split(' ').filter(Boolean)) {
    if (!empty && line.length + 1 + word.length > width) {
      lines.push(line);
      line = ' '.repeat(rest);
      empty = true;
    }
    line += empty ? word : ` ${word}`;
    empty = false;
  }
  lines.push(line);
  return lines;
}
