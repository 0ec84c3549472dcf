// Drives the real CLI in a real pseudo-terminal: tmux runs it, send-keys types, capture-pane reads
// the screen. This is how a person uses the wizard, arrow keys and Ctrl+C included.

import { spawnSync } from 'node:child_process';
import { setTimeout as sleep } from 'node:timers/promises';

export function tmuxAvailable(): boolean {
  return spawnSync('tmux', ['-V']).status === 0;
}

// A tmux server of this test process's own (-L): other processes' tests on the machine neither
// see these sessions nor take the server down with theirs.
const SOCKET = `cmlp-test-${process.pid}`;

function tmux(args: readonly string[]) {
  return spawnSync('tmux', ['-L', SOCKET, ...args], { encoding: 'utf8' });
}

export class TerminalSession {
  private constructor(readonly name: string) {}

  /** Starts `command` (a shell line) in a fresh terminal (120×50 unless said); the pane stays after it exits. */
  static start(command: string, cwd: string, size: { columns: number; rows: number } = { columns: 120, rows: 50 }): TerminalSession {
    const name = `cmlp-${process.pid}-${Math.random().toString(36).slice(2, 8)}`;
    for (let attempt = 1; ; attempt++) {
      const r = tmux(['new-session', '-d', '-s', name, '-x', String(size.columns), '-y', String(size.rows), '-c', cwd, `${command}; echo EXIT=$?; sleep 120`]);
      if (r.status === 0) return new TerminalSession(name);
      // The server of the session killed just before may still be exiting: a new one starts after.
      if (attempt === 3 || !/server exited/.test(r.stderr)) throw new Error(`tmux failed: ${r.stderr}`);
      Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 200);
    }
  }

  /**
   * The pane and its history as text. Lines the terminal wrapped are joined (what the program
   * wrote as one line is one line); `escapes` keeps the colours and attributes as escape codes.
   */
  screen(options: { escapes?: boolean } = {}): string {
    return tmux(['capture-pane', '-p', '-J', ...(options.escapes ? ['-e'] : []), '-S', '-', '-t', this.name]).stdout;
  }

  async waitFor(pattern: RegExp, timeoutMs = 20_000): Promise<string> {
    const end = Date.now() + timeoutMs;
    for (;;) {
      const screen = this.screen();
      if (pattern.test(screen)) return screen;
      if (Date.now() > end) throw new Error(`timed out waiting for ${pattern}; screen:\n${screen}`);
      await sleep(100);
    }
  }

  /** tmux key names: 'Enter', 'Down', 'C-c', or literal text with literal=true. */
  send(keys: string, literal = false): void {
    tmux(['send-keys', '-t', this.name, ...(literal ? ['-l', keys] : [keys])]);
  }

  kill(): void {
    tmux(['kill-session', '-t', this.name]);
  }
}
