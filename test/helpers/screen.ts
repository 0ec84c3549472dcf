// Reading a terminal's screen for tests: waiting until it stops changing, making it comparable
// (volatile values out) and checking it against the rules every screen keeps.

import { setTimeout as sleep } from 'node:timers/promises';

/** The capture once two in a row, 150 ms apart, are the same (a redraw has finished). */
export async function settled(capture: () => string, timeoutMs = 10_000): Promise<string> {
  const end = Date.now() + timeoutMs;
  let last = capture();
  for (;;) {
    await sleep(150);
    const now = capture();
    if (now === last || Date.now() > end) return now;
    last = now;
  }
}

function escapeRe(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/**
 * The screen without what changes from run to run or machine to machine: the bin's path, the
 * checkout, the temporary folder, the version, timings and the template's file count. Escape
 * codes are shown as ␛; trailing spaces, the pane's empty rows and what the test harness printed
 * after the CLI ended go.
 */
export function normaliseScreen(screen: string, values: { bin: string; root: string; cwd: string; version: string }): string {
  let text = screen;
  for (const [value, name] of [
    [values.bin, '<bin>'],
    [values.root.replace(/\/$/, ''), '<root>'],
    [values.cwd, '<tmp>'],
  ] as const) {
    text = text.replaceAll(value, name);
  }
  text = text
    .replace(new RegExp(`\\b${escapeRe(values.version)}\\b`, 'g'), '<version>')
    .replace(/\(\d+(\.\d+)?s\)/g, '(<time>)')
    // How many files the template has: changes with every template file added, not with the screen.
    .replace(/\bWrote \d+ files\b/g, 'Wrote <n> files')
    .replaceAll('\x1b', '␛');
  const lines = text.split('\n').map((line) => line.replace(/\s+$/, ''));
  const exit = lines.findIndex((line) => /^EXIT=\d+$/.test(line));
  const kept = exit === -1 ? lines : lines.slice(0, exit + 1);
  while (kept.length > 0 && kept[kept.length - 1] === '') kept.pop();
  return `${kept.join('\n')}\n`;
}

/** A line printed bare to be copied whole: the terminal may wrap it; nothing frames it. */
const COPYABLE = /^(node |npm |pnpm |yarn |bunx |create-ml-project |cd |\.\/|scripts\\)/;

/**
 * Lines of a plain (joined) screen wider than the terminal, except bare commands to copy. A line
 * of ours wider than the terminal was wrapped by the terminal: mid-word, outside the frame.
 */
export function overlongLines(screen: string, columns: number): string[] {
  return screen.split('\n').filter((line) => [...line.replace(/\s+$/, '')].length > columns && !COPYABLE.test(line));
}

/** Every colour or attribute escape (SGR) in what was written. */
export function colourEscapes(written: string): string[] {
  return written.match(/\x1b\[[\d;]*m/g) ?? [];
}
