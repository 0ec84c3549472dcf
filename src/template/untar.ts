// Unpacks a downloaded template archive (tar or tar.gz) into an empty folder, refusing anything
// that could reach outside it. giget's own extraction (node-tar) silently skips such entries, so a
// hostile archive would "succeed" with files missing; we want it refused as a whole, and we want
// the guarantee to come from code we can read here: only regular files and folders are written,
// only below `dest`, and never through a link (we never create one).

import { mkdirSync, writeFileSync } from 'node:fs';
import { join, relative, resolve, sep } from 'node:path';

export class UnsafeArchiveError extends Error {}

/** Templates are small; this caps a decompression bomb long before it fills the disk. */
const MAX_UNPACKED_BYTES = 512 * 1024 * 1024;
const BLOCK = 512;

interface Entry {
  path: string;
  type: string;
  mode: number;
  data: Buffer;
}

function text(block: Buffer, start: number, length: number): string {
  const field = block.subarray(start, start + length);
  const end = field.indexOf(0);
  return field.subarray(0, end === -1 ? field.length : end).toString('utf8');
}

function octal(block: Buffer, start: number, length: number, what: string): number {
  // A set high bit means GNU base-256: only used for sizes beyond 8 GiB, never in a template.
  if ((block[start] ?? 0) & 0x80) throw new UnsafeArchiveError(`archive entry has an oversized ${what} field`);
  const raw = text(block, start, length).trim();
  const value = raw === '' ? 0 : Number.parseInt(raw, 8);
  if (!Number.isFinite(value) || value < 0) throw new UnsafeArchiveError(`archive has a corrupt ${what} field`);
  return value;
}

function checksumOk(block: Buffer): boolean {
  let sum = 0;
  for (let i = 0; i < BLOCK; i++) sum += i >= 148 && i < 156 ? 0x20 : (block[i] ?? 0);
  return sum === octal(block, 148, 8, 'checksum');
}

/** PAX records: "<len> key=value\n" repeated. */
function paxRecords(data: Buffer): Record<string, string> {
  const out: Record<string, string> = {};
  let at = 0;
  while (at < data.length) {
    const space = data.indexOf(0x20, at);
    if (space === -1) break;
    const length = Number.parseInt(data.subarray(at, space).toString('utf8'), 10);
    if (!Number.isFinite(length) || length <= 0) break;
    const record = data.subarray(space + 1, at + length - 1).toString('utf8');
    const eq = record.indexOf('=');
    if (eq > 0) out[record.slice(0, eq)] = record.slice(eq + 1);
    at += length;
  }
  return out;
}

/** Every entry of the archive with its final path (PAX and GNU long names applied). */
function* entries(archive: Buffer): Generator<Entry> {
  let offset = 0;
  let pax: Record<string, string> = {};
  let longName: string | undefined;
  while (offset + BLOCK <= archive.length) {
    const header = archive.subarray(offset, offset + BLOCK);
    if (header.every((b) => b === 0)) return;
    if (!checksumOk(header)) throw new UnsafeArchiveError('the archive is corrupt (bad tar header checksum)');
    const size = octal(header, 124, 12, 'size');
    const type = String.fromCharCode(header[156] ?? 0);
    const data = archive.subarray(offset + BLOCK, offset + BLOCK + size);
    if (data.length < size) throw new UnsafeArchiveError('the archive is truncated');
    offset += BLOCK + Math.ceil(size / BLOCK) * BLOCK;
    if (type === 'x') {
      pax = paxRecords(data);
      continue;
    }
    if (type === 'g') continue; // global PAX header: GitHub puts the commit id here
    if (type === 'L') {
      longName = text(data, 0, data.length);
      continue;
    }
    if (type === 'K') continue; // GNU long link name: the link itself is refused below
    const ustar = header.subarray(257, 262).toString('latin1') === 'ustar';
    const prefix = ustar ? text(header, 345, 155) : '';
    const name = text(header, 0, 100);
    const path = pax.path ?? longName ?? (prefix ? `${prefix}/${name}` : name);
    pax = {};
    longName = undefined;
    yield { path, type, mode: octal(header, 100, 8, 'mode'), data };
  }
}

const KIND: Record<string, string> = { '1': 'a hard link', '2': 'a symbolic link', '3': 'a device', '4': 'a device', '6': 'a FIFO' };

/** Checks one raw archive path; returns its segments. */
function segments(path: string): string[] {
  if (path.includes('\0') || path.includes('\\')) throw new UnsafeArchiveError(`archive entry ${JSON.stringify(path)} has a backslash or NUL in its path`);
  if (path.startsWith('/') || /^[a-zA-Z]:/.test(path)) throw new UnsafeArchiveError(`archive entry ${JSON.stringify(path)} has an absolute path`);
  const parts = path.split('/').filter((p) => p !== '' && p !== '.');
  if (parts.includes('..')) throw new UnsafeArchiveError(`archive entry ${JSON.stringify(path)} points outside the archive (..)`);
  return parts;
}

export interface UnpackOptions {
  /** Leading folders to drop, as giget does (GitHub/GitLab archives wrap everything in one). */
  strip: number;
  /** Only this folder of the archive (after stripping), e.g. "templates/ml"; "" for all. */
  subdir: string;
}

/**
 * Unpacks `archive` (gzip or plain tar bytes) into `dest`, which must exist and be empty.
 * The whole archive is checked before the first byte is written. Returns the files written.
 */
export async function unpackTemplate(archive: Buffer, dest: string, options: UnpackOptions): Promise<string[]> {
  let tar: Buffer;
  try {
    // zlib loads only here: the create bundle carries this file, and most runs never unpack anything.
    const gzipped = archive[0] === 0x1f && archive[1] === 0x8b;
    tar = gzipped ? (await import('node:zlib')).gunzipSync(archive, { maxOutputLength: MAX_UNPACKED_BYTES }) : archive;
  } catch (error) {
    throw new UnsafeArchiveError(`the archive cannot be decompressed: ${(error as Error).message}`);
  }
  const sub = options.subdir.split('/').filter(Boolean);
  const planned: { parts: string[]; entry: Entry }[] = [];
  for (const entry of entries(tar)) {
    const parts = segments(entry.path);
    const kind = KIND[entry.type];
    if (kind) throw new UnsafeArchiveError(`archive entry ${JSON.stringify(entry.path)} is ${kind}; templates may only hold regular files`);
    if (!['0', '\0', '7', '5'].includes(entry.type)) throw new UnsafeArchiveError(`archive entry ${JSON.stringify(entry.path)} has unsupported type ${JSON.stringify(entry.type)}`);
    const inside = parts.slice(options.strip);
    if (sub.some((s, i) => inside[i] !== s)) continue;
    const rel = inside.slice(sub.length);
    if (rel.length > 0) planned.push({ parts: rel, entry });
  }

  const base = resolve(dest);
  const written: string[] = [];
  for (const { parts, entry } of planned) {
    const abs = join(base, ...parts);
    // segments() already refused "..", so this cannot fail; it guards future edits of that check.
    if (relative(base, abs).startsWith('..') || !abs.startsWith(base + sep)) throw new UnsafeArchiveError(`archive entry ${entry.path} escapes the folder`);
    if (entry.type === '5') {
      mkdirSync(abs, { recursive: true });
      continue;
    }
    mkdirSync(join(abs, '..'), { recursive: true });
    // Only the executable bit matters to the renderer; nothing setuid, nothing world-writable.
    writeFileSync(abs, entry.data, { mode: entry.mode & 0o111 ? 0o755 : 0o644 });
    written.push(parts.join('/'));
  }
  return written;
}
