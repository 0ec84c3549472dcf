// Downloads a template archive with Node's fetch and reads it while it arrives: the bytes are
// counted (DOWNLOAD_LIMIT), inflated and checked entry by entry (untar.ts, tar-reader.ts), and the
// first broken rule stops the download, closing the connection. Nothing is written here: the
// caller gets the archive's bytes (for the cache) and its checked files, both in memory.
// The run's signal (Ctrl+C, SIGTERM) aborts the request at once, even mid-body.

import { CancelError, CliError, ExitCode, show } from '../errors.js';
import { downloadError } from './download-errors.js';
import type { RemoteSource } from './source-url.js';
import { formatBytes } from './tar-reader.js';
import { ArchiveLimitError, readTarGz, UnsafeArchiveError, type ArchiveFile } from './untar.js';

/** The compressed archive, at most. A template is kilobytes; a big one with data a few MiB. */
export const DOWNLOAD_LIMIT = 32 * 1024 * 1024;

export const LIMITS_HINT = 'a template may be at most 32 MiB to download, 64 MiB unpacked and 20000 entries; nothing from it was written';

class TooLargeError extends Error {}

export interface Downloaded {
  archive: Buffer;
  files: ArchiveFile[];
}

export interface DownloadOptions {
  offline: boolean;
  env: NodeJS.ProcessEnv;
  signal?: AbortSignal;
}

/** An archive refused by the reader, as the run's one line. */
export function refusal(spec: string, error: UnsafeArchiveError): CliError {
  const hint = error instanceof ArchiveLimitError ? LIMITS_HINT : 'nothing from it was written; a template archive may only hold regular files and folders below its root';
  return new CliError(`--template ${show(spec)}: refusing the downloaded archive: ${error.message}`, ExitCode.templateFetch, [hint]);
}

export async function downloadArchive(spec: string, source: RemoteSource, options: DownloadOptions): Promise<Downloaded> {
  const stop = new AbortController();
  const signal = options.signal ? AbortSignal.any([stop.signal, options.signal]) : stop.signal;
  let status: number | undefined;
  try {
    const response = await fetch(source.url, { headers: source.headers, signal, redirect: 'follow' });
    if (!response.ok) {
      status = response.status;
      throw new Error(`HTTP ${status}`);
    }
    const announced = Number(response.headers.get('content-length') ?? Number.NaN);
    if (announced > DOWNLOAD_LIMIT) throw new TooLargeError(`the server announced ${formatBytes(announced)}`);
    const kept: Buffer[] = [];
    let received = 0;
    const body = response.body;
    async function* counted(): AsyncGenerator<Buffer> {
      if (!body) return;
      for await (const chunk of body) {
        received += chunk.byteLength;
        if (received > DOWNLOAD_LIMIT) throw new TooLargeError(`cut after ${formatBytes(DOWNLOAD_LIMIT)}`);
        const piece = Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength);
        kept.push(piece);
        yield piece;
      }
    }
    const files = await readTarGz(counted(), { strip: source.strip, subdir: source.subdir, signal });
    return { archive: Buffer.concat(kept), files };
  } catch (error) {
    if (options.signal?.aborted) throw new CancelError();
    if (error instanceof TooLargeError) {
      throw new CliError(`--template ${show(spec)}: refusing the download: it is larger than ${formatBytes(DOWNLOAD_LIMIT)} (the limit): ${error.message}`, ExitCode.templateFetch, [LIMITS_HINT]);
    }
    if (error instanceof UnsafeArchiveError) throw refusal(spec, error);
    throw downloadError(spec, { url: source.url, ...(status === undefined ? { error } : { status }) }, options);
  } finally {
    // Whatever is left of the body is not wanted: the connection closes now.
    stop.abort();
  }
}
