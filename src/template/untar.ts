// A template archive (.tar.gz) from any stream: inflated by zlib, read and checked entry by entry
// by tar-reader.ts as the bytes arrive, and only once all of it has passed written out
// (writeFiles), as regular files below one folder, never through a link (we never create one).
// node-tar (what giget used) silently skips unsafe entries, so a hostile archive would "succeed"
// with files missing; here it is refused as a whole, by code we can read.

import { mkdirSync, writeFileSync } from 'node:fs';
import { join, relative, resolve, sep } from 'node:path';
import type { Readable } from 'node:stream';
import { ARCHIVE_LIMITS, TarReader, UnsafeArchiveError, type ArchiveFile, type SelectOptions } from './tar-reader.js';

export { ArchiveLimitError, UnsafeArchiveError, type ArchiveFile } from './tar-reader.js';

export interface ReadOptions extends SelectOptions {
  signal?: AbortSignal;
  limits?: typeof ARCHIVE_LIMITS;
}

/** Reads a gzipped tar stream to the end; throws UnsafeArchiveError for anything it refuses. */
export async function readTarGz(source: Readable | AsyncIterable<Buffer>, options: ReadOptions): Promise<ArchiveFile[]> {
  // Loaded on use: most runs never read an archive.
  const [{ pipeline }, { Writable }, { createGunzip }] = await Promise.all([import('node:stream/promises'), import('node:stream'), import('node:zlib')]);
  const reader = new TarReader(options, options.limits);
  const sink = new Writable({
    write(chunk: Buffer, _encoding, done) {
      try {
        reader.write(chunk);
        done();
      } catch (error) {
        done(error as Error);
      }
    },
  });
  try {
    // gunzip respects the sink's back-pressure: a bomb is inflated only as fast as it is checked.
    await pipeline(source, createGunzip(), sink, options.signal ? { signal: options.signal } : {});
  } catch (error) {
    if (error instanceof UnsafeArchiveError) throw error;
    const code = (error as { code?: unknown }).code;
    if (typeof code === 'string' && code.startsWith('Z_')) throw new UnsafeArchiveError(`the archive cannot be decompressed: ${(error as Error).message}`);
    throw error;
  }
  return reader.finish();
}

/** Writes checked files below `dest` (created if missing). */
export function writeFiles(files: readonly ArchiveFile[], dest: string): void {
  const base = resolve(dest);
  mkdirSync(base, { recursive: true });
  for (const file of files) {
    const abs = join(base, ...file.path.split('/'));
    // The reader already refused "..", so this cannot fail; it guards future edits of that check.
    if (relative(base, abs).startsWith('..') || !abs.startsWith(base + sep)) throw new UnsafeArchiveError(`archive entry ${file.path} escapes the folder`);
    mkdirSync(join(abs, '..'), { recursive: true });
    // Only the executable bit matters to the renderer; nothing setuid, nothing world-writable.
    writeFileSync(abs, file.data, { mode: file.executable ? 0o755 : 0o644 });
  }
}

/**
 * Unpacks `archive` (gzipped tar bytes) into `dest`, which must exist and be empty. The whole
 * archive is checked before the first byte is written. Returns the files written.
 */
export async function unpackTemplate(archive: Buffer, dest: string, options: SelectOptions): Promise<string[]> {
  const { Readable } = await import('node:stream');
  const files = await readTarGz(Readable.from([archive]), options);
  writeFiles(files, dest);
  return files.map((f) => f.path);
}
