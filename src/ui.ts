// Everything the user reads goes through a Ui, so tests can capture it and so an interactive run
// (clack's framed look) and a non-interactive run (plain lines, no animation) share one call site.

import pc from 'picocolors';
import type { Colors } from 'picocolors/types.js';
import { colourWanted } from './colour.js';
import { visibleWidth, wrapLines } from './wrap.js';

export interface Spinner {
  start(message: string): void;
  /** What the running work is doing now (a line of an installer's output); shown beside the title. */
  detail(text: string): void;
  stop(message: string): void;
  fail(message: string): void;
}

export interface Ui {
  c: Colors;
  intro(title: string): void;
  step(message: string): void;
  info(message: string): void;
  warn(message: string): void;
  error(message: string): void;
  /** The run was cancelled: the last thing it prints (clack closes its frame with it). */
  cancel(message: string): void;
  note(body: string, title: string): void;
  /** A command to copy: on a line of its own, outside any box, so a wrapped copy picks up no frame. */
  command(title: string, line: string): void;
  outro(message: string): void;
  spinner(): Spinner;
}

export function colors(enabled: boolean): Colors {
  return pc.createColors(enabled);
}

/** The one colour rule for every command (src/colour.ts); `terminal`: stdout is a terminal. */
export function colorsFor(argv: readonly string[], env: NodeJS.ProcessEnv, terminal: boolean): Colors {
  return colors(colourWanted(argv, env, terminal));
}

/** Plain lines for pipes, CI and tests: no cursor movement, one line per event. */
export function plainUi(
  c: Colors,
  write: (line: string) => void = (l) => process.stdout.write(`${l}\n`),
  writeError: (line: string) => void = (l) => process.stderr.write(`${l}\n`),
): Ui {
  return {
    c,
    intro: (title) => write(c.bold(title)),
    step: (m) => write(`${c.green('✔')} ${m}`),
    info: (m) => write(m),
    warn: (m) => writeError(`${c.yellow('warning:')} ${m}`),
    error: (m) => writeError(`${c.red('error:')} ${m}`),
    cancel: (m) => writeError(`${c.red('error:')} ${m}`),
    note: (body, title) => write(`\n${c.bold(title)}\n${body.replace(/^/gm, '  ')}\n`),
    command: (title, line) => write(`\n${c.bold(title)}\n${line}\n`),
    outro: (m) => write(m),
    spinner() {
      let started = 0;
      return {
        start(message) {
          started = Date.now();
          write(`… ${message}`);
        },
        // One line per event without a terminal: the command's output is in its log instead.
        detail: () => undefined,
        stop: (message) => write(`${c.green('✔')} ${message}${elapsed(started, c)}`),
        fail: (message) => writeError(`${c.red('✖')} ${message}${elapsed(started, c)}`),
      };
    },
  };
}

/** No output at all: --json prints only its one object. */
export function silentUi(c: Colors): Ui {
  const none = () => undefined;
  return { c, intro: none, step: none, info: none, warn: none, error: none, cancel: none, note: none, command: none, outro: none, spinner: () => ({ start: none, detail: none, stop: none, fail: none }) };
}

/** The terminal's width now (it can change while the run waits). */
export function terminalColumns(): number {
  return process.stdout.columns || 80;
}

/**
 * clack's look, for a person at a terminal. Loaded lazily: --help never pays for it. clack frames
 * every line with a gutter (`│  `) but leaves long text to the terminal, which breaks it mid-word
 * and without the gutter; so text is wrapped here first, at spaces, inside the gutter. Boxes whose
 * lines are commands or paths (next steps, a dry run's files) are drawn only when every line fits
 * whole; otherwise those lines are printed bare, so a copy picks up no frame.
 */
export async function clackUi(c: Colors): Promise<Ui> {
  const p = await import('./lib/clack.js');
  p.useColour(c.isColorSupported);
  const bar = `${c.gray(p.S_BAR)}  `;
  // Room right of the gutter: clack's symbol or bar and two spaces.
  const fit = (text: string, continued = bar) => wrapLines(text, Math.max(terminalColumns() - 3, 20)).join(`\n${continued}`);
  const bare = (title: string, lines: readonly string[]) => {
    p.log.message(fit(`${title}:`, ''));
    process.stdout.write(`${lines.flatMap(commentAbove).join('\n')}\n\n`);
  };
  return {
    c,
    intro: (title) => p.intro(title),
    // clack adds the gutter to each line it is given.
    step: (m) => p.log.step(fit(m, '')),
    info: (m) => p.log.info(fit(m, '')),
    warn: (m) => p.log.warn(fit(m, '')),
    error: (m) => p.log.error(fit(m, '')),
    // clack's end mark, as its own cancel does, below the cancelled question's frame.
    cancel: (m) => p.cancel(fit(m, '   ')),
    note: (body, title) => {
      const lines = body.split('\n');
      // clack's box: the gutter, two spaces each side of the widest line (or the title), a frame.
      const fits = Math.max(visibleWidth(title) + 2, ...lines.map(visibleWidth)) + 6 <= terminalColumns();
      if (fits) p.note(body, title);
      else bare(title, lines);
    },
    // The title in clack's frame; the command itself bare, after it, the whole line for the terminal to wrap.
    command: (title, line) => bare(title, [line]),
    // Below clack's end mark, wrapped lines line up with the first.
    outro: (m) => p.outro(fit(m, '   ')),
    spinner: () => terminalSpinner(p, c, fit),
  };
}

