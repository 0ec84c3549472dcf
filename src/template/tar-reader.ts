// Reads a tar stream as it arrives, a chunk at a time, and refuses it the moment it breaks a rule:
// an entry that could reach outside the template (`..`, an absolute path, a link, a device), more
// entries or more bytes than a template may have. Nothing is written here: the files are held in
// memory (at most ARCHIVE_LIMITS.bytes of them) until the whole archive has passed, and written by
// the caller only then. Memory stays bounded whatever the archive claims: a file's declared size is
// checked against what is left of the budget before one byte of it is kept.

export class UnsafeArchiveError extends Error {}

/** An archive over one of the limits: refused like an unsafe one, with a hint about the limits. */
export class ArchiveLimitError extends UnsafeArchiveError {}

const MiB = 1024 * 1024;

/** Templates are small (the bundled one: ~80 files, 2 MiB); these leave a wide margin. */
export const ARCHIVE_LIMITS = { entries: 20_000, bytes: 64 * MiB };

/** 2 GiB, 40.5 MiB, 12.3 KiB: a size for messages. */
export function formatBytes(n: number): string {
  const [value, unit] = n >= 1024 * MiB ? [n / 1024 / MiB, 'GiB'] : n >= MiB ? [n / MiB, 'MiB'] : [n / 1024, 'KiB'];
  return `${value.toFixed(1).replace(/\.0$/, '')} ${unit}`;
}

export interface ArchiveFile {
  /** Path inside the template, forward slashes. */
  path: string;
  executable: boolean;
  data: Buffer;
}

export interface SelectOptions {
  /** Leading folders to drop (GitHub/GitLab archives wrap everything in one). */
  strip: number;
  /** Only this folder of the archive (after stripping), e.g. "templates/ml"; "" for all. */
  subdir: string;
}

const BLOCK = 512;
/** A PAX or GNU long-name record: a few hundred bytes in practice. */
const MAX_META = 1024 * 1024;
const KIND: Record<string, string> = { '1': 'a hard link', '2': 'a symbolic link', '3': 'a device', '4': 'a device', '6': 'a FIFO' };
const FILE_TYPES = new Set(['0', '\0', '7']);
const META_TYPES = new Set(['x', 'g', 'L', 'K']);

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

/** Checks one raw archive path; returns its segments. */
function segments(path: string): string[] {
  if (path.includes('\0') || path.includes('\\')) throw new UnsafeArchiveError(`archive entry ${JSON.stringify(path)} has a backslash or NUL in its path`);
  if (path.startsWith('/') || /^[a-zA-Z]:/.test(path)) throw new UnsafeArchiveError(`archive entry ${JSON.stringify(path)} has an absolute path`);
  const parts = path.split('/').filter((p) => p !== '' && p !== '.');
  if (parts.includes('..')) throw new UnsafeArchiveError(`archive entry ${JSON.stringify(path)} points outside the archive (..)`);
  return parts;
}

/** The entry whose data is being read: kept (a template file or a metadata record) or skipped. */
interface Current {
  type: string;
  path: string;
  executable: boolean;
  data: Buffer | undefined;
  filled: number;
  left: number;
  padding: number;
}

export class TarReader {
  private readonly header = Buffer.alloc(BLOCK);
  private headerFill = 0;
  private current: Current | undefined;
  private received = 0;
  private position = 0;
  private entries = 0;
  private ended = false;
  private pax: Record<string, string> = {};
  private longName: string | undefined;
  private readonly files = new Map<string, ArchiveFile>();
  private readonly subdir: string[];

  constructor(
    private readonly select: SelectOptions,
    private readonly limits = ARCHIVE_LIMITS,
  ) {
    this.subdir = select.subdir.split('/').filter(Boolean);
  }

  /** Takes the next inflated bytes; throws UnsafeArchiveError as soon as a rule is broken. */
  write(chunk: Buffer): void {
    this.received += chunk.length;
    // Everything counts, the padding after the end included: inflating is the work being bounded.
    if (this.received > this.limits.bytes) throw new ArchiveLimitError(`it unpacks to more than ${formatBytes(this.limits.bytes)} (the limit)`);
    let at = 0;
    while (at < chunk.length && !this.ended) {
      const current = this.current;
      if (current) {
        const take = Math.min(current.left + current.padding, chunk.length - at);
        const keep = Math.min(take, current.left);
        if (current.data && keep > 0) chunk.copy(current.data, current.filled, at, at + keep);
        current.filled += keep;
        current.left -= keep;
        current.padding -= take - keep;
        at += take;
        if (current.left === 0 && current.padding === 0) this.finishEntry(current);
        continue;
      }
      const take = Math.min(BLOCK - this.headerFill, chunk.length - at);
      chunk.copy(this.header, this.headerFill, at, at + take);
      this.headerFill += take;
      at += take;
      if (this.headerFill === BLOCK) {
        this.headerFill = 0;
        this.position += BLOCK;
        this.startEntry(this.header);
      }
    }
  }

