// A template as rendering sees it: its files, its rules (template.json) and pins (pins.json).
// Rendering works on this, never on a folder. A folder template (--template, a download, or the
// bundled one when running from source) is read into one per run. The bundled template is read
// once, by build.mjs, with every EJS file compiled to JavaScript, and shipped as one file,
// dist/template.pack: every file's bytes, the file list, the content hash and the compiled code.
// A scaffold from the published package then neither walks a folder nor loads or runs EJS's
// parser (bench/README.md has the measurements), and the package holds the template once.

import { closeSync, lstatSync, openSync, readdirSync, readFileSync, readSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { brotliCompressSync, brotliDecompressSync, constants, createBrotliCompress } from 'node:zlib';
import { parseManifest, parsePins, TemplateError, type TemplateManifest } from './manifest.js';
import { isPlainRelative } from './plain-path.js';

export interface TemplateFile {
  /** Path inside the template, with forward slashes. */
  path: string;
  /** Executable by anyone: written with mode 755, else 644. */
  executable: boolean;
  /** The file's bytes; for an `.ejs` file its source, which is also the text its code slices. */
  content: Buffer;
  /** For `.ejs` files: compiled by run-ejs.ts. Packed ahead, or filled in on first use. */
  compiled?: CompiledEjs;
}

/**
 * An EJS file compiled (run-ejs.ts): the body of a JavaScript function. The literal text it
 * prints is sliced from the file's own source (`content`), so a pack stores that text once.
 */
export interface CompiledEjs {
  body: string;
}

export interface TemplatePack {
  /** Where the template came from (a folder, or a pack file), for messages. */
  dir: string;
  manifest: TemplateManifest;
  pins: Record<string, unknown>;
  /** Every file, template.json and pins.json included, sorted by path. */
  files: TemplateFile[];
  /** Content hash (hash.ts): packed ahead, or computed when first asked for. */
  hash?: string;
  /** Every `.ejs` file has its code: rendering needs no EJS. */
  compiledAhead?: boolean;
  /** Closes the file a pack reads from on demand (a later read opens it again). */
  release?: () => void;
  /** A pack read from a file whose header names its code (codeHash): all of it, for the code cache. */
  code?: PackedCode;
  /** SHA-256 of every compiled body, in file order (pack-ahead.ts): names the code in a code cache. */
  codeHash?: string;
}

/** Every compiled body of a pack file, readable in one go: cached-bodies.ts compiles them as one script. */
export interface PackedCode {
  /** Changes whenever the code can: the code's hash, and the pack file's size and modification time. */
  key: string;
  /** The pack file, to name the script in stack traces. */
  path: string;
  /** The files with compiled code, in the order of `read()`. */
  files: TemplateFile[];
  read(): string[];
}

export { TemplateError } from './manifest.js';

/** All regular files below `dir`, as sorted forward-slash paths. Links are refused. */
export function listFiles(dir: string): string[] {
  const out: string[] = [];
  const walk = (rel: string): void => {
    for (const entry of readdirSync(join(dir, rel), { withFileTypes: true })) {
      const child = rel ? `${rel}/${entry.name}` : entry.name;
      if (entry.isDirectory()) walk(child);
      else if (entry.isFile()) out.push(child);
      else throw new TemplateError(`template file ${child} is a link or special file; templates may only hold regular files`);
    }
  };
  walk('');
  // Code-point order: the same on every machine (localeCompare depends on the locale).
  return out.sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
}

function fromFiles(dir: string, files: TemplateFile[], where: string, hash?: string): TemplatePack {
  const text = (name: string) => files.find((f) => f.path === name)?.content.toString('utf8');
  return { dir, manifest: parseManifest(text('template.json'), where), pins: parsePins(text('pins.json'), where), files, ...(hash ? { hash } : {}) };
}

/** Reads a template folder: every file, nothing compiled yet. */
export function readTemplateFolder(dir: string): TemplatePack {
  const files = listFiles(dir).map((path) => {
    const abs = join(dir, path);
    return { path, executable: (lstatSync(abs).mode & 0o111) !== 0, content: readFileSync(abs) };
  });
  return fromFiles(dir, files, dir);
}

// A pack file: one line of JSON (the header), then the blocks it lists, one after the other.
// Block 0 is stored as it is: every compiled body, and the files brotli cannot shrink (the gzipped
// data), read by range when a run first uses one. Block 1 holds every other file, compressed with
// brotli: small files first, then the big ones (the four lock files, ~1.5 MB), each group in path
// order. The variants of a lock (with and without the API, Poetry and uv) share most of their text,
// which brotli's large window finds and gzip's 32 KiB window cannot: the package is a third of
// the size it would be with the files stored. The stream is flushed after each file, so a file is
// read by unpacking the block only up to its end (`need` compressed bytes): a Poetry project never
// unpacks the uv locks behind its own. JSON.stringify escapes newlines, so the first newline ends
// the header.
const FORMAT = 'create-ml-project template pack 3';

interface PackHeader {
  format: string;
  hash?: string;
  codeHash?: string;
  /** Block 0 is stored; block 1, when there is one, is brotli. size: bytes in the pack. */
  blocks: { codec: 'none' | 'br'; size: number; unpacked: number }[];
  /**
   * A file's bytes are `size` bytes at `at` of its (unpacked) block; in a compressed block, the
   * first `need` bytes of the block unpack through them. Its code: `codeSize` bytes at `codeAt` of block 0.
   */
  files: { path: string; executable: boolean; block: number; at: number; size: number; need?: number; codeAt?: number; codeSize?: number }[];
}

/** Files from this size on come after the small ones in the compressed block. */
const BIG = 64 * 1024;

/** Brotli saves at least a tenth of it (a quick, lower quality tells text from compressed data). */
function worthCompressing(file: TemplateFile): boolean {
  const quick = brotliCompressSync(file.content, { params: { [constants.BROTLI_PARAM_QUALITY]: 5 } });
  return quick.length < file.content.length * 0.9;
}

/** `files` through one brotli stream, flushed after each: the stream, and where each file's end is decodable. */
async function compressTogether(files: TemplateFile[]): Promise<{ bytes: Buffer; ends: number[] }> {
  const total = files.reduce((sum, f) => sum + f.content.length, 0);
  // Quality 11 and a 16 MiB window: build time is paid once, and the window spans the block.
  const stream = createBrotliCompress({
    params: { [constants.BROTLI_PARAM_QUALITY]: 11, [constants.BROTLI_PARAM_LGWIN]: 24, [constants.BROTLI_PARAM_SIZE_HINT]: total },
  });
  const chunks: Buffer[] = [];
  let size = 0;
  stream.on('data', (chunk: Buffer) => {
    chunks.push(chunk);
    size += chunk.length;
  });
  const ends: number[] = [];
  for (const file of files) {
    stream.write(file.content);
    await new Promise<void>((done) => stream.flush(constants.BROTLI_OPERATION_FLUSH, () => done()));
    ends.push(size);
  }
  await new Promise<void>((done, fail) => stream.on('end', done).on('error', fail).end());
  // The last file is read through the stream's end marker: unpacked whole, and checked whole.
  if (ends.length > 0) ends[ends.length - 1] = size;
  return { bytes: Buffer.concat(chunks), ends };
}

/** The bytes of a pack file holding every file of `pack` and its compiled code. */
export async function serialisePack(pack: TemplatePack): Promise<Buffer> {
  const header: PackHeader = { format: FORMAT, ...(pack.hash ? { hash: pack.hash } : {}), ...(pack.codeHash ? { codeHash: pack.codeHash } : {}), blocks: [], files: [] };
  const stored: Buffer[] = [];
  let storedSize = 0;
  const store = (bytes: Buffer): number => {
    stored.push(bytes);
    storedSize += bytes.length;
    return storedSize - bytes.length;
  };
  const squeezed = pack.files.filter(worthCompressing);
  // Small files first: a run reads most of them, and only one or two of the big ones.
  const order = [...squeezed.filter((f) => f.content.length < BIG), ...squeezed.filter((f) => f.content.length >= BIG)];
  const compressed = await compressTogether(order);
  const placed = new Map(order.map((file, i) => [file, i]));
  const starts = new Map<TemplateFile, number>();
  let at = 0;
  for (const file of order) {
    starts.set(file, at);
    at += file.content.length;
  }
  for (const file of pack.files) {
    const entry: PackHeader['files'][number] = { path: file.path, executable: file.executable, block: 0, at: 0, size: file.content.length };
    const index = placed.get(file);
    if (index === undefined) entry.at = store(file.content);
    else Object.assign(entry, { block: 1, at: starts.get(file), need: compressed.ends[index] });
    if (file.compiled) {
      const body = Buffer.from(file.compiled.body, 'utf8');
      Object.assign(entry, { codeAt: store(body), codeSize: body.length });
    }
    header.files.push(entry);
  }
  header.blocks.push({ codec: 'none', size: storedSize, unpacked: storedSize });
  if (order.length > 0) header.blocks.push({ codec: 'br', size: compressed.bytes.length, unpacked: at });
  return Buffer.concat([Buffer.from(`${JSON.stringify(header)}\n`, 'utf8'), ...stored, ...(order.length > 0 ? [compressed.bytes] : [])]);
}

/** `length` bytes at `start` of a pack. */
type ReadRange = (start: number, length: number) => Buffer;

/**
 * The pack file `path`. Only its header is read here; a file's bytes and code are read when a run
 * first uses them, and a compressed block is unpacked once, when a run first needs one of its
 * files. The reads share one file handle, opened on the first and closed by `release()`.
 */
export function readPack(path: string): TemplatePack {
  const { size, mtimeMs } = statSync(path);
  let fd: number | undefined;
  const readRange: ReadRange = (start, length) => {
    fd ??= openSync(path, 'r');
    const out = Buffer.allocUnsafe(length);
    for (let done = 0; done < length; ) {
      const got = readSync(fd, out, done, length - done, start + done);
      if (got === 0) throw new TemplateError(`${path} is damaged: it ends early`);
      done += got;
    }
    return out;
  };
  const pack = packFrom(readRange, size, path);
  if (pack.code) pack.code.key = `${pack.code.key}-${size}-${Math.trunc(mtimeMs)}`;
  pack.release = () => {
    if (fd !== undefined) closeSync(fd);
    fd = undefined;
  };
  pack.release();
  return pack;
}

/** A pack from its bytes (`path` names it in messages). */
export function parsePack(bytes: Buffer, path: string): TemplatePack {
  return packFrom((start, length) => bytes.subarray(start, start + length), bytes.length, path);
}

/** A file of a pack: what the header says, its bytes and code read on first use. */
class PackedFile implements TemplateFile {
  #content: Buffer | undefined;
  #compiled: CompiledEjs | undefined;

  constructor(
    readonly path: string,
    readonly executable: boolean,
    private readonly readContent: () => Buffer,
    private readonly readCompiled: (() => CompiledEjs) | undefined,
  ) {}

  get content(): Buffer {
    return (this.#content ??= this.readContent());
  }

  get compiled(): CompiledEjs | undefined {
    return (this.#compiled ??= this.readCompiled?.());
  }

  /** Compiled on first use when the pack did not carry it (run-ejs.ts). */
  set compiled(value: CompiledEjs | undefined) {
    this.#compiled = value;
  }
}

function readHeader(readRange: ReadRange, size: number, path: string): { header: PackHeader; end: number } {
  // The header is small (a line per file, ~10 KB for the bundled template); read a block at a
  // time until its newline.
  let head = Buffer.alloc(0);
  let end = -1;
  while (end === -1 && head.length < size) {
    head = Buffer.concat([head, readRange(head.length, Math.min(16 * 1024, size - head.length))]);
    end = head.indexOf(10);
  }
  if (end === -1) throw new TemplateError(`${path} is not a template pack: no header`);
  let header: PackHeader;
  try {
    header = JSON.parse(head.toString('utf8', 0, end)) as PackHeader;
  } catch {
    throw new TemplateError(`${path} is not a template pack: its header is not JSON`);
  }
  if (header?.format !== FORMAT) throw new TemplateError(`${path} is not a template pack this version can read (${JSON.stringify(header?.format)})`);
  return { header, end };
}

function packFrom(readRange: ReadRange, size: number, path: string): TemplatePack {
  const { header, end } = readHeader(readRange, size, path);
  const damaged = (what: string) => new TemplateError(`${path} is damaged: ${what}`);
  // Where each block starts in the pack, and each compressed block once unpacked.
  const starts: number[] = [];
  let offset = end + 1;
  for (const block of header.blocks) {
    if (!block || (block.codec !== 'none' && block.codec !== 'br')) throw damaged('it names an unknown kind of block');
    starts.push(offset);
    offset += block.size;
  }
  if (offset !== size || header.blocks[0]?.codec !== 'none') throw damaged('its header does not account for its size');
  // The longest start of each compressed block unpacked so far.
  const unpacked = new Map<number, Buffer>();
  const unpackTo = (index: number, need: number, upTo: number): Buffer => {
    let bytes = unpacked.get(index);
    if (!bytes || bytes.length < upTo) {
      const block = header.blocks[index] as PackHeader['blocks'][number];
      if (!Number.isSafeInteger(need) || need <= 0 || need > block.size) throw damaged(`block ${index} has no ${need} bytes`);
      // Flush, not finish: the start of the stream ends where the packer flushed it, not at its end.
      const finishFlush = need === block.size ? constants.BROTLI_OPERATION_FINISH : constants.BROTLI_OPERATION_FLUSH;
      try {
        bytes = brotliDecompressSync(readRange(starts[index] as number, need), { finishFlush, maxOutputLength: block.unpacked });
      } catch (error) {
        throw damaged(`block ${index} does not unpack: ${(error as Error).message}`);
      }
      if (bytes.length < upTo || (need === block.size && bytes.length !== block.unpacked)) throw damaged(`block ${index} unpacks to ${bytes.length} bytes, not ${need === block.size ? block.unpacked : upTo}`);
      unpacked.set(index, bytes);
    }
    return bytes;
  };
  const stored = starts[0] as number;
  const inBlock = (index: number, at: number, length: number, what: string): void => {
    const block = header.blocks[index];
    if (!block || !Number.isSafeInteger(at) || !Number.isSafeInteger(length) || at < 0 || length < 0 || at + length > block.unpacked) throw damaged(`${what} lies outside its block`);
  };
  const code: { files: TemplateFile[]; ranges: [number, number][] } = { files: [], ranges: [] };
  const files = header.files.map(({ path: file, executable, block, at, size: length, need, codeAt, codeSize }) => {
    if (typeof file !== 'string' || !isPlainRelative(file)) throw damaged(`it names the file ${JSON.stringify(file)}`);
    inBlock(block, at, length, file);
    const readContent = () => (block === 0 ? readRange(stored + at, length) : unpackTo(block, need as number, at + length).subarray(at, at + length));
    let readCompiled: (() => CompiledEjs) | undefined;
    if (codeAt !== undefined || codeSize !== undefined) {
      inBlock(0, codeAt as number, codeSize as number, `the code of ${file}`);
      readCompiled = () => ({ body: readRange(stored + (codeAt as number), codeSize as number).toString('utf8') });
    }
    const packed = new PackedFile(file, executable === true, readContent, readCompiled);
    if (codeAt !== undefined) {
      code.files.push(packed);
      code.ranges.push([stored + codeAt, codeSize as number]);
    }
    return packed;
  });
  const pack = fromFiles(path, files, path, header.hash);
  pack.compiledAhead = header.files.every((f) => f.codeSize !== undefined || !f.path.endsWith('.ejs'));
  if (typeof header.codeHash === 'string' && pack.compiledAhead) {
    const read = () => code.ranges.map(([start, length]) => readRange(start, length).toString('utf8'));
    pack.code = { key: header.codeHash, path, files: code.files, read };
  }
  return pack;
}
