// The bundled template as build.mjs ships it (dist/template.pack): read, every EJS file compiled,
// the content hash computed, all ahead of any run.

import { packHash } from './hash.js';
import { brotliCompressSync, constants, createBrotliCompress } from 'node:zlib';
import { bodiesScriptPieces } from './bodies-script.js';
import { FORMAT, readTemplateFolder, TemplateError, type CompiledEjs, type PackHeader, type PackSegment, type TemplateFile, type TemplatePack } from './pack.js';
import { compileEjs, loadEjs } from './run-ejs.js';

/**
 * The speed tricks of a pack, each on unless turned off. Only bench/tricks.mjs turns one off (through
 * build.mjs), to measure what it buys; the published package has them all.
 */
export interface PackTricks {
  /** The compiled code named in the header (codeHash), so a run loads it through the code cache (cached-bodies.ts). */
  codeCache?: boolean;
  /** Brotli for what it shrinks (else every file is stored as it is). */
  compress?: boolean;
  /** Literal text sliced from the source instead of string literals in the code (run-ejs.ts). */
  hoistLiterals?: boolean;
}

export async function packAhead(dir: string, tricks: PackTricks = {}): Promise<TemplatePack> {
  const pack = readTemplateFolder(dir);
  const ejs = await loadEjs();
  for (const file of pack.files) {
    if (!file.path.endsWith('.ejs')) continue;
    file.compiled = compileEjs(ejs, file.content.toString('utf8'), file.path, tricks.hoistLiterals ?? true);
    // One character beyond ASCII anywhere in the code made V8 hold all of it (~0.25 MB) as two
    // bytes a character: a copy twice that size, and the memory pages for it, on every run.
    const wide = /[^\x00-\x7f]/.exec(file.compiled.body)?.[0];
    if (wide) {
      const escaped = `\\u${(wide.codePointAt(0) as number).toString(16).padStart(4, '0')}`;
      throw new TemplateError(`${file.path}: the code in its <% %> tags has the character ${JSON.stringify(wide)}; the code of a packed template is kept ASCII: write it as an escape (${escaped}) in a string`);
    }
  }
  pack.compiledAhead = true;
  await packHash(pack);
  if (tricks.codeCache === false) return pack;
  // Names the compiled code in the code cache of a run (cached-bodies.ts).
  const { createHash } = await import('node:crypto');
  const code = createHash('sha256');
  for (const file of pack.files) if (file.compiled) code.update(`${file.path}\0${file.compiled.body}\0`);
  pack.codeHash = code.digest('hex').slice(0, 16);
  return pack;
}

/** The bytes of dist/template.pack for the template folder `dir`. */
export async function packFileFor(dir: string, tricks: PackTricks = {}): Promise<Buffer> {
  return serialisePack(await packAhead(dir, tricks), tricks.compress ?? true);
}

// How a pack is laid out: see pack.ts, which reads it.

/** Files from this size on come after the small ones in the compressed block. */
const BIG = 64 * 1024;

/** Brotli saves at least a tenth of it (a quick, lower quality tells text from compressed data). */
function worthCompressing(file: TemplateFile): boolean {
  const quick = brotliCompressSync(file.content, { params: { [constants.BROTLI_PARAM_QUALITY]: 5 } });
  return quick.length < file.content.length * 0.9;
}

/**
 * `groups` of byte strings through one brotli stream, flushed after each group: the stream, and for
 * each group how much of the stream unpacks through it. A flush costs ~75 bytes: the code and the
 * small files every project may use are one group, the clouds' own files another (byUse), each
 * big file a group of its own.
 */
async function compressTogether(groups: Buffer[][]): Promise<{ bytes: Buffer; needs: number[] }> {
  const total = groups.flat().reduce((sum, b) => sum + b.length, 0);
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
  const needs: number[] = [];
  for (const group of groups) {
    for (const bytes of group) stream.write(bytes);
    await new Promise<void>((done) => stream.flush(constants.BROTLI_OPERATION_FLUSH, () => done()));
    needs.push(size);
  }
  await new Promise<void>((done, fail) => stream.on('end', done).on('error', fail).end());
  // The last group is read through the stream's end marker: unpacked whole, and checked whole.
  if (needs.length > 0) needs[needs.length - 1] = size;
  return { bytes: Buffer.concat(chunks), needs };
}

