// The download cache for remote templates: what --offline and --prefer-offline read, and what
// every successful download refreshes. One file per source:
//
//   <cache home>/create-ml-project/downloads/<sha256 of the URL, hex>.tar.gz
//
// where the cache home is $XDG_CACHE_HOME, else %LOCALAPPDATA% on Windows, else ~/.cache.
// Deleting the folder is always safe (the next run downloads again).
//
// - Keyed on the whole URL the archive is downloaded from: it holds the provider, the repository
//   and the ref (gh:org/repo#v1 and #v2 are two entries; two https://…/template.tar.gz on
//   different paths too). Sources that differ only in the folder picked from the archive share
//   the entry, because they share the archive.
// - Only an archive that passed every check (limits, entries, template.json, --template-hash) is
//   written, and only whole: a temporary file in the same folder, flushed, then renamed over the
//   entry. A cut or refused download leaves the entry as it was; two runs writing the same entry
//   at once each rename a whole file, and the last one wins.
// - Written synchronously, so a Ctrl+C (handled on the event loop) cannot land half-way; a file
//   left by a killed run (`*.tmp`) is removed by a later write once it is an hour old.
// - Only entries this user wrote (owner, not group/world-writable) are read: a shared or
//   misconfigured cache folder cannot hand us someone else's template.

import { createHash, randomBytes } from 'node:crypto';
import { closeSync, fstatSync, fsyncSync, mkdirSync, openSync, readdirSync, readFileSync, renameSync, rmSync, statSync, writeSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { hostOs } from '../host.js';

/** $XDG_CACHE_HOME, %LOCALAPPDATA% or ~/.cache, then create-ml-project. */
export function cacheHome(env: NodeJS.ProcessEnv): string {
  const base = env.XDG_CACHE_HOME || (hostOs() === 'windows' && env.LOCALAPPDATA) || join(homedir(), '.cache');
  return join(base, 'create-ml-project');
}

const STALE_MS = 60 * 60 * 1000;

export class DownloadCache {
  constructor(
    readonly dir: string,
    /** Entries larger than this are not ours to read (nothing that large is ever written). */
    private readonly maxBytes: number,
  ) {}

  static for(env: NodeJS.ProcessEnv, maxBytes: number): DownloadCache {
    return new DownloadCache(join(cacheHome(env), 'downloads'), maxBytes);
  }

  /** The entry of `url`. */
  path(url: string): string {
    return join(this.dir, `${createHash('sha256').update(url).digest('hex')}.tar.gz`);
  }

  /** The cached archive of `url`, or undefined when there is none we can trust. */
  read(url: string): Buffer | undefined {
    let fd: number;
    try {
      fd = openSync(this.path(url), 'r');
    } catch {
      return undefined;
    }
    try {
      const stat = fstatSync(fd);
      const mine = process.getuid === undefined || (stat.uid === process.getuid() && (stat.mode & 0o022) === 0);
      if (!stat.isFile() || !mine || stat.size > this.maxBytes) return undefined;
      return readFileSync(fd);
    } finally {
      closeSync(fd);
    }
  }

  /**
   * Makes `archive` the entry of `url`, whole or not at all. A failure (read-only or full disk) is
   * not the run's failure: the template is in hand, only the next --offline run misses it.
   */
  write(url: string, archive: Buffer): boolean {
    const final = this.path(url);
    const temporary = `${final}.${process.pid}-${randomBytes(4).toString('hex')}.tmp`;
    try {
      mkdirSync(this.dir, { recursive: true, mode: 0o700 });
      this.removeStale();
      const fd = openSync(temporary, 'wx', 0o600);
      try {
        for (let at = 0; at < archive.length; ) at += writeSync(fd, archive, at);
        fsyncSync(fd);
      } finally {
        closeSync(fd);
      }
      renameSync(temporary, final);
      return true;
    } catch {
      try {
        rmSync(temporary, { force: true });
      } catch {
        // nothing more to do: a stale temporary file is removed by a later write
      }
      return false;
    }
  }

  private removeStale(): void {
    const now = Date.now();
    for (const name of readdirSync(this.dir)) {
      if (!name.endsWith('.tmp')) continue;
      const path = join(this.dir, name);
      try {
        if (now - statSync(path).mtimeMs > STALE_MS) rmSync(path, { force: true });
      } catch {
        // gone already, or not ours to remove
      }
    }
  }
}