  /** The template's files, sorted by path, once the stream has ended; throws if it ended early. */
  finish(): ArchiveFile[] {
    if (this.received === 0) throw new UnsafeArchiveError('the archive is empty');
    if (this.current || this.headerFill > 0) throw new UnsafeArchiveError('the archive is truncated');
    const paths = [...this.files.keys()];
    for (const path of paths) {
      const parts = path.split('/');
      for (let i = 1; i < parts.length; i++) {
        const parent = parts.slice(0, i).join('/');
        if (this.files.has(parent)) throw new UnsafeArchiveError(`archive entry ${JSON.stringify(parent)} is a file and also a folder holding ${JSON.stringify(path)}`);
      }
    }
    return paths.sort((a, b) => (a < b ? -1 : a > b ? 1 : 0)).map((path) => this.files.get(path) as ArchiveFile);
  }

  private startEntry(header: Buffer): void {
    if (header.every((b) => b === 0)) {
      this.ended = true;
      return;
    }
    if (!checksumOk(header)) throw new UnsafeArchiveError('the archive is corrupt (bad tar header checksum)');
    const size = octal(header, 124, 12, 'size');
    const type = String.fromCharCode(header[156] ?? 0);
    const padding = (BLOCK - (size % BLOCK)) % BLOCK;
    if (META_TYPES.has(type)) {
      if (size > MAX_META) throw new UnsafeArchiveError(`archive has a ${formatBytes(size)} metadata record`);
      this.begin({ type, path: '', executable: false, data: Buffer.alloc(size), filled: 0, left: size, padding });
      return;
    }
    if (++this.entries > this.limits.entries) throw new ArchiveLimitError(`it holds more than ${this.limits.entries} entries (the limit)`);
    const ustar = header.subarray(257, 262).toString('latin1') === 'ustar';
    const prefix = ustar ? text(header, 345, 155) : '';
    const name = text(header, 0, 100);
    const path = this.pax.path ?? this.longName ?? (prefix ? `${prefix}/${name}` : name);
    this.pax = {};
    this.longName = undefined;
    const parts = segments(path);
    const kind = KIND[type];
    if (kind) throw new UnsafeArchiveError(`archive entry ${JSON.stringify(path)} is ${kind}; templates may only hold regular files`);
    if (!FILE_TYPES.has(type) && type !== '5') throw new UnsafeArchiveError(`archive entry ${JSON.stringify(path)} has unsupported type ${JSON.stringify(type)}`);
    if (this.position + size > this.limits.bytes) {
      throw new ArchiveLimitError(`it unpacks to more than ${formatBytes(this.limits.bytes)} (the limit): ${JSON.stringify(path)} alone is ${formatBytes(size)}`);
    }
    const inside = parts.slice(this.select.strip);
    const wanted = FILE_TYPES.has(type) && inside.length > this.subdir.length && this.subdir.every((s, i) => inside[i] === s);
    const executable = (octal(header, 100, 8, 'mode') & 0o111) !== 0;
    const rel = inside.slice(this.subdir.length).join('/');
    this.begin({ type, path: rel, executable, data: wanted ? Buffer.alloc(size) : undefined, filled: 0, left: size, padding });
  }

  private begin(entry: Current): void {
    this.position += entry.left + entry.padding;
    if (entry.left + entry.padding === 0) this.finishEntry(entry);
    else this.current = entry;
  }

  private finishEntry(entry: Current): void {
    this.current = undefined;
    const { type, data } = entry;
    if (!data) return;
    if (type === 'x') this.pax = paxRecords(data);
    else if (type === 'L') this.longName = text(data, 0, data.length);
    else if (FILE_TYPES.has(type)) {
      // A later entry of the same path replaces an earlier one, as unpacking it would.
      this.files.delete(entry.path);
      this.files.set(entry.path, { path: entry.path, executable: entry.executable, data });
    }
    // 'g' (global PAX: GitHub puts the commit id there) and 'K' (a link's long name; the link
    // itself is refused) carry nothing a template needs.
  }
}
