// Remembers what this run created so that a failure or Ctrl+C removes exactly that and nothing
// of the user's: a folder we created goes whole; inside a folder that already existed only the
// files and folders we added go.

import { rmdirSync, rmSync, unlinkSync } from 'node:fs';

export class Rollback {
  private roots: string[] = [];
  private entries: { path: string; dir: boolean }[] = [];
  private temporary: string[] = [];
  /** Once the user has a finished project, a later failure (setup) keeps it. */
  private keep = false;

  /** A folder this run created; everything below it is ours. */
  createdRoot(path: string): void {
    this.roots.push(path);
  }

  /** A file or folder this run added inside a folder that already existed. */
  added(path: string, dir = false): void {
    this.entries.push({ path, dir });
  }

  /** Scratch space (staging) removed on success and failure alike. */
  scratch(path: string): void {
    this.temporary.push(path);
  }

  /** From now on only a cancel removes the project. */
  keepOnFailure(): void {
    this.keep = true;
  }

  /** Scratch space that became the project (the staging folder renamed into place). */
  moved(path: string): void {
    this.temporary = this.temporary.filter((p) => p !== path);
  }

  async cleanScratch(): Promise<void> {
    this.cleanScratchSync();
  }

  private cleanScratchSync(): void {
    for (const path of this.temporary.splice(0)) {
      // A file (the placement lock) goes with one unlink(2); rmSync would first load Node's rimraf
      // module (~1.4 M instructions a scaffold). A folder (staging) goes whole.
      try {
        unlinkSync(path);
      } catch (error) {
        if ((error as NodeJS.ErrnoException)?.code !== 'ENOENT') rmSync(path, { recursive: true, force: true });
      }
    }
  }

  /** Undo after a failure (`cancelled` false) or a cancel. */
  async undo(cancelled: boolean): Promise<void> {
    this.undoSync(cancelled);
  }

  /** The same, synchronously: also what a second Ctrl+C runs on its way out (emergency.ts). */
  undoSync(cancelled: boolean): void {
    this.cleanScratchSync();
    if (this.keep && !cancelled) return;
    for (const { path, dir } of this.entries.splice(0).reverse()) {
      try {
        if (dir) rmdirSync(path);
        else unlinkSync(path);
      } catch {
        // A folder that is not empty (or anything odd): remove it whole; a file already gone is fine.
        if (dir) rmSync(path, { recursive: true, force: true });
      }
    }
    for (const root of this.roots.splice(0).reverse()) rmSync(root, { recursive: true, force: true });
  }
}