/**
 * `command   # why` too wide for the terminal: the comment on lines of its own above the command
 * (still comments if pasted), so the command itself stays whole on its line.
 */
function commentAbove(line: string): string[] {
  const parts = /^(.*?\S) {2,}# (.*)$/.exec(line);
  if (!parts || visibleWidth(line) <= terminalColumns()) return [line];
  const [, command = '', comment = ''] = parts;
  return [...wrapLines(comment, Math.max(terminalColumns() - 2, 20)).map((l) => `# ${l}`), command];
}

/**
 * clack's spinner look, without clack's key handling: clack's spinner reads the terminal in raw
 * mode and ends the process with exit 0 on Ctrl+C or Esc, skipping every clean-up. Here the
 * terminal is read raw too (typed keys do not smear the animation), and Ctrl+C or Esc raise
 * SIGINT: the run's one interrupt path (bin.ts) stops what it started and removes what it made.
 */
function terminalSpinner(p: typeof import('./lib/clack.js'), c: Colors, fit: (text: string) => string): Spinner {
  const frames = p.unicode ? ['◒', '◐', '◓', '◑'] : ['•', 'o', 'O', '0'];
  const out = process.stdout;
  const input = process.stdin;
  let timer: NodeJS.Timeout | undefined;
  let started = 0;
  let text = '';
  let wasRaw = false;
  const onData = (data: Buffer) => {
    const key = data.toString('latin1');
    // Ctrl+C anywhere in what arrived, or a lone Esc (not the start of an arrow key's sequence).
    if (key.includes('\x03') || key === '\x1b') process.kill(process.pid, 'SIGINT');
  };
  let detail = '';
  const draw = (frame: string) => {
    const [title, rest] = spinnerLine(text, `${Math.floor((Date.now() - started) / 1000)}s`, detail, terminalColumns());
    out.write(`\r\x1b[2K${frame}  ${title} ${c.dim(rest)}`);
  };
  const end = (symbol: string, message: string) => {
    if (timer === undefined) return;
    clearInterval(timer);
    timer = undefined;
    input.off('data', onData);
    if (input.isTTY) {
      input.setRawMode(wasRaw);
      input.pause();
    }
    out.write(`\r\x1b[2K${symbol}  ${fit(`${message}${elapsed(started, c)}`)}\n\x1b[?25h`);
  };
  return {
    start(message) {
      started = Date.now();
      text = message;
      if (input.isTTY) {
        wasRaw = input.isRaw;
        input.setRawMode(true);
        input.on('data', onData);
        input.resume();
      }
      out.write(`${c.gray(p.S_BAR)}\n\x1b[?25l`);
      let i = 0;
      draw(c.magenta(frames[0] as string));
      timer = setInterval(() => draw(c.magenta(frames[++i % frames.length] as string)), 80);
    },
    detail(line) {
      // Printable text only: it comes from another program's output.
      detail = line.replace(/[\u0000-\u001f\u007f-\u009f]/g, '').trim();
    },
    stop: (message) => end(c.green(p.S_STEP_SUBMIT), message),
    fail: (message) => end(c.red(p.S_STEP_ERROR), message),
  };
}

/**
 * A running spinner's title and, after it, the time so far and the latest step, cut to one line
 * of the terminal beside the frame (a line the terminal wrapped cannot be redrawn in place): the
 * step goes first, then the title is shortened. Leaves the last column free.
 */
export function spinnerLine(title: string, seconds: string, step: string, columns: number): [string, string] {
  const cut = (text: string, room: number) => (text.length > room ? `${text.slice(0, Math.max(room - 1, 0))}…` : text);
  const room = columns - 4; // the frame and two spaces; the last column
  const shown = cut(title, Math.max(room - 1 - seconds.length, 1));
  const left = room - shown.length - 1 - seconds.length;
  return [shown, step && left > 10 ? `${seconds} · ${cut(step, left - 3)}` : seconds];
}

function elapsed(started: number, c: Colors): string {
  return c.dim(` (${((Date.now() - started) / 1000).toFixed(1)}s)`);
}
