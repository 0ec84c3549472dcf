// A template as rendering sees it: its files, its rules (template.json) and pins (pins.json).
// Rendering works on this, never on a folder. A folder template (--template, a download, or the
// bundled one when running from source) is read into one per run. The bundled template is read
// once, by build.mjs, with every EJS file compiled to JavaScript, and shipped as one file,
// dist/template.pack: every file's bytes, the file list, the content hash and the compiled code.
// A scaffold from the published package then neither walks a folder nor loads or runs EJS's
// parser (bench/README.md has the measurements), and the package holds the template once.

import { closeSync, lstatSync, openSync, readdirSync, readFileSync, readSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { cloudRules, parseCloudRecords, type CloudRecord } from './clouds.js';
import { checkRule, parseManifest, parsePins, TemplateError, type TemplateManifest } from './manifest.js';
import { bodiesScriptPieces } from './bodies-script.js';
import { blockUnpacker, type PackBlock, type UnpackedCache } from './pack-blocks.js';
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
  /**
   * The body prints nothing but text sliced from the source, at byte offsets (run-ejs.ts,
   * compileEjs): it runs on the byte ranges it slices, and the output is those ranges of the
   * file's bytes (run-ejs.ts, sliced). No decoding or encoding on the way.
   */
  bytes?: boolean;
}

export interface TemplatePack {
  /** Where the template came from (a folder, or a pack file), for messages. */
  dir: string;
  manifest: TemplateManifest;
  pins: Record<string, unknown>;
  /** The clouds it deploys to (clouds/<name>/cloud.json), in order; empty when it has none. */
  clouds: CloudRecord[];
  /** Every file, template.json and pins.json included, sorted by path. */
  files: TemplateFile[];
  /** Content hash (hash.ts): packed ahead, or computed when first asked for. */
  hash?: string;
  /** Every `.ejs` file has its code: rendering needs no EJS. */
  compiledAhead?: boolean;
  /** Closes the file a pack reads from on demand (a later read opens it again). */
  release?: () => void;
  /** A pack read from a file: all its compiled code, made into functions in one go (run-ejs.ts). */
  code?: PackedCode;
  /** SHA-256 of every compiled body, in file order (pack-ahead.ts): names the code in a code cache. */
  codeHash?: string;
}