/**
 * The small files in two groups of the block, flushed apart: each cloud's own files (but its
 * record, which every run reads) after the rest, since a project uses one cloud's at most. A block
 * is unpacked, and kept, only as far as the group of the last file a run reads (pack-blocks.ts),
 * so a project without a cloud unpacks and reads ~0.13 MB less.
 */
function byUse(files: TemplateFile[]): TemplateFile[][] {
  const oneCloud = (file: TemplateFile) => file.path.startsWith('clouds/') && !file.path.endsWith('/cloud.json');
  return [files.filter((file) => !oneCloud(file)), files.filter(oneCloud)];
}

/** The bytes of a pack file holding every file of `pack` and its compiled code. */
export async function serialisePack(pack: TemplatePack, compress = true): Promise<Buffer> {
  // Block 0, stored: what brotli cannot shrink.
  const stored: Buffer[] = [];
  let storedSize = 0;
  const segments = new Map<Buffer, PackSegment>();
  const store = (bytes: Buffer) => {
    segments.set(bytes, { block: 0, at: storedSize, size: bytes.length });
    stored.push(bytes);
    storedSize += bytes.length;
  };
  for (const file of pack.files.filter((f) => !compress || !worthCompressing(f))) store(file.content);
  // Block 1, brotli: the code and the small files, which every run reads. Block 2, brotli: each big
  // file (the lock files) in path order, flushed after each. Two streams, not one: a stream is
  // unpacked from its start, so a run that reads block 1 and then one lock file unpacks each byte
  // once, where one shared stream unpacked the small files a second time on the way to the lock
  // (a third of a default scaffold's unpacking, measured with callgrind). The lock files lose
  // nothing by it: what they share is with each other, not with the small files.
  // The code is stored as one script (bodies-script.ts), each file's body a part of it.
  const coded = pack.files.filter((f) => f.compiled);
  const pieces = bodiesScriptPieces(coded.map((f) => (f.compiled as CompiledEjs).body)).map((piece) => ({ ...piece, bytes: Buffer.from(piece.text, 'utf8') }));
  // (None at all when no file has code.)
  const script = coded.length > 0 ? Buffer.concat(pieces.map((piece) => piece.bytes)) : undefined;
  if (script && !compress) store(script);
  const squeezed = pack.files.filter((f) => !segments.has(f.content));
  const streams = [
    byUse(squeezed.filter((f) => f.content.length < BIG)).map((group, i) => [...(i === 0 && script && !segments.has(script) ? [script] : []), ...group.map((f) => f.content)]),
    squeezed.filter((f) => f.content.length >= BIG).map((f) => [f.content]),
  ]
    .map((groups) => groups.filter((group) => group.length > 0))
    .filter((groups) => groups.length > 0);
  const blocks: PackHeader['blocks'] = [{ codec: 'none', size: storedSize, unpacked: storedSize }];
  const compressed: Buffer[] = [];
  for (const groups of streams) {
    const block = blocks.length;
    const stream = await compressTogether(groups);
    let at = 0;
    groups.forEach((group, i) => {
      for (const bytes of group) {
        segments.set(bytes, { block, at, size: bytes.length, need: stream.needs[i] as number });
        at += bytes.length;
      }
    });
    blocks.push({ codec: 'br', size: stream.bytes.length, unpacked: at });
    compressed.push(stream.bytes);
  }
  // Where each body lies: inside the script.
  const whole = script && (segments.get(script) as PackSegment);
  const bodies = new Map<TemplateFile, PackSegment>();
  let at = whole?.at ?? 0;
  for (const piece of pieces) {
    if (whole && piece.body !== undefined) bodies.set(coded[piece.body] as TemplateFile, { ...whole, at, size: piece.bytes.length });
    at += piece.bytes.length;
  }
  const header: PackHeader = {
    format: FORMAT,
    ...(pack.hash ? { hash: pack.hash } : {}),
    ...(pack.codeHash ? { codeHash: pack.codeHash } : {}),
    blocks,
    files: pack.files.map((file) => {
      const body = bodies.get(file);
      const code = body ? { code: body, ...(file.compiled?.bytes ? { bytes: true as const } : {}) } : {};
      return { path: file.path, executable: file.executable, ...(segments.get(file.content) as PackSegment), ...code };
    }),
    ...(whole ? { script: whole } : {}),
  };
  return Buffer.concat([Buffer.from(`${JSON.stringify(header)}\n`, 'utf8'), ...stored, ...compressed]);
}
