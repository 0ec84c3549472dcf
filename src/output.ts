// Standard output and standard error, written without Node's stream objects unless a terminal
// needs them.
//
// The first touch of process.stdout or process.stderr makes Node build a stream for it, and for a
// file or a pipe load some twenty modules of its stream machinery first: ~3 ms and ~140 memory
// pages of the ~23 ms a default scaffold spends beyond Node's own start-up (bench/README.md). A
// terminal needs that stream (prompts, the spinner, its width); a file, a pipe, a socket or
// /dev/null does not: into those a run writes the bytes itself with fs.writeSync, which is what
// Node's own stream for a file does. Telling a terminal from /dev/null (both character devices)
// without the stream would take node:tty, which loads the same modules; so any character device
// but the null device gets Node's stream, as does everything on Windows.
//
// bin.ts makes the two outputs and hands their writers on: nothing in the command bundles touches
// process.stdout or process.stderr unless the run is at a terminal.

import { fstatSync, statSync, writeSync } from 'node:fs';

export interface Output {
  /** Writes `text` (UTF-8). After the reader went away (EPIPE), the rest goes nowhere. */
  write(text: string): void;
  /** It is a terminal (Node's own stream for it says so). */
  readonly isTTY: boolean;
  /** The terminal's width; undefined for anything else. */
  readonly columns: number | undefined;
  /** Everything written has reached the system (Node's stream, when used, holds nothing back). */
  readonly flushed: boolean;
}

/** Standard output (1) or standard error (2). */
export function output(fd: 1 | 2): Output {
  let direct = !nodeStreamNeeded(fd);
  let gone = false;
  let used: NodeJS.WriteStream | undefined;
  const stream = () => (used ??= guarded(fd === 1 ? process.stdout : process.stderr));
  return {
    write(text) {
      if (gone) return;
      if (!direct) {
        stream().write(text);
        return;
      }
      const bytes = Buffer.from(text, 'utf8');
      for (let done = 0; done < bytes.length; ) {
        try {
          done += writeSync(fd, bytes, done);
        } catch (error) {
          const code = (error as NodeJS.ErrnoException).code;
          if (code === 'EPIPE') {
            gone = true;
            return;
          }
          if (code !== 'EAGAIN') throw error;
          // A full pipe another process made non-blocking: Node's stream waits for the reader. It
          // takes the rest, and everything after it, so the output stays in order.
          direct = false;
          stream().write(bytes.subarray(done));
          return;
        }
      }
    },
    get isTTY() {
      return !direct && stream().isTTY === true;
    },
    get columns() {
      return direct ? undefined : stream().columns;
    },
    get flushed() {
      return used === undefined || used.writableLength === 0;
    },
  };
}

/** Whether `fd` may be a terminal (or cannot be looked at): then Node's stream writes to it. */
function nodeStreamNeeded(fd: number): boolean {
  if (process.platform === 'win32') return true;
  try {
    const stat = fstatSync(fd);
    return stat.isCharacterDevice() && stat.rdev !== statSync('/dev/null').rdev;
  } catch {
    // Closed (EBADF): Node's stream for it swallows what is written.
    return true;
  }
}

const GUARDED = Symbol.for('create-ml-project.output-guarded');

/**
 * A reader that stopped reading (`| head -1`) is not a failure of the run: the rest of the output
 * goes nowhere, and the run ends as it would have (the project, its repository, its exit code).
 */
function guarded<T extends NodeJS.WriteStream>(stream: T): T {
  const marked = stream as T & { [GUARDED]?: true };
  if (marked[GUARDED]) return stream;
  marked[GUARDED] = true;
  stream.on('error', (error: NodeJS.ErrnoException) => {
    if (error.code !== 'EPIPE' && error.code !== 'ERR_STREAM_DESTROYED') throw error;
    stream.write = (() => true) as typeof stream.write;
  });
  return stream;
}

/** Attaches the EPIPE guard to Node's streams that exist already (a terminal run's prompts use them directly). */
export function guardStreams(): void {
  guarded(process.stdout);
  guarded(process.stderr);
}
