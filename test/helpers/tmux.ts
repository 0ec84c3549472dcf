// Drives the real CLI in a real pseudo-terminal: tmux runs it, send-keys types, capture-pane reads
// the screen. This is how a person uses the wizard, arrow keys and Ctrl+C included.

import { spawnSync } from 'node:child_process';
import { setTimeout as sleep } from 'node:timers/promises';

export function tmuxAvailable(): boolean {
  return spawnSync('tmux', ['-V']).status === 0;
}

export class TerminalSession {
  private constructor(readonly name: string) {}

  /** Starts `command` (a shell line) in a fresh terminal (120×50 unless said); the pane stays after it exits. */
  static start(command: string, cwd: string, size: { columns: number; rows: number } = { columns: 120, rows: 50 }): TerminalSession {
    const name = `cmlp-${process.pid}-${Math.random().toString(36).slice(2, 8)}`;
    const r = spawnSync('tmux', ['new-session', '-d', '-s', name, '-x', String(size.columns), '-y', String(size.rows), '-c', cwd, `${command}; echo EXIT=$?; sleep 120`]);
    if (r.status !== 0) throw new Error(`tmux failed: ${r.stderr}`);
    return new TerminalSession(name);
  }

  screen(): string {
    return spawnSync('tmux', ['capture-pane', '-p', '-J', '-S', '-200', '-t', this.name], { encoding: 'utf8' }).stdout;
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
    spawnSync('tmux', ['send-keys', '-t', this.name, ...(literal ? ['-l', keys] : [keys])]);
  }

  kill(): void {
    spawnSync('tmux', ['kill-session', '-t', this.name]);
  }
}