/** Every compiled body of a pack file, readable in one go: run-ejs.ts compiles them as one script. */
export interface PackedCode {
  /**
   * Names the code in the code cache (cached-bodies.ts); changes whenever the code can: the code's
   * hash, and the pack file's size and modification time. None: the header names no code hash.
   */
  key?: string;
  /** The pack file, to name the script in stack traces. */
  path: string;
  /** The files with compiled code, in the order of `read()`. */
  files: TemplateFile[];
  /** Whether each of `files` prints only slices of its source (CompiledEjs.bytes). */
  bytes: boolean[];
  read(): CompiledEjs[];
  /**
   * The script of every body (bodies-script.ts). A pack stores it whole, so it is read as one
   * string in one go: joining ~80 bodies and V8 flattening the result each copied ~0.25 MB.
   */
  script(): string;
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
  const byPath = new Map(files.map((f) => [f.path, f]));
  const text = (name: string) => byPath.get(name)?.content.toString('utf8');
  const manifest = parseManifest(text('template.json'), where);
  const clouds = parseCloudRecords([...byPath.keys()], (path) => text(path) ?? '', where);
  if (clouds.length > 0) {
    // Each record's own rules join template.json's (clouds.ts).
    const rules = cloudRules(clouds);
    for (const rule of rules) checkRule(rule, `${where}/clouds`);
    manifest.files = [...manifest.files, ...rules];
  }
  return { dir, manifest, pins: parsePins(text('pins.json'), where), clouds, files, ...(hash ? { hash } : {}) };
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
// Block 0 is stored as it is: the files brotli cannot shrink (the gzipped data), read by range when
// a run first uses one. Block 1 is a brotli stream of the compiled bodies (one script) and the
// small files (a run uses most of them), each cloud's own files flushed after the rest. Block 2 is
// a brotli stream of the big files (the four lock files, ~1.5 MB), flushed after each: the
// variants of a lock (with and without the API, Poetry and uv) share most of their text, which
// brotli's large window finds and gzip's 32 KiB window cannot, so the package is a third of the
// size it would be with the files stored. A file is read by unpacking its block
// only up to the end of its group (`need` compressed bytes): a Poetry project never unpacks the uv
// locks behind its own, and never unpacks the small files twice on the way to its lock.
// JSON.stringify escapes newlines, so the first newline ends the header. pack-ahead.ts writes
// packs (at build time); this file reads them. Readers take any number of blocks.
export const FORMAT = 'create-ml-project template pack 3';

/**
 * Bytes of a pack: `size` bytes at `at` of block `block` once unpacked; in a compressed block, the
 * first `need` bytes of the block unpack through them.
 */
export interface PackSegment {
  block: number;
  at: number;
  size: number;
  need?: number;
}

export interface PackHeader {
  format: string;
  hash?: string;
  codeHash?: string;
  /** Block 0 is stored; the others, when there are any, are brotli (pack-blocks.ts). */
  blocks: PackBlock[];
  /** Each file's bytes, and for an EJS file its compiled body (`code`). */
  files: (PackSegment & { path: string; executable: boolean; code?: PackSegment; bytes?: true })[];
  /** Every body as one script (bodies-script.ts), which holds each file's `code`; optional. */
  script?: PackSegment;
}

/** `length` bytes at `start` of a pack. */
type ReadRange = (start: number, length: number) => Buffer;

/**
 * The pack file `path`. Only its header is read here; a file's bytes and code are read when a run
 * first uses them, and a compressed block is unpacked once, when a run first needs one of its
 * files (or read from `keep(name)`, cached-bodies.ts). The reads share one file handle, opened on
 * the first and closed by `release()`.
 */
export function readPack(path: string, keep?: (name: string) => UnpackedCache): TemplatePack {
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
  // What is kept of this file is named after its content hash, size and modification time.
  const cache = (hash: string | undefined) => (hash && keep ? keep(`${hash.split(':').pop()?.slice(0, 16)}-${size}-${Math.trunc(mtimeMs)}`) : undefined);
  const pack = packFrom(readRange, size, path, cache);
  if (pack.code?.key) pack.code.key = `${pack.code.key}-${size}-${Math.trunc(mtimeMs)}`;
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

function packFrom(readRange: ReadRange, size: number, path: string, cache?: (hash: string | undefined) => UnpackedCache | undefined): TemplatePack {
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
  const unpackTo = blockUnpacker(header.blocks, (index) => starts[index] as number, readRange, damaged, cache?.(header.hash));
  const stored = starts[0] as number;
  const segment = ({ block, at, size: length, need }: PackSegment, what: string): (() => Buffer) => {
    const unpackedSize = header.blocks[block]?.unpacked;
    if (unpackedSize === undefined || !Number.isSafeInteger(at) || !Number.isSafeInteger(length) || at < 0 || length < 0 || at + length > unpackedSize) {
      throw damaged(`${what} lies outside its block`);
    }
    return block === 0 ? () => readRange(stored + at, length) : () => unpackTo(block, need as number, at + length).subarray(at, at + length);
  };
  const codes: { files: TemplateFile[]; reads: (() => CompiledEjs)[]; bytes: boolean[] } = { files: [], reads: [], bytes: [] };
  const files = header.files.map((entry) => {
    const file = entry.path;
    if (typeof file !== 'string' || !isPlainRelative(file)) throw damaged(`it names the file ${JSON.stringify(file)}`);
    // A pack is the template compiled ahead: rendering one never needs EJS.
    if (file.endsWith('.ejs') && !entry.code) throw damaged(`${file} has no compiled code`);
    const code = entry.code ? segment(entry.code, `the code of ${file}`) : undefined;
    const readCode = code && ((): CompiledEjs => ({ body: code().toString('utf8'), ...(entry.bytes === true ? { bytes: true } : {}) }));
    const packed = new PackedFile(file, entry.executable === true, segment(entry, file), readCode);
    if (readCode) {
      codes.files.push(packed);
      codes.reads.push(readCode);
      codes.bytes.push(entry.bytes === true);
    }
    return packed;
  });
  const pack = fromFiles(path, files, path, header.hash);
  pack.compiledAhead = true;
  const read = () => codes.reads.map((readCode) => readCode());
  const whole = header.script ? segment(header.script, 'the code') : undefined;
  const script = () => (whole ? whole().toString('utf8') : bodiesScriptPieces(read().map(({ body }) => body)).map(({ text }) => text).join(''));
  pack.code = { ...(typeof header.codeHash === 'string' ? { key: header.codeHash } : {}), path, files: codes.files, bytes: codes.bytes, read, script };
  return pack;
}
