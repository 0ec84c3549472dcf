// A template as rendering sees it: its files, its rules (template.json) and pins (pins.json).
// Rendering works on this, never on a folder. A folder template (--template, a download, or the
// bundled one when running from source) is read into one per run. The bundled template is read
// once, by build.mjs, with every EJS file compiled to JavaScript, and its file list, hash and code
// shipped as dist/template.pack: a scaffold from the published package then neither walks the
// folder nor loads or runs EJS's parser (bench/README.md has the measurements).

import { closeSync, lstatSync, openSync, readdirSync, readFileSync, readSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { parseManifest, parsePins, type TemplateManifest } from './manifest.js';
import { below, isPlainRelative } from './plain-path.js';

export interface TemplateFile {
  /** Path inside the template, with forward slashes. */
  path: string;
  /** Executable by anyone: written with mode 755, else 644. */
  executable: boolean;
  content: Buffer;
  /** For `.ejs` files: compiled by run-ejs.ts. Packed ahead, or filled in on first use. */
  compiled?: CompiledEjs;
}

/** An EJS file compiled (run-ejs.ts): a function body, and the literal text it slices. */
export interface CompiledEjs {
  body: string;
  text: string;
}

export interface TemplatePack {
  /** The template folder the files' bytes come from. */
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

export class TemplateError extends Error {}

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

// A pack file holds what a template folder cannot give a run cheaply: the list of its files (no
// folder walk), its content hash, and each EJS file's compiled code. The files' bytes stay in the
// folder, read when a run first uses one, so the package ships each template file once.
// Layout: one line of JSON (the header), then for each EJS file, in header order, its compiled
// body and its literal text (UTF-8). JSON.stringify escapes newlines, so the first newline ends
// the header.
const FORMAT = 'create-ml-project template pack 2';

interface PackHeader {
  format: string;
  hash?: string;
  codeHash?: string;
  /** codeSize and textSize: bytes of the compiled body and of the literal text. */
  files: { path: string; executable: boolean; size: number; codeSize?: number; textSize?: number }[];
}

/** The pack of a template whose files stay where they are (in the folder the pack is read with). */
export function serialisePack(pack: TemplatePack): Buffer {
  const parts: Buffer[] = [];
  const header: PackHeader = { format: FORMAT, ...(pack.hash ? { hash: pack.hash } : {}), ...(pack.codeHash ? { codeHash: pack.codeHash } : {}), files: [] };
  for (const file of pack.files) {
    const entry: PackHeader['files'][number] = { path: file.path, executable: file.executable, size: file.content.length };
    if (file.compiled) {
      const body = Buffer.from(file.compiled.body, 'utf8');
      const text = Buffer.from(file.compiled.text, 'utf8');
      Object.assign(entry, { codeSize: body.length, textSize: text.length });
      parts.push(body, text);
    }
    header.files.push(entry);
  }
  return Buffer.concat([Buffer.from(`${JSON.stringify(header)}\n`, 'utf8'), ...parts]);
}

/** `length` bytes at `start` of a pack. */
type ReadRange = (start: number, length: number) => Buffer;

/**
 * The pack file `path` of the template folder `dir`. Only its header is read here; code and file
 * bytes are read when a run first uses them (a scaffold uses about half of the files, and the
 * code of one package manager's lock file of four). The code reads share one file handle, opened
 * on the first and closed by `release()`.
 */
export function readPack(path: string, dir: string): TemplatePack {
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
  const pack = packFrom(readRange, size, path, dir);
  if (pack.code) pack.code.key = `${pack.code.key}-${size}-${Math.trunc(mtimeMs)}`;
  pack.release = () => {
    if (fd !== undefined) closeSync(fd);
    fd = undefined;
  };
  pack.release();
  return pack;
}

/** A pack from its bytes, for the template folder `dir` (`path` names it in messages). */
export function parsePack(bytes: Buffer, dir: string, path: string): TemplatePack {
  return packFrom((start, length) => bytes.subarray(start, start + length), bytes.length, path, dir);
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

function packFrom(readRange: ReadRange, size: number, path: string, dir: string): TemplatePack {
  // The header is small (a line per file, ~8 KB for the bundled template); read a block at a time
  // until its newline.
  let head = Buffer.alloc(0);
  let end = -1;
  while (end === -1 && head.length < size) {
    head = Buffer.concat([head, readRange(head.length, Math.min(16 * 1024, size - head.length))]);
    end = head.indexOf(10);
  }
  if (end === -1) throw new TemplateError(`${path} is not a template pack: no header`);
  const header = JSON.parse(head.toString('utf8', 0, end)) as PackHeader;
  if (header.format !== FORMAT) throw new TemplateError(`${path} is not a template pack this version can read (${JSON.stringify(header.format)})`);
  let offset = end + 1;
  const code: { files: TemplateFile[]; ranges: [number, number][] } = { files: [], ranges: [] };
  const files = header.files.map(({ path: file, executable, size: length, codeSize, textSize }) => {
    if (typeof file !== 'string' || !isPlainRelative(file)) throw new TemplateError(`${path} is damaged: it names the file ${JSON.stringify(file)}`);
    const readContent = () => {
      const bytes = readFileSync(below(dir, file));
      // The folder is the one the pack was made from (tests check the published package): a file
      // of another size means someone changed it since.
      if (bytes.length !== length) throw new TemplateError(`${below(dir, file)} changed since ${path} was made from it: reinstall create-ml-project`);
      return bytes;
    };
    const start = offset;
    if ((codeSize === undefined) !== (textSize === undefined)) throw new TemplateError(`${path} is damaged: ${file} has code without text`);
    let readCompiled: (() => CompiledEjs) | undefined;
    if (codeSize !== undefined && textSize !== undefined) {
      offset += codeSize + textSize;
      readCompiled = () => {
        const bytes = readRange(start, codeSize + textSize);
        return { body: bytes.toString('utf8', 0, codeSize), text: bytes.toString('utf8', codeSize) };
      };
    }
    const packed = new PackedFile(file, executable, readContent, readCompiled);
    if (codeSize !== undefined) {
      code.files.push(packed);
      code.ranges.push([start, codeSize]);
    }
    return packed;
  });
  if (offset !== size) throw new TemplateError(`${path} is damaged: its header does not account for its size`);
  const pack = fromFiles(dir, files, path, header.hash);
  pack.compiledAhead = header.files.every((f) => f.codeSize !== undefined || !f.path.endsWith('.ejs'));
  if (typeof header.codeHash === 'string' && pack.compiledAhead) {
    const read = () => code.ranges.map(([start, length]) => readRange(start, length).toString('utf8'));
    pack.code = { key: header.codeHash, path, files: code.files, read };
  }
  return pack;
}
