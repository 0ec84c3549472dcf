// The one colour decision for everything a run prints: our own text (picocolors) and the prompt
// library's (clack colours through node:util styleText, which build.mjs routes to
// src/lib/style-text.ts, switched by this same decision).
//
// In this order, the first that applies decides:
//   --json        off (one plain JSON object)
//   --no-color    off; --color on, even into a pipe (the last of the two given wins)
//   NO_COLOR      off when not empty (no-color.org), whatever FORCE_COLOR says
//   FORCE_COLOR   on when not empty (force-color.org), even into a pipe; off when 0 or false
//   TERM=dumb     off: a terminal that declares it shows no escape codes
//   otherwise     on for a terminal, off for anything else

/** Whether this run prints colour escapes. `terminal`: stdout is a terminal. */
export function colourWanted(argv: readonly string[], env: NodeJS.ProcessEnv, terminal: boolean): boolean {
  if (argv.includes('--json')) return false;
  const flag = [...argv].reverse().find((arg) => arg === '--color' || arg === '--no-color');
  if (flag) return flag === '--color';
  if (env.NO_COLOR) return false;
  const force = env.FORCE_COLOR;
  if (force === '0' || force === 'false') return false;
  if (force) return true;
  if (dumbTerminal(env)) return false;
  return terminal;
}

/**
 * TERM=dumb: a terminal that moves no cursor and shows no escape codes (Emacs' M-x shell, some
 * IDE consoles). It gets no colour, no cursor movement and no redrawn prompt: plain lines, and
 * questions asked one line at a time (src/line-prompter.ts).
 */
export function dumbTerminal(env: NodeJS.ProcessEnv): boolean {
  return env.TERM === 'dumb';
}
