// Remote templates: a source (gh:org/repo/folder#ref, gitlab:, bitbucket:, sourcehut:,
// https://….tar.gz; source-url.ts) is downloaded (download.ts) or taken from our download cache
// (cache.ts), checked in memory as a whole — limits, entries, template.json, --template-hash —
// and only then written: to the cache (whole, atomically) when it was downloaded, and into a
// private temporary folder, never the target, from which it is used exactly like a local folder.

import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CliError, ExitCode, show } from '../errors.js';
import type { DownloadCache } from './cache.js';
import { DOWNLOAD_LIMIT, downloadArchive } from './download.js';
import { filesHash, hashMismatch } from './hash.js';
import { resolveSource } from './source-url.js';
import { readTarGz, UnsafeArchiveError, writeFiles, type ArchiveFile } from './untar.js';

export { isRemoteSource } from './source-url.js';

export interface RemoteOptions {
  offline: boolean;
  preferOffline: boolean;
  env: NodeJS.ProcessEnv;
  /** Called with the temporary folder as soon as it exists, so the caller removes it whatever happens. */
  scratch: (path: string) => void;
  /** --template-hash: checked on the files in memory, before anything is written. */
  expectedHash?: string;
  /** The run's cancel (Ctrl+C, SIGTERM): stops a download at once. */
  signal?: AbortSignal;
}

export interface RemoteTemplate {
  /** Folder holding the unpacked template (its template.json at the root). */
  dir: string;
  /** The temporary folder around it, to remove after the run. */
  scratch: string;
}

/** The cached archive, read and checked exactly as a download is. */
async function fromCache(spec: string, cache: DownloadCache, archive: Buffer, select: { strip: number; subdir: string }): Promise<ArchiveFile[]> {
  const { Readable } = await import('node:stream');
  try {
    return await readTarGz(Readable.from([archive]), select);
  } catch (error) {
    if (!(error instanceof UnsafeArchiveError)) throw error;
    throw new CliError(`--template ${show(spec)}: refusing the cached archive: ${error.message}`, ExitCode.templateFetch, [
      `delete ${cache.dir} (a cache: always safe to delete) and run again without --offline`,
    ]);
  }
}

export async function fetchRemote(spec: string, options: RemoteOptions): Promise<RemoteTemplate> {
  const source = resolveSource(spec, options.env);
  // Loaded here, not at the top: cache.ts loads node:crypto, which costs every scaffold ~14 M
  // instructions (bench/README.md), and only a remote template needs it.
  const { DownloadCache } = await import('./cache.js');
  const cache = DownloadCache.for(options.env, DOWNLOAD_LIMIT);
  let files: ArchiveFile[] | undefined;
  let downloaded: Buffer | undefined;
  if (options.offline || options.preferOffline) {
    const cached = cache.read(source.url);
    if (cached) files = await fromCache(spec, cache, cached, source);
    else if (options.offline) {
      throw new CliError(`cannot download template ${show(spec)}: no cached copy to use offline`, ExitCode.templateFetch, [
        `run once without --offline to fill the cache (${cache.dir})`,
      ]);
    }
  }
  if (!files) ({ archive: downloaded, files } = await downloadArchive(spec, source, options));

  if (!files.some((f) => f.path === 'template.json')) {
    throw new CliError(`--template ${show(spec)}: the download has no template.json at its root`, ExitCode.templateFetch, [
      'point at the folder that holds template.json, e.g. gh:org/repo/path/to/template#ref',
    ]);
  }
  if (options.expectedHash) {
    const actual = await filesHash(files.map((f) => ({ path: f.path, executable: f.executable, content: f.data })));
    if (actual !== options.expectedHash) throw hashMismatch(spec, actual, options.expectedHash);
  }
  if (downloaded) cache.write(source.url, downloaded);

  const scratch = mkdtempSync(join(tmpdir(), 'cmlp-template-'));
  options.scratch(scratch);
  const dir = join(scratch, 'template');
  try {
    writeFiles(files, dir);
  } catch (error) {
    rmSync(scratch, { recursive: true, force: true });
    throw new CliError(`--template ${show(spec)}: cannot unpack the template: ${(error as Error).message}`, ExitCode.templateFetch);
  }
  return { dir, scratch };
}
